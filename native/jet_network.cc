// A whole MLP's forward-mode jet (src/pinn/taylor.ts) as one autograd node: the value and the
// requested first- and second-derivative channels pushed through every layer, and back; for
// one point set or several at once (a PDE's points, a boundary's, an initial condition's), each
// with its own channels.
//
// Layer by layer this is what taylor.ts composes from linear() and activationJet(): per hidden
// layer z' = W a + b, ∂z' = W ∂a (no bias on derivatives), with (a, ∂a) from jet.cc's kernels.
// Composed, each layer costs some ten autograd nodes and native calls and three matrix products
// each way; here one layer's value and channel rows live in one buffer,
//   rows [0, N)               the values of every set (N points in all, set after set)
//   then per set              its second channels, [n, C2, H] point-major
//   then per set              its first channels, [n, C1, H]: first the sets whose first
//                             channels leave the network, then the others (the output layer
//                             maps the rows before these only)
// so each layer is one matrix product forward and two back whatever the sets, and the network
// one node: a boundary's few points no longer cost a pass of their own. At the input ∂ᵢz₁ is
// column i of W₁ (the same row at every point) and every ∂ᵢⱼz₁ is zero.
//
// The backward is hand-written for the usual case (a backward that builds no graph). One that
// must itself be differentiable (create_graph: reverse-mode derivatives of the outputs, a third
// order) recomputes the forward from the inputs as the composite graph and differentiates that.
#include <ATen/ATen.h>
#include <ATen/Dispatch.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "args.h"
#include "errors.h"
#include "fast_tanh.h"
#include "jet.h"
#include "ops.h"
#include "small_gemm.h"

namespace pt {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// What one point set asks of the network: first channels (input indices), second channels
// (terms over their positions), and whether the output layer maps the first channels.
struct Request {
  std::vector<int64_t> first;
  JetTerms terms;
  bool firstOut;
  int64_t C1() const { return static_cast<int64_t>(first.size()); }
  int64_t C2() const { return terms.channels(); }
};

// One point set's rows in a layer buffer: its n values at v0, its second channels at s0
// ([n, C2, H]), its first channels at f0 ([n, C1, H]).
struct Segment {
  Request q;
  int64_t n, v0, s0, f0;
};

// Every set's rows (see the header): the values of all sets, then each set's second channels,
// then the first channels of the sets that ask for them at the output, then the others'. The
// output layer maps rows [0, mapped).
struct Layout {
  std::vector<Segment> seg;
  int64_t N = 0, rows = 0, mapped = 0;
  bool channels() const {
    for (const Segment& s : seg)
      if (s.q.C1() || s.q.C2()) return true;
    return false;
  }
};

Layout layoutOf(std::vector<Request> qs, const std::vector<int64_t>& ns) {
  Layout lay;
  for (size_t k = 0; k < qs.size(); k++) {
    lay.seg.push_back({std::move(qs[k]), ns[k], lay.N, 0, 0});
    lay.N += ns[k];
  }
  int64_t at = lay.N;
  for (Segment& s : lay.seg) { s.s0 = at; at += s.n * s.q.C2(); }
  for (Segment& s : lay.seg) if (s.q.firstOut) { s.f0 = at; at += s.n * s.q.C1(); }
  lay.mapped = at;
  for (Segment& s : lay.seg) if (!s.q.firstOut) { s.f0 = at; at += s.n * s.q.C1(); }
  lay.rows = at;
  return lay;
}

// The sets as the autograd node carries them (integers and coefficients; decode reverses it):
// per set n, C1, first…, C2, channel starts (C2 + 1), T, term i…, term j…, firstOut; the
// coefficients of every set's terms, in order.
void encode(const std::vector<Request>& qs, const std::vector<int64_t>& ns, std::vector<int64_t>& spec, std::vector<double>& coefs) {
  for (size_t k = 0; k < qs.size(); k++) {
    const Request& q = qs[k];
    spec.push_back(ns[k]);
    spec.push_back(q.C1());
    spec.insert(spec.end(), q.first.begin(), q.first.end());
    spec.push_back(q.C2());
    spec.insert(spec.end(), q.terms.off.begin(), q.terms.off.end());
    spec.push_back(static_cast<int64_t>(q.terms.i.size()));
    spec.insert(spec.end(), q.terms.i.begin(), q.terms.i.end());
    spec.insert(spec.end(), q.terms.j.begin(), q.terms.j.end());
    spec.push_back(q.firstOut);
    coefs.insert(coefs.end(), q.terms.c.begin(), q.terms.c.end());
  }
}

Layout decode(const std::vector<int64_t>& spec, const std::vector<double>& coefs) {
  std::vector<Request> qs;
  std::vector<int64_t> ns;
  size_t at = 0, c = 0;
  auto take = [&](int64_t count) { std::vector<int64_t> v(spec.begin() + at, spec.begin() + at + count); at += count; return v; };
  while (at < spec.size()) {
    ns.push_back(spec[at++]);
    Request q;
    q.first = take(spec[at++]);
    q.terms.off = take(spec[at++] + 1);
    const int64_t T = spec[at++];
    q.terms.i = take(T);
    q.terms.j = take(T);
    q.terms.c.assign(coefs.begin() + c, coefs.begin() + c + T);
    c += T;
    q.firstOut = spec[at++] != 0;
    qs.push_back(std::move(q));
  }
  return layoutOf(std::move(qs), ns);
}

// Rows [first, first + count) of a contiguous [R, H] layer buffer, viewed as `shape` (count·H
// elements; [count, H] when empty): one as_strided call where narrow and view make four op
// calls each (narrow → slice → as_strided, view), and a step makes some hundred such views.
at::Tensor rowsOf(const at::Tensor& buf, int64_t first, int64_t count, std::vector<int64_t> shape = {}) {
  TORCH_CHECK(buf.dim() == 2 && buf.is_contiguous(), "rowsOf: expected a contiguous [R, H] buffer");
  const int64_t H = buf.size(1);
  if (shape.empty() && first == 0 && count == buf.size(0)) return buf;  // all of it (one point set): no view needed
  if (shape.empty()) shape = {count, H};
  std::vector<int64_t> strides(shape.size());
  int64_t step = 1;
  for (size_t k = shape.size(); k-- > 0;) { strides[k] = step; step *= shape[k]; }
  return buf.as_strided(shape, strides, buf.storage_offset() + first * H);
}

// x[M, K] · w[N, K]ᵀ + b and g[M, N] · w[N, K] into new tensors (small_gemm.h: libxsmm when it can;
// the weight gradients gᵀx are gemm::transposedTimes).
at::Tensor linear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b) {
  at::Tensor out = at::empty({x.size(0), w.size(0)}, x.options());
  gemm::linearOut(out, x, w, b);
  return out;
}
at::Tensor times(const at::Tensor& g, const at::Tensor& w) {
  at::Tensor out = at::empty({g.size(0), w.size(1)}, g.options());
  gemm::timesOut(out, g, w);
  return out;
}

// One set's three parts of a layer buffer [R, H] (see the header), as [n, H], [n, C2, H], [n, C1, H].
struct Rows { at::Tensor value, second, first; };
Rows split(const at::Tensor& buf, const Segment& s) {
  const int64_t H = buf.size(1), n = s.n, C1 = s.q.C1(), C2 = s.q.C2();
  return {rowsOf(buf, s.v0, n), rowsOf(buf, s.s0, n * C2, {n, C2, H}), rowsOf(buf, s.f0, n * C1, {n, C1, H})};
}

// The activation's derivatives at one set's value rows (what the channel kernels read).
JetDerivs rowsOf(const JetDerivs& d, const Segment& s) {
  return {at::Tensor(), rowsOf(d.s1, s.v0, s.n), rowsOf(d.s2, s.v0, s.n), rowsOf(d.s3, s.v0, s.n)};
}

// The first hidden layer's channels without [N, C, H] passes: with ∂ᵢz₁ = wᵢ (column i of
// W₁) at every point, ∂ᵢz₂ = W₂ (σ'(z₁) ⊙ wᵢ) = σ'(z₁) (W₂ diag wᵢ)ᵀ, and the second channel
// Σ c ∂ᵢ∂ⱼz₂ = σ''(z₁) (W₂ diag qₚ)ᵀ with qₚ = Σ c wᵢ ⊙ wⱼ: the scaling goes to the weights
// ([C, H₂, H₁], small) and each channel set is one product with σ' or σ''.
// w, qw and their gradients are a few rows of H₁ numbers: plain loops here, where ATen ops
// (a select, a product and an add per term, each way) were a quarter of a PDE step's op calls.
struct FirstLayer {
  at::Tensor w;   // [C1, H₁]: wᵢ per first channel
  at::Tensor qw;  // [C2, H₁]: qₚ per second channel
  FirstLayer(const at::Tensor& W1, const std::vector<int64_t>& first, const JetTerms& t) {
    const int64_t H1 = W1.size(0), C1 = static_cast<int64_t>(first.size());
    const at::Tensor W = W1.contiguous();
    w = at::empty({C1, H1}, W1.options());
    qw = at::zeros({t.channels(), H1}, W1.options());
    AT_DISPATCH_FLOATING_TYPES(W1.scalar_type(), "FirstLayer", [&] {
      const scalar_t* src = W.data_ptr<scalar_t>();
      scalar_t *wd = w.data_ptr<scalar_t>(), *qd = qw.data_ptr<scalar_t>();
      const int64_t in = W.size(1);
      for (int64_t c = 0; c < C1; c++)
        for (int64_t h = 0; h < H1; h++) wd[c * H1 + h] = src[h * in + first[c]];
      for (int64_t p = 0; p < t.channels(); p++)
        for (int64_t m = t.off[p]; m < t.off[p + 1]; m++) {
          const scalar_t c = static_cast<scalar_t>(t.c[m]), *a = wd + t.i[m] * H1, *b = wd + t.j[m] * H1;
          for (int64_t h = 0; h < H1; h++) qd[p * H1 + h] += c * (a[h] * b[h]);
        }
    });
  }
  // W₂ scaled per channel: [C·H₂, H₁]
  static at::Tensor scaled(const at::Tensor& W2, const at::Tensor& k) { return (W2.unsqueeze(0) * k.unsqueeze(1)).reshape({-1, W2.size(1)}); }
  // gw [C1, H₁] += ∂/∂w of the qₚ, given gq = ∂/∂qₚ [C2, H₁] (qₚ = Σ c wᵢ ⊙ wⱼ).
  void addQuadraticGrad(const at::Tensor& gq, const JetTerms& t, at::Tensor& gw) const {
    const at::Tensor g = gq.contiguous();
    const int64_t H1 = w.size(1);
    AT_DISPATCH_FLOATING_TYPES(w.scalar_type(), "FirstLayer backward", [&] {
      const scalar_t *wd = w.data_ptr<scalar_t>(), *gd = g.data_ptr<scalar_t>();
      scalar_t* out = gw.data_ptr<scalar_t>();
      for (int64_t p = 0; p < t.channels(); p++)
        for (int64_t m = t.off[p]; m < t.off[p + 1]; m++) {
          const scalar_t c = static_cast<scalar_t>(t.c[m]);
          scalar_t *gi = out + t.i[m] * H1, *gj = out + t.j[m] * H1;
          const scalar_t *wi = wd + t.i[m] * H1, *wj = wd + t.j[m] * H1, *q = gd + p * H1;
          for (int64_t h = 0; h < H1; h++) gi[h] += c * (q[h] * wj[h]);
          for (int64_t h = 0; h < H1; h++) gj[h] += c * (q[h] * wi[h]);
        }
    });
  }
  // gW₁ [H₁, in]: column first[c] += gw[c] (wᵢ is that column).
  static void addColumnGrad(const at::Tensor& gw, const std::vector<int64_t>& first, at::Tensor& gW) {
    const int64_t H1 = gW.size(0), in = gW.size(1);
    AT_DISPATCH_FLOATING_TYPES(gW.scalar_type(), "FirstLayer columns", [&] {
      const scalar_t* g = gw.data_ptr<scalar_t>();
      scalar_t* out = gW.data_ptr<scalar_t>();
      for (size_t c = 0; c < first.size(); c++)
        for (int64_t h = 0; h < H1; h++) out[h * in + first[c]] += g[c * H1 + h];
    });
  }
};

// The composite graph of one set's forward, differentiable in every input (for a create_graph backward).
variable_list compositeOne(const at::Tensor& x, const std::vector<at::Tensor>& p, const Request& q, int64_t act) {
  const int64_t N = x.size(0), L = static_cast<int64_t>(p.size()) / 2, C1 = q.C1(), C2 = q.C2();
  at::Tensor F = at::tensor(q.first, x.options().dtype(at::kLong));
  const int64_t H1 = p[0].size(0);
  at::Tensor z = at::linear(x, p[0], p[1]);
  at::Tensor d1 = p[0].t().index_select(0, F).unsqueeze(0).expand({N, C1, H1});
  at::Tensor d2 = at::zeros({N, C2, H1}, x.options());
  for (int64_t l = 1; l < L; l++) {
    const at::Tensor &W = p[2 * l], &b = p[2 * l + 1];
    if (C1 == 0 && C2 == 0) {
      z = at::linear(act == kTanh ? at::tanh(z) : at::sin(z), W, b);
      d1 = d2 = at::zeros({N, 0, W.size(0)}, x.options());
      continue;
    }
    variable_list j = activationJet(act, z, d1, d2, q.terms);
    z = at::linear(j[0], W, b);
    d1 = (l < L - 1 || q.firstOut) ? at::matmul(j[1], W.t()) : at::zeros({N, 0, W.size(0)}, x.options());
    d2 = at::matmul(j[2], W.t());
  }
  return {z, d1, d2};
}

// Every set's, as the node's outputs: u of all sets, then each set's first and second channels.
variable_list composite(const at::Tensor& x, const std::vector<at::Tensor>& p, const Layout& lay, int64_t act) {
  variable_list us, outs{at::Tensor()};
  for (const Segment& s : lay.seg) {
    variable_list r = compositeOne(x.narrow(0, s.v0, s.n), p, s.q, act);
    us.push_back(r[0]);
    outs.push_back(r[1]);
    outs.push_back(r[2]);
  }
  outs[0] = at::cat(us, 0);
  return outs;
}

struct JetNetwork : public torch::autograd::Function<JetNetwork> {
  // params: W₁, b₁, …, W_L, b_L; spec and coefs: the sets (encode). → (u [N, out], then per set
  // its first channels [n, C1 or 0, out] and its second channels [n, C2, out])
  static variable_list forward(AutogradContext* ctx, at::Tensor x, at::TensorList params, std::vector<int64_t> spec, std::vector<double> coefs, int64_t act) {
    const Layout lay = decode(spec, coefs);
    std::vector<at::Tensor> pre, post, s1, s2, s3;  // per hidden layer: its rows before and after the activation, σ', σ'', σ'''
    at::Tensor Y = lay.channels() ? jetForward(x, params, lay, act, pre, post, s1, s2, s3) : valueForward(x, params, act, pre, post);
    std::vector<at::Tensor> saved{x};
    saved.insert(saved.end(), params.begin(), params.end());
    ctx->save_for_backward(saved);
    ctx->set_materialize_grads(false);  // an unused output's gradient stays undefined (see the output bias)
    ctx->saved_data["spec"] = spec;
    ctx->saved_data["coefs"] = coefs;
    ctx->saved_data["act"] = act;
    ctx->saved_data["pre"] = pre;
    ctx->saved_data["post"] = post;
    ctx->saved_data["s1"] = s1;
    ctx->saved_data["s2"] = s2;
    ctx->saved_data["s3"] = s3;
    const int64_t out = Y.size(1);
    variable_list outs{rowsOf(Y, 0, lay.N).clone()};
    for (const Segment& s : lay.seg) {
      const int64_t n = s.n, C1 = s.q.C1(), C2 = s.q.C2();
      outs.push_back(s.q.firstOut ? rowsOf(Y, s.f0, n * C1, {n, C1, out}).clone() : at::empty({n, 0, out}, x.options()));
      outs.push_back(rowsOf(Y, s.s0, n * C2, {n, C2, out}).clone());
    }
    return outs;
  }

  // No channels: the plain forward, each hidden layer's pre-activation and activation kept.
  static at::Tensor valueForward(const at::Tensor& x, at::TensorList params, int64_t act, std::vector<at::Tensor>& pre, std::vector<at::Tensor>& post) {
    // ATen's addmm, as Linear.forward: a value-only term's u is bit-identical to the model's forward.
    at::Tensor z = at::addmm(params[1], x, params[0].t());
    for (size_t l = 1; l < params.size() / 2; l++) {
      at::Tensor a = act == kTanh ? fastTanh(z) : at::sin(z);
      pre.push_back(z); post.push_back(a);
      z = at::addmm(params[2 * l + 1], a, params[2 * l].t());
    }
    return z;
  }

  // The jet: rows of every layer as in the header, with what the backward needs.
  static at::Tensor jetForward(const at::Tensor& x, at::TensorList params, const Layout& lay, int64_t act, std::vector<at::Tensor>& pre,
                               std::vector<at::Tensor>& post, std::vector<at::Tensor>& s1, std::vector<at::Tensor>& s2, std::vector<at::Tensor>& s3) {
    const int64_t N = lay.N, L = static_cast<int64_t>(params.size()) / 2;
    auto rowsInto = [&](int64_t l) { return l < L - 1 ? lay.rows : lay.mapped; };
    // Layer 1, and layer 2's rows from it: the values of every set in one product, each set's
    // channels from its own scaled weights.
    at::Tensor z1 = linear(x, params[0], params[1]);
    JetDerivs d1 = jetDerivs(act, z1);
    const at::Tensor &W2 = params[2];
    const int64_t H2 = W2.size(0);
    at::Tensor Y = at::empty({rowsInto(1), H2}, x.options());
    at::Tensor v = rowsOf(Y, 0, N);
    gemm::linearOut(v, d1.a, W2, params[3]);
    for (const Segment& s : lay.seg) {
      const int64_t n = s.n, C1 = s.q.C1(), C2 = s.q.C2();
      if (!C1 && !C2) continue;
      const FirstLayer fl(params[0], s.q.first, s.q.terms);
      if (C2) {
        at::Tensor second = rowsOf(Y, s.s0, n * C2, {n, C2 * H2});
        gemm::linearOut(second, rowsOf(d1.s2, s.v0, n), FirstLayer::scaled(W2, fl.qw));
      }
      if (C1 && s.f0 < Y.size(0)) {
        at::Tensor firstRows = rowsOf(Y, s.f0, n * C1, {n, C1 * H2});
        gemm::linearOut(firstRows, rowsOf(d1.s1, s.v0, n), FirstLayer::scaled(W2, fl.w));
      }
    }
    // Layers 2 … L−1: the jet through the activation, set by set, then one product for all rows.
    pre.push_back(z1); post.push_back(d1.a); s1.push_back(d1.s1); s2.push_back(d1.s2); s3.push_back(d1.s3);
    for (int64_t l = 2; l < L; l++) {
      const at::Tensor &W = params[2 * l], &b = params[2 * l + 1];
      at::Tensor X = at::empty_like(Y);
      JetDerivs d = jetDerivs(act, rowsOf(Y, 0, N), rowsOf(X, 0, N));
      for (const Segment& s : lay.seg) {
        if (!s.q.C1() && !s.q.C2()) continue;
        Rows in = split(Y, s), out = split(X, s);
        jetRowsForward(s.q.terms, rowsOf(d, s), in.first, in.second, out.first, out.second);
      }
      at::Tensor next = at::empty({rowsInto(l), W.size(0)}, x.options());
      gemm::linearOut(next, rowsOf(X, 0, next.size(0)), W);
      rowsOf(next, 0, N).add_(b);
      pre.push_back(Y); post.push_back(X); s1.push_back(d.s1); s2.push_back(d.s2); s3.push_back(d.s3);
      Y = next;
    }
    return Y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list g) {
    variable_list saved = ctx->get_saved_variables();
    const at::Tensor x = saved[0];
    const std::vector<at::Tensor> p(saved.begin() + 1, saved.end());
    const Layout lay = decode(ctx->saved_data["spec"].toIntVector(), ctx->saved_data["coefs"].toDoubleVector());
    const int64_t act = ctx->saved_data["act"].toInt();
    variable_list grads(saved.size() + 3);  // one per input, the 3 non-tensor arguments last (undefined)
    if (at::GradMode::is_enabled()) {
      differentiable(x, p, lay, act, g, grads);
      return grads;
    }
    const int64_t N = lay.N, L = static_cast<int64_t>(p.size()) / 2;
    auto pre = ctx->saved_data["pre"].toTensorVector(), post = ctx->saved_data["post"].toTensorVector();
    if (!lay.channels()) {
      valueBackward(x, p, act, pre, post, g[0], grads);
      return grads;
    }
    auto s1 = ctx->saved_data["s1"].toTensorVector(), s2 = ctx->saved_data["s2"].toTensorVector(), s3 = ctx->saved_data["s3"].toTensorVector();
    // The output rows' gradient, laid out as the forward's last buffer.
    const int64_t out = p[2 * L - 2].size(0);
    at::Tensor G = at::zeros({lay.mapped, out}, x.options());
    if (g[0].defined()) rowsOf(G, 0, N).copy_(g[0]);
    for (size_t k = 0; k < lay.seg.size(); k++) {
      const Segment& s = lay.seg[k];
      const int64_t n = s.n, C1 = s.q.C1(), C2 = s.q.C2();
      if (C2 && g[2 + 2 * k].defined()) rowsOf(G, s.s0, n * C2, {n, C2, out}).copy_(g[2 + 2 * k]);
      if (s.q.firstOut && C1 && g[1 + 2 * k].defined()) rowsOf(G, s.f0, n * C1, {n, C1, out}).copy_(g[1 + 2 * k]);
    }
    for (int64_t l = L - 1; l >= 2; l--) {
      const at::Tensor& W = p[2 * l];
      const at::Tensor& X = post[l - 1];
      grads[1 + 2 * l] = gemm::transposedTimes(G, rowsOf(X, 0, G.size(0)));
      // The output bias reaches the value alone: no gradient (as autograd gives) where the value is unused.
      if (l < L - 1 || g[0].defined()) grads[2 + 2 * l] = rowsOf(G, 0, N).sum(0);
      // The gradient of X's rows that reach the next layer; first channels the output layer does
      // not map get none (the kernel takes that as zero).
      at::Tensor GX = times(G, W);
      // Through the activation, set by set: the value's share Ga σ' and the channels' (jet.cc).
      at::Tensor Gin = at::empty_like(pre[l - 1]);
      const int64_t H = GX.size(1);
      const JetDerivs d{at::Tensor(), s1[l - 1], s2[l - 1], s3[l - 1]};
      for (const Segment& s : lay.seg) {
        const int64_t n = s.n, C1 = s.q.C1(), C2 = s.q.C2();
        const bool firstReached = s.f0 + n * C1 <= GX.size(0);
        Rows in = split(pre[l - 1], s), gz = split(Gin, s);
        Rows ga{rowsOf(GX, s.v0, n), rowsOf(GX, s.s0, n * C2, {n, C2, H}), firstReached ? rowsOf(GX, s.f0, n * C1, {n, C1, H}) : at::Tensor()};
        jetRowsBackward(s.q.terms, rowsOf(d, s), in.first, in.second, ga.value, ga.first, ga.second, gz.value, gz.first, gz.second);
      }
      G = Gin;
    }
    // Layer 2's rows from layer 1 (FirstLayer): value a W₂ᵀ + b₂, each set's channels σ' K₁ᵀ and σ'' K₂ᵀ.
    const at::Tensor &W2 = p[2], &a = post[0];
    const int64_t H2 = W2.size(0);
    at::Tensor Gv = rowsOf(G, 0, N);
    grads[3] = gemm::transposedTimes(Gv, a);
    if (L > 2 || g[0].defined()) grads[4] = Gv.sum(0);
    at::Tensor gz1 = times(Gv, W2).mul_(s1[0]);  // through a: σ'
    std::vector<std::pair<const Segment*, at::Tensor>> columns;  // ∂/∂wᵢ of each set with first channels
    for (const Segment& s : lay.seg) {
      const int64_t n = s.n, C1 = s.q.C1(), C2 = s.q.C2();
      if (!C1 && !C2) continue;
      const FirstLayer fl(p[0], s.q.first, s.q.terms);
      at::Tensor gzRows = rowsOf(gz1, s.v0, n);
      at::Tensor gw = at::zeros_like(fl.w);  // ∂/∂wᵢ, from both channel sets
      auto channelSet = [&](const at::Tensor& Gc, const at::Tensor& k, const at::Tensor& sv, const at::Tensor& sNext, at::Tensor& gk) {
        // rows σ Kᵀ with K = W₂ scaled by k: ∂σ = Gc K, ∂K = Gcᵀ σ, whence ∂W₂ and ∂k.
        const int64_t C = k.size(0);
        at::Tensor gK = gemm::transposedTimes(Gc, sv).view({C, H2, -1});
        gzRows.add_(times(Gc, FirstLayer::scaled(W2, k)).mul_(sNext));
        grads[3].add_((gK * k.unsqueeze(1)).sum(0));
        gk = (gK * W2.unsqueeze(0)).sum(1);
      };
      if (C1 && s.f0 + n * C1 <= G.size(0)) {
        at::Tensor gk;
        channelSet(rowsOf(G, s.f0, n * C1, {n, C1 * H2}), fl.w, rowsOf(s1[0], s.v0, n), rowsOf(s2[0], s.v0, n), gk);
        gw.add_(gk);
      }
      if (C2) {
        at::Tensor gq;
        channelSet(rowsOf(G, s.s0, n * C2, {n, C2 * H2}), fl.qw, rowsOf(s2[0], s.v0, n), rowsOf(s3[0], s.v0, n), gq);
        fl.addQuadraticGrad(gq, s.q.terms, gw);
      }
      if (C1) columns.emplace_back(&s, gw);
    }
    // Layer 1: z₁ = x W₁ᵀ + b₁, and each set's wᵢ is column first[i] of W₁.
    at::Tensor gW = gemm::transposedTimes(gz1, x);
    for (const auto& [s, gw] : columns) FirstLayer::addColumnGrad(gw, s->q.first, gW);
    grads[1] = gW;
    grads[2] = gz1.sum(0);
    if (x.requires_grad()) grads[0] = at::mm(gz1, p[0]);
    return grads;
  }

  // The plain backward of valueForward (grads as backward's: x, then the parameters).
  static void valueBackward(const at::Tensor& x, const std::vector<at::Tensor>& p, int64_t act, const std::vector<at::Tensor>& pre,
                            const std::vector<at::Tensor>& post, const at::Tensor& gu, variable_list& grads) {
    if (!gu.defined()) return;
    at::Tensor G = gu;
    for (size_t l = p.size() / 2 - 1; l >= 1; l--) {
      grads[1 + 2 * l] = at::mm(G.t(), post[l - 1]);
      grads[2 + 2 * l] = G.sum(0);
      at::Tensor ga = at::mm(G, p[2 * l]);
      G = act == kTanh ? at::tanh_backward(ga, post[l - 1]) : ga.mul_(at::cos(pre[l - 1]));
    }
    grads[1] = at::mm(G.t(), x);
    grads[2] = G.sum(0);
    if (x.requires_grad()) grads[0] = at::mm(G, p[0]);
  }

  // A backward that builds a graph: the composite forward, recomputed here, differentiated.
  static void differentiable(const at::Tensor& x, const std::vector<at::Tensor>& p, const Layout& lay, int64_t act, const variable_list& g, variable_list& grads) {
    variable_list outs = composite(x, p, lay, act), wrt, seeds, ys;
    for (size_t k = 0; k < outs.size(); k++) {
      if (g[k].defined() && outs[k].numel() > 0 && outs[k].requires_grad()) { ys.push_back(outs[k]); seeds.push_back(g[k]); }
    }
    std::vector<size_t> slots;
    if (x.requires_grad()) { wrt.push_back(x); slots.push_back(0); }
    for (size_t k = 0; k < p.size(); k++)
      if (p[k].requires_grad()) { wrt.push_back(p[k]); slots.push_back(k + 1); }
    if (ys.empty() || wrt.empty()) return;
    variable_list r = torch::autograd::grad(ys, wrt, seeds, /*retain_graph=*/true, /*create_graph=*/true, /*allow_unused=*/true);
    for (size_t k = 0; k < r.size(); k++) grads[slots[k]] = r[k];
  }
};

void checkInput(const at::Tensor& t, const std::string& what) {
  if (!t.device().is_cpu()) throw std::invalid_argument(what + " must be on the CPU");
  if (t.scalar_type() != at::kFloat && t.scalar_type() != at::kDouble) throw std::invalid_argument(what + " must be float32 or float64");
}

std::vector<int64_t> intsOf(const Napi::Object& o, const char* key) {
  Napi::Array a = o.Get(key).As<Napi::Array>();
  std::vector<int64_t> out(a.Length());
  for (uint32_t k = 0; k < a.Length(); k++) out[k] = a.Get(k).As<Napi::Number>().Int64Value();
  return out;
}

// jetNetwork(act, x, [W₁, b₁, …], sets) with sets [{ rows, first[], termI[], termJ[],
// channelStarts[], coefficients[], firstOut }, …] (their rows of x, in order)
//   → [u, then per set its first channels and its second channels]
Napi::Value JetNetworkFn(const Napi::CallbackInfo& info) {
  PT_GUARD("jetNetwork",
    const int64_t act = jetActivationCode(info[0].As<Napi::String>().Utf8Value());
    const at::Tensor& x = tensorArg(info, 1);
    std::vector<at::Tensor> params = tensorList(info, 2);
    checkInput(x, "x");
    if (x.dim() != 2) throw std::invalid_argument("x must be [N, inputs]");
    if (params.size() < 4 || params.size() % 2) throw std::invalid_argument("expected weights and biases of at least two layers: [W1, b1, W2, b2, …]");
    int64_t width = x.size(1);
    for (size_t k = 0; k < params.size(); k += 2) {
      const at::Tensor &W = params[k], &b = params[k + 1];
      const std::string layer = "layer " + std::to_string(k / 2 + 1);
      checkInput(W, layer + "'s weight"); checkInput(b, layer + "'s bias");
      if (W.scalar_type() != x.scalar_type() || b.scalar_type() != x.scalar_type()) throw std::invalid_argument(layer + ": weights, biases and x must share a dtype");
      if (W.dim() != 2 || W.size(1) != width) throw std::invalid_argument(layer + "'s weight must be [out, " + std::to_string(width) + "]");
      if (b.dim() != 1 || b.size(0) != W.size(0)) throw std::invalid_argument(layer + "'s bias must be [" + std::to_string(W.size(0)) + "]");
      width = W.size(0);
    }
    Napi::Array sets = info[3].As<Napi::Array>();
    if (sets.Length() == 0) throw std::invalid_argument("expected at least one point set");
    std::vector<Request> qs;
    std::vector<int64_t> ns;
    int64_t rows = 0;
    for (uint32_t k = 0; k < sets.Length(); k++) {
      const Napi::Object o = sets.Get(k).As<Napi::Object>();
      const std::string where = "point set " + std::to_string(k) + ": ";
      const int64_t n = o.Get("rows").As<Napi::Number>().Int64Value();
      if (n < 0) throw std::invalid_argument(where + "rows must be ≥ 0");
      Request q{intsOf(o, "first"), {intsOf(o, "termI"), intsOf(o, "termJ"), intsOf(o, "channelStarts"), {}}, o.Get("firstOut").ToBoolean().Value()};
      Napi::Array c = o.Get("coefficients").As<Napi::Array>();
      for (uint32_t m = 0; m < c.Length(); m++) q.terms.c.push_back(c.Get(m).As<Napi::Number>().DoubleValue());
      for (int64_t i : q.first)
        if (i < 0 || i >= x.size(1)) throw std::invalid_argument(where + "first-derivative input index " + std::to_string(i) + " out of range");
      try {
        checkJetTerms(q.terms, q.C1());
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(where + e.what());
      }
      qs.push_back(std::move(q));
      ns.push_back(n);
      rows += n;
    }
    if (rows != x.size(0)) throw std::invalid_argument("the point sets have " + std::to_string(rows) + " rows in all, x has " + std::to_string(x.size(0)));
    std::vector<int64_t> spec;
    std::vector<double> coefs;
    encode(qs, ns, spec, coefs);
    return handleList(info.Env(), JetNetwork::apply(x.contiguous(), at::TensorList(params), spec, coefs, act));)
}

}  // namespace

void registerJetNetwork(Napi::Env env, Napi::Object exports) {
  exports.Set("jetNetwork", Napi::Function::New(env, JetNetworkFn, "jetNetwork"));
}

}  // namespace pt

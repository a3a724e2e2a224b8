// Fused kernels for the forward-mode (Taylor) derivative engine in src/pinn/taylor.ts.
//
// Through an activation a = σ(z) the engine carries derivative channels alongside values:
//   first   e1_c = σ'(z) d1_c
//   second  e2_p = σ'(z) d2_p + σ''(z) Q_p,   Q_p = Σ_m c_m d1_{i_m} d1_{j_m}
// A second channel p is a fixed linear combination of second derivatives Σ_m c_m ∂_{i_m}∂_{j_m}
// (terms m = off[p] … off[p+1]−1; a plain ∂ᵢ∂ⱼ is one term with c = 1), so an operator such as
// a Laplacian travels through the network as one channel instead of one per term.
// Written with ATen ops that is ~10 elementwise passes forward and ~25 backward per layer, each
// re-reading [N, C, H] tensors; here it is one pass each way. The backward is hand-written:
//   ∂z   = Ga σ' + σ'' Σ_c G1_c d1_c + Σ_p G2_p (σ'' d2_p + σ''' Q_p)
//   ∂d1_c = σ' G1_c + σ'' Σ_p G2_p Σ_m c_m ([i_m = c] d1_{j_m} + [j_m = c] d1_{i_m})
//   ∂d2_p = σ' G2_p
// A backward that must itself be differentiable (create_graph: e.g. a third derivative taken
// in reverse mode from the second-order channels) runs the same formulas as ATen ops instead.
//
// A pure third channel c (∂ᵢᵢᵢ; p = d1 at its ∂ᵢ, q = d2 at its ∂ᵢᵢ, r = d3_c) has a kernel of its own:
//   e3_c = σ' r + 3σ'' p q + σ''' p³
//   ∂z  += G3_c (σ'' r + 3σ''' p q + σ'''' p³)
//   ∂p  += 3 G3_c (σ'' q + σ''' p²),   ∂q += 3 G3_c σ'' p,   ∂r = σ' G3_c
#include <ATen/ATen.h>
#include <ATen/Dispatch.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "args.h"
#include "errors.h"
#include "fast_tanh.h"
#include "jet.h"
#include "ops.h"
#include "vector_clones.h"

namespace pt {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// σ, σ', σ'', σ''' at z, as [N, H] tensors, built from ATen ops (so differentiable again).
using Derivs = JetDerivs;
Derivs derivs(int64_t act, const at::Tensor& z) {
  if (act == kTanh) {
    at::Tensor t = at::tanh(z);
    at::Tensor s1 = 1 - t * t;
    return {t, s1, -2 * t * s1, (6 * t * t - 2) * s1};
  }
  at::Tensor s = at::sin(z), c = at::cos(z);
  return {s, c, -s, -c};
}

// The same where nothing differentiates them: tanh by the vectorised kernel of fast_tanh.cc
// (float32; at::tanh otherwise), then the three derivatives from it in one pass. σ goes into
// `into` when that is given (rows of the caller's buffer: no copy afterwards). (One loop for
// tanh and its derivatives together measured slower than the two: 1.34 against 1.24 ns an element.)
Derivs fastDerivs(int64_t act, const at::Tensor& z, const at::Tensor& into = at::Tensor()) {
  if (act != kTanh || !z.device().is_cpu() || at::GradMode::is_enabled()) {
    Derivs d = derivs(act, z);
    if (into.defined()) d.a = into.copy_(d.a);
    return d;
  }
  const at::Tensor zc = z.contiguous();
  at::Tensor s1 = at::empty_like(zc), s2 = at::empty_like(zc), s3 = at::empty_like(zc);
  at::Tensor t = into.defined() ? into : at::empty_like(zc);
  if (zc.scalar_type() == at::kFloat) tanhInto(zc, t);
  else t.copy_(at::tanh(zc));
  AT_DISPATCH_FLOATING_TYPES(z.scalar_type(), "tanh derivatives", [&] {
    const scalar_t* T = t.data_ptr<scalar_t>();
    scalar_t *S1 = s1.data_ptr<scalar_t>(), *S2 = s2.data_ptr<scalar_t>(), *S3 = s3.data_ptr<scalar_t>();
    at::parallel_for(0, t.numel(), at::internal::GRAIN_SIZE, [&](int64_t begin, int64_t end) {
      for (int64_t k = begin; k < end; k++) {
        scalar_t v = T[k], d = 1 - v * v;
        S1[k] = d; S2[k] = -2 * v * d; S3[k] = (6 * v * v - 2) * d;
      }
    });
  });
  return {t, s1, s2, s3};
}

// z [N, H] → (σ, σ', σ''), each differentiable in z.
struct ActivationDerivs : public torch::autograd::Function<ActivationDerivs> {
  static variable_list forward(AutogradContext* ctx, at::Tensor z, int64_t act) {
    ctx->saved_data["act"] = act;
    ctx->save_for_backward({z});
    Derivs d = fastDerivs(act, z);
    return {d.a, d.s1, d.s2};
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    at::Tensor z = ctx->get_saved_variables()[0];
    Derivs d = fastDerivs(ctx->saved_data["act"].toInt(), z);  // ATen ops when grad mode is on
    return {g[0] * d.s1 + g[1] * d.s2 + g[2] * d.s3, at::Tensor()};
  }
};

// The kernels take restrict pointers to rows that never overlap, so that the compiler vectorises
// them; a pair (i, i) reads one first-derivative row twice, and its two updates of that row are
// made in one loop. GCC ignores __restrict__ on block-scope pointers, and a loop with many
// pointers exceeds its limit on runtime alias checks (-fopt-info-vec: the second-derivative loops
// ran scalar): ivdep says each row loop's iterations are independent. Each kernel is compiled
// for AVX2 and for any x86-64 (vector_clones.h).

// The second channels' terms: channel p owns terms off[p] … off[p+1]−1, term m is c[m] ∂_{i[m]}∂_{j[m]}.
template <typename S>
struct Terms {
  const int64_t *i, *j, *off;
  const S* c;
  bool unit(int64_t p) const { return off[p + 1] - off[p] == 1 && c[off[p]] == S(1); }
};

// Q_p = Σ_m c_m a_m b_m for one row into q[H].
template <typename S>
inline __attribute__((always_inline)) void quadratic(int64_t H, const Terms<S>& t, int64_t p, const S* D1, S* PT_RESTRICT q) {
  for (int64_t m = t.off[p]; m < t.off[p + 1]; m++) {
    const S* PT_RESTRICT a = D1 + t.i[m] * H;
    const S* PT_RESTRICT b = D1 + t.j[m] * H;
    const S c = t.c[m];
    if (m == t.off[p]) {
      PT_IVDEP for (int64_t h = 0; h < H; h++) q[h] = c * a[h] * b[h];
    } else {
      PT_IVDEP for (int64_t h = 0; h < H; h++) q[h] += c * a[h] * b[h];
    }
  }
}

// A channel of K terms (K = 2…4, or one term with c ≠ 1) in one pass over the row, the terms
// unrolled: the separate passes of quadratic() and pairBackward() cost more than their
// arithmetic on rows this short. Gradient rows of different terms may be one row (an input in
// two terms): their updates stay in program order within each element.
constexpr int kMaxFusedTerms = 4;

template <typename S, int K>
inline __attribute__((always_inline)) void comboForward(int64_t H, const S* PT_RESTRICT g1, const S* PT_RESTRICT g2, const S* PT_RESTRICT x,
                                                        S* PT_RESTRICT y, const S* const* a, const S* const* b, const S* c) {
  PT_IVDEP for (int64_t h = 0; h < H; h++) {
    S Q = c[0] * a[0][h] * b[0][h];
    for (int k = 1; k < K; k++) Q += c[k] * a[k][h] * b[k][h];
    y[h] = g1[h] * x[h] + g2[h] * Q;
  }
}

template <typename S, int K>
inline __attribute__((always_inline)) void comboBackward(int64_t H, const S* PT_RESTRICT g1, const S* PT_RESTRICT g2, const S* PT_RESTRICT g3,
                                                         const S* PT_RESTRICT x, const S* PT_RESTRICT q, S* PT_RESTRICT Z, S* PT_RESTRICT r2,
                                                         const S* const* a, const S* const* b, S* const* ra, S* const* rb, const S* c) {
  PT_IVDEP for (int64_t h = 0; h < H; h++) {
    S Q = c[0] * a[0][h] * b[0][h];
    for (int k = 1; k < K; k++) Q += c[k] * a[k][h] * b[k][h];
    Z[h] += q[h] * (g2[h] * x[h] + g3[h] * Q);
    r2[h] = g1[h] * q[h];
    const S v = g2[h] * q[h];
    for (int k = 0; k < K; k++) {
      ra[k][h] += c[k] * v * b[k][h];
      rb[k][h] += c[k] * v * a[k][h];
    }
  }
}

// Row pointers of channel p's terms into a[], b[] (and their gradient rows into ra[], rb[]).
template <typename S>
inline void termRows(int64_t H, const Terms<S>& t, int64_t p, const S* D1, S* R1, const S** a, const S** b, S** ra, S** rb) {
  for (int64_t m = t.off[p], k = 0; m < t.off[p + 1]; m++, k++) {
    a[k] = D1 + t.i[m] * H; b[k] = D1 + t.j[m] * H;
    if (R1) { ra[k] = R1 + t.i[m] * H; rb[k] = R1 + t.j[m] * H; }
  }
}

template <typename S>
inline __attribute__((always_inline)) void jetForwardRows(int64_t N, int64_t H, int64_t C1, int64_t C2, const Terms<S>& t,
                                                          const S* s1, const S* s2, const S* d1, const S* d2, S* e1, S* e2) {
  for (int64_t n = 0; n < N; n++) {
    const S* PT_RESTRICT g1 = s1 + n * H;
    const S* PT_RESTRICT g2 = s2 + n * H;
    const S* D1 = d1 + n * C1 * H;
    for (int64_t c = 0; c < C1; c++) {
      const S* PT_RESTRICT x = D1 + c * H;
      S* PT_RESTRICT y = e1 + (n * C1 + c) * H;
      PT_IVDEP for (int64_t h = 0; h < H; h++) y[h] = g1[h] * x[h];
    }
    for (int64_t p = 0; p < C2; p++) {
      const S* PT_RESTRICT x = d2 + (n * C2 + p) * H;
      S* PT_RESTRICT y = e2 + (n * C2 + p) * H;
      if (t.unit(p)) {
        const S* PT_RESTRICT a = D1 + t.i[t.off[p]] * H;
        const S* PT_RESTRICT b = D1 + t.j[t.off[p]] * H;
        PT_IVDEP for (int64_t h = 0; h < H; h++) y[h] = g1[h] * x[h] + g2[h] * a[h] * b[h];
      } else if (t.off[p + 1] - t.off[p] <= kMaxFusedTerms) {
        const S *a[kMaxFusedTerms], *b[kMaxFusedTerms];
        termRows<S>(H, t, p, D1, nullptr, a, b, nullptr, nullptr);
        const S* c = t.c + t.off[p];
        switch (t.off[p + 1] - t.off[p]) {
          case 1: comboForward<S, 1>(H, g1, g2, x, y, a, b, c); break;
          case 2: comboForward<S, 2>(H, g1, g2, x, y, a, b, c); break;
          case 3: comboForward<S, 3>(H, g1, g2, x, y, a, b, c); break;
          default: comboForward<S, 4>(H, g1, g2, x, y, a, b, c); break;
        }
      } else {
        quadratic(H, t, p, D1, y);  // y holds Q_p, then becomes the channel
        PT_IVDEP for (int64_t h = 0; h < H; h++) y[h] = g1[h] * x[h] + g2[h] * y[h];
      }
    }
  }
}

// ∂d1 of one term c ∂ᵢ∂ⱼ: d1_i gets c σ'' G2 d1_j and d1_j gets c σ'' G2 d1_i.
template <typename S>
inline __attribute__((always_inline)) void pairBackward(int64_t H, int64_t i, int64_t j, S c, const S* PT_RESTRICT g2, const S* PT_RESTRICT q,
                                                        const S* D1, S* R1) {
  const S* PT_RESTRICT a = D1 + i * H;
  const S* PT_RESTRICT b = D1 + j * H;
  if (i == j) {
    S* PT_RESTRICT ra = R1 + i * H;
    if (c == S(1)) {
      PT_IVDEP for (int64_t h = 0; h < H; h++) {
        S v = g2[h] * q[h] * a[h];
        ra[h] = (ra[h] + v) + v;  // as two updates: the same rounding as a pair (i, j)
      }
    } else {
      PT_IVDEP for (int64_t h = 0; h < H; h++) {
        S v = c * g2[h] * q[h] * a[h];
        ra[h] = (ra[h] + v) + v;
      }
    }
  } else {
    S* PT_RESTRICT ra = R1 + i * H;
    S* PT_RESTRICT rb = R1 + j * H;
    if (c == S(1)) {
      PT_IVDEP for (int64_t h = 0; h < H; h++) {
        ra[h] += g2[h] * q[h] * b[h];
        rb[h] += g2[h] * q[h] * a[h];
      }
    } else {
      PT_IVDEP for (int64_t h = 0; h < H; h++) {
        ra[h] += c * g2[h] * q[h] * b[h];
        rb[h] += c * g2[h] * q[h] * a[h];
      }
    }
  }
}

template <typename S>
inline __attribute__((always_inline)) void jetBackwardRows(int64_t N, int64_t H, int64_t C1, int64_t C2, const Terms<S>& t,
                                                           const S* s1, const S* s2, const S* s3, const S* d1, const S* d2,
                                                           const S* Ga, const S* G1, const S* G2, S* gz, S* gd1, S* gd2, S* work) {
  for (int64_t n = 0; n < N; n++) {
    const S* PT_RESTRICT g1 = s1 + n * H;
    const S* PT_RESTRICT g2 = s2 + n * H;
    const S* PT_RESTRICT g3 = s3 + n * H;
    const S* D1 = d1 + n * C1 * H;
    S* R1 = gd1 + n * C1 * H;
    S* PT_RESTRICT Z = gz + n * H;  // Ga σ', then the channel terms
    if (Ga) {
      const S* PT_RESTRICT ga = Ga + n * H;
      PT_IVDEP for (int64_t h = 0; h < H; h++) Z[h] = ga[h] * g1[h];
    } else {
      for (int64_t h = 0; h < H; h++) Z[h] = 0;
    }
    for (int64_t c = 0; c < C1; c++) {
      S* PT_RESTRICT r = R1 + c * H;
      if (!G1) {  // no gradient reaches the first channels: only the second channels' share below
        for (int64_t h = 0; h < H; h++) r[h] = 0;
        continue;
      }
      const S* PT_RESTRICT x = D1 + c * H;
      const S* PT_RESTRICT gx = G1 + (n * C1 + c) * H;
      PT_IVDEP for (int64_t h = 0; h < H; h++) {
        Z[h] += g2[h] * gx[h] * x[h];
        r[h] = g1[h] * gx[h];
      }
    }
    for (int64_t p = 0; p < C2; p++) {
      const S* PT_RESTRICT x = d2 + (n * C2 + p) * H;
      const S* PT_RESTRICT q = G2 + (n * C2 + p) * H;
      S* PT_RESTRICT r2 = gd2 + (n * C2 + p) * H;
      if (t.unit(p)) {
        const int64_t i = t.i[t.off[p]], j = t.j[t.off[p]];
        const S* PT_RESTRICT a = D1 + i * H;
        const S* PT_RESTRICT b = D1 + j * H;
        PT_IVDEP for (int64_t h = 0; h < H; h++) {
          Z[h] += q[h] * (g2[h] * x[h] + g3[h] * a[h] * b[h]);
          r2[h] = g1[h] * q[h];
        }
        pairBackward(H, i, j, S(1), g2, q, D1, R1);
        continue;
      }
      if (t.off[p + 1] - t.off[p] <= kMaxFusedTerms) {
        const S *a[kMaxFusedTerms], *b[kMaxFusedTerms];
        S *ra[kMaxFusedTerms], *rb[kMaxFusedTerms];
        termRows<S>(H, t, p, D1, R1, a, b, ra, rb);
        const S* c = t.c + t.off[p];
        switch (t.off[p + 1] - t.off[p]) {
          case 1: comboBackward<S, 1>(H, g1, g2, g3, x, q, Z, r2, a, b, ra, rb, c); break;
          case 2: comboBackward<S, 2>(H, g1, g2, g3, x, q, Z, r2, a, b, ra, rb, c); break;
          case 3: comboBackward<S, 3>(H, g1, g2, g3, x, q, Z, r2, a, b, ra, rb, c); break;
          default: comboBackward<S, 4>(H, g1, g2, g3, x, q, Z, r2, a, b, ra, rb, c); break;
        }
        continue;
      }
      S* PT_RESTRICT Q = work;  // more terms: pass by pass
      quadratic(H, t, p, D1, Q);
      PT_IVDEP for (int64_t h = 0; h < H; h++) {
        Z[h] += q[h] * (g2[h] * x[h] + g3[h] * Q[h]);
        r2[h] = g1[h] * q[h];
      }
      for (int64_t m = t.off[p]; m < t.off[p + 1]; m++) pairBackward(H, t.i[m], t.j[m], t.c[m], g2, q, D1, R1);
    }
  }
}

#define PT_JET_KERNELS(S)                                                                                                  \
  PT_VECTOR_CLONES void jetForward(int64_t N, int64_t H, int64_t C1, int64_t C2, const Terms<S>& t, const S* s1, const S* s2, \
                                   const S* d1, const S* d2, S* e1, S* e2) {                                            \
    jetForwardRows<S>(N, H, C1, C2, t, s1, s2, d1, d2, e1, e2);                                                          \
  }                                                                                                                      \
  PT_VECTOR_CLONES void jetBackward(int64_t N, int64_t H, int64_t C1, int64_t C2, const Terms<S>& t, const S* s1,        \
                                    const S* s2, const S* s3, const S* d1, const S* d2, const S* Ga, const S* G1,        \
                                    const S* G2, S* gz, S* gd1, S* gd2, S* work) {                                       \
    jetBackwardRows<S>(N, H, C1, C2, t, s1, s2, s3, d1, d2, Ga, G1, G2, gz, gd1, gd2, work);                             \
  }
PT_JET_KERNELS(float)
PT_JET_KERNELS(double)

// Rows are independent, so the kernels split them across LibTorch's intra-op threads: chunks of
// at least ATen's own grain in elements (one thread below it, as ATen's elementwise ops).
int64_t rowGrain(int64_t H, int64_t C1, int64_t C2) {
  return std::max<int64_t>(1, at::internal::GRAIN_SIZE / std::max<int64_t>(1, (1 + C1 + C2) * H));
}

template <typename S>
Terms<S> termsView(const JetTerms& t, std::vector<S>& cs) {
  cs.assign(t.c.begin(), t.c.end());
  return {t.i.data(), t.j.data(), t.off.data(), cs.data()};
}

// [C2, T]: row p holds channel p's coefficients at its terms' columns.
at::Tensor termMatrix(const JetTerms& t, const at::TensorOptions& o) {
  const int64_t C2 = t.channels(), T = static_cast<int64_t>(t.c.size());
  at::Tensor m = at::zeros({C2, T}, at::TensorOptions().dtype(at::kDouble));
  auto a = m.accessor<double, 2>();
  for (int64_t p = 0; p < C2; p++)
    for (int64_t k = t.off[p]; k < t.off[p + 1]; k++) a[p][k] = t.c[k];
  return m.to(o.device()).to(o.dtype().toScalarType());
}

// The backward formulas of the header as ATen ops (differentiable again).
variable_list differentiableBackward(const Derivs& d, const at::Tensor& d1, const at::Tensor& d2, const JetTerms& t, const variable_list& g) {
  at::Tensor s1 = d.s1.unsqueeze(1), s2 = d.s2.unsqueeze(1), s3 = d.s3.unsqueeze(1);
  at::Tensor I = at::tensor(t.i, d1.options().dtype(at::kLong)), J = at::tensor(t.j, d1.options().dtype(at::kLong));
  at::Tensor a = d1.index_select(1, I), b = d1.index_select(1, J);  // [N, T, H]
  at::Tensor M = termMatrix(t, d1.options());                            // [C2, T]
  at::Tensor Q = at::matmul(M, a * b);                              // [N, C2, H]
  at::Tensor gz = g[0] * d.s1 + (s2 * g[1] * d1).sum(1) + (g[2] * (s2 * d2 + s3 * Q)).sum(1);
  at::Tensor q = at::matmul(M.t(), s2 * g[2]);  // each term's share of σ'' G2, [N, T, H]
  at::Tensor gd1 = (s1 * g[1]).index_add(1, I, q * b).index_add(1, J, q * a);
  return {gz, gd1, s1 * g[2], at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
}


}  // namespace

JetDerivs jetDerivs(int64_t act, const at::Tensor& z, const at::Tensor& into) { return fastDerivs(act, z, into); }

void jetRowsForward(const JetTerms& terms, const JetDerivs& d, const at::Tensor& d1, const at::Tensor& d2, const at::Tensor& e1, const at::Tensor& e2) {
  const int64_t N = d1.size(0), C1 = d1.size(1), C2 = d2.size(1), H = d1.size(2);
  AT_DISPATCH_FLOATING_TYPES(d1.scalar_type(), "jetRowsForward", [&] {
    std::vector<scalar_t> cs;
    const Terms<scalar_t> t = termsView(terms, cs);
    const scalar_t *s1 = d.s1.data_ptr<scalar_t>(), *s2 = d.s2.data_ptr<scalar_t>(), *x1 = d1.data_ptr<scalar_t>(), *x2 = d2.data_ptr<scalar_t>();
    scalar_t *y1 = e1.data_ptr<scalar_t>(), *y2 = e2.data_ptr<scalar_t>();
    at::parallel_for(0, N, rowGrain(H, C1, C2), [&](int64_t b, int64_t e) {
      jetForward(e - b, H, C1, C2, t, s1 + b * H, s2 + b * H, x1 + b * C1 * H, x2 + b * C2 * H, y1 + b * C1 * H, y2 + b * C2 * H);
    });
  });
}

void jetRowsBackward(const JetTerms& terms, const JetDerivs& d, const at::Tensor& d1, const at::Tensor& d2, const at::Tensor& ga,
                     const at::Tensor& g1, const at::Tensor& g2, const at::Tensor& gz, const at::Tensor& gd1, const at::Tensor& gd2) {
  const int64_t N = d1.size(0), C1 = d1.size(1), C2 = d2.size(1), H = d1.size(2);
  AT_DISPATCH_FLOATING_TYPES(d1.scalar_type(), "jetRowsBackward", [&] {
    std::vector<scalar_t> cs;
    const Terms<scalar_t> t = termsView(terms, cs);
    const scalar_t *s1 = d.s1.data_ptr<scalar_t>(), *s2 = d.s2.data_ptr<scalar_t>(), *s3 = d.s3.data_ptr<scalar_t>();
    const scalar_t *x1 = d1.data_ptr<scalar_t>(), *x2 = d2.data_ptr<scalar_t>(), *h2 = g2.data_ptr<scalar_t>();
    const scalar_t* ha = ga.defined() ? ga.data_ptr<scalar_t>() : nullptr;
    const scalar_t* h1 = g1.defined() ? g1.data_ptr<scalar_t>() : nullptr;
    scalar_t *rz = gz.data_ptr<scalar_t>(), *r1 = gd1.data_ptr<scalar_t>(), *r2 = gd2.data_ptr<scalar_t>();
    at::parallel_for(0, N, rowGrain(H, C1, C2), [&](int64_t b, int64_t e) {
      std::vector<scalar_t> work(H);  // Q_p of one row, for channels of several terms
      jetBackward(e - b, H, C1, C2, t, s1 + b * H, s2 + b * H, s3 + b * H, x1 + b * C1 * H, x2 + b * C2 * H, ha ? ha + b * H : nullptr,
                  h1 ? h1 + b * C1 * H : nullptr, h2 + b * C2 * H, rz + b * H, r1 + b * C1 * H, r2 + b * C2 * H, work.data());
    });
  });
}

void checkJetTerms(const JetTerms& t, int64_t C1) {
  if (t.off.empty()) throw std::invalid_argument("channel starts need one entry more than there are second-derivative channels");
  const int64_t C2 = t.channels(), T = static_cast<int64_t>(t.i.size());
  if (static_cast<int64_t>(t.j.size()) != T || static_cast<int64_t>(t.c.size()) != T) throw std::invalid_argument("one (i, j) pair and one coefficient per term");
  if (C2 < 0 || t.off[0] != 0 || t.off[C2] != T)
    throw std::invalid_argument("channel starts must run from 0 to the number of terms: one per second-derivative channel, and one more");
  for (int64_t p = 0; p < C2; p++)
    if (t.off[p + 1] <= t.off[p]) throw std::invalid_argument("every second-derivative channel needs at least one term");
  for (int64_t m = 0; m < T; m++) {
    if (t.i[m] < 0 || t.i[m] >= C1 || t.j[m] < 0 || t.j[m] >= C1) throw std::invalid_argument("term index out of range of the first-derivative channels");
    if (!std::isfinite(t.c[m])) throw std::invalid_argument("term coefficients must be finite");
  }
}

int64_t jetActivationCode(const std::string& name) {
  if (name == "tanh") return kTanh;
  if (name == "sin") return kSin;
  throw std::invalid_argument("unsupported activation '" + name + "' (tanh or sin)");
}

namespace {

// (z [N, H], d1 [N, C1, H], d2 [N, C2, H]) → (σ(z), e1, e2) as in the header.
struct ActivationJet : public torch::autograd::Function<ActivationJet> {
  static variable_list forward(AutogradContext* ctx, at::Tensor z, at::Tensor d1, at::Tensor d2, std::vector<int64_t> ti,
                               std::vector<int64_t> tj, std::vector<int64_t> off, std::vector<double> tc, int64_t act) {
    // The inputs themselves are saved, not contiguous copies made here: a copy made without
    // grad would cut a double backward off from whatever the inputs came from.
    at::Tensor c1 = d1.contiguous(), c2 = d2.contiguous();
    Derivs d = fastDerivs(act, z.contiguous());
    at::Tensor e1 = at::empty_like(c1), e2 = at::empty_like(c2);
    jetRowsForward({ti, tj, off, tc}, d, c1, c2, e1, e2);
    ctx->saved_data["act"] = act;
    ctx->saved_data["ti"] = ti;
    ctx->saved_data["tj"] = tj;
    ctx->saved_data["off"] = off;
    ctx->saved_data["tc"] = tc;
    ctx->save_for_backward({z, d1, d2});
    // σ', σ'', σ''' for a backward that builds no graph (the usual one): no second exp pass.
    ctx->saved_data["s1"] = d.s1;
    ctx->saved_data["s2"] = d.s2;
    ctx->saved_data["s3"] = d.s3;
    return {d.a, e1, e2};
  }

  static variable_list backward(AutogradContext* ctx, variable_list g) {
    auto saved = ctx->get_saved_variables();
    const at::Tensor &z = saved[0], &d1 = saved[1], &d2 = saved[2];
    const JetTerms terms{ctx->saved_data["ti"].toIntVector(), ctx->saved_data["tj"].toIntVector(), ctx->saved_data["off"].toIntVector(),
                         ctx->saved_data["tc"].toDoubleVector()};
    if (at::GradMode::is_enabled()) return differentiableBackward(derivs(ctx->saved_data["act"].toInt(), z), d1, d2, terms, g);
    Derivs d{at::Tensor(), ctx->saved_data["s1"].toTensor(), ctx->saved_data["s2"].toTensor(), ctx->saved_data["s3"].toTensor()};
    at::Tensor c1 = d1.contiguous(), c2 = d2.contiguous();
    at::Tensor gz = at::empty_like(d.s1), gd1 = at::empty_like(c1), gd2 = at::empty_like(c2);
    jetRowsBackward(terms, d, c1, c2, g[0].contiguous(), g[1].contiguous(), g[2].contiguous(), gz, gd1, gd2);
    return {gz, gd1, gd2, at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

// σ'''' from σ (t) and σ', σ'' (tanh: σ''(6t² − 2) + 12t σ'²; sin: sin z = σ).
template <typename S, bool Tanh>
inline __attribute__((always_inline)) S fourth(S t, S s1, S s2) {
  if constexpr (Tanh) return s2 * (6 * t * t - 2) + 12 * t * s1 * s1;
  else return t;
}

// The third channels' forward over rows [b, e) (the header's formulas): i1[c], i2[c] are channel
// c's ∂ᵢ and ∂ᵢᵢ positions in d1 [N, C1, H] and d2 [N, C2, H]; d3, e3 are [N, C3, H].
template <typename S>
inline __attribute__((always_inline)) void thirdRows(int64_t b, int64_t e, int64_t H, int64_t C1, int64_t C2, int64_t C3, const int64_t* i1, const int64_t* i2,
               const S* s1, const S* s2, const S* s3, const S* d1, const S* d2, const S* d3, S* e3) {
  for (int64_t n = b; n < e; n++) {
    const S* PT_RESTRICT g1 = s1 + n * H;
    const S* PT_RESTRICT g2 = s2 + n * H;
    const S* PT_RESTRICT g3 = s3 + n * H;
    for (int64_t c = 0; c < C3; c++) {
      const S* PT_RESTRICT p = d1 + (n * C1 + i1[c]) * H;
      const S* PT_RESTRICT q = d2 + (n * C2 + i2[c]) * H;
      const S* PT_RESTRICT r = d3 + (n * C3 + c) * H;
      S* PT_RESTRICT y = e3 + (n * C3 + c) * H;
      PT_IVDEP for (int64_t h = 0; h < H; h++) y[h] = g1[h] * r[h] + 3 * g2[h] * p[h] * q[h] + g3[h] * p[h] * p[h] * p[h];
    }
  }
}

// Its backward: gz [N, H] is written, gd1 and gd2 (zeroed by the caller) get the third channels'
// shares at their positions, gd3 is written. Two third channels may share a ∂ᵢ row (never here:
// the engine asks each ∂ᵢᵢᵢ once), so the shares are added.
template <typename S, bool Tanh>
inline __attribute__((always_inline)) void thirdRowsBackward(int64_t b, int64_t e, int64_t H, int64_t C1, int64_t C2, int64_t C3, const int64_t* i1, const int64_t* i2,
                       const S* A, const S* s1, const S* s2, const S* s3, const S* d1, const S* d2, const S* d3, const S* G,
                       S* gz, S* gd1, S* gd2, S* gd3) {
  for (int64_t n = b; n < e; n++) {
    const S* PT_RESTRICT t = A + n * H;
    const S* PT_RESTRICT g1 = s1 + n * H;
    const S* PT_RESTRICT g2 = s2 + n * H;
    const S* PT_RESTRICT g3 = s3 + n * H;
    S* PT_RESTRICT Z = gz + n * H;
    for (int64_t h = 0; h < H; h++) Z[h] = 0;
    for (int64_t c = 0; c < C3; c++) {
      const S* PT_RESTRICT p = d1 + (n * C1 + i1[c]) * H;
      const S* PT_RESTRICT q = d2 + (n * C2 + i2[c]) * H;
      const S* PT_RESTRICT r = d3 + (n * C3 + c) * H;
      const S* PT_RESTRICT x = G + (n * C3 + c) * H;
      S* PT_RESTRICT rp = gd1 + (n * C1 + i1[c]) * H;
      S* PT_RESTRICT rq = gd2 + (n * C2 + i2[c]) * H;
      S* PT_RESTRICT rr = gd3 + (n * C3 + c) * H;
      PT_IVDEP for (int64_t h = 0; h < H; h++) {
        const S P = p[h], g = x[h];
        Z[h] += g * (g2[h] * r[h] + 3 * g3[h] * P * q[h] + fourth<S, Tanh>(t[h], g1[h], g2[h]) * P * P * P);
        rp[h] += 3 * g * (g2[h] * q[h] + g3[h] * P * P);
        rq[h] += 3 * g * g2[h] * P;
        rr[h] = g * g1[h];
      }
    }
  }
}

// Entry points compiled for AVX2 and any x86-64, as the other kernels (vector_clones.h).
#define PT_THIRD_KERNELS(S)                                                                                                       \
  PT_VECTOR_CLONES void thirdForward(int64_t b, int64_t e, int64_t H, int64_t C1, int64_t C2, int64_t C3, const int64_t* i1,     \
                                     const int64_t* i2, const S* s1, const S* s2, const S* s3, const S* d1, const S* d2,         \
                                     const S* d3, S* e3) {                                                                       \
    thirdRows<S>(b, e, H, C1, C2, C3, i1, i2, s1, s2, s3, d1, d2, d3, e3);                                                    \
  }                                                                                                                             \
  PT_VECTOR_CLONES void thirdBackward(bool tanh, int64_t b, int64_t e, int64_t H, int64_t C1, int64_t C2, int64_t C3,           \
                                      const int64_t* i1, const int64_t* i2, const S* A, const S* s1, const S* s2, const S* s3,  \
                                      const S* d1, const S* d2, const S* d3, const S* G, S* gz, S* gd1, S* gd2, S* gd3) {       \
    if (tanh) thirdRowsBackward<S, true>(b, e, H, C1, C2, C3, i1, i2, A, s1, s2, s3, d1, d2, d3, G, gz, gd1, gd2, gd3);        \
    else thirdRowsBackward<S, false>(b, e, H, C1, C2, C3, i1, i2, A, s1, s2, s3, d1, d2, d3, G, gz, gd1, gd2, gd3);            \
  }
PT_THIRD_KERNELS(float)
PT_THIRD_KERNELS(double)

// (z [N, H], d1, d2, d3) → e3 [N, C3, H] as one autograd node; its backward is differentiable
// again (ATen ops under create_graph).
struct ThirdJet : public torch::autograd::Function<ThirdJet> {
  static at::Tensor forward(AutogradContext* ctx, at::Tensor z, at::Tensor d1, at::Tensor d2, at::Tensor d3, std::vector<int64_t> i1,
                            std::vector<int64_t> i2, int64_t act) {
    at::Tensor c1 = d1.contiguous(), c2 = d2.contiguous(), c3 = d3.contiguous();
    Derivs d = fastDerivs(act, z.contiguous());
    at::Tensor e3 = at::empty_like(c3);
    const int64_t N = c3.size(0), C1 = c1.size(1), C2 = c2.size(1), C3 = c3.size(1), H = c3.size(2);
    AT_DISPATCH_FLOATING_TYPES(c3.scalar_type(), "thirdJet", [&] {
      const scalar_t *s1 = d.s1.data_ptr<scalar_t>(), *s2 = d.s2.data_ptr<scalar_t>(), *s3 = d.s3.data_ptr<scalar_t>();
      const scalar_t *x1 = c1.data_ptr<scalar_t>(), *x2 = c2.data_ptr<scalar_t>(), *x3 = c3.data_ptr<scalar_t>();
      scalar_t* y = e3.data_ptr<scalar_t>();
      at::parallel_for(0, N, rowGrain(H, C3, 2 * C3), [&](int64_t b, int64_t e) {
        thirdForward(b, e, H, C1, C2, C3, i1.data(), i2.data(), s1, s2, s3, x1, x2, x3, y);
      });
    });
    ctx->saved_data["act"] = act;
    ctx->saved_data["i1"] = i1;
    ctx->saved_data["i2"] = i2;
    ctx->save_for_backward({z, d1, d2, d3});
    // σ … σ''' for a backward that builds no graph (the usual one): no second tanh pass.
    ctx->saved_data["a"] = d.a;
    ctx->saved_data["s1"] = d.s1;
    ctx->saved_data["s2"] = d.s2;
    ctx->saved_data["s3"] = d.s3;
    return e3;
  }

  static variable_list backward(AutogradContext* ctx, variable_list g) {
    auto saved = ctx->get_saved_variables();
    const at::Tensor &z = saved[0], &d1 = saved[1], &d2 = saved[2], &d3 = saved[3];
    const int64_t act = ctx->saved_data["act"].toInt();
    const std::vector<int64_t> i1 = ctx->saved_data["i1"].toIntVector(), i2 = ctx->saved_data["i2"].toIntVector();
    if (at::GradMode::is_enabled()) {  // the header's formulas as ATen ops
      Derivs d = derivs(act, z);
      at::Tensor s4 = act == kTanh ? d.s2 * (6 * d.a * d.a - 2) + 12 * d.a * d.s1 * d.s1 : d.a;
      at::Tensor I1 = at::tensor(i1, d1.options().dtype(at::kLong)), I2 = at::tensor(i2, d1.options().dtype(at::kLong));
      at::Tensor p = d1.index_select(1, I1), q = d2.index_select(1, I2), G = g[0];
      at::Tensor s1 = d.s1.unsqueeze(1), s2 = d.s2.unsqueeze(1), s3 = d.s3.unsqueeze(1);
      at::Tensor gz = (G * (s2 * d3 + 3 * s3 * p * q + s4.unsqueeze(1) * p * p * p)).sum(1);
      at::Tensor gd1 = at::zeros_like(d1).index_add(1, I1, 3 * G * (s2 * q + s3 * p * p));
      at::Tensor gd2 = at::zeros_like(d2).index_add(1, I2, 3 * G * s2 * p);
      return {gz, gd1, gd2, s1 * G, at::Tensor(), at::Tensor(), at::Tensor()};
    }
    Derivs d{ctx->saved_data["a"].toTensor(), ctx->saved_data["s1"].toTensor(), ctx->saved_data["s2"].toTensor(), ctx->saved_data["s3"].toTensor()};
    at::Tensor c1 = d1.contiguous(), c2 = d2.contiguous(), c3 = d3.contiguous(), G = g[0].contiguous();
    at::Tensor gz = at::empty_like(d.s1), gd1 = at::zeros_like(c1), gd2 = at::zeros_like(c2), gd3 = at::empty_like(c3);
    const int64_t N = c3.size(0), C1 = c1.size(1), C2 = c2.size(1), C3 = c3.size(1), H = c3.size(2);
    AT_DISPATCH_FLOATING_TYPES(c3.scalar_type(), "thirdJet backward", [&] {
      const scalar_t *A = d.a.data_ptr<scalar_t>(), *s1 = d.s1.data_ptr<scalar_t>(), *s2 = d.s2.data_ptr<scalar_t>(), *s3 = d.s3.data_ptr<scalar_t>();
      const scalar_t *x1 = c1.data_ptr<scalar_t>(), *x2 = c2.data_ptr<scalar_t>(), *x3 = c3.data_ptr<scalar_t>(), *h = G.data_ptr<scalar_t>();
      scalar_t *rz = gz.data_ptr<scalar_t>(), *r1 = gd1.data_ptr<scalar_t>(), *r2 = gd2.data_ptr<scalar_t>(), *r3 = gd3.data_ptr<scalar_t>();
      at::parallel_for(0, N, rowGrain(H, C3, 2 * C3), [&](int64_t b, int64_t e) {
        thirdBackward(act == kTanh, b, e, H, C1, C2, C3, i1.data(), i2.data(), A, s1, s2, s3, x1, x2, x3, h, rz, r1, r2, r3);
      });
    });
    return {gz, gd1, gd2, gd3, at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

void checkFloatCpu(const at::Tensor& t, const char* what) {
  if (!t.device().is_cpu()) throw std::invalid_argument(std::string(what) + " must be on the CPU");
  if (t.scalar_type() != at::kFloat && t.scalar_type() != at::kDouble) throw std::invalid_argument(std::string(what) + " must be float32 or float64");
}

// activationDerivs(name, z) → [σ, σ', σ'']
Napi::Value ActivationDerivsFn(const Napi::CallbackInfo& info) {
  PT_GUARD("activationDerivs",
    int64_t act = jetActivationCode(info[0].As<Napi::String>().Utf8Value());
    return handleList(info.Env(), ActivationDerivs::apply(tensorArg(info, 1), act));)
}

// activationJet(name, z, d1, d2, termI[], termJ[], channelStarts[C2 + 1], coefficients[]) → [σ(z), e1, e2]
Napi::Value ActivationJetFn(const Napi::CallbackInfo& info) {
  PT_GUARD("activationJet",
    int64_t act = jetActivationCode(info[0].As<Napi::String>().Utf8Value());
    const at::Tensor &z = tensorArg(info, 1), &d1 = tensorArg(info, 2), &d2 = tensorArg(info, 3);
    JetTerms terms{intList(info, 4), intList(info, 5), intList(info, 6), doubleList(info, 7)};
    checkFloatCpu(z, "z"); checkFloatCpu(d1, "d1"); checkFloatCpu(d2, "d2");
    if (z.dim() != 2 || d1.dim() != 3 || d2.dim() != 3) throw std::invalid_argument("expected z [N, H], d1 [N, C1, H], d2 [N, C2, H]");
    const int64_t N = z.size(0), H = z.size(1), C2 = d2.size(1);
    if (d1.size(0) != N || d2.size(0) != N || d1.size(2) != H || d2.size(2) != H) throw std::invalid_argument("d1 and d2 must be [N, C, H] with z's N and H");
    if (d1.scalar_type() != z.scalar_type() || d2.scalar_type() != z.scalar_type()) throw std::invalid_argument("z, d1 and d2 must share a dtype");
    if (terms.channels() != C2)
      throw std::invalid_argument("channel starts must run from 0 to the number of terms: one per second-derivative channel, and one more");
    checkJetTerms(terms, d1.size(1));
    return handleList(info.Env(), activationJet(act, z, d1, d2, terms));)
}

// activationThird(name, z, d1, d2, d3, first[C3], second[C3]) → e3: the pure third channels
Napi::Value ActivationThirdFn(const Napi::CallbackInfo& info) {
  PT_GUARD("activationThird",
    int64_t act = jetActivationCode(info[0].As<Napi::String>().Utf8Value());
    const at::Tensor &z = tensorArg(info, 1), &d1 = tensorArg(info, 2), &d2 = tensorArg(info, 3), &d3 = tensorArg(info, 4);
    std::vector<int64_t> i1 = intList(info, 5), i2 = intList(info, 6);
    checkFloatCpu(z, "z"); checkFloatCpu(d1, "d1"); checkFloatCpu(d2, "d2"); checkFloatCpu(d3, "d3");
    if (z.dim() != 2 || d1.dim() != 3 || d2.dim() != 3 || d3.dim() != 3) throw std::invalid_argument("expected z [N, H], d1 [N, C1, H], d2 [N, C2, H], d3 [N, C3, H]");
    const int64_t N = z.size(0), H = z.size(1), C3 = d3.size(1);
    for (const at::Tensor* t : {&d1, &d2, &d3}) {
      if (t->size(0) != N || t->size(2) != H) throw std::invalid_argument("d1, d2 and d3 must be [N, C, H] with z's N and H");
      if (t->scalar_type() != z.scalar_type()) throw std::invalid_argument("z, d1, d2 and d3 must share a dtype");
    }
    if (static_cast<int64_t>(i1.size()) != C3 || static_cast<int64_t>(i2.size()) != C3) throw std::invalid_argument("one first and one second channel position per third channel");
    for (int64_t c = 0; c < C3; c++) {
      if (i1[c] < 0 || i1[c] >= d1.size(1)) throw std::invalid_argument("a first-channel position is out of range");
      if (i2[c] < 0 || i2[c] >= d2.size(1)) throw std::invalid_argument("a second-channel position is out of range");
    }
    return handleList(info.Env(), {ThirdJet::apply(z, d1, d2, d3, i1, i2, act)});)
}

}  // namespace

std::vector<at::Tensor> activationJet(int64_t act, const at::Tensor& z, const at::Tensor& d1, const at::Tensor& d2, const JetTerms& t) {
  return ActivationJet::apply(z, d1, d2, t.i, t.j, t.off, t.c, act);
}

void registerJet(Napi::Env env, Napi::Object exports) {
  exports.Set("activationDerivs", Napi::Function::New(env, ActivationDerivsFn, "activationDerivs"));
  exports.Set("activationJet", Napi::Function::New(env, ActivationJetFn, "activationJet"));
  exports.Set("activationThird", Napi::Function::New(env, ActivationThirdFn, "activationThird"));
}

}  // namespace pt

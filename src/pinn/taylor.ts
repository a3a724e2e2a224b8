// Forward-mode ("Taylor-mode") derivatives of a plain MLP: the value and the requested first
// and second input derivatives are pushed forward through the network together, instead of
// being pulled back by nested reverse passes. Per layer, with ∂ᵢ = ∂/∂xᵢ:
//   z = W a + b        ∂ᵢz = W ∂ᵢa          ∂ᵢⱼz = W ∂ᵢⱼa           (no bias on derivatives)
//   a = σ(z)           ∂ᵢa = σ'(z) ∂ᵢz      ∂ᵢⱼa = σ''(z) ∂ᵢz ∂ⱼz + σ'(z) ∂ᵢⱼz
// A pure third order ∂ᵢᵢᵢ (a dispersive term) is one more channel, by the same chain rule:
//   ∂ᵢᵢᵢz = W ∂ᵢᵢᵢa      ∂ᵢᵢᵢa = σ'''(z) (∂ᵢz)³ + 3 σ''(z) ∂ᵢz ∂ᵢᵢz + σ'(z) ∂ᵢᵢᵢz
// At the input ∂ᵢx = eᵢ and ∂ᵢⱼx = ∂ᵢᵢᵢx = 0, so the first layer's ∂ᵢz is column i of W (one row,
// broadcast over the points) and its higher derivatives are zero. Everything is ordinary differentiable
// tensor ops, so one ordinary backward pass gives the weight gradients of any loss built
// from the results.
//
// Channels are kept in two stacks, each [N, C, H]: first derivatives and second ones (pure
// ∂ᵢᵢ first, then mixed ∂ᵢⱼ, then combinations); each stack goes through a linear layer as one
// matmul. A fixed linear combination L = Σ c ∂ᵢ∂ⱼ (a Laplacian, a wave operator) is linear in
// the second derivatives, so it travels as one channel: L a = σ''(z) Σ c ∂ᵢz ∂ⱼz + σ'(z) L z,
// and a residual that needs only L costs one channel where its terms would cost one each. On the CPU,
// a plain tanh or sin MLP's whole jet is one native call and one autograd node
// (native/jet_network.cc); composed layer by layer here, its tanh and sin layers run as one fused
// native pass each way (native/jet.cc; pure third channels in a kernel of their own beside it);
// other activations and devices use the composite ops below, which compute the same thing.
//
// A hidden layer with a pre-activation scale s, σ(s·(W a + b)) (SIREN's fixed ω₀, an adaptive
// activation's trainable slope, or both), has ∂ᵢ(s z) = s ∂ᵢz and ∂ᵢⱼ(s z) = s ∂ᵢⱼz: the same
// formulas with s W and s b in place of W and b, which MLP.effectiveLinear provides. So every
// path here, fused ones included, runs unchanged, and gradients reach the slopes through them.
//
// Embedded(PeriodicEmbedding or FourierFeatures, MLP) starts from the embedding's jet instead of the identity
// (embedding_jet.ts: closed forms): the first layer maps its value and its derivative channels
// (∂ᵢz₁ = W₁ ∂ᵢe, ∂ᵢⱼz₁ = W₁ ∂ᵢⱼe), and from there every layer is the general one above. A
// plain MLP keeps the first-layer shortcut (constant ∂ᵢz₁, zero ∂ᵢⱼz₁), unchanged.
import { SiLU, Sigmoid, Sin, Softplus, Tanh } from '../nn/activation.js';
import { type JetActivation, type JetChannel, activationDerivs, activationJet, activationThird, cat, channelTerms, jetNetwork, jetNetworkSets, linear } from '../functional.js';
import { tensor, zeros } from '../creation.js';
import { isComplex, isFloating } from '../dtype.js';
import { Embedded, FourierFeatures, PeriodicEmbedding } from '../nn/embeddings.js';
import { Linear } from '../nn/linear.js';
import { MLP } from '../nn/mlp.js';
import { type Module } from '../nn/module.js';
import { Tensor } from '../tensor.js';
import { embeddingInputs, embeddingJet } from './embedding_jet.js';

/** σ(z), σ'(z) and (when asked) σ''(z), with as few elementwise ops as each allows. */
type Activation = (z: Tensor, second: boolean) => { a: Tensor; s1: Tensor; s2: Tensor | null };
/** σ'''(z) from z, a = σ(z) and s1 = σ'(z) (third-order channels only: written plainly). */
type ThirdDerivative = (z: Tensor, a: Tensor, s1: Tensor) => Tensor;

/** f(x), releasing x (an intermediate: autograd keeps whatever it saved). */
const then = (x: Tensor, f: (x: Tensor) => Tensor) => { const y = f(x); x.dispose(); return y; };

const ACTIVATIONS = new Map<Function, (m: Module) => Activation>([
  [Tanh, () => (z, second) => {
    const a = z.tanh();
    const s1 = then(a.square(), (q) => q.rsub(1)); // 1 − t²
    return { a, s1, s2: second ? then(a.mul(-2), (m) => m.mul(s1)) : null }; // −2t(1 − t²)
  }],
  [Sin, () => (z, second) => {
    const a = z.sin();
    return { a, s1: z.cos(), s2: second ? a.neg() : null };
  }],
  [Sigmoid, () => (z, second) => {
    const a = z.sigmoid();
    const s1 = then(a.rsub(1), (q) => a.mul(q)); // σ(1 − σ)
    return { a, s1, s2: second ? then(then(a.mul(-2), (m) => m.add(1)), (q) => s1.mul(q)) : null }; // σ(1 − σ)(1 − 2σ)
  }],
  [Softplus, (m) => {
    const beta = (m as Softplus).beta;
    return (z, second) => {
      const s1 = then(z.mul(beta), (bz) => bz.sigmoid()); // σ(βz)
      return { a: z.softplus(beta), s1, s2: second ? then(then(s1.rsub(1), (q) => s1.mul(q)), (q) => q.mul(beta)) : null };
    };
  }],
  [SiLU, () => (z, second) => {
    // Rarely hot: written plainly; the caller's tidy frees the intermediates.
    const s = z.sigmoid(), oneMinus = s.rsub(1);
    const a = z.mul(s);
    const s1 = s.mul(z.mul(oneMinus).add(1)); // σ(1 + z(1 − σ))
    return { a, s1, s2: second ? s.mul(oneMinus).mul(z.mul(s.mul(-2).add(1)).add(2)) : null }; // σ(1 − σ)(2 + z(1 − 2σ))
  }],
]);

const THIRD = new Map<Function, (m: Module) => ThirdDerivative>([
  [Tanh, () => (_z, a, s1) => s1.mul(a.square().mul(6).sub(2))], // (1 − t²)(6t² − 2)
  [Sin, () => (_z, _a, s1) => s1.neg()], // −cos z
  [Sigmoid, () => (_z, a, s1) => s1.mul(a.square().mul(6).sub(a.mul(6)).add(1))], // σ(1 − σ)(1 − 6σ + 6σ²)
  [Softplus, (m) => {
    const beta = (m as Softplus).beta;
    return (_z, _a, s) => s.mul(s.rsub(1)).mul(s.mul(-2).add(1)).mul(beta * beta); // s = σ(βz): β² s(1 − s)(1 − 2s)
  }],
  [SiLU, () => (z, _a, _s1) => {
    const s = z.sigmoid(), q = s.mul(s.rsub(1)), m = s.mul(-2).add(1); // q = σ', m = 1 − 2σ
    return q.mul(m).mul(3).add(z.mul(q).mul(m.square().sub(q.mul(2)))); // 3q(1 − 2σ) + z q((1 − 2σ)² − 2q)
  }],
]);

function activationOf(model: MLP): Activation | null {
  const make = ACTIVATIONS.get(model.act.constructor);
  return make ? make(model.act) : null;
}

/** A model the engine differentiates: a plain MLP, or one behind an exact periodic embedding. */
export type TaylorModel = MLP | Embedded;

function isPlainMLP(model: Module): model is MLP {
  if (!(model instanceof MLP) || model.constructor !== MLP || !activationOf(model)) return false;
  return model.layers.every((l) => l.constructor === Linear && isFloating(l.weight.dtype) && !isComplex(l.weight.dtype));
}

/**
 * True for a plain MLP (this library's class, not a subclass; SIREN's ω₀ and adaptive slopes
 * included) whose activation the engine knows (tanh, sin, sigmoid, softplus, silu) and whose
 * parameters are real floating point; and for Embedded(PeriodicEmbedding or FourierFeatures,
 * such an MLP) whose MLP takes the embedding's width.
 */
export function supportsTaylor(model: Module): model is TaylorModel {
  if (model instanceof Embedded && model.constructor === Embedded) {
    const { embedding, net } = model;
    return (embedding.constructor === PeriodicEmbedding || embedding.constructor === FourierFeatures) && isPlainMLP(net)
      && net.sizes[0] === (embedding as PeriodicEmbedding | FourierFeatures).outFeatures;
  }
  return isPlainMLP(model);
}

export interface TaylorRequest {
  /** Input indices i of the first derivatives ∂u/∂xᵢ wanted. */
  first?: number[];
  /** Index pairs (i, j) of the second derivatives ∂²u/∂xᵢ∂xⱼ wanted (order does not matter). */
  second?: [number, number][];
  /** Fixed linear combinations Σ c ∂²u/∂xᵢ∂xⱼ wanted, each as its terms [c, i, j]. */
  combinations?: (readonly (readonly [number, number, number])[])[];
  /** Input indices i of the pure third derivatives ∂³u/∂xᵢ³ wanted (∂ᵢu and ∂ᵢᵢu come with them). */
  third?: number[];
}

export interface TaylorResult {
  /** Network output [N, out]. */
  u: Tensor;
  /** ∂u/∂xᵢ [N, out] by input index i. */
  first: Map<number, Tensor>;
  /** ∂²u/∂xᵢ∂xⱼ [N, out] by `${i},${j}` with i ≤ j. */
  second: Map<string, Tensor>;
  /** Each requested combination [N, out], in the order asked. */
  combined: Tensor[];
  /** ∂³u/∂xᵢ³ [N, out] by input index i. */
  third: Map<number, Tensor>;
}

/** Channels `idx` of t [N, C, H] (dim 1): a view when they are consecutive, else one index_select. */
function pick(t: Tensor, idx: number[]): Tensor {
  if (idx.every((v, k) => v === idx[0] + k)) return idx.length === t.shape[1] ? t : t.narrow(1, idx[0], idx.length);
  return t.indexSelect(1, tensor(idx, { dtype: 'int64', device: t.device }));
}

/** f(t), releasing t unless it is `keepIt`. */
function consume(t: Tensor, f: (t: Tensor) => Tensor, keepIt?: Tensor): Tensor {
  const y = f(t);
  if (t !== keepIt) t.dispose();
  return y;
}

/** s·d + s2·q for d, q [N, C, H] and s, s2 [N, 1, H], releasing d and q. */
function update(s: Tensor, d: Tensor, s2: Tensor, q: Tensor): Tensor {
  const out = consume(d, (d) => s.mul(d));
  out.addcmul_(s2, q); // in place on a fresh result: one pass and no allocation fewer than mul + add
  q.dispose();
  return out;
}

/**
 * The derivative channels of the second layer straight from σ'(z₁), σ''(z₁) [N, H₁]: with
 * ∂ᵢa₁ = σ'(z₁) ⊙ wᵢ (wᵢ = column i of W₁), ∂ᵢz₂ = (σ' ⊙ wᵢ) W₂ᵀ = σ' (W₂ diag wᵢ)ᵀ, so the
 * per-channel scaling is applied to the weights ([C, H₂, H₁], small) instead of to C copies
 * of the activations ([C, N, H₁]); likewise σ'' with wᵢ ⊙ wⱼ. Result [N, C, H₂].
 */
function fromFirstLayer(s: Tensor, w2: Tensor, coef: Tensor): Tensor {
  const [c, h1] = coef.shape, h2 = w2.shape[0];
  const scaled = consume(coef.unsqueeze(1), (k) => w2.mul(k)); // [C, H₂, H₁]
  const flat = consume(scaled, (t) => t.reshape(c * h2, h1));
  return consume(consume(flat, (f) => linear(s, f)), (y) => y.view(-1, c, h2));
}

/** What a request asks the engine to carry: its channels, and where each derivative is among them. */
interface ChannelPlan {
  /** Input indices of the first-derivative channels (sorted). */
  F: number[];
  /** The pure and mixed second derivatives (i ≤ j), pure first: the first second channels. */
  sec: [number, number][];
  /** The combinations' terms [c, i, j]: the second channels after `sec`. */
  combos: (readonly [number, number, number])[][];
  /** Every second channel over positions in F. */
  channels: JetChannel[];
  /** Input indices of the pure third derivatives. */
  T3: number[];
}

function channelPlan(request: TaylorRequest, d: number): ChannelPlan {
  const checkIndex = (i: number) => {
    if (!Number.isInteger(i) || i < 0 || i >= d) throw new RangeError(`taylor: input index ${i} is out of range for ${d} inputs`);
    return i;
  };
  // Unique pairs (i ≤ j), split into pure (i = j) and mixed (i < j); the first-derivative
  // channels every one of them needs.
  const pairs = new Map<string, [number, number]>();
  const T3 = [...new Set((request.third ?? []).map(checkIndex))].sort((a, b) => a - b);
  for (const [p, q] of [...(request.second ?? []), ...T3.map((i) => [i, i] as [number, number])]) {
    const i = Math.min(checkIndex(p), checkIndex(q)), j = Math.max(p, q);
    pairs.set(`${i},${j}`, [i, j]);
  }
  // Second-derivative channels, pure (i = i) first; the first-derivative channels F they and
  // the request need; each second channel as a pair of positions in F.
  const sec = [...pairs.values()].sort(([a, b], [c, d]) => Number(c === d) - Number(a === b) || a - c || b - d);
  const combos = (request.combinations ?? []).map((terms) => {
    if (!terms.length) throw new RangeError('taylor: a combination needs at least one term');
    return terms.map(([c, i, j]) => {
      if (!Number.isFinite(c)) throw new RangeError(`taylor: combination coefficient ${c} is not finite`);
      return [c, checkIndex(i), checkIndex(j)] as const;
    });
  });
  const F = [...new Set([...(request.first ?? []).map(checkIndex), ...sec.flat(), ...combos.flat().flatMap(([, i, j]) => [i, j])])].sort((a, b) => a - b);
  const pos = (i: number) => F.indexOf(i);
  // Every second channel as terms [c, i, j] over positions in F: a pair is one term with c = 1.
  const channels: JetChannel[] = [
    ...sec.map(([i, j]) => [pos(i), pos(j)] as const),
    ...combos.map((terms) => ({ terms: terms.map(([c, i, j]) => [c, pos(i), pos(j)] as const) })),
  ];
  return { F, sec, combos, channels, T3 };
}

/** The fused network's outputs for one request, as a TaylorResult (views of d1 and d2). */
function networkResult(request: TaylorRequest, { F, sec, combos }: ChannelPlan, u: Tensor, d1: Tensor, d2: Tensor): TaylorResult {
  const first = new Map((request.first ?? []).map((i) => [i, d1.select(1, F.indexOf(i))] as const));
  const second = new Map(sec.map(([i, j], k) => [`${i},${j}`, d2.select(1, k)] as const));
  return { u, first, second, combined: combos.map((_, k) => d2.select(1, sec.length + k)), third: new Map() };
}

/** The model's MLP and its fused activation when the whole-network kernel applies to x (CPU, tanh or sin, no embedding, two layers or more). */
function networkKernel(model: TaylorModel, x: Tensor): { mlp: MLP; act: JetActivation } | null {
  if (model instanceof Embedded || !useNetwork || model.layers.length < 2) return null;
  const act = fusedActivation(model, x);
  return act ? { mlp: model, act } : null;
}

/**
 * taylor() at several point sets at once (xs [Nₖ, d], one request each): where the whole-network
 * kernel applies, every set goes through the network in one call (native/jet_network.cc), which
 * saves a small set (a boundary's, an initial condition's) the fixed cost of a pass of its own;
 * otherwise each set is taken alone. The same values either way, to rounding.
 */
export function taylorSets(model: TaylorModel, xs: readonly Tensor[], requests: readonly TaylorRequest[]): TaylorResult[] {
  if (xs.length !== requests.length) throw new Error(`taylorSets: ${xs.length} point sets but ${requests.length} requests`);
  const kernel = xs.length > 1 && supportsTaylor(model) ? networkKernel(model, xs[0]) : null;
  const d = kernel?.mlp.sizes[0];
  const together = kernel && requests.every((r) => !r.third?.length)
    && xs.every((x) => x.ndim === 2 && x.shape[1] === d && x.dtype === xs[0].dtype && x.device === xs[0].device);
  if (!kernel || !together) return xs.map((x, k) => taylor(model, x, requests[k]));
  const plans = requests.map((r) => channelPlan(r, d!));
  const layers = kernel.mlp.layers.map((_, l) => kernel.mlp.effectiveLinear(l));
  const { u, sets } = jetNetworkSets(kernel.act, cat([...xs], 0), layers, plans.map((p, k) => ({
    rows: xs[k].shape[0], first: p.F, channels: p.channels, firstOut: (requests[k].first?.length ?? 0) > 0,
  })));
  let start = 0;
  return plans.map((p, k) => {
    const n = xs[k].shape[0];
    const r = networkResult(requests[k], p, u.narrow(0, start, n), ...sets[k]);
    start += n;
    return r;
  });
}

/**
 * The model's output at x [N, d] and the requested input derivatives, by forward propagation.
 * Call inside tidy(); x may require grad (the results then depend on it, so reverse-mode
 * derivatives of them still work, e.g. for a third order).
 */
export function taylor(model: TaylorModel, x: Tensor, request: TaylorRequest = {}): TaylorResult {
  if (!supportsTaylor(model)) {
    throw new Error('taylor: needs a plain MLP with a tanh, sin, sigmoid, softplus or silu activation, alone or behind a PeriodicEmbedding or FourierFeatures (nn.Embedded)');
  }
  const embedding = model instanceof Embedded ? model.embedding as PeriodicEmbedding | FourierFeatures : null;
  const mlp = model instanceof Embedded ? model.net as MLP : model;
  const act = activationOf(mlp)!;
  const d = embedding ? embeddingInputs(embedding) : mlp.sizes[0];
  if (x.ndim !== 2 || x.shape[1] !== d) throw new Error(`taylor: input must be [N, ${d}], got [${x.shape.join(', ')}]`);
  const plan = channelPlan(request, d);
  const { F, sec, combos, channels, T3 } = plan;
  const pos = (i: number) => F.indexOf(i);
  const terms = channels.flatMap(channelTerms);
  const I = terms.map(([, i]) => i), J = terms.map(([, , j]) => j);
  const C2 = channels.length;

  // Per-term quantities [.., T, ..] become per-channel ones [.., C2, ..] by this [C2, T] matrix
  // of coefficients (identity, and skipped, when there are no combinations), made once per call.
  let coefficients: Tensor | null = null;
  const combine = (t: Tensor): Tensor => {
    if (!combos.length) return t;
    if (!coefficients) {
      const rows = channels.map(() => new Array<number>(terms.length).fill(0));
      let m = 0;
      channels.forEach((ch, p) => { for (const [c] of channelTerms(ch)) rows[p][m++] = c; });
      coefficients = tensor(rows, { dtype: t.dtype, device: t.device });
    }
    const matrix = coefficients;
    return consume(t, (t) => matrix.matmul(t));
  };
  // Each third channel's ∂ᵢ and ∂ᵢᵢ channels, by position in the first and second stacks.
  const third1 = T3.map(pos), third2 = T3.map((i) => sec.findIndex(([p, q]) => p === i && q === i));
  const last = mlp.layers.length - 1;
  const layers = mlp.layers.map((_, l) => mlp.effectiveLinear(l)); // [weight, bias], scales folded in
  const fused = fusedActivation(mlp, x);
  const kernel = networkKernel(model, x);
  if (kernel && !T3.length) {
    // The whole network in one native node (native/jet_network.cc): the same formulas as below.
    const [u, d1, d2] = jetNetwork(kernel.act, x, layers, F, channels, (request.first?.length ?? 0) > 0);
    return networkResult(request, plan, u, d1, d2);
  }
  // Channels [N, C, H]: first derivatives d1, second ones d2 and pure third ones d3 (null: not
  // asked, or zero).
  let d1: Tensor | null = null, d2: Tensor | null = null, d3: Tensor | null = null;
  let z: Tensor;
  if (embedding) {
    const jet = embeddingJet(embedding, x, F, terms.map(([, i, j]) => [F[i], F[j]]), T3);
    z = consume(jet.value, (e) => linear(e, ...layers[0]));
    if (jet.first) d1 = consume(jet.first, (e) => linear(e, layers[0][0]));
    if (jet.second) d2 = consume(combine(jet.second), (e) => linear(e, layers[0][0]));
    if (jet.third) d3 = consume(jet.third, (e) => linear(e, layers[0][0]));
  } else z = linear(x, ...layers[0]);
  const thirdOf = T3.length ? THIRD.get(mlp.act.constructor)!(mlp.act) : null;
  const [n] = z.shape;
  if (last === 0 && !embedding) {
    // One linear layer: ∂ᵢu is column i of W, the same at every point; second derivatives vanish.
    if (F.length) d1 = pick(layers[0][0].t().unsqueeze(0), F).expand(n, F.length, z.shape[1]);
  }
  // The output layer maps the first-derivative channels only when they are asked for (a
  // residual of second derivatives alone needs them up to the last hidden layer, not after).
  const keepFirst = (l: number) => l < last || (request.first?.length ?? 0) > 0;
  // Intermediates are released as soon as they are consumed (autograd keeps what backward
  // needs): freed buffers are reused while still in cache, which is much of the speed here.
  for (let l = 1; l <= last; l++) {
    const [weight, bias] = layers[l];
    let a: Tensor;
    if (!F.length) {
      a = mlp.act.forward(z); // no derivative asked: the value alone
    } else if (l === 1 && !embedding) {
      // ∂ᵢz₁ = wᵢ and ∂ᵢⱼz₁ = 0: fold the first layer's weights into the second's.
      let s1: Tensor, s2: Tensor | null;
      if (fused) [a, s1, s2] = activationDerivs(fused, z);
      else ({ a, s1, s2 } = act(z, C2 > 0));
      const w = layers[0][0].t().unsqueeze(0); // [1, d, H₁]
      const wi = (idx: number[]) => pick(w, idx).squeeze(0); // [|idx|, H₁]
      d1 = keepFirst(l) ? fromFirstLayer(s1, weight, wi(F)) : null;
      if (C2) d2 = fromFirstLayer(s2!, weight, combine(wi(I.map((k) => F[k])).mul(wi(J.map((k) => F[k])))));
      if (T3.length) d3 = fromFirstLayer(thirdOf!(z, a, s1), weight, wi(T3).pow(3)); // ∂ᵢᵢᵢa₁ = σ''' wᵢ³
      s1.dispose(); s2?.dispose();
    } else if (fused) {
      d1 = d1!;
      // ∂ᵢa = σ' ∂ᵢz,  ∂ᵢⱼa = σ' ∂ᵢⱼz + σ'' ∂ᵢz ∂ⱼz, in one native pass (and one back)
      const none = () => d1!.narrow(1, 0, 0);
      if (T3.length) d3 = consume(consume(d3!, (c3) => activationThird(fused, z, d1!, d2!, c3, third1, third2)), (e) => linear(e, weight));
      const [av, e1, e2] = activationJet(fused, z, d1, d2 ?? none(), channels);
      a = av;
      d1.dispose(); d2?.dispose();
      d1 = keepFirst(l) ? consume(e1, (e) => linear(e, weight)) : (e1.dispose(), null);
      d2 = C2 ? consume(e2, (e) => linear(e, weight)) : (e2.dispose(), null);
    } else {
      d1 = d1!;
      const r = act(z, C2 > 0);
      a = r.a;
      const g1 = r.s1.unsqueeze(1), g2 = r.s2?.unsqueeze(1);
      if (T3.length) {
        // ∂ᵢᵢᵢa = σ''' p³ + 3σ'' p q + σ' ∂ᵢᵢᵢz with p = ∂ᵢz, q = ∂ᵢᵢz: the fused kernel's formula as tensor ops
        const p = pick(d1, third1), g3 = thirdOf!(z, a, r.s1).unsqueeze(1);
        const e3 = g3.mul(p.pow(3)).add(g2!.mul(p).mul(pick(d2!, third2)).mul(3)).add(consume(d3!, (c3) => g1.mul(c3)));
        d3 = consume(e3, (e) => linear(e, weight));
      }
      if (C2) {
        const prod = combine(consume(pick(d1, I), (p) => consume(pick(d1!, J), (q) => p.mul(q), d1!), d1));
        d2 = update(g1, d2!, g2!, prod);
      }
      d1 = keepFirst(l) ? consume(consume(d1, (d) => g1.mul(d)), (d) => linear(d, weight)) : (d1.dispose(), null);
      if (d2) d2 = consume(d2, (d) => linear(d, weight));
      g1.dispose(); g2?.dispose(); r.s1.dispose(); r.s2?.dispose();
    }
    z.dispose();
    z = consume(a, (a) => linear(a, weight, bias));
  }
  const out = z.shape[1];
  const first = new Map<number, Tensor>();
  for (const i of request.first ?? []) first.set(i, d1!.select(1, pos(i)));
  const second = new Map<string, Tensor>();
  const zero = () => zeros([n, out], { dtype: z.dtype, device: z.device });
  const channel = (k: number) => (d2 ? d2.select(1, k) : zero());
  sec.forEach(([i, j], k) => second.set(`${i},${j}`, channel(k)));
  const third = new Map(T3.map((i, k) => [i, d3 ? d3.select(1, k) : zero()] as const));
  return { u: z, first, second, combined: combos.map((_, k) => channel(sec.length + k)), third };
}

/** The fused native kernel's name for this model's activation, when it applies (CPU, tanh or sin). */
function fusedActivation(model: MLP, x: Tensor): JetActivation | null {
  if (x.device !== 'cpu' || !useFused) return null;
  if (model.act instanceof Tanh) return 'tanh';
  if (model.act instanceof Sin) return 'sin';
  return null;
}

let useFused = true, useNetwork = true;
/**
 * Turns the fused native kernels off (to compare against the composite path; tests, bench).
 * `{ network: false }` keeps the per-layer kernels but composes the network from them.
 */
export function setFusedKernels(on: boolean, { network = on }: { network?: boolean } = {}): void { useFused = on; useNetwork = network; }

// Forward-mode ("Taylor-mode") derivatives of a plain MLP: the value and the requested first
// and second input derivatives are pushed forward through the network together, instead of
// being pulled back by nested reverse passes. Per layer, with ∂ᵢ = ∂/∂xᵢ:
//   z = W a + b        ∂ᵢz = W ∂ᵢa          ∂ᵢⱼz = W ∂ᵢⱼa           (no bias on derivatives)
//   a = σ(z)           ∂ᵢa = σ'(z) ∂ᵢz      ∂ᵢⱼa = σ''(z) ∂ᵢz ∂ⱼz + σ'(z) ∂ᵢⱼz
// At the input ∂ᵢx = eᵢ and ∂ᵢⱼx = 0, so the first layer's ∂ᵢz is column i of W (one row,
// broadcast over the points) and its ∂ᵢⱼz is zero. Everything is ordinary differentiable
// tensor ops, so one ordinary backward pass gives the weight gradients of any loss built
// from the results.
//
// Channels are kept in three stacks, each [channels, N, H]: first derivatives, pure second
// derivatives ∂ᵢᵢ and mixed ones ∂ᵢⱼ (i < j). Each stack goes through a layer as one matmul
// (channels folded into rows); keeping them apart (rather than one [C·N, H] stack with the
// value) spares the concatenations that rebuilding a single stack would cost every layer.
import { SiLU, Sigmoid, Sin, Softplus, Tanh } from '../nn/activation.js';
import { linear } from '../functional.js';
import { tensor, zeros } from '../creation.js';
import { isComplex, isFloating } from '../dtype.js';
import { Linear } from '../nn/linear.js';
import { MLP } from '../nn/mlp.js';
import { type Module } from '../nn/module.js';
import { Tensor } from '../tensor.js';

/** σ(z), σ'(z) and (when asked) σ''(z), with as few elementwise ops as each allows. */
type Activation = (z: Tensor, second: boolean) => { a: Tensor; s1: Tensor; s2: Tensor | null };

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

function activationOf(model: MLP): Activation | null {
  const make = ACTIVATIONS.get(model.act.constructor);
  return make ? make(model.act) : null;
}

/**
 * True for a plain MLP (this library's class, not a subclass) whose activation the engine
 * knows (tanh, sin, sigmoid, softplus, silu) and whose parameters are real floating point.
 */
export function supportsTaylor(model: Module): model is MLP {
  if (!(model instanceof MLP) || model.constructor !== MLP || !activationOf(model)) return false;
  return model.layers.every((l) => l.constructor === Linear && isFloating(l.weight.dtype) && !isComplex(l.weight.dtype));
}

export interface TaylorRequest {
  /** Input indices i of the first derivatives ∂u/∂xᵢ wanted. */
  first?: number[];
  /** Index pairs (i, j) of the second derivatives ∂²u/∂xᵢ∂xⱼ wanted (order does not matter). */
  second?: [number, number][];
}

export interface TaylorResult {
  /** Network output [N, out]. */
  u: Tensor;
  /** ∂u/∂xᵢ [N, out] by input index i. */
  first: Map<number, Tensor>;
  /** ∂²u/∂xᵢ∂xⱼ [N, out] by `${i},${j}` with i ≤ j. */
  second: Map<string, Tensor>;
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

/**
 * The MLP's output at x [N, d] and the requested input derivatives, by forward propagation.
 * Call inside tidy(); x may require grad (the results then depend on it, so reverse-mode
 * derivatives of them still work, e.g. for a third order).
 */
export function taylor(model: MLP, x: Tensor, request: TaylorRequest = {}): TaylorResult {
  const act = activationOf(model);
  if (!act || !supportsTaylor(model)) throw new Error('taylor: needs a plain MLP with a tanh, sin, sigmoid, softplus or silu activation');
  const d = model.sizes[0];
  if (x.ndim !== 2 || x.shape[1] !== d) throw new Error(`taylor: input must be [N, ${d}], got [${x.shape.join(', ')}]`);
  const checkIndex = (i: number) => {
    if (!Number.isInteger(i) || i < 0 || i >= d) throw new RangeError(`taylor: input index ${i} is out of range for ${d} inputs`);
    return i;
  };
  // Unique pairs (i ≤ j), split into pure (i = j) and mixed (i < j); the first-derivative
  // channels every one of them needs.
  const pairs = new Map<string, [number, number]>();
  for (const [p, q] of request.second ?? []) {
    const i = Math.min(checkIndex(p), checkIndex(q)), j = Math.max(p, q);
    pairs.set(`${i},${j}`, [i, j]);
  }
  const pure = [...pairs.values()].filter(([i, j]) => i === j).map(([i]) => i);
  const mixed = [...pairs.values()].filter(([i, j]) => i !== j);
  const F = [...new Set([...(request.first ?? []).map(checkIndex), ...pure, ...mixed.flat()])].sort((a, b) => a - b);
  const pos = (i: number) => F.indexOf(i);
  const P = pure.map(pos), A = mixed.map(([i]) => pos(i)), B = mixed.map(([, j]) => pos(j));

  const layers = model.layers, last = layers.length - 1;
  let z: Tensor = linear(x, layers[0].weight, layers[0].bias);
  const [n] = z.shape;
  // Channels [N, C, H]: first derivatives, pure and mixed second ones (null: not asked or zero).
  let d1: Tensor | null = null, d2: Tensor | null = null, dm: Tensor | null = null;
  const second = pairs.size > 0;
  if (last === 0) {
    // One linear layer: ∂ᵢu is column i of W, the same at every point; second derivatives vanish.
    if (F.length) d1 = pick(layers[0].weight.t().unsqueeze(0), F).expand(n, F.length, z.shape[1]);
  }
  // Intermediates are released as soon as they are consumed (autograd keeps what backward
  // needs): freed buffers are reused while still in cache, which is much of the speed here.
  for (let l = 1; l <= last; l++) {
    const { a, s1, s2 } = act(z, second);
    z.dispose();
    const { weight, bias } = layers[l];
    if (l === 1) {
      // ∂ᵢz₁ = wᵢ and ∂ᵢⱼz₁ = 0: fold the first layer's weights into the second's.
      const w = layers[0].weight.t().unsqueeze(0); // [1, d, H₁]
      const wi = (idx: number[]) => pick(w, idx).squeeze(0); // [|idx|, H₁]
      if (F.length) d1 = fromFirstLayer(s1, weight, wi(F));
      if (P.length) d2 = fromFirstLayer(s2!, weight, wi(P.map((k) => F[k])).square());
      if (A.length) dm = fromFirstLayer(s2!, weight, wi(A.map((k) => F[k])).mul(wi(B.map((k) => F[k]))));
    } else {
      // ∂ᵢa = σ' ∂ᵢz,  ∂ᵢⱼa = σ' ∂ᵢⱼz + σ'' ∂ᵢz ∂ⱼz
      const g1 = s1.unsqueeze(1), g2 = s2?.unsqueeze(1);
      if (P.length) d2 = update(g1, d2!, g2!, consume(pick(d1!, P), (p) => p.square(), d1!));
      if (A.length) {
        const pa = pick(d1!, A);
        dm = update(g1, dm!, g2!, consume(pa, (p) => consume(pick(d1!, B), (q) => p.mul(q), d1!), d1!));
      }
      if (d1) d1 = consume(consume(d1, (d) => g1.mul(d)), (d) => linear(d, weight));
      g1.dispose(); g2?.dispose();
      if (d2) d2 = consume(d2, (d) => linear(d, weight));
      if (dm) dm = consume(dm, (d) => linear(d, weight));
    }
    s1.dispose(); s2?.dispose();
    z = consume(a, (a) => linear(a, weight, bias));
  }
  const out = z.shape[1];
  const zero = () => zeros([n, out], { dtype: z.dtype, device: z.device });
  const first = new Map<number, Tensor>();
  for (const i of request.first ?? []) first.set(i, d1!.select(1, pos(i)));
  const secondOut = new Map<string, Tensor>();
  pure.forEach((i, k) => secondOut.set(`${i},${i}`, d2 ? d2.select(1, k) : zero()));
  mixed.forEach(([i, j], k) => secondOut.set(`${i},${j}`, dm ? dm.select(1, k) : zero()));
  return { u: z, first, second: secondOut };
}

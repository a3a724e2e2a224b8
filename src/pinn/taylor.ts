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

const ACTIVATIONS = new Map<Function, (m: Module) => Activation>([
  [Tanh, () => (z, second) => {
    const a = z.tanh();
    const s1 = a.square().rsub(1); // 1 − t²
    return { a, s1, s2: second ? a.mul(-2).mul(s1) : null }; // −2t(1 − t²)
  }],
  [Sin, () => (z, second) => {
    const a = z.sin();
    return { a, s1: z.cos(), s2: second ? a.neg() : null };
  }],
  [Sigmoid, () => (z, second) => {
    const a = z.sigmoid();
    const s1 = a.mul(a.rsub(1)); // σ(1 − σ)
    return { a, s1, s2: second ? s1.mul(a.mul(-2).add(1)) : null }; // σ(1 − σ)(1 − 2σ)
  }],
  [Softplus, (m) => {
    const beta = (m as Softplus).beta;
    return (z, second) => {
      const s1 = z.mul(beta).sigmoid(); // σ(βz)
      return { a: z.softplus(beta), s1, s2: second ? s1.mul(s1.rsub(1)).mul(beta) : null };
    };
  }],
  [SiLU, () => (z, second) => {
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

/** Rows `idx` of t along dim 0: a view when they are consecutive, else one index_select. */
function pick(t: Tensor, idx: number[]): Tensor {
  if (idx.every((v, k) => v === idx[0] + k)) return idx.length === t.shape[0] ? t : t.narrow(0, idx[0], idx.length);
  return t.indexSelect(0, tensor(idx, { dtype: 'int64', device: t.device }));
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

  const last = model.layers.length - 1;
  let z: Tensor = linear(x, model.layers[0].weight, model.layers[0].bias);
  // ∂ᵢz of the first layer: column i of W as a row [1, H] per channel (broadcast over N).
  let d1: Tensor | null = F.length ? pick(model.layers[0].weight.t(), F).unsqueeze(1) : null;
  let d2: Tensor | null = null; // pure second derivatives [|P|, N, H]; null = zero
  let dm: Tensor | null = null; // mixed second derivatives [|A|, N, H]; null = zero
  for (let l = 1; l <= last; l++) {
    const { a, s1, s2 } = act(z, pairs.size > 0);
    if (P.length) {
      const t = s2!.mul(pick(d1!, P).square());
      d2 = d2 ? s1.mul(d2).add(t) : t;
    }
    if (A.length) {
      const t = s2!.mul(pick(d1!, A).mul(pick(d1!, B)));
      dm = dm ? s1.mul(dm).add(t) : t;
    }
    if (d1) d1 = s1.mul(d1);
    const { weight, bias } = model.layers[l];
    z = linear(a, weight, bias);
    if (d1) d1 = linear(d1, weight);
    if (d2) d2 = linear(d2, weight);
    if (dm) dm = linear(dm, weight);
  }
  const [n, out] = z.shape;
  // A single linear layer: first derivatives are the (constant) weight rows, second ones zero.
  const full = (t: Tensor) => (t.shape[0] === n ? t : t.expand(n, out));
  const zero = () => zeros([n, out], { dtype: z.dtype, device: z.device });
  const first = new Map<number, Tensor>();
  for (const i of request.first ?? []) first.set(i, full(d1!.select(0, pos(i))));
  const second = new Map<string, Tensor>();
  pure.forEach((i, k) => second.set(`${i},${i}`, d2 ? d2.select(0, k) : zero()));
  mixed.forEach(([i, j], k) => second.set(`${i},${j}`, dm ? dm.select(0, k) : zero()));
  return { u: z, first, second };
}

// The exact jets of the input embeddings, the input of the forward-mode engine (taylor.ts) for
// Embedded(embedding, MLP): PeriodicEmbedding and FourierFeatures.
//
// PeriodicEmbedding. An input xₖ with period P (ω = 2π/P) becomes
// [cos ωxₖ, sin ωxₖ], whose derivatives are closed forms:
//   ∂ₖ  → [−ω sin ωxₖ,  ω cos ωxₖ]      ∂ₖₖ → [−ω² cos ωxₖ, −ω² sin ωxₖ]
//   ∂ₖₖₖ → [ω³ sin ωxₖ, −ω³ cos ωxₖ]
// and zero for every other input (a mixed pair (k, j ≠ k) included); an input without a period
// passes through: ∂ₖ → 1, every higher derivative 0. Each channel is one row of the embedding's
// output per point, so the MLP's first layer takes them as it takes the value (no bias).
import { cat, stack } from '../functional.js';
import { tensor } from '../creation.js';
import { ones, zeros } from '../creation.js';
import { FourierFeatures, type PeriodicEmbedding } from '../nn/embeddings.js';
import { type Tensor } from '../tensor.js';

export interface InputJet {
  /** The embedding at x [N, E]. */
  value: Tensor;
  /** ∂ᵢ of it, one channel per input index of `first` [N, |first|, E]; null when none is asked. */
  first: Tensor | null;
  /** ∂ᵢⱼ of it, one channel per pair of `second` [N, |second|, E]; null when no pair is asked. */
  second: Tensor | null;
  /** ∂ᵢᵢᵢ of it, one channel per input index of `third` [N, |third|, E]; null when none is asked. */
  third: Tensor | null;
}

/**
 * The embedding's value at x [N, d] and its derivatives for the input indices `first`, the
 * pairs `second` (each [i, j] in input indices) and the pure third orders `third` (input
 * indices), as ordinary differentiable tensor ops. Call inside tidy().
 */
export function periodicEmbeddingJet(embedding: PeriodicEmbedding, x: Tensor, first: number[], second: [number, number][], third: number[] = []): InputJet {
  const n = x.shape[0], opts = { dtype: x.dtype, device: x.device };
  const none = (w: number) => zeros([n, w], opts);
  const pure = second.some(([i, j]) => i === j);
  const value: Tensor[] = [];
  // Per input k: its columns of the value, of ∂ₖ, ∂ₖₖ and ∂ₖₖₖ (width 1 or 2 each), the
  // derivatives only when some channel needs them (most point sets ask for the value alone).
  const d1: Tensor[] = [], d2: Tensor[] = [], d3: Tensor[] = [];
  embedding.periods.forEach((p, k) => {
    const xk = x.narrow(1, k, 1);
    if (p === null) {
      value.push(xk);
      if (first.length) d1.push(ones([n, 1], opts));
      if (pure) d2.push(none(1));
      if (third.length) d3.push(none(1));
      return;
    }
    const w = (2 * Math.PI) / p, theta = xk.mul(w);
    const c = theta.cos(), s = theta.sin();
    value.push(c, s);
    if (first.length) d1.push(cat([s.mul(-w), c.mul(w)], 1));
    if (pure) d2.push(cat([c.mul(-w * w), s.mul(-w * w)], 1));
    if (third.length) d3.push(cat([s.mul(w ** 3), c.mul(-(w ** 3))], 1));
  });
  const width = (k: number) => (embedding.periods[k] === null ? 1 : 2);
  // Channel for input i (or pair (i, j)): input i's columns from `own`, zeros elsewhere.
  const channel = (i: number, own: Tensor[]) => cat(embedding.periods.map((_, k) => (k === i ? own[k] : none(width(k)))), 1);
  return {
    value: cat(value, 1),
    first: first.length ? stack(first.map((i) => channel(i, d1)), 1) : null,
    second: second.length ? stack(second.map(([i, j]) => (i === j ? channel(i, d2) : none(embedding.outFeatures))), 1) : null,
    third: third.length ? stack(third.map((i) => channel(i, d3)), 1) : null,
  };
}

// FourierFeatures, γ(x) = [cos p, sin p] with p = x A, A = 2πB [d, m]: every input moves every
// feature, ∂ₖp = Aₖ (row k of A, the same at every point), so
//   ∂ₖγ  = [−sin p ⊙ Aₖ,        cos p ⊙ Aₖ]
//   ∂ₖⱼγ = [−cos p ⊙ Aₖ ⊙ Aⱼ,  −sin p ⊙ Aₖ ⊙ Aⱼ]      (mixed pairs included)
//   ∂ₖₖₖγ = [sin p ⊙ Aₖ³,       −cos p ⊙ Aₖ³].
/** The Fourier features at x [N, d] and their derivatives (as periodicEmbeddingJet). Call inside tidy(). */
export function fourierFeaturesJet(features: FourierFeatures, x: Tensor, first: number[], second: [number, number][], third: number[] = []): InputJet {
  const A = features.B.mul(2 * Math.PI);
  const p = x.matmul(A);
  const c = p.cos(), s = p.sin();
  const rows = (idx: number[]) => A.indexSelect(0, tensor(idx, { dtype: 'int64', device: A.device })).unsqueeze(0); // [1, |idx|, m]
  const d1 = first.length ? rows(first) : null;
  const d2 = second.length ? rows(second.map(([i]) => i)).mul(rows(second.map(([, j]) => j))) : null;
  const d3 = third.length ? rows(third).pow(3) : null;
  const cs = c.unsqueeze(1), ss = s.unsqueeze(1);
  return {
    value: cat([c, s], 1),
    first: d1 && cat([ss.mul(d1).neg(), cs.mul(d1)], 2),
    second: d2 && cat([cs.mul(d2).neg(), ss.mul(d2).neg()], 2),
    third: d3 && cat([ss.mul(d3), cs.mul(d3).neg()], 2),
  };
}

/** The jet of an embedding the engine knows (taylor.ts's supportsTaylor says which). */
export function embeddingJet(embedding: PeriodicEmbedding | FourierFeatures, x: Tensor, first: number[], second: [number, number][], third: number[] = []): InputJet {
  return embedding instanceof FourierFeatures ? fourierFeaturesJet(embedding, x, first, second, third) : periodicEmbeddingJet(embedding, x, first, second, third);
}

/** How many inputs the embedding takes. */
export function embeddingInputs(embedding: PeriodicEmbedding | FourierFeatures): number {
  return embedding instanceof FourierFeatures ? embedding.inFeatures : embedding.periods.length;
}

// Input embeddings that help PINNs with multi-scale and periodic solutions.
import { checkNonNegativeInt, checkPositive, isFiniteNumber, need } from '../checks.js';
import { cat } from '../functional.js';
import { empty } from '../creation.js';
import { type DType, type Device } from '../dtype.js';
import { Tensor, alive } from '../tensor.js';
import { normal_ } from './init.js';
import { withSeed } from './mlp.js';
import { Module, checkFeatures, parameterOptions } from './module.js';

/**
 * Random Fourier features (Tancik et al. 2020): γ(x) = [cos(2π x B), sin(2π x B)],
 * B ∈ ℝ^{in×m} with entries N(0, scale²), fixed (a buffer, not trained). Output width 2m.
 */
export class FourierFeatures extends Module {
  readonly B: Tensor;
  constructor(readonly inFeatures: number, readonly numFeatures: number,
    options?: { scale?: number; seed?: number; dtype?: DType; device?: Device | string }) {
    super();
    const op = 'FourierFeatures', { scale = 1, seed, dtype, device } = parameterOptions(op, options, ['scale', 'seed']);
    checkFeatures(op, { inFeatures, numFeatures });
    checkPositive(op, 'scale', scale);
    if (seed !== undefined) checkNonNegativeInt(op, 'seed', seed);
    this.B = this.registerBuffer('B', withSeed(seed, () => normal_(empty([inFeatures, numFeatures], { dtype, device }), 0, scale)));
  }
  get outFeatures(): number { return 2 * this.numFeatures; }
  forward(x: Tensor): Tensor {
    const proj = x.matmul(this.B).mul(2 * Math.PI);
    return cat([proj.cos(), proj.sin()], -1);
  }
}

/**
 * Exact periodicity (Dong & Ni 2021): each input dim i with a period Pᵢ becomes
 * [cos(2π xᵢ/Pᵢ), sin(2π xᵢ/Pᵢ)]; dims without a period (null) pass through unchanged.
 */
export class PeriodicEmbedding extends Module {
  constructor(readonly periods: (number | null)[]) {
    super();
    need(Array.isArray(periods) && periods.length > 0, 'PeriodicEmbedding', 'periods', 'a non-empty array', periods);
    periods.forEach((p, i) => need(p === null || (isFiniteNumber(p) && p > 0), 'PeriodicEmbedding', `periods[${i}]`, 'a positive number or null', p));
  }
  get outFeatures(): number { return this.periods.reduce<number>((n, p) => n + (p === null ? 1 : 2), 0); }
  forward(x: Tensor): Tensor {
    alive(x, 'PeriodicEmbedding.forward', 'x');
    need(x.ndim >= 1 && x.shape[x.ndim - 1] === this.periods.length, 'PeriodicEmbedding.forward', 'x', `of ${this.periods.length} features in its last dim (one per period)`, x.shape);
    const parts: Tensor[] = [];
    this.periods.forEach((p, i) => {
      const xi = x.narrow(-1, i, 1);
      if (p === null) parts.push(xi);
      else { const w = xi.mul((2 * Math.PI) / p); parts.push(w.cos(), w.sin()); }
    });
    return cat(parts, -1);
  }
}

/** An embedding followed by a network: forward(x) = net(embedding(x)). */
export class Embedded extends Module {
  constructor(readonly embedding: Module, readonly net: Module) {
    super();
    this.registerModule('embedding', embedding);
    this.registerModule('net', net);
  }
  forward(x: Tensor): Tensor { return this.net.forward(this.embedding.forward(x)); }
}


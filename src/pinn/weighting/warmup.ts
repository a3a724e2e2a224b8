import { type LossWeighting, type WeightingContext, type Weights, checkEvery, checkState } from './base.js';

/**
 * The elastography seed's PDE warm-up: for the listed terms, w = 0 for the first `warmup`
 * steps, then w = init · factor^⌊(step − warmup)/every⌋, capped at `max`; other terms keep
 * their static weight.
 */
export class WarmupWeighting implements LossWeighting {
  readonly name = 'warmup';
  constructor(readonly o: { terms: string[]; warmup: number; init: number; factor?: number; every?: number; max?: number }) {
    if (!o || !Array.isArray(o.terms) || o.terms.length === 0) throw new TypeError('WarmupWeighting: terms must list the terms to warm up');
    if (!(Number.isInteger(o.warmup) && o.warmup >= 0)) throw new RangeError(`WarmupWeighting: warmup must be a non-negative integer, got ${o.warmup}`);
    if (!(o.init >= 0)) throw new RangeError(`WarmupWeighting: init must be ≥ 0, got ${o.init}`);
    if (o.factor !== undefined && !(o.factor > 0)) throw new RangeError(`WarmupWeighting: factor must be > 0, got ${o.factor}`);
    if (o.max !== undefined && !(o.max >= 0)) throw new RangeError(`WarmupWeighting: max must be ≥ 0, got ${o.max}`);
    checkEvery('WarmupWeighting', o.every);
  }
  weightAt(step: number): number {
    const { warmup, init, factor = 1, every = 1, max = Infinity } = this.o;
    if (step < warmup) return 0;
    return Math.min(init * factor ** Math.floor((step - warmup) / every), max);
  }
  weights(ctx: WeightingContext): Weights {
    const w = { ...ctx.base };
    for (const t of this.o.terms) w[t] = this.weightAt(ctx.step);
    return w;
  }
  stateDict() { return {}; }
  loadStateDict(s: Record<string, unknown>) { checkState('WarmupWeighting', s, []); }
}

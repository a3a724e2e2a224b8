import { checkNames, checkNonNegative, checkNonNegativeInt, checkOptions, checkPositive, checkRange } from '../../checks.js';
import { type LossWeighting, type WeightingContext, type Weights, checkEvery, checkState } from './base.js';

/**
 * The elastography seed's PDE warm-up: for the listed terms, w = 0 for the first `warmup`
 * steps, then w = init · factor^⌊(step − warmup)/every⌋, capped at `max`; other terms keep
 * their static weight.
 */
export class WarmupWeighting implements LossWeighting {
  readonly name = 'warmup';
  constructor(readonly o: { terms: string[]; warmup: number; init: number; factor?: number; every?: number; max?: number }) {
    const op = 'WarmupWeighting', c = checkOptions(op, o, ['terms', 'warmup', 'init', 'factor', 'every', 'max']);
    checkNames(op, 'terms', c.terms);
    checkNonNegativeInt(op, 'warmup', c.warmup);
    checkNonNegative(op, 'init', c.init);
    if (c.factor !== undefined) checkPositive(op, 'factor', c.factor);
    if (c.max !== undefined) checkRange(op, 'max', c.max, 0, Infinity);
    checkEvery(op, c.every);
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

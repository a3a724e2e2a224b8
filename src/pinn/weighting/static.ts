import { type LossWeighting, type WeightingContext, type Weights, checkState } from './base.js';

/** Fixed weights: the conditions' own, with the given ones instead where named. */
export class StaticWeighting implements LossWeighting {
  readonly name = 'static';
  private readonly fixed: Weights;
  constructor(weights: Weights = {}) {
    if (weights === null || typeof weights !== 'object' || Array.isArray(weights)) throw new TypeError('StaticWeighting: weights must be an object { term: weight }');
    for (const [k, w] of Object.entries(weights)) {
      if (!(typeof w === 'number' && Number.isFinite(w) && w >= 0)) throw new RangeError(`StaticWeighting: the weight of '${k}' must be a finite number ≥ 0, got ${String(w)}`);
    }
    this.fixed = { ...weights };
  }
  weights(ctx: WeightingContext): Weights {
    for (const k of Object.keys(this.fixed)) {
      if (!(k in ctx.base)) throw new Error(`StaticWeighting: no loss term named '${k}' (terms: ${Object.keys(ctx.base).join(', ')})`);
    }
    return { ...ctx.base, ...this.fixed };
  }
  stateDict() { return {}; }
  loadStateDict(s: Record<string, unknown>) { checkState('StaticWeighting', s, []); }
}

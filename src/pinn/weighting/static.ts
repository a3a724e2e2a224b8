import { checkNonNegative, checkOptions } from '../../checks.js';
import { type LossWeighting, type WeightingContext, type Weights, checkState } from './base.js';

/** Fixed weights: the conditions' own, with the given ones instead where named. */
export class StaticWeighting implements LossWeighting {
  readonly name = 'static';
  private readonly fixed: Weights;
  constructor(weights: Weights = {}) {
    checkOptions('StaticWeighting', weights, undefined, 'weights');
    for (const [k, w] of Object.entries(weights)) checkNonNegative('StaticWeighting', `weights.${k}`, w);
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

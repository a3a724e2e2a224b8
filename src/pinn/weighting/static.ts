import { checkNonNegative, checkOptions } from '../../checks.js';
import { type LossWeighting, type WeightingContext, type Weights, checkState, checkTermNames } from './base.js';

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
    checkTermNames('StaticWeighting', Object.keys(this.fixed), ctx.base);
    return { ...ctx.base, ...this.fixed };
  }
  stateDict() { return {}; }
  loadStateDict(s: Record<string, unknown>) { checkState('StaticWeighting', s, []); }
}

import { type SchedulerStateDict, need, options, opt, show } from './checks.js';
import { LRScheduler, type OptimizerLike, checkOptimizer } from './lr_scheduler.js';

/** A multiplier of initialLr, given the epoch (0, 1, 2, …). */
export type LrLambda = (epoch: number) => number;

export interface LambdaLROptions {
  /** -1 (default) starts afresh; otherwise resumes after that epoch. */
  lastEpoch?: number;
}

/**
 * Sets each group's lr to initialLr · λ(epoch): one λ for all groups, or one per group.
 * Not chainable (PyTorch's get_lr is this closed form too). The λs are code, so stateDict()
 * holds `lrLambdas: [null, …]` in their place, as PyTorch's holds None.
 */
export class LambdaLR extends LRScheduler {
  readonly lrLambdas: LrLambda[];

  constructor(optimizer: OptimizerLike, lrLambda: LrLambda | LrLambda[], lambdaLROptions: LambdaLROptions = {}) {
    const o = options('LambdaLR', lambdaLROptions, ['lastEpoch']);
    const n = checkOptimizer('LambdaLR', optimizer).paramGroups.length;
    const list = Array.isArray(lrLambda) ? [...lrLambda] : new Array<LrLambda>(n).fill(lrLambda);
    if (Array.isArray(lrLambda) && lrLambda.length !== n) {
      throw new RangeError(`LambdaLR: expected ${n} lrLambdas (one per parameter group), got ${lrLambda.length}`);
    }
    list.forEach((f, i) => need(typeof f === 'function', 'LambdaLR', Array.isArray(lrLambda) ? `lrLambda[${i}]` : 'lrLambda', 'a function', f));
    super(optimizer, opt(o, 'lastEpoch', -1) as number);
    this.lrLambdas = list;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((b, i) => {
      const f = this.lrLambdas[i](this.lastEpoch);
      if (typeof f !== 'number') throw new TypeError(`LambdaLR: lrLambda for group ${i} returned ${show(f)} at epoch ${this.lastEpoch}, expected a number`);
      return b * f;
    });
  }

  protected override ownState(): SchedulerStateDict {
    return { lrLambdas: this.lrLambdas.map(() => null) };
  }

  protected override prepareOwnLoad(sd: Record<string, unknown>, where: string): () => void {
    const v = sd.lrLambdas;
    const n = this.lrLambdas.length;
    need(Array.isArray(v) && v.length === n && v.every((x) => x === null), where, 'lrLambdas', `an array of ${n} nulls (functions are not saved)`, v);
    return () => {};
  }
}

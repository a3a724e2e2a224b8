import { type SchedulerStateDict, options, opt, positive } from './checks.js';
import { LRScheduler, type OptimizerLike } from './lr_scheduler.js';

export interface ExponentialLROptions {
  /** Factor per epoch, > 0. */
  gamma: number;
  /** -1 (default) starts afresh; otherwise resumes after that epoch. */
  lastEpoch?: number;
}

/**
 * Decays each group's lr by `gamma` every epoch: lr(epoch) = initialLr · gamma^epoch.
 * Computed as PyTorch does, from the current lr: lr ← lr · gamma (epoch ≥ 1).
 */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: OptimizerLike, exponentialLROptions: ExponentialLROptions) {
    const o = options('ExponentialLR', exponentialLROptions, ['gamma', 'lastEpoch']);
    const gamma = positive('ExponentialLR', 'gamma', o.gamma);
    super(optimizer, opt(o, 'lastEpoch', -1) as number);
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs;
    return this.groupLrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }

  protected override ownState(): SchedulerStateDict {
    return { gamma: this.gamma };
  }

  protected override prepareOwnLoad(sd: Record<string, unknown>, where: string): () => void {
    const gamma = positive(where, 'gamma', sd.gamma);
    return () => { this.gamma = gamma; };
  }
}

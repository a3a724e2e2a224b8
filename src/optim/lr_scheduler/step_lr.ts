import { type SchedulerStateDict, options, opt, positive, positiveInt } from './checks.js';
import { LRScheduler, type OptimizerLike } from './lr_scheduler.js';

export interface StepLROptions {
  /** Epochs between decays (a positive integer). */
  stepSize: number;
  /** Decay factor, > 0. Default 0.1. */
  gamma?: number;
  /** -1 (default) starts afresh; otherwise resumes after that epoch. */
  lastEpoch?: number;
}

/**
 * Decays each group's lr by `gamma` every `stepSize` epochs:
 * lr(epoch) = initialLr · gamma^⌊epoch / stepSize⌋.
 * Computed as PyTorch does, from the current lr: lr ← lr · gamma when epoch is a positive
 * multiple of stepSize, else unchanged (so other changes to lr compose with it).
 */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: OptimizerLike, stepLROptions: StepLROptions) {
    const o = options('StepLR', stepLROptions, ['stepSize', 'gamma', 'lastEpoch']);
    const stepSize = positiveInt('StepLR', 'stepSize', o.stepSize);
    const gamma = positive('StepLR', 'gamma', opt(o, 'gamma', 0.1));
    super(optimizer, opt(o, 'lastEpoch', -1) as number);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groupLrs;
    return this.groupLrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }

  protected override ownState(): SchedulerStateDict {
    return { stepSize: this.stepSize, gamma: this.gamma };
  }

  protected override prepareOwnLoad(sd: Record<string, unknown>, where: string): () => void {
    const stepSize = positiveInt(where, 'stepSize', sd.stepSize);
    const gamma = positive(where, 'gamma', sd.gamma);
    return () => { this.stepSize = stepSize; this.gamma = gamma; };
  }
}

import { type SchedulerStateDict, need, nonNegativeInt, options, opt, positive } from './checks.js';
import { LRScheduler, type OptimizerLike } from './lr_scheduler.js';

export interface MultiStepLROptions {
  /** Epochs at which to decay (non-negative integers, any order; a repeated one decays twice). */
  milestones: number[];
  /** Decay factor, > 0. Default 0.1. */
  gamma?: number;
  /** -1 (default) starts afresh; otherwise resumes after that epoch. */
  lastEpoch?: number;
}

function milestoneList(where: string, v: unknown): number[] {
  need(Array.isArray(v), where, 'milestones', 'an array of epochs', v);
  (v as unknown[]).forEach((m, i) => nonNegativeInt(where, `milestones[${i}]`, m));
  return [...(v as number[])].sort((a, b) => a - b);
}

/**
 * Decays each group's lr by `gamma` at each milestone:
 * lr(epoch) = initialLr · gamma^(number of milestones ≤ epoch).
 * Computed as PyTorch does, from the current lr: lr ← lr · gamma^k at an epoch listed k times.
 */
export class MultiStepLR extends LRScheduler {
  /** Sorted, repeats kept (PyTorch keeps a Counter). */
  milestones: number[];
  gamma: number;

  constructor(optimizer: OptimizerLike, multiStepLROptions: MultiStepLROptions) {
    const o = options('MultiStepLR', multiStepLROptions, ['milestones', 'gamma', 'lastEpoch']);
    const milestones = milestoneList('MultiStepLR', o.milestones);
    const gamma = positive('MultiStepLR', 'gamma', opt(o, 'gamma', 0.1));
    super(optimizer, opt(o, 'lastEpoch', -1) as number);
    this.milestones = milestones;
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (hits === 0) return this.groupLrs;
    return this.groupLrs.map((lr) => lr * this.gamma ** hits);
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length; // bisect_right
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }

  protected override ownState(): SchedulerStateDict {
    return { milestones: [...this.milestones], gamma: this.gamma };
  }

  protected override prepareOwnLoad(sd: Record<string, unknown>, where: string): () => void {
    const milestones = milestoneList(where, sd.milestones);
    const gamma = positive(where, 'gamma', sd.gamma);
    return () => { this.milestones = milestones; this.gamma = gamma; };
  }
}

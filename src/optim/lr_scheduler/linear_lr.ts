import { type SchedulerStateDict, need, options, opt, positiveInt } from './checks.js';
import { LRScheduler, type OptimizerLike } from './lr_scheduler.js';

export interface LinearLROptions {
  /** Multiplier at epoch 0, in (0, 1]. Default 1/3. */
  startFactor?: number;
  /** Multiplier from totalIters on, in [0, 1]. Default 1. */
  endFactor?: number;
  /** Epochs of the ramp, a positive integer. Default 5. */
  totalIters?: number;
  /** -1 (default) starts afresh; otherwise resumes after that epoch. */
  lastEpoch?: number;
}

function factors(where: string, s: unknown, e: unknown): [number, number] {
  // startFactor 0 is refused: PyTorch 1.13 accepts it, then divides by zero at epoch 1.
  need(typeof s === 'number' && s > 0 && s <= 1, where, 'startFactor', 'a number in (0, 1]', s);
  need(typeof e === 'number' && e >= 0 && e <= 1, where, 'endFactor', 'a number in [0, 1]', e);
  return [s as number, e as number];
}

/**
 * Ramps each group's lr linearly from initialLr · startFactor to initialLr · endFactor over
 * `totalIters` epochs (a warm-up, or a linear decay):
 * lr(epoch) = initialLr · (s + (e − s) · min(epoch, totalIters) / totalIters).
 * Computed as PyTorch does, from the current lr:
 * lr ← lr · (1 + (e − s) / (totalIters · s + (epoch − 1)(e − s))) for 1 ≤ epoch ≤ totalIters.
 */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: OptimizerLike, linearLROptions: LinearLROptions = {}) {
    const o = options('LinearLR', linearLROptions, ['startFactor', 'endFactor', 'totalIters', 'lastEpoch']);
    const [s, e] = factors('LinearLR', opt(o, 'startFactor', 1 / 3), opt(o, 'endFactor', 1));
    const totalIters = positiveInt('LinearLR', 'totalIters', opt(o, 'totalIters', 5));
    super(optimizer, opt(o, 'lastEpoch', -1) as number);
    this.startFactor = s;
    this.endFactor = e;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: T, lastEpoch } = this;
    if (lastEpoch === 0) return this.groupLrs.map((lr) => lr * s);
    if (lastEpoch > T) return this.groupLrs;
    return this.groupLrs.map((lr) => lr * (1 + (e - s) / (T * s + (lastEpoch - 1) * (e - s))));
  }

  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: T } = this;
    return this.baseLrs.map((b) => b * (s + ((e - s) * Math.min(T, this.lastEpoch)) / T));
  }

  protected override ownState(): SchedulerStateDict {
    return { startFactor: this.startFactor, endFactor: this.endFactor, totalIters: this.totalIters };
  }

  protected override prepareOwnLoad(sd: Record<string, unknown>, where: string): () => void {
    const [s, e] = factors(where, sd.startFactor, sd.endFactor);
    const totalIters = positiveInt(where, 'totalIters', sd.totalIters);
    return () => { this.startFactor = s; this.endFactor = e; this.totalIters = totalIters; };
  }
}

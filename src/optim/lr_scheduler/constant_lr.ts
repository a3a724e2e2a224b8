import { type SchedulerStateDict, need, options, opt, positiveInt } from './checks.js';
import { LRScheduler, type OptimizerLike } from './lr_scheduler.js';

export interface ConstantLROptions {
  /** Multiplier until totalIters, in (0, 1]. Default 1/3. */
  factor?: number;
  /** Epochs at the reduced lr, a positive integer. Default 5. */
  totalIters?: number;
  /** -1 (default) starts afresh; otherwise resumes after that epoch. */
  lastEpoch?: number;
}

function factorOf(where: string, v: unknown): number {
  // 0 is refused: PyTorch 1.13 accepts it, then divides by it at totalIters.
  need(typeof v === 'number' && v > 0 && v <= 1, where, 'factor', 'a number in (0, 1]', v);
  return v as number;
}

/**
 * Holds each group's lr at initialLr · factor for the first `totalIters` epochs, then initialLr:
 * lr(epoch) = initialLr · (epoch < totalIters ? factor : 1).
 * Computed as PyTorch does, from the current lr: lr · factor at epoch 0, lr · (1 / factor) at
 * epoch totalIters, else unchanged.
 */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  constructor(optimizer: OptimizerLike, constantLROptions: ConstantLROptions = {}) {
    const o = options('ConstantLR', constantLROptions, ['factor', 'totalIters', 'lastEpoch']);
    const factor = factorOf('ConstantLR', opt(o, 'factor', 1 / 3));
    const totalIters = positiveInt('ConstantLR', 'totalIters', opt(o, 'totalIters', 5));
    super(optimizer, opt(o, 'lastEpoch', -1) as number);
    this.factor = factor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs.map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return this.groupLrs;
    return this.groupLrs.map((lr) => lr * (1.0 / this.factor));
  }

  protected override closedFormLr(): number[] {
    const past = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((b) => b * (this.factor + past * (1 - this.factor)));
  }

  protected override ownState(): SchedulerStateDict {
    return { factor: this.factor, totalIters: this.totalIters };
  }

  protected override prepareOwnLoad(sd: Record<string, unknown>, where: string): () => void {
    const factor = factorOf(where, sd.factor);
    const totalIters = positiveInt(where, 'totalIters', sd.totalIters);
    return () => { this.factor = factor; this.totalIters = totalIters; };
  }
}

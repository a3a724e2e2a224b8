import { type SchedulerStateDict, nonNegative, options, opt, positiveInt } from './checks.js';
import { LRScheduler, type OptimizerLike } from './lr_scheduler.js';

export interface CosineAnnealingLROptions {
  /** Epochs of the half cosine from initialLr down to etaMin (a positive integer). */
  tMax: number;
  /** The lowest lr, ≥ 0. Default 0. */
  etaMin?: number;
  /** -1 (default) starts afresh; otherwise resumes after that epoch. */
  lastEpoch?: number;
}

/** Python's float %, whose result takes the divisor's sign. */
function pyMod(x: number, m: number): number {
  const r = x % m;
  return r !== 0 && r < 0 !== m < 0 ? r + m : r;
}

/**
 * Cosine annealing (SGDR without restarts):
 * lr(epoch) = etaMin + (initialLr − etaMin) · (1 + cos(π · epoch / tMax)) / 2.
 * Past tMax the lr rises again along the same cosine (period 2·tMax); it does not restart.
 * Computed as PyTorch does, recursively from the current lr:
 * lr ← etaMin + (lr − etaMin) · (1 + cos(π·epoch/tMax)) / (1 + cos(π·(epoch−1)/tMax)),
 * and lr ← lr + (initialLr − etaMin) · (1 − cos(π/tMax)) / 2 when epoch − 1 is an odd
 * multiple of tMax (where that ratio would be 0/0). The steps' arithmetic is PyTorch's; cos is
 * V8's, which can differ from glibc's (CPython's) in the last bit, so sequences agree to ~1e-15.
 */
export class CosineAnnealingLR extends LRScheduler {
  tMax: number;
  etaMin: number;

  constructor(optimizer: OptimizerLike, cosineAnnealingLROptions: CosineAnnealingLROptions) {
    const o = options('CosineAnnealingLR', cosineAnnealingLROptions, ['tMax', 'etaMin', 'lastEpoch']);
    const tMax = positiveInt('CosineAnnealingLR', 'tMax', o.tMax);
    const etaMin = nonNegative('CosineAnnealingLR', 'etaMin', opt(o, 'etaMin', 0));
    super(optimizer, opt(o, 'lastEpoch', -1) as number);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { tMax: T, etaMin: m, lastEpoch: e } = this;
    if (e === 0) return this.groupLrs;
    if (this.stepCount === 1 && e > 0) {
      // Resumed with lastEpoch > -1: the closed form, as PyTorch.
      return this.baseLrs.map((b) => m + ((b - m) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    }
    if (pyMod(e - 1 - T, 2 * T) === 0) {
      return this.groupLrs.map((lr, i) => lr + ((this.baseLrs[i] - m) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return this.groupLrs.map((lr) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - m) + m);
  }

  protected override closedFormLr(): number[] {
    const { tMax: T, etaMin: m, lastEpoch: e } = this;
    return this.baseLrs.map((b) => m + ((b - m) * (1 + Math.cos((Math.PI * e) / T))) / 2);
  }

  protected override ownState(): SchedulerStateDict {
    return { tMax: this.tMax, etaMin: this.etaMin };
  }

  protected override prepareOwnLoad(sd: Record<string, unknown>, where: string): () => void {
    const tMax = positiveInt(where, 'tMax', sd.tMax);
    const etaMin = nonNegative(where, 'etaMin', sd.etaMin);
    return () => { this.tMax = tMax; this.etaMin = etaMin; };
  }
}

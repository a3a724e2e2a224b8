import { LRScheduler, type OptimizerLike, positive } from './lr_scheduler.js';

/**
 * Cosine annealing: lr = η_min + (base − η_min)(1 + cos(π·epoch/T_max))/2, computed in
 * PyTorch's recursive form; past T_max it rises again (a cosine, not a restart).
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number; readonly etaMin: number;
  constructor(opt: OptimizerLike, { tMax, etaMin = 0, lastEpoch = -1 }: { tMax: number; etaMin?: number; lastEpoch?: number }) {
    super(opt, lastEpoch);
    positive('CosineAnnealingLR', 'tMax', tMax, { integer: true });
    if (!(etaMin >= 0)) throw new RangeError(`CosineAnnealingLR: etaMin must be ≥ 0, got ${etaMin}`);
    this.tMax = tMax; this.etaMin = etaMin;
    this.initialStep();
  }
  protected getLr() {
    const { tMax: T, etaMin: m, lastEpoch: e } = this;
    if (e === 0) return this.groupLrs;
    if (this.stepCount === 1 && e > 0) return this.baseLrs.map((b) => m + ((b - m) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    if ((((e - 1 - T) % (2 * T)) + 2 * T) % (2 * T) === 0) {
      return this.groupLrs.map((lr, i) => lr + ((this.baseLrs[i] - m) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return this.groupLrs.map((lr) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - m) + m);
  }
  protected override closedFormLr() {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2);
  }
}

// The multiplicative schedules, each its chainable rule (as PyTorch's get_lr) and closed form.
import { LRScheduler, type OptimizerLike, positive } from './lr_scheduler.js';

/** lr = base · γ^⌊epoch / stepSize⌋ */
export class StepLR extends LRScheduler {
  readonly stepSize: number; readonly gamma: number;
  constructor(opt: OptimizerLike, { stepSize, gamma = 0.1, lastEpoch = -1 }: { stepSize: number; gamma?: number; lastEpoch?: number }) {
    super(opt, lastEpoch);
    positive('StepLR', 'stepSize', stepSize, { integer: true });
    positive('StepLR', 'gamma', gamma);
    this.stepSize = stepSize; this.gamma = gamma;
    this.initialStep();
  }
  protected getLr() {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groupLrs;
    return this.groupLrs.map((lr) => lr * this.gamma);
  }
  protected override closedFormLr() { return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize)); }
}

/** lr = base · γ^(number of milestones ≤ epoch) */
export class MultiStepLR extends LRScheduler {
  readonly milestones: number[]; readonly gamma: number;
  constructor(opt: OptimizerLike, { milestones, gamma = 0.1, lastEpoch = -1 }: { milestones: number[]; gamma?: number; lastEpoch?: number }) {
    super(opt, lastEpoch);
    if (!Array.isArray(milestones)) throw new TypeError('MultiStepLR: milestones must be an array of epochs');
    milestones.forEach((m, i) => positive('MultiStepLR', `milestones[${i}]`, m, { integer: true, allowZero: true }));
    positive('MultiStepLR', 'gamma', gamma);
    this.milestones = [...milestones].sort((a, b) => a - b); this.gamma = gamma;
    this.initialStep();
  }
  protected getLr() {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    return hits === 0 ? this.groupLrs : this.groupLrs.map((lr) => lr * this.gamma ** hits);
  }
  protected override closedFormLr() {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }
}

/** lr = base · γ^epoch */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  constructor(opt: OptimizerLike, { gamma, lastEpoch = -1 }: { gamma: number; lastEpoch?: number }) {
    super(opt, lastEpoch);
    positive('ExponentialLR', 'gamma', gamma);
    this.gamma = gamma;
    this.initialStep();
  }
  protected getLr() { return this.lastEpoch === 0 ? this.groupLrs : this.groupLrs.map((lr) => lr * this.gamma); }
  protected override closedFormLr() { return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch); }
}

/** lr = base · factor until epoch totalIters, then base. */
export class ConstantLR extends LRScheduler {
  readonly factor: number; readonly totalIters: number;
  constructor(opt: OptimizerLike, { factor = 1 / 3, totalIters = 5, lastEpoch = -1 }: { factor?: number; totalIters?: number; lastEpoch?: number } = {}) {
    super(opt, lastEpoch);
    if (!(factor >= 0 && factor <= 1)) throw new RangeError(`ConstantLR: factor must be in [0, 1], got ${factor}`);
    positive('ConstantLR', 'totalIters', totalIters, { integer: true, allowZero: true });
    this.factor = factor; this.totalIters = totalIters;
    this.initialStep();
  }
  protected getLr() {
    if (this.lastEpoch === 0) return this.groupLrs.map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return this.groupLrs;
    return this.groupLrs.map((lr) => lr * (1.0 / this.factor));
  }
  protected override closedFormLr() {
    return this.baseLrs.map((b) => b * (this.factor + (this.lastEpoch >= this.totalIters ? 1 : 0) * (1 - this.factor)));
  }
}

/** Linear warm-up: lr = base · (s + (e − s)·min(epoch, T)/T). */
export class LinearLR extends LRScheduler {
  readonly startFactor: number; readonly endFactor: number; readonly totalIters: number;
  constructor(opt: OptimizerLike, { startFactor = 1 / 3, endFactor = 1, totalIters = 5, lastEpoch = -1 }:
    { startFactor?: number; endFactor?: number; totalIters?: number; lastEpoch?: number } = {}) {
    super(opt, lastEpoch);
    if (!(startFactor > 0 && startFactor <= 1)) throw new RangeError(`LinearLR: startFactor must be in (0, 1], got ${startFactor}`);
    if (!(endFactor >= 0 && endFactor <= 1)) throw new RangeError(`LinearLR: endFactor must be in [0, 1], got ${endFactor}`);
    positive('LinearLR', 'totalIters', totalIters, { integer: true });
    this.startFactor = startFactor; this.endFactor = endFactor; this.totalIters = totalIters;
    this.initialStep();
  }
  protected getLr() {
    if (this.lastEpoch === 0) return this.groupLrs.map((lr) => lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return this.groupLrs;
    const { startFactor: s, endFactor: e, totalIters: T } = this;
    return this.groupLrs.map((lr) => lr * (1 + (e - s) / (T * s + (this.lastEpoch - 1) * (e - s))));
  }
  protected override closedFormLr() {
    const { startFactor: s, endFactor: e, totalIters: T } = this;
    return this.baseLrs.map((b) => b * (s + ((e - s) * Math.min(T, this.lastEpoch)) / T));
  }
}

/** lr = base · λ(epoch), one λ per group or one for all. λ is code, so it is not in the state dict. */
export class LambdaLR extends LRScheduler {
  readonly lambdas: Array<(epoch: number) => number>;
  constructor(opt: OptimizerLike, lrLambda: ((epoch: number) => number) | Array<(epoch: number) => number>, { lastEpoch = -1 } = {}) {
    super(opt, lastEpoch);
    const list = Array.isArray(lrLambda) ? lrLambda : opt.paramGroups.map(() => lrLambda);
    if (list.length !== opt.paramGroups.length) throw new Error(`LambdaLR: expected ${opt.paramGroups.length} lrLambdas, got ${list.length}`);
    if (!list.every((f) => typeof f === 'function')) throw new TypeError('LambdaLR: lrLambda must be a function (or one per group)');
    this.lambdas = list;
    this.initialStep();
  }
  protected getLr() { return this.baseLrs.map((b, i) => b * this.lambdas[i](this.lastEpoch)); }
}

import {
  type SchedulerStateDict, decodeNumber, encodeNumber, need, nonNegative, nonNegativeInt, numberList,
  oneOf, options, opt, show, stateKeys,
} from './checks.js';
import { type OptimizerLike, checkOptimizer } from './lr_scheduler.js';

export interface ReduceLROnPlateauOptions {
  /** 'min' (default): lower metric is better; 'max': higher is. */
  mode?: 'min' | 'max';
  /** new lr = lr · factor, in [0, 1). Default 0.1. */
  factor?: number;
  /** Bad epochs tolerated: the lr drops on the (patience + 1)-th in a row. Default 10. */
  patience?: number;
  /** How much better than the best a metric must be to count, ≥ 0. Default 1e-4. */
  threshold?: number;
  /** 'rel' (default): relative to the best; 'abs': an absolute margin. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs after a reduction during which bad epochs are not counted. Default 0. */
  cooldown?: number;
  /** Lower bound on the lr: one for all groups, or one per group. Default 0. */
  minLr?: number | number[];
  /** A reduction smaller than eps is skipped. Default 1e-8. */
  eps?: number;
}

const KEYS = ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'] as const;

function factorOf(where: string, v: unknown): number {
  need(typeof v === 'number' && !Number.isNaN(v), where, 'factor', 'a number', v);
  need((v as number) < 1, where, 'factor', '< 1', v);
  need((v as number) >= 0, where, 'factor', '≥ 0', v);
  return v as number;
}

/**
 * Cuts each group's lr when a metric stops improving: lr ← max(lr · factor, minLr) once more
 * than `patience` epochs in a row have not improved on the best value so far (a cut smaller
 * than eps is skipped). "Improved" is relative to the best: mode 'min' with 'rel' means
 * metric < best · (1 − threshold), with 'abs' metric < best − threshold; mode 'max' mirrors
 * it (best · (1 + threshold), best + threshold). After a cut, the bad-epoch count stays 0 for
 * `cooldown` epochs. step(metric) takes the metric; unlike the other schedulers construction
 * takes no step and sets no initialLr (as PyTorch).
 */
export class ReduceLROnPlateau {
  /** Steps on a metric: step(metric), e.g. the step's total loss. */
  readonly needsMetric = true as const;
  readonly optimizer: OptimizerLike;
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLrs: number[];
  eps: number;
  /** The best metric so far (±Infinity before the first). */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: OptimizerLike, reduceLROnPlateauOptions: ReduceLROnPlateauOptions = {}) {
    const where = 'ReduceLROnPlateau';
    const o = options(where, reduceLROnPlateauOptions, KEYS);
    const factor = factorOf(where, opt(o, 'factor', 0.1));
    const mode = oneOf(where, 'mode', opt(o, 'mode', 'min'), ['min', 'max'] as const);
    const thresholdMode = oneOf(where, 'thresholdMode', opt(o, 'thresholdMode', 'rel'), ['rel', 'abs'] as const);
    const patience = nonNegativeInt(where, 'patience', opt(o, 'patience', 10));
    const threshold = nonNegative(where, 'threshold', opt(o, 'threshold', 1e-4));
    const cooldown = nonNegativeInt(where, 'cooldown', opt(o, 'cooldown', 0));
    const eps = nonNegative(where, 'eps', opt(o, 'eps', 1e-8));
    const groups = checkOptimizer(where, optimizer).paramGroups;
    const minLr = opt(o, 'minLr', 0);
    const minLrs = Array.isArray(minLr)
      ? numberList(where, 'minLr', minLr, groups.length, true)
      : groups.map(() => nonNegative(where, 'minLr', minLr));
    this.optimizer = optimizer;
    this.mode = mode; this.factor = factor; this.patience = patience; this.threshold = threshold;
    this.thresholdMode = thresholdMode; this.cooldown = cooldown; this.minLrs = minLrs; this.eps = eps;
    this.best = this.worst;
    this.lastLr = groups.map((g) => g.lr);
  }

  private get worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Whether metric a improves on best, by the threshold. */
  isBetter(a: number, best: number): boolean {
    const { threshold: t } = this;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - t) : a < best - t;
    return this.thresholdMode === 'rel' ? a > best * (t + 1) : a > best + t;
  }

  /** Whether bad epochs are being ignored after a cut. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /**
   * Records this epoch's metric (a number, or anything with item(), e.g. a scalar Tensor) and
   * cuts the lrs if it has plateaued. NaN counts as not improving, as in PyTorch.
   */
  step(metric: number | { item(): unknown }): void {
    const current = typeof metric === 'object' && metric !== null && typeof metric.item === 'function' ? metric.item() : metric;
    if (typeof current !== 'number') throw new TypeError(`ReduceLROnPlateau.step: metric must be a number, got ${show(current)}`);
    this.lastEpoch++;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.inCooldown) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const next = Math.max(g.lr * this.factor, this.minLrs[i]);
        if (g.lr - next > this.eps) g.lr = next;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The lrs after the last step (the optimizer's, before any). */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Counters, best and hyperparameters as plain JSON data (±Infinity as 'Infinity' / '-Infinity'). */
  stateDict(): SchedulerStateDict {
    return {
      mode: this.mode, factor: this.factor, patience: this.patience, threshold: this.threshold,
      thresholdMode: this.thresholdMode, cooldown: this.cooldown, minLrs: [...this.minLrs], eps: this.eps,
      best: encodeNumber(this.best), numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter,
      lastEpoch: this.lastEpoch, lastLr: [...this.lastLr],
    };
  }

  /** Loads a stateDict(); every key is checked before anything changes. */
  loadStateDict(stateDict: SchedulerStateDict): void {
    const where = 'ReduceLROnPlateau.loadStateDict';
    const s = stateKeys(where, stateDict, Object.keys(this.stateDict()));
    const n = this.optimizer.paramGroups.length;
    const next = {
      mode: oneOf(where, 'mode', s.mode, ['min', 'max'] as const),
      factor: factorOf(where, s.factor),
      patience: nonNegativeInt(where, 'patience', s.patience),
      threshold: nonNegative(where, 'threshold', s.threshold),
      thresholdMode: oneOf(where, 'thresholdMode', s.thresholdMode, ['rel', 'abs'] as const),
      cooldown: nonNegativeInt(where, 'cooldown', s.cooldown),
      minLrs: numberList(where, 'minLrs', s.minLrs, n, true),
      eps: nonNegative(where, 'eps', s.eps),
      best: decodeNumber(where, 'best', s.best),
      numBadEpochs: nonNegativeInt(where, 'numBadEpochs', s.numBadEpochs),
      cooldownCounter: nonNegativeInt(where, 'cooldownCounter', s.cooldownCounter),
      lastEpoch: nonNegativeInt(where, 'lastEpoch', s.lastEpoch),
      lastLr: numberList(where, 'lastLr', s.lastLr, n),
    };
    Object.assign(this, next);
  }
}

import { type OptimizerLike } from './lr_scheduler.js';

export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number | number[];
  eps?: number;
}

/**
 * Multiplies lr by `factor` once the metric has not improved for more than `patience` epochs.
 * "Improved" is relative to the best value so far: in 'rel' mode (min) m < best·(1 − threshold),
 * in 'abs' mode m < best − threshold (mirrored for 'max'). After a reduction, `cooldown` epochs
 * pass before bad epochs count again; lr never goes below minLr, and changes under eps are skipped.
 */
export class ReduceLROnPlateau {
  readonly mode: 'min' | 'max'; readonly factor: number; readonly patience: number; readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs'; readonly cooldown: number; readonly minLrs: number[]; readonly eps: number;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(readonly optimizer: OptimizerLike, o: ReduceLROnPlateauOptions = {}) {
    const { mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8 } = o;
    if (!(factor < 1)) throw new RangeError(`ReduceLROnPlateau: factor must be < 1, got ${factor}`);
    if (!(factor > 0)) throw new RangeError(`ReduceLROnPlateau: factor must be > 0, got ${factor}`);
    if (mode !== 'min' && mode !== 'max') throw new Error(`ReduceLROnPlateau: mode must be 'min' or 'max', got ${JSON.stringify(mode)}`);
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs') throw new Error(`ReduceLROnPlateau: thresholdMode must be 'rel' or 'abs', got ${JSON.stringify(thresholdMode)}`);
    if (!(Number.isInteger(patience) && patience >= 0)) throw new RangeError(`ReduceLROnPlateau: patience must be a non-negative integer, got ${patience}`);
    if (!(Number.isInteger(cooldown) && cooldown >= 0)) throw new RangeError(`ReduceLROnPlateau: cooldown must be a non-negative integer, got ${cooldown}`);
    const groups = optimizer.paramGroups.length;
    const mins = Array.isArray(minLr) ? minLr : new Array(groups).fill(minLr);
    if (mins.length !== groups) throw new Error(`ReduceLROnPlateau: expected ${groups} minLrs, got ${mins.length}`);
    this.mode = mode; this.factor = factor; this.patience = patience; this.threshold = threshold;
    this.thresholdMode = thresholdMode; this.cooldown = cooldown; this.eps = eps; this.minLrs = mins;
    this.best = this.worst;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private get worst(): number { return this.mode === 'min' ? Infinity : -Infinity; }

  isBetter(a: number, best: number): boolean {
    const { mode, thresholdMode: tm, threshold: t } = this;
    if (mode === 'min') return tm === 'rel' ? a < best * (1 - t) : a < best - t;
    return tm === 'rel' ? a > best * (t + 1) : a > best + t;
  }

  step(metric: number): void {
    if (typeof metric !== 'number' || Number.isNaN(metric)) throw new TypeError(`ReduceLROnPlateau: metric must be a number, got ${String(metric)}`);
    this.lastEpoch++;
    if (this.isBetter(metric, this.best)) { this.best = metric; this.numBadEpochs = 0; }
    else this.numBadEpochs++;
    if (this.cooldownCounter > 0) { this.cooldownCounter--; this.numBadEpochs = 0; }
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

  getLastLr(): number[] { return [...this.lastLr]; }

  stateDict(): Record<string, unknown> {
    return { best: this.best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter, lastEpoch: this.lastEpoch, lastLr: [...this.lastLr] };
  }
  loadStateDict(sd: Record<string, unknown>): void {
    const keys = Object.keys(this.stateDict());
    for (const k of keys) if (!(k in sd)) throw new Error(`ReduceLROnPlateau.loadStateDict: missing key '${k}'`);
    for (const k of Object.keys(sd)) if (!keys.includes(k)) throw new Error(`ReduceLROnPlateau.loadStateDict: unexpected key '${k}'`);
    // JSON turns ±Infinity into null: a best of null means "nothing seen yet".
    this.best = sd.best === null ? this.worst : Number(sd.best);
    this.numBadEpochs = Number(sd.numBadEpochs); this.cooldownCounter = Number(sd.cooldownCounter);
    this.lastEpoch = Number(sd.lastEpoch); this.lastLr = [...(sd.lastLr as number[])];
  }
}

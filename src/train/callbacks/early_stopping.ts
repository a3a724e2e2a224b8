// Early stopping: the metric (the total loss, or relative L2 from the last evaluation) has not
// improved by `minDelta` (relative) for `patience` steps. It ends the fit.
import { type Callback, type StepEnd } from '../callback.js';
import { type Trainer } from '../trainer.js';

export interface EarlyStoppingOptions { patience: number; minDelta?: number; metric?: 'total' | 'relL2' }

export class EarlyStopping implements Callback {
  readonly name = 'earlyStopping';
  best = Infinity;
  bestStep = 0;

  constructor(readonly o: EarlyStoppingOptions) {
    if (!(Number.isInteger(o.patience) && o.patience >= 1)) throw new RangeError(`Trainer: earlyStopping.patience must be a positive integer, got ${o.patience}`);
  }

  onStepEnd(t: Trainer, s: StepEnd): void {
    const metric = this.o.metric === 'relL2' ? t.history.evaluations.at(-1)?.relL2.all : s.total;
    if (metric === undefined || !this.update(t.progress.step, metric)) return;
    t.send('earlyStop', { step: t.progress.step, reason: `${this.o.metric ?? 'total'} did not improve for ${this.o.patience} steps`, best: this.best, bestStep: this.bestStep });
    t.stop('earlyStop');
  }

  /** Feed the metric at `step`; returns true when patience ran out. */
  update(step: number, value: number): boolean {
    if (value < this.best * (1 - (this.o.minDelta ?? 0))) { this.best = value; this.bestStep = step; }
    return step - this.bestStep >= this.o.patience;
  }

  stateDict() { return { best: this.best === Infinity ? null : this.best, bestStep: this.bestStep }; }

  loadStateDict(state: unknown): void {
    const s = state as { best: number | null; bestStep: number };
    if (!s || typeof s !== 'object' || !(s.best === null || typeof s.best === 'number') || !Number.isInteger(s.bestStep)) {
      throw new Error(`checkpoint earlyStopping: expected { best: number | null, bestStep: integer }, got ${JSON.stringify(s)}`);
    }
    this.best = s.best ?? Infinity;
    this.bestStep = s.bestStep;
  }
}

// Wall-clock budgets: fit()'s (`timeBudget`) ends the fit; a phase's (PhaseSpec.timeBudget)
// ends the phase and the next one starts. Time spent before a resume counts.
import { type Callback } from '../callback.js';
import { type Trainer } from '../trainer.js';

export class TimeBudget implements Callback {
  readonly name = 'timeBudget';

  constructor(readonly seconds: number | undefined) {
    if (seconds !== undefined && !(seconds > 0)) throw new RangeError(`Trainer: timeBudget must be > 0 seconds, got ${seconds}`);
  }

  onStepStart(t: Trainer): void {
    if (this.seconds !== undefined && t.elapsed() >= this.seconds) return t.stop('timeBudget');
    const phase = t.phases[t.progress.phaseIndex].timeBudget;
    if (phase !== undefined && t.phaseElapsed() >= phase) t.stop('timeBudget', 'phase');
  }
}

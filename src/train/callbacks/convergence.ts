// Convergence: the total loss stopped moving (relative change below `tol` over `window` steps
// of the same phase) or reached `targetLoss`. It ends the phase; the next one runs.
import { type Callback } from '../callback.js';
import { type MetricsHistory } from '../events.js';
import { type Trainer } from '../trainer.js';

export interface ConvergenceOptions { tol?: number; window?: number; targetLoss?: number }

export class Convergence implements Callback {
  readonly name = 'convergence';

  constructor(readonly o: ConvergenceOptions = {}) {
    if (o.tol !== undefined && !(o.tol > 0)) throw new RangeError(`Trainer: convergence.tol must be > 0, got ${o.tol}`);
    if (o.window !== undefined && !(Number.isInteger(o.window) && o.window >= 1)) throw new RangeError(`Trainer: convergence.window must be a positive integer, got ${o.window}`);
  }

  onStepEnd(t: Trainer): void {
    const reason = this.check(t.history);
    if (!reason) return;
    t.send('converged', { step: t.progress.step, reason });
    t.stop('converged', 'phase');
  }

  /** A reason when converged at the end of `history`, else null. Looks only within the current phase. */
  check(h: MetricsHistory): string | null {
    const n = h.total.length;
    const last = h.total[n - 1];
    if (this.o.targetLoss !== undefined && last <= this.o.targetLoss) return `total loss ${last.toExponential(3)} ≤ target ${this.o.targetLoss}`;
    if (this.o.tol === undefined) return null;
    const w = this.o.window ?? 100;
    if (n <= w || h.phase[n - 1 - w] !== h.phase[n - 1]) return null;
    const before = h.total[n - 1 - w];
    const change = Math.abs(last - before) / Math.max(Math.abs(before), Number.MIN_VALUE);
    return change < this.o.tol ? `total loss changed by ${change.toExponential(2)} (relative) over ${w} steps, below tol ${this.o.tol}` : null;
  }
}

// The NaN guard: on a NaN/Inf loss or gradient, roll back to the last good state (taken when a
// phase starts and every `every` steps of it), scale the learning rate by `lrFactor`, and go on;
// at most `maxRollbacks` times, then stop with NonFiniteError.
import { checkNonNegativeInt, checkPositiveInt } from '../../checks.js';
import { type Callback } from '../callback.js';
import { type Trainer } from '../trainer.js';

export interface NaNGuardOptions { action: 'rollback'; lrFactor?: number; maxRollbacks?: number; every?: number }

/** A NaN/Inf loss or gradient that no callback handled (no nanGuard, or rollbacks exhausted). */
export class NonFiniteError extends Error {}

/** The error fit() rejects with; `why` says why no rollback was possible. */
export function nonFiniteError(term: string, step: number, why = ''): NonFiniteError {
  const what = term === 'gradient' ? 'gradient' : `loss in term '${term}'`;
  return new NonFiniteError(`Trainer: non-finite ${what} at step ${step + 1}${why}; lower the learning rate, check the data for NaN, or use nanGuard: { action: 'rollback' }`);
}

export class NaNGuard implements Callback {
  readonly name = 'nanGuard';
  private snapshot: Record<string, Uint8Array> | null = null;

  constructor(readonly o: NaNGuardOptions) {
    if (!o || o.action !== 'rollback') throw new Error(`Trainer: nanGuard must be 'stop' or { action: 'rollback', lrFactor?, maxRollbacks?, every? }, got ${JSON.stringify(o)}`);
    if (o.lrFactor !== undefined && !(o.lrFactor > 0 && o.lrFactor <= 1)) throw new RangeError(`Trainer: nanGuard.lrFactor must be in (0, 1], got ${o.lrFactor}`);
    if (o.maxRollbacks !== undefined) checkNonNegativeInt('Trainer', 'nanGuard.maxRollbacks', o.maxRollbacks);
    if (o.every !== undefined) checkPositiveInt('Trainer', 'nanGuard.every', o.every);
  }

  onPhaseStart(t: Trainer): void { this.take(t); }

  onStepEnd(t: Trainer): void {
    if (t.progress.phaseStep % (this.o.every ?? 100) === 0) this.take(t);
  }

  onNonFinite(t: Trainer, term: string): boolean {
    const step = t.progress.step;
    const max = this.o.maxRollbacks ?? 3;
    if (!this.snapshot || t.progress.rollbacks >= max) {
      t.send('nonFinite', { step, term, action: 'stop' });
      throw nonFiniteError(term, step, !this.snapshot ? ' (no earlier good state to roll back to)' : ` (after ${max} rollbacks)`);
    }
    const rollbacks = t.progress.rollbacks + 1;
    t.restoreFiles(this.snapshot, '(in-memory snapshot)');
    t.progress.rollbacks = rollbacks;
    for (const g of t.optimizer!.paramGroups) g.lr *= this.o.lrFactor ?? 0.5;
    t.send('nonFinite', { step, term, action: 'rollback', restoredStep: t.progress.step, lr: t.lr() });
    return true;
  }

  private take(t: Trainer): void {
    const files = t.captureFiles();
    this.snapshot = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? Buffer.from(v) : Buffer.concat(v)]));
  }
}

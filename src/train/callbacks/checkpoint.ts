// Checkpoints: every `every` steps, when a phase ends (with more to come), and when fit() ends
// or is aborted; the newest `keepLast` are kept, and the best by a metric besides.
import { join } from 'node:path';
import { checkNonNegativeInt } from '../../checks.js';
import { pruneCheckpoints, writeCheckpoint } from '../../io/checkpoint_store.js';
import { type Callback, type FitEnd, type StepEnd } from '../callback.js';
import { type CheckpointReason, type FitResult } from '../events.js';
import { type CheckpointOptions } from '../options.js';
import { type Trainer } from '../trainer.js';

interface Best { metric: string; value: number; checkpoint: string }

export class Checkpointing implements Callback {
  readonly name = 'checkpoint';
  private best: Best | null = null;
  private last?: string;

  constructor(readonly o: CheckpointOptions) {
    if (typeof o.dir !== 'string' || !o.dir) throw new Error('Trainer: checkpoint.dir must be a directory path');
    if (o.every !== undefined) checkNonNegativeInt('Trainer', 'checkpoint.every', o.every);
  }

  onStepEnd(t: Trainer, s: StepEnd): void {
    // The phase-end checkpoint stands in for a periodic one at a phase's last step.
    if (this.o.every && t.progress.step % this.o.every === 0 && !s.lastOfPhase) this.save(t, 'periodic');
  }

  onPhaseEnd(t: Trainer): void {
    if (t.progress.phaseIndex < t.phases.length) this.save(t, 'phaseEnd');
  }

  onFitEnd(t: Trainer, end: FitEnd): Partial<FitResult> {
    if (t.progress.step > 0) this.save(t, end.stopReason === 'aborted' ? 'abort' : 'end');
    return {
      ...(this.last ? { lastCheckpoint: this.last } : {}),
      ...(this.best ? { bestCheckpoint: `${this.o.dir}/${this.best.checkpoint}` } : {}),
    };
  }

  /** Writes a checkpoint now (atomically), prunes old ones, sends 'checkpoint'; returns its directory. */
  save(t: Trainer, reason: CheckpointReason): string {
    const step = t.progress.step;
    const name = `step-${String(step).padStart(8, '0')}`;
    const metric = this.o.best === 'relL2' ? t.history.evaluations.at(-1)?.relL2.all ?? null : t.history.total.at(-1) ?? null;
    if (this.o.best && metric !== null && (this.best === null || metric < this.best.value)) this.best = { metric: this.o.best, value: metric, checkpoint: name };
    const meta = { step, phase: t.phaseNames[t.progress.phaseIndex] ?? 'done', reason, total: t.history.total.at(-1) ?? null };
    // Data-parallel: every rank holds the same state, and rank 0 alone writes it.
    if (t.parallel && t.parallel.rank !== 0) return (this.last = join(this.o.dir, name));
    const path = writeCheckpoint(this.o.dir, name, t.captureFiles(), meta);
    pruneCheckpoints(this.o.dir, { keepLast: this.o.keepLast ?? 3, keep: this.best ? [this.best.checkpoint] : [] });
    this.last = path;
    t.send('checkpoint', { step, path, reason, ...(metric !== null ? { metric } : {}) });
    return path;
  }

  stateDict(): { best: Best | null } { return { best: this.best }; }

  loadStateDict(state: unknown): void {
    const b = (state as { best?: Best | null } | undefined)?.best ?? null;
    if (b !== null && !(typeof b === 'object' && typeof b.checkpoint === 'string' && typeof b.value === 'number')) {
      throw new Error(`checkpoint state: best must be { metric, value, checkpoint }, got ${JSON.stringify(b)}`);
    }
    this.best = b;
  }
}

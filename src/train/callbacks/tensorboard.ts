// TensorBoard logging: the Trainer's events as an event file in `logdir`, one file per fit()
// (a resumed run adds one beside the earlier ones). Written as the events come:
//   step        loss/<term> (raw), weighted_loss/<term>, weight/<term>, total_loss, lr, grad_norm,
//               coefficient/<name>, phase, time/step, time/steps_per_second,
//               time/{sampling,forward,loss,backward,optimizer} (seconds since the previous step event)
//   evaluation  rel_l2/<output> and rel_l2/all
//   validation  held_out/<condition>
// at the event's global step (over all phases, continued across a resume), so TensorBoard gets a
// point per step event (options.logEvery). When fit() starts: the plan (phases, Trainer.auto's
// reasons) and options.config as text; every `imageEvery` evaluations: `images(trainer)` as
// PNG images (the CLI gives its field heatmaps, drawn off the training thread). Each fit()
// first marks a session start (SessionLog.START) at the first step it will log, and a NaN-guard
// rollback marks one where training goes on: TensorBoard takes every start after a run's first
// as a restart and drops what was logged from that step on (a resume from a checkpoint older
// than the last logged step, the steps a rollback undid), so no step appears twice.
import { accessSync, constants } from 'node:fs';
import { EventFileWriter } from '../../io/tensorboard/index.js';
import { type Callback } from '../callback.js';
import { type EvaluationEvent, type NonFiniteEvent, type StepEvent, type ValidationEvent } from '../events.js';
import { type Trainer } from '../trainer.js';
import { makeDirectory } from '../../io/make_directory.js';

export interface TensorBoardOptions {
  /** The log directory (made if missing); point `tensorboard --logdir` at it or at a parent. */
  logdir: string;
  /** Images every this many evaluations (options.evalEvery); default 1. */
  imageEvery?: number;
  /**
   * PNG images by tag (e.g. prediction/reference/error heatmaps), called at the evaluation's
   * step. Training goes on while a returned promise is pending (read what you need from the
   * model before its first await); the images are logged at that step when it resolves, and
   * fit() waits for them before it returns.
   */
  images?: (trainer: Trainer) => Record<string, Uint8Array> | Promise<Record<string, Uint8Array>>;
}

/** Makes `logdir` if missing; throws, naming `what` and why, when it cannot be written to. */
export function checkLogdir(what: string, logdir: string): void {
  try {
    makeDirectory(logdir);
    accessSync(logdir, constants.W_OK);
  } catch (e) {
    throw new Error(`${what} ${logdir} is not a writable directory: ${(e as Error).message}`, { cause: e });
  }
}

const prefixed = (prefix: string, values: Record<string, number>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}${k}`, v]));

/** The scalars of one step event, by tag. */
export function stepScalars(e: StepEvent): Record<string, number> {
  return {
    ...prefixed('loss/', e.losses), ...prefixed('weighted_loss/', e.weighted), ...prefixed('weight/', e.weights),
    total_loss: e.total, lr: e.lr, grad_norm: e.gradNorm, ...prefixed('coefficient/', e.coefficients), phase: e.phaseIndex,
    'time/step': e.stepTime, 'time/steps_per_second': e.stepsPerSecond, ...prefixed('time/', { ...e.timing }),
  };
}

/** Markdown of an object as an indented code block (TensorBoard's text plugin renders markdown). */
const codeBlock = (value: unknown) => JSON.stringify(value, null, 2).split('\n').map((l) => `    ${l}`).join('\n');

export class TensorBoard implements Callback {
  readonly name = 'tensorboard';
  readonly imageEvery: number;
  private writer: EventFileWriter | null = null;
  private detach: (() => void) | null = null;
  private readonly pendingImages = new Set<Promise<void>>();
  private imageError: Error | null = null;

  constructor(readonly o: TensorBoardOptions) {
    if (!o || typeof o.logdir !== 'string' || !o.logdir) throw new TypeError(`Trainer: tensorboard.logdir must be a directory path, got ${JSON.stringify(o?.logdir)}`);
    this.imageEvery = o.imageEvery ?? 1;
    if (!(Number.isInteger(this.imageEvery) && this.imageEvery >= 1)) throw new RangeError(`Trainer: tensorboard.imageEvery must be a positive integer, got ${String(o.imageEvery)}`);
    if (o.images !== undefined && typeof o.images !== 'function') throw new TypeError('Trainer: tensorboard.images must be a function returning PNG bytes by tag');
    checkLogdir('Trainer: tensorboard.logdir', o.logdir); // now, before any training, rather than at the first event
  }

  /** The event file of the current (or last) fit(). */
  get path(): string | undefined { return this.writer?.path; }

  onFitStart(t: Trainer): void {
    const w = this.writer = new EventFileWriter(this.o.logdir);
    const step = t.progress.step;
    w.sessionStart(step + 1);
    w.text(step, 'plan', codeBlock({ phases: t.phases, ...(t.plan ? { auto: t.plan } : {}) }));
    if (t.options.config !== undefined) w.text(step, 'config', codeBlock(t.options.config));
    const onStep = (e: StepEvent) => w.scalars(e.step, stepScalars(e));
    const onEvaluation = (e: EvaluationEvent) => w.scalars(e.step, prefixed('rel_l2/', e.relL2));
    const onValidation = (e: ValidationEvent) => w.scalars(e.step, { [`held_out/${e.condition}`]: e.value });
    const onNonFinite = (e: NonFiniteEvent) => { if (e.action === 'rollback' && e.restoredStep !== undefined) w.sessionStart(e.restoredStep + 1); };
    t.on('step', onStep).on('evaluation', onEvaluation).on('validation', onValidation).on('nonFinite', onNonFinite);
    this.detach = () => { t.off('step', onStep).off('evaluation', onEvaluation).off('validation', onValidation).off('nonFinite', onNonFinite); };
  }

  /** After the Evaluation callback: images at every `imageEvery`-th evaluation of the run. */
  onStepEnd(t: Trainer): void {
    if (this.imageError) throw this.imageError;
    const evaluations = t.history.evaluations, step = t.progress.step, w = this.writer!;
    if (!this.o.images || evaluations.at(-1)?.step !== step || evaluations.length % this.imageEvery !== 0) return;
    const logged = Promise.resolve(this.o.images(t)).then((images) => { for (const [tag, png] of Object.entries(images)) w.image(step, tag, png); });
    const tracked: Promise<void> = logged
      .catch((e: Error) => { this.imageError ??= new Error(`TensorBoard: images at step ${step}: ${e?.message ?? String(e)}`, { cause: e }); })
      .finally(() => this.pendingImages.delete(tracked));
    this.pendingImages.add(tracked);
  }

  /** Every image and record written before fit() returns; a failure rejects fit() saying what. */
  async onFitEnd(): Promise<void> {
    await Promise.all(this.pendingImages);
    if (this.imageError) throw this.imageError;
    this.writer?.flush();
  }

  /** Also after an error or an abort; a failure here would hide fit()'s own outcome, so it is left to onFitEnd. */
  teardown(): void {
    this.detach?.();
    this.detach = null;
    try { this.writer?.close(); } catch { /* fit() already ended with its own result or error */ }
  }
}

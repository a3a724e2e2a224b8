// The Trainer: runs a problem's phases (e.g. Adam with a scheduler, then L-BFGS) step by step.
// One step is sampling → losses → weighting → backward → optimizer → scheduler (step.ts);
// everything around the steps is a callback (callback.ts, callbacks/): step events, evaluation,
// held-out validation, checkpoints, the NaN guard, convergence, early stopping, time budgets,
// and the caller's own. A checkpoint is the loop's state plus every callback's state dict.
// The loop yields to the event loop every `yieldEvery` ms, so timers, servers and an AbortSignal
// keep working while it trains.
import { EventEmitter } from 'node:events';
import type * as TypedEmitter from 'typed-emitter';
import { readCheckpoint, latestCheckpoint, readCheckpointConfig } from '../io/checkpoint_store.js';
import { DataParallel } from '../distributed/data_parallel.js';
import { type Module } from '../nn/module.js';
import { type Problem } from '../pinn/problem.js';
import { type LossWeighting, StaticWeighting } from '../pinn/weighting/index.js';
import { type Tensor } from '../tensor.js';
import { type AutoOptions, type AutoPlan, autoOptions } from './auto.js';
import { phaseName } from './build.js';
import { PhaseState } from './phase.js';
import { type Callback, type FitEnd } from './callback.js';
import { Checkpointing, defaultCallbacks } from './callbacks/index.js';
import { nonFiniteError } from './callbacks/nan_guard.js';
import { EventStreams } from './event_stream.js';
import { finalLosses, relativeL2 } from './evaluate.js';
import { type CheckpointReason, type EvaluationEvent, type FitResult, type MetricsHistory, type StopReason, type Timing, type TrainerEvent, type TrainerEvents } from './events.js';
import { emptyHistory, record, truncate } from './history.js';
import { type PhaseSpec, type TrainerOptions, checkOptions, placeOnDevice } from './options.js';
import { type RunParts, captureRun, restoreRun } from './run_state.js';
import { type Progress } from './state.js';
import { type AnyOptimizer, NonFiniteSignal, Stepper, seconds } from './step.js';

export class Trainer extends (EventEmitter as new () => TypedEmitter.default<TrainerEvents>) {
  readonly problem: Problem;
  readonly model: Module;
  readonly options: TrainerOptions;
  readonly phases: PhaseSpec[];
  readonly phaseNames: string[];
  readonly totalSteps: number;
  readonly history: MetricsHistory;
  /** The trained parameters: the model's, then the problem's trainable coefficients. */
  readonly params: Tensor[];
  readonly weighting: LossWeighting;
  /** The built-in callbacks the options stand for, then options.callbacks. */
  readonly callbacks: Callback[];
  /** Steps done (over all phases and in the current one), rollbacks, and seconds trained before this fit(). */
  progress: Progress = { step: 0, phaseIndex: 0, phaseStep: 0, rollbacks: 0, elapsed: 0 };
  /** This rank's part in data-parallel training (options.distributed); null in one process. */
  readonly parallel: DataParallel | null;
  /** What Trainer.auto chose and why (undefined for a Trainer built from explicit options). */
  plan?: AutoPlan;
  private readonly stepper: Stepper;
  private readonly streams = new EventStreams();
  private readonly phase: PhaseState;
  private stopRequest: { reason: StopReason; scope: 'phase' | 'fit' } | null = null;
  /** Tensors the Trainer made for itself (Trainer.auto's held-out points), freed by dispose(). */
  private readonly owned: Tensor[] = [];
  private running = false;
  private resumed = false;
  private clock = { fit: 0, phase: 0, phaseBefore: 0 };
  private lastYield = 0;
  private lastWeights: Record<string, number> | undefined;

  constructor(o: TrainerOptions) {
    super();
    this.phases = checkOptions(o);
    this.params = [...o.model.parameters(), ...o.problem.parameters()];
    this.parallel = o.distributed ? new DataParallel(o.distributed) : null;
    this.callbacks = defaultCallbacks(o, this.params, this.parallel);
    placeOnDevice(o);
    this.options = o;
    this.problem = o.problem;
    this.model = o.model;
    this.phaseNames = this.phases.map((p, i) => phaseName(p, i, this.phases));
    checkPhaseNames(this.phaseNames, [
      ...(o.sampling ?? []).map((s) => [`sampling '${s.name}'`, s.phase] as const),
      ['weighting', o.weighting?.phase], ['validation', o.validation?.phase],
    ]);
    this.totalSteps = this.phases.reduce((a, p) => a + p.steps, 0);
    this.weighting = o.weighting ?? new StaticWeighting();
    this.phase = new PhaseState(o.problem, o.model, this.params);
    this.history = emptyHistory(o.problem.conditions.map((c) => c.name), o.problem.trainableCoefficients);
    this.stepper = new Stepper({ problem: o.problem, model: o.model, params: this.params, weighting: this.weighting, sampling: o.sampling ?? [], parallel: this.parallel, onResample: (strategy, points) => this.send('resample', { step: this.progress.step, strategy, points }) });
  }

  /** The default recipe (train/auto.ts), planned from the problem and `timeBudget` seconds; `trainer.plan` says why. */
  static auto(problem: Problem, o: AutoOptions): Trainer {
    const { options, plan } = autoOptions(problem, o);
    const trainer = Object.assign(new Trainer(options), { plan });
    if (options.validation) trainer.owned.push(options.validation.points); // drawn by the recipe, not the caller's
    return trainer;
  }

  /** A Trainer that continues from a checkpoint (a directory, or a root holding `latest`) of the same run. */
  static async resume(dir: string, o: TrainerOptions): Promise<Trainer> { const t = new Trainer(o); t.load(dir); return t; }

  /** @deprecated use io.readCheckpointConfig(dir). */
  static readConfig(dir: string): unknown { return readCheckpointConfig(dir); }

  /** Loads checkpoint state (verified by SHA-256, checked against this problem and model). */
  load(dir: string): void {
    if (this.running) throw new Error('Trainer.load: cannot load while fit() runs');
    let path = dir;
    try { path = latestCheckpoint(dir) ?? dir; } catch { /* a checkpoint directory itself */ }
    this.restoreFiles(readCheckpoint(path).files, path);
    this.resumed = true;
  }

  /** Sends an event to `on()` listeners and every events() iterator. */
  send<E extends keyof TrainerEvents>(type: E, data: Parameters<TrainerEvents[E]>[0]): void {
    this.streams.send(this as unknown as EventEmitter, { type, data } as TrainerEvent);
  }

  /** Ends the current phase (the next one starts) or the whole fit, before the next step. */
  stop(reason: StopReason, scope: 'phase' | 'fit' = 'fit'): void {
    if (this.stopRequest?.scope !== 'fit') this.stopRequest = { reason, scope };
  }

  /** The stop asked for and not yet acted on, if any. */
  get pendingStop(): { reason: StopReason; scope: 'phase' | 'fit' } | null { return this.stopRequest ? { ...this.stopRequest } : null; }

  /** Whether a stop for `reason` is pending. */
  stopRequested(reason: StopReason): boolean { return this.stopRequest?.reason === reason; }

  /** The current phase's optimizer (null between phases). */
  get optimizer(): AnyOptimizer | null { return this.phase.optimizer; }
  lr(): number { return this.phase.optimizer?.paramGroups[0].lr ?? 0; }
  /** Seconds trained, over every fit() of this run, and in the current phase. */
  elapsed(): number { return this.progress.elapsed + (this.running ? seconds() - this.clock.fit : 0); }
  phaseElapsed(): number { return this.clock.phaseBefore + (seconds() - this.clock.phase); }
  /** Seconds per part of the step since the last call (the step events report them). */
  drainTiming(): Timing { return this.stepper.drain(); }

  /** The whole run's state as checkpoint files. */
  captureFiles(): Record<string, Uint8Array[] | string> { return captureRun(this.parts(), this.phase.optimizer?.liveStateDict() ?? null, this.phase.scheduler); }

  /** Puts the state from checkpoint files back (a resume, or a NaN-guard rollback). */
  restoreFiles(files: Record<string, Uint8Array>, where: string): void {
    this.progress = restoreRun(this.parts(), this.phase, files, where);
    truncate(this.history, this.progress.step);
    // The phase's optimizer takes the saved state now, so a state that does not fit is refused here.
    if (this.progress.phaseIndex < this.phases.length) {
      try { this.startPhase(); } catch (e) { throw new Error(`${where}: ${(e as Error).message}`, { cause: e }); }
    }
  }

  private parts(): RunParts {
    const { problem, model, phases, progress, history, weighting, callbacks } = this;
    return { problem, model, phases, progress, history, weighting, callbacks, sampling: this.options.sampling ?? [], config: this.options.config };
  }

  /** Writes a checkpoint now (atomically) and returns its directory. Needs options.checkpoint. */
  saveCheckpoint(reason: CheckpointReason = 'periodic'): string {
    const c = this.callbacks.find((x): x is Checkpointing => x instanceof Checkpointing);
    if (!c) throw new Error('Trainer.saveCheckpoint: no checkpoint directory configured (options.checkpoint.dir)');
    return c.save(this, reason);
  }

  /** The event stream as an async iterator; ends after 'end', throws after 'error'. Call before fit(). */
  events(): AsyncIterableIterator<TrainerEvent> { return this.streams.iterator(); }

  /** Relative L2 error against the problem's reference, per output and overall. */
  evaluate(points: Tensor | undefined = this.options.evalPoints ?? this.problem.referencePoints): EvaluationEvent {
    if (!this.problem.reference || !points) throw new Error('Trainer.evaluate: needs evaluation points and a problem with a reference solution');
    return { step: this.progress.step, relL2: relativeL2(this.problem, this.model, points, { dtype: this.phase.dtype, device: this.params[0]?.device ?? 'cpu' }) };
  }

  /** Trains through the remaining phases. Resolves when done or stopped; rejects on errors. */
  async fit(): Promise<FitResult> {
    if (this.running) throw new Error('Trainer.fit: already running');
    this.running = true;
    this.clock.fit = this.lastYield = seconds();
    this.stopRequest = null;
    const onAbort = () => this.stop('aborted');
    if (this.options.signal?.aborted) onAbort();
    this.options.signal?.addEventListener('abort', onAbort);
    try {
      const result = await this.loop();
      this.send('end', result);
      return result;
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      try { this.send('error', err); } catch { /* the error listener threw: reject with the original */ }
      throw err;
    } finally {
      this.options.signal?.removeEventListener('abort', onAbort);
      for (const c of this.callbacks) c.teardown?.(this);
      this.running = false;
    }
  }

  private async loop(): Promise<FitResult> {
    for (const c of this.callbacks) await c.onFitStart?.(this);
    this.send('start', {
      step: this.progress.step, totalSteps: this.totalSteps, resumed: this.resumed, parameters: this.params.reduce((a, p) => a + p.numel, 0),
      phases: this.phases.map((p, i) => ({ name: this.phaseNames[i], steps: p.steps, optimizer: p.optimizer.type })),
    });
    while (this.progress.phaseIndex < this.phases.length && this.stopRequest?.scope !== 'fit') await this.runPhase();
    const stopReason = this.stopRequest?.scope === 'fit' ? this.stopRequest.reason : 'completed';
    this.drainTiming();
    this.progress.elapsed = this.elapsed();
    this.clock.fit = seconds();
    const end: FitEnd = { stopReason, restored: false };
    let extra: Partial<FitResult> = {};
    for (const c of this.callbacks) extra = { ...extra, ...(await c.onFitEnd?.(this, end)) };
    if (stopReason === 'completed' || stopReason === 'converged') this.phase.end();
    return {
      stopReason, steps: this.progress.step, ...finalLosses(this.problem, this.model, this.history, end.restored, this.lastWeights),
      coefficients: this.problem.coefficientValues(), ...(this.problem.reference && (this.options.evalPoints ?? this.problem.referencePoints) ? { relL2: this.evaluate().relL2 } : {}),
      history: this.history, timing: { ...this.stepper.total, total: this.progress.elapsed }, ...extra,
    };
  }

  private async runPhase(): Promise<void> {
    const pi = this.progress.phaseIndex, spec = this.phases[pi], phase = this.phaseNames[pi];
    if (!this.phase.optimizer) this.startPhase();
    this.clock.phase = seconds();
    this.clock.phaseBefore = this.progress.phaseElapsed ?? 0;
    this.send('phaseStart', { phase, phaseIndex: pi, steps: spec.steps, optimizer: spec.optimizer.type, step: this.progress.step });
    for (const c of this.callbacks) await c.onPhaseStart?.(this, { phaseIndex: pi, phase });
    while (this.progress.phaseStep < spec.steps && !this.stopRequest) await this.step(pi, spec.steps);
    const reason = this.stopRequest?.reason ?? 'completed', why = this.phase.optimizer?.stopReason;
    this.send('phaseEnd', { phase, phaseIndex: pi, step: this.progress.step, phaseSteps: this.progress.phaseStep, reason, ...(why ? { optimizerStopReason: why, lbfgsStopReason: why } : {}) });
    this.progress.phaseElapsed = this.phaseElapsed();
    if (this.stopRequest?.scope === 'fit') return;
    this.stopRequest = null;
    this.phase.end();
    this.progress = { ...this.progress, phaseIndex: pi + 1, phaseStep: 0, phaseElapsed: 0 };
    for (const c of this.callbacks) await c.onPhaseEnd?.(this, { phaseIndex: pi, phase, reason });
  }

  private async step(pi: number, phaseSteps: number): Promise<void> {
    // Yield first, so that a stop asked meanwhile (an abort) is seen by every onStepStart hook.
    if (seconds() - this.lastYield >= (this.options.yieldEvery ?? 20) / 1000) { await new Promise((r) => setImmediate(r)); this.lastYield = seconds(); }
    for (const c of this.callbacks) await c.onStepStart?.(this);
    if (this.stopRequest) return;
    let v;
    try {
      v = this.stepper.run(this.progress.step, this.phase.optimizer!, this.phase.scheduler, { phase: this.phaseNames[pi], phaseStep: this.progress.phaseStep });
    } catch (e) {
      if (!(e instanceof NonFiniteSignal)) throw e;
      return this.nonFinite(e.term);
    }
    this.lastWeights = v.weights;
    this.progress.step++;
    this.progress.phaseStep++;
    this.progress.phaseElapsed = this.phaseElapsed();
    record(this.history, { step: this.progress.step, phase: pi, total: v.total, lr: this.lr(), gradNorm: v.gradNorm, stepTime: v.stepTime, losses: v.losses, coefficients: this.problem.coefficientValues() });
    for (const c of this.callbacks) await c.onStepEnd?.(this, { ...v, lastOfPhase: this.progress.phaseStep === phaseSteps });
  }

  private async nonFinite(term: string): Promise<void> {
    for (const c of this.callbacks) if (await c.onNonFinite?.(this, term)) return;
    this.send('nonFinite', { step: this.progress.step, term, action: 'stop' });
    throw nonFiniteError(term, this.progress.step);
  }

  private startPhase(): void {
    const i = this.progress.phaseIndex, phase = this.phaseNames[i];
    this.phase.start(this.phases[i], i, ({ iteration, totalIterations, loss, funcEvals, stepSize }) => this.send('optimizerIteration', { phase, step: this.progress.step, iteration, totalIterations, loss, funcEvals, stepSize }));
  }

  /** Frees optimizer state, pending resume state, what callbacks hold and what Trainer.auto drew (the model and problem stay the caller's). */
  dispose(): void {
    this.phase.dispose();
    for (const c of this.callbacks) c.dispose?.();
    for (const t of this.owned.splice(0)) t.dispose();
  }
}

/** A schedule that counts a phase's steps must name a phase of this fit: a misspelt name would never act. */
function checkPhaseNames(names: string[], uses: ReadonlyArray<readonly [string, string | undefined]>): void {
  for (const [what, phase] of uses) {
    if (phase !== undefined && !names.includes(phase)) throw new Error(`Trainer: ${what} counts the steps of phase '${phase}', which this fit does not have (phases: ${names.join(', ')})`);
  }
}

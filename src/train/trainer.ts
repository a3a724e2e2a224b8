// The Trainer: runs a problem's phases (e.g. Adam with a scheduler, then L-BFGS), streams
// typed events, keeps a per-step history, stops on convergence / patience / budget / abort,
// guards against NaN, and checkpoints everything needed to continue bit for bit.
//
// One step: sampling strategies → losses (forward + derivatives) → weighting → backward →
// optimizer → scheduler. The loop is synchronous per step and yields to the event loop every
// `yieldEvery` ms, so timers, servers, signals and AbortSignal keep working while it trains.
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type * as TypedEmitterModule from 'typed-emitter';
import { noGrad } from '../autograd.js';
import { scalar } from '../creation.js';
import { type DType, isFloating, parseDevice } from '../dtype.js';
import { stack } from '../functional.js';
import { latestCheckpoint, pruneCheckpoints, readCheckpoint, writeCheckpoint } from '../io/checkpoint_store.js';
import { keep, tidy } from '../memory.js';
import { type Module } from '../nn/module.js';
import { QuasiNewton } from '../optim/quasi_newton.js';
import { ReduceLROnPlateau } from '../optim/lr_scheduler/reduce_lr_on_plateau.js';
import { type Problem } from '../pinn/problem.js';
import { type LossWeighting, StaticWeighting } from '../pinn/weighting/index.js';
import { getRngState, setRngState } from '../runtime.js';
import { Tensor } from '../tensor.js';
import { type AutoOptions, type AutoPlan, autoOptions } from './auto.js';
import { type Scheduler, buildOptimizer, buildScheduler, checkPhases, phaseName } from './build.js';
import {
  type CheckpointReason, type EvaluationEvent, type FitResult, type MetricsHistory, type StopReason,
  type Timing, type TrainerEvent, type TrainerEvents,
} from './events.js';
import { Convergence, EarlyStopping, emptyHistory, record, truncate } from './history.js';
import { type TrainerOptions } from './options.js';
import { type Loaded, type Progress, TRAINER_STATE_FORMAT, type TrainerJson, fromFiles, pointKeys, savedDtype, toFiles } from './state.js';
import { Validation } from './validation.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOptimizer = import('../optim/optimizer.js').Optimizer<any>;
type TypedEmitter<E extends TypedEmitterModule.EventMap> = TypedEmitterModule.default<E>;

const zeroTiming = (): Timing => ({ sampling: 0, forward: 0, loss: 0, backward: 0, optimizer: 0 });
const seconds = () => performance.now() / 1000;

/** A listener threw: training stops and fit() rejects with this. */
export class ListenerError extends Error {
  constructor(readonly event: string, cause: unknown) {
    super(`a '${event}' listener threw: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** A NaN/Inf loss or gradient with nanGuard 'stop' (or rollbacks exhausted). */
export class NonFiniteError extends Error {}

interface StepValues { losses: Record<string, number>; weights: Record<string, number>; total: number; gradNorm: number }

class NonFiniteSignal { constructor(readonly values: StepValues, readonly term: string) {} }

export class Trainer extends (EventEmitter as new () => TypedEmitter<TrainerEvents>) {
  readonly problem: Problem;
  readonly model: Module;
  readonly options: TrainerOptions;
  readonly phaseNames: string[];
  readonly history: MetricsHistory;
  private progress: Progress = { step: 0, phaseIndex: 0, phaseStep: 0, rollbacks: 0, elapsed: 0 };
  private readonly params: Tensor[];
  private readonly weighting: LossWeighting;
  private readonly residualTerms: string[];
  private readonly convergence: Convergence | null;
  private readonly earlyStopping: EarlyStopping | null;
  private readonly validation: Validation | null;
  private optimizer: AnyOptimizer | null = null;
  private scheduler: Scheduler | null = null;
  private pending: Loaded | null = null;
  private snapshot: Record<string, Uint8Array> | null = null;
  private best: TrainerJson['best'] = null;
  private stopRequest: 'aborted' | null = null;
  private running = false;
  private resumed = false;
  private readonly iterators = new Set<(e: TrainerEvent) => void>();
  private timing = zeroTiming();
  private totalTiming = zeroTiming();
  private lastCheckpoint?: string;

  constructor(o: TrainerOptions) {
    super();
    if (!o || typeof o !== 'object') throw new Error('Trainer: options must be an object');
    if (!o.problem || !Array.isArray(o.problem.conditions)) throw new Error('Trainer: options.problem must be a pinn.Problem');
    if (!o.model || typeof o.model.forward !== 'function') throw new Error('Trainer: options.model must be an nn.Module');
    checkPhases(o.phases);
    const positiveInt = (k: keyof TrainerOptions, v: unknown) => {
      if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 1)) throw new RangeError(`Trainer: ${String(k)} must be a positive integer, got ${String(v)}`);
    };
    positiveInt('logEvery', o.logEvery);
    positiveInt('evalEvery', o.evalEvery);
    if (o.evalEvery !== undefined && (!(o.evalPoints ?? o.problem.referencePoints) || !o.problem.reference)) throw new Error('Trainer: evalEvery needs evalPoints and a problem with a reference solution');
    if (o.checkpoint && (typeof o.checkpoint.dir !== 'string' || !o.checkpoint.dir)) throw new Error('Trainer: checkpoint.dir must be a directory path');
    if (o.checkpoint?.every !== undefined && !(Number.isInteger(o.checkpoint.every) && o.checkpoint.every >= 0)) throw new RangeError(`Trainer: checkpoint.every must be a non-negative integer, got ${o.checkpoint.every}`);
    if (o.timeBudget !== undefined && !(o.timeBudget > 0)) throw new RangeError(`Trainer: timeBudget must be > 0 seconds, got ${o.timeBudget}`);
    if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new TypeError('Trainer: signal must be an AbortSignal');
    if (o.device !== undefined) {
      const device = parseDevice('Trainer', o.device)[2]; // an unavailable device fails here, before anything moves
      o.model.to(device);
      o.problem.to({ device });
    }
    this.options = o;
    this.problem = o.problem;
    this.model = o.model;
    this.phaseNames = o.phases.map((p, i) => phaseName(p, i, o.phases));
    this.params = [...o.model.parameters(), ...o.problem.parameters()];
    this.weighting = o.weighting ?? new StaticWeighting();
    this.residualTerms = o.problem.residualTerms();
    this.convergence = o.convergence ? new Convergence(o.convergence) : null;
    this.earlyStopping = o.earlyStopping ? new EarlyStopping(o.earlyStopping) : null;
    this.validation = o.validation ? new Validation(o.validation, o.problem) : null;
    this.history = emptyHistory(o.problem.conditions.map((c) => c.name), o.problem.trainableCoefficients);
  }

  /** What Trainer.auto chose and why (undefined for a Trainer built from explicit options). */
  plan?: AutoPlan;

  /**
   * A Trainer with the default recipe (train/auto.ts): network, precision, phases, weighting,
   * redrawing and held-out validation chosen from the problem and `timeBudget` seconds.
   * `trainer.plan` says what was chosen and why; `trainer.model` is the network it built.
   */
  static auto(problem: Problem, o: AutoOptions): Trainer {
    const { options, plan } = autoOptions(problem, o);
    const t = new Trainer(options);
    t.plan = plan;
    return t;
  }

  // ---- resume ------------------------------------------------------------------------

  /**
   * A Trainer that continues from a checkpoint: `dir` is a checkpoint directory or a root
   * holding `latest`. The problem, model and options must describe the same run (the CLI
   * rebuilds them from the saved config); everything else is restored from the files.
   */
  static async resume(dir: string, o: TrainerOptions): Promise<Trainer> {
    const t = new Trainer(o);
    t.load(dir);
    return t;
  }

  /** The config saved with the checkpoint at `dir` (a checkpoint or a root with `latest`). */
  static readConfig(dir: string): unknown {
    const { files } = readCheckpoint(Trainer.checkpointDir(dir));
    return files['config.json'] ? JSON.parse(files['config.json'].toString('utf8')) : undefined;
  }

  private static checkpointDir(dir: string): string {
    try { return latestCheckpoint(dir) ?? dir; } catch { return dir; }
  }

  /** Loads checkpoint state (verified by SHA-256, checked against this problem and model). */
  load(dir: string): void {
    if (this.running) throw new Error('Trainer.load: cannot load while fit() runs');
    const path = Trainer.checkpointDir(dir);
    const { files } = readCheckpoint(path);
    // A run that switched dtype in a phase saved its weights in the new one.
    const saved = savedDtype(files['model.safetensors']);
    if (saved) this.castTo(saved);
    tidy(() => this.apply(fromFiles(files, path, this.problem, this.model)));
    this.resumed = true;
  }

  /** Copies loaded state in. Optimizer state waits until its phase's optimizer exists. */
  private apply(l: Loaded): void {
    const j = l.json;
    try {
      // The plan may change after the current phase (e.g. more L-BFGS steps), not before it.
      const pi = j.progress.phaseIndex;
      const mine = this.options.phases[pi]?.optimizer.type, saved = j.phases[pi]?.optimizer.type;
      if (pi < j.phases.length && mine !== saved) {
        throw new Error(`trainer.json: the checkpoint is in phase ${pi} (${saved}), but this plan's phase ${pi} is ${mine ?? 'missing'}`);
      }
      this.model.loadStateDict(l.model);
      noGrad(() => {
        for (const [k, v] of Object.entries(j.problem.coefficients)) {
          const c = this.problem.coefficients[k];
          if (!c) throw new Error(`trainer.json: coefficient '${k}' is not in this problem`);
          c.copy_(scalar(v, { dtype: c.dtype }));
        }
      });
      const keys = new Map(j.problem.conditions.map((c) => [c.name, c.points]));
      const fresh = new Map<string, Tensor>();
      for (const c of this.problem.conditions) {
        const key = keys.get(c.name)!;
        if (!fresh.has(key)) fresh.set(key, keep(l.points[key].to({ dtype: c.points.dtype, device: c.points.device }).clone()));
        c.adoptPoints(fresh.get(key)!); // terms that shared points share them again
        const lambda = l.attention[c.name];
        if (c.attention) c.attention.load(lambda ? lambda.to({ dtype: c.points.dtype, device: c.points.device }).clone() : null);
      }
      if (j.weighting) this.weighting.loadStateDict(j.weighting.state);
      const sampling = this.options.sampling ?? [];
      if (j.sampling.length !== sampling.length) throw new Error(`trainer.json: ${j.sampling.length} sampling strategies saved, ${sampling.length} given`);
      sampling.forEach((s, i) => s.loadStateDict(j.sampling[i].state));
      if (j.earlyStopping && this.earlyStopping) this.earlyStopping.loadStateDict(j.earlyStopping);
      this.validation?.loadStateDict(j.validation ?? undefined, l.validation, this.params, 'checkpoint validation.safetensors');
      setRngState(new Uint8Array(Buffer.from(j.rng, 'base64')));
      this.progress = { ...j.progress };
      this.best = j.best;
      Object.assign(this.history, l.history);
      this.disposeOptimizer();
      this.pending?.dispose();
      this.pending = l.optimizer ? l : null;
      if (!this.pending) l.dispose();
    } catch (e) {
      l.dispose();
      throw e;
    }
  }

  // ---- checkpoints -------------------------------------------------------------------

  private capture(): Record<string, Uint8Array[] | string> {
    const j: TrainerJson = {
      format: TRAINER_STATE_FORMAT,
      progress: { ...this.progress },
      phases: this.options.phases,
      problem: {
        inputs: this.problem.inputs, outputs: this.problem.outputs,
        conditions: [...pointKeys(this.problem)].map(([name, points]) => ({ name, points })),
        coefficients: this.problem.coefficientValues(),
      },
      optimizer: null,
      scheduler: this.scheduler ? this.scheduler.stateDict() : null,
      weighting: { name: this.weighting.name, state: this.weighting.stateDict() },
      sampling: (this.options.sampling ?? []).map((s) => ({ name: s.name, state: s.stateDict() })),
      earlyStopping: this.earlyStopping?.stateDict() ?? null,
      rng: Buffer.from(getRngState()).toString('base64'),
      best: this.best,
      validation: this.validation?.stateDict() ?? null,
    };
    return tidy(() => toFiles(this.problem, this.model, this.optimizer?.stateDict() ?? null, { json: j, history: this.history, config: this.options.config, validation: this.validation?.tensors() }));
  }

  /** Writes a checkpoint now (atomically) and returns its directory. Needs options.checkpoint. */
  saveCheckpoint(reason: CheckpointReason = 'periodic'): string {
    const o = this.options.checkpoint;
    if (!o) throw new Error('Trainer.saveCheckpoint: no checkpoint directory configured (options.checkpoint.dir)');
    const name = `step-${String(this.progress.step).padStart(8, '0')}`;
    const metric = this.bestMetric();
    if (o.best && metric !== null && (this.best === null || metric < this.best.value)) this.best = { metric: o.best, value: metric, checkpoint: name };
    const meta = { step: this.progress.step, phase: this.phaseNames[this.progress.phaseIndex] ?? 'done', reason, total: this.history.total.at(-1) ?? null };
    const path = writeCheckpoint(o.dir, name, this.capture(), meta);
    pruneCheckpoints(o.dir, { keepLast: o.keepLast ?? 3, keep: this.best ? [this.best.checkpoint] : [] });
    this.lastCheckpoint = path;
    this.send('checkpoint', { step: this.progress.step, path, reason, ...(metric !== null ? { metric } : {}) });
    return path;
  }

  private bestMetric(): number | null {
    const m = this.options.checkpoint?.best;
    if (m === 'relL2') return this.history.evaluations.at(-1)?.relL2.all ?? null;
    return this.history.total.at(-1) ?? null;
  }

  // ---- events ------------------------------------------------------------------------

  private send<E extends keyof TrainerEvents>(type: E, data: Parameters<TrainerEvents[E]>[0]): void {
    for (const push of this.iterators) push({ type, data } as TrainerEvent);
    if (type === 'error' && this.listenerCount('error') === 0) return; // EventEmitter would throw it
    try {
      (this.emit as (e: E, d: unknown) => boolean)(type, data);
    } catch (e) {
      throw new ListenerError(type, e);
    }
  }

  /** The event stream as an async iterator; ends after 'end', throws after 'error'. Call before fit(). */
  events(): AsyncIterableIterator<TrainerEvent> {
    const queue: TrainerEvent[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const push = (e: TrainerEvent) => { queue.push(e); wake?.(); };
    this.iterators.add(push);
    const close = () => { done = true; this.iterators.delete(push); };
    return {
      [Symbol.asyncIterator]() { return this; },
      async next(): Promise<IteratorResult<TrainerEvent>> {
        while (queue.length === 0 && !done) await new Promise<void>((r) => (wake = r));
        wake = null;
        const e = queue.shift();
        if (!e) return { value: undefined, done: true };
        if (e.type === 'end') close();
        if (e.type === 'error') { close(); throw e.data; }
        return { value: e, done: false };
      },
      async return(): Promise<IteratorResult<TrainerEvent>> { close(); queue.length = 0; return { value: undefined, done: true }; },
    };
  }

  // ---- evaluation --------------------------------------------------------------------

  /** Relative L2 error against the problem's reference, per output and overall. */
  evaluate(points: Tensor | undefined = this.evalPoints): EvaluationEvent {
    const ref = this.problem.reference;
    if (!ref || !points) throw new Error('Trainer.evaluate: needs evaluation points and a problem with a reference solution');
    return tidy(() => noGrad(() => {
      const device = this.params[0]?.device ?? 'cpu';
      const x = points.dtype === this.dtype && points.device === device ? points : points.to({ dtype: this.dtype, device });
      const u = this.problem.predict(this.model, x);
      const r = ref(x);
      if (r.ndim !== 2 || r.shape[0] !== u.shape[0] || r.shape[1] !== u.shape[1]) {
        throw new Error(`Trainer.evaluate: reference returns [${r.shape.join(', ')}], the model [${u.shape.join(', ')}]`);
      }
      const err = u.sub(r).abs().square().sum(0).to('float64');
      const nrm = r.abs().square().sum(0).to('float64');
      const e = err.data() as Float64Array, n = nrm.data() as Float64Array;
      const relL2: Record<string, number> & { all: number } = { all: Math.sqrt(e.reduce((a, b) => a + b, 0) / n.reduce((a, b) => a + b, 0)) };
      this.problem.outputs.forEach((o, k) => { relL2[o] = Math.sqrt(e[k] / n[k]); });
      return { step: this.progress.step, relL2 };
    }));
  }

  // ---- training ----------------------------------------------------------------------

  private startPhase(): void {
    const i = this.progress.phaseIndex;
    const spec = this.options.phases[i];
    const where = `Trainer: phases[${i}]`;
    if (spec.dtype) this.castTo(spec.dtype);
    const opt = buildOptimizer(spec, this.params, where);
    if (opt instanceof QuasiNewton) {
      opt.onIteration = (it) => this.send('lbfgsIteration', {
        phase: this.phaseNames[i], step: this.progress.step, iteration: it.iteration, totalIterations: it.totalIterations,
        loss: it.loss, funcEvals: it.funcEvals, stepSize: it.stepSize,
      });
    }
    this.optimizer = opt;
    this.scheduler = buildScheduler(spec, opt, where);
    if (this.pending) {
      const l = this.pending;
      this.pending = null;
      try {
        opt.loadStateDict(l.optimizer!);
        if (this.scheduler && l.json.scheduler) (this.scheduler.loadStateDict as (s: unknown) => void)(l.json.scheduler);
      } finally {
        l.dispose();
      }
    }
  }

  /** Where relative L2 is measured: the given points, else those of a reference given as data. */
  private get evalPoints(): Tensor | undefined { return this.options.evalPoints ?? this.problem.referencePoints; }

  /** The dtype the model trains in now (its first floating parameter's). */
  private get dtype(): DType {
    return this.params.find((p) => isFloating(p.dtype))?.dtype ?? 'float32';
  }

  /** Model and problem to `dtype`, in place (parameters keep their identity). */
  private castTo(dtype: DType): void {
    if (this.dtype === dtype) return;
    this.model.to(dtype);
    this.problem.to(dtype);
  }

  private disposeOptimizer(): void {
    this.optimizer?.dispose();
    this.optimizer = null;
    this.scheduler = null;
  }

  private lr(): number { return this.optimizer?.paramGroups[0].lr ?? 0; }

  /** Losses, weights and backward for one evaluation; returns the total (graph freed by the caller's tidy). */
  private evaluateLoss(values: { v?: StepValues }): Tensor {
    const t0 = seconds();
    this.model.zeroGrad();
    for (const p of this.problem.parameters()) p.grad = null;
    const raw = this.problem.losses(this.model);
    const t1 = seconds();
    const names = Object.keys(raw);
    const weights = this.weighting.weights({
      step: this.progress.step, raw, params: this.params, base: Object.fromEntries(this.problem.conditions.map((c) => [c.name, c.weight])),
      residualTerms: this.residualTerms, problem: this.problem, model: this.model,
    });
    const total = this.problem.total(raw, weights);
    const t2 = seconds();
    total.backward();
    const t3 = seconds();
    // One crossing for every number the step reports: raw losses, total, ‖∇θ‖².
    const grads = this.params.map((p) => p.grad).filter((g): g is Tensor => g !== null);
    const gradSq = grads.map((g) => g.square().sum()).reduce((a, b) => a.add(b), total.mul(0));
    const nums = stack([...names.map((k) => raw[k]), total.detach(), gradSq]).to('float64').data() as Float64Array;
    const v: StepValues = {
      losses: Object.fromEntries(names.map((k, i) => [k, nums[i]])),
      weights, total: nums[names.length], gradNorm: Math.sqrt(nums[names.length + 1]),
    };
    Object.assign(this.timing, {
      forward: this.timing.forward + (t1 - t0), loss: this.timing.loss + (t2 - t1),
      backward: this.timing.backward + (t3 - t2) + (seconds() - t3),
    });
    if (!values.v) {
      values.v = v;
      const bad = names.find((k) => !Number.isFinite(v.losses[k])) ?? (!Number.isFinite(v.total) ? 'total' : !Number.isFinite(v.gradNorm) ? 'gradient' : null);
      if (bad) throw new NonFiniteSignal(v, bad);
    }
    return total;
  }

  /** One optimizer step; throws NonFiniteSignal before any parameter changes on NaN/Inf. */
  private trainStep(): StepValues {
    const opt = this.optimizer!;
    const t0 = seconds();
    for (const s of this.options.sampling ?? []) {
      if (s.apply(this.progress.step, this.problem, this.model)) {
        // New points make a new objective: the last gradient and loss (and L-BFGS's pairs) belong to the old one.
        if (opt instanceof QuasiNewton) opt.objectiveChanged();
        this.send('resample', { step: this.progress.step, strategy: s.name, points: Object.fromEntries(this.problem.conditions.map((c) => [c.name, c.points.shape[0]])) });
      }
    }
    this.timing.sampling += seconds() - t0;
    const values: { v?: StepValues } = {};
    if (opt instanceof QuasiNewton) {
      // A quasi-Newton optimizer evaluates the loss itself (several times); the rest of its time is its own.
      const inner = () => this.timing.forward + this.timing.loss + this.timing.backward;
      const before = inner(), t1 = seconds();
      opt.step(() => this.evaluateLoss(values));
      this.timing.optimizer += Math.max(0, seconds() - t1 - (inner() - before));
    } else {
      tidy(() => { this.evaluateLoss(values); }); // returns nothing: tidy would keep a returned tensor
      const t1 = seconds();
      opt.step();
      this.timing.optimizer += seconds() - t1;
    }
    const v = values.v!;
    if (this.scheduler instanceof ReduceLROnPlateau) this.scheduler.step(v.total);
    else this.scheduler?.step();
    return v;
  }

  private async rollback(signal: NonFiniteSignal): Promise<void> {
    const guard = this.options.nanGuard;
    const o = typeof guard === 'object' ? guard : null;
    const step = this.progress.step;
    const max = o?.maxRollbacks ?? 3;
    if (!o || !this.snapshot || this.progress.rollbacks >= max) {
      this.send('nonFinite', { step, term: signal.term, action: 'stop' });
      const why = !o ? '' : !this.snapshot ? ' (no earlier good state to roll back to)' : ` (after ${max} rollbacks)`;
      throw new NonFiniteError(`Trainer: non-finite ${signal.term === 'gradient' ? 'gradient' : `loss in term '${signal.term}'`} at step ${step + 1}${why}; lower the learning rate, check the data for NaN, or use nanGuard: { action: 'rollback' }`);
    }
    const rollbacks = this.progress.rollbacks + 1;
    const files = this.snapshot;
    tidy(() => this.apply(fromFiles(files, '(in-memory snapshot)', this.problem, this.model)));
    truncate(this.history, this.progress.step);
    this.progress.rollbacks = rollbacks;
    if (!this.optimizer) this.startPhase();
    const factor = o.lrFactor ?? 0.5;
    for (const g of this.optimizer!.paramGroups) g.lr *= factor;
    this.send('nonFinite', { step, term: signal.term, action: 'rollback', restoredStep: this.progress.step, lr: this.lr() });
  }

  private takeSnapshot(): void {
    if (typeof this.options.nanGuard !== 'object') return;
    const files = this.capture();
    this.snapshot = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? Buffer.from(v) : Buffer.concat(v)]));
  }

  /** Trains through the remaining phases. Resolves when done or stopped; rejects on errors. */
  async fit(): Promise<FitResult> {
    if (this.running) throw new Error('Trainer.fit: already running');
    this.running = true;
    this.stopRequest = this.options.signal?.aborted ? 'aborted' : null;
    const onAbort = () => { this.stopRequest = 'aborted'; };
    this.options.signal?.addEventListener('abort', onAbort);
    let signals = 0;
    const onSignal = () => { if (++signals > 1) process.exit(130); this.stopRequest = 'aborted'; };
    if (this.options.handleSignals) { process.on('SIGINT', onSignal); process.on('SIGTERM', onSignal); }
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
      if (this.options.handleSignals) { process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); }
      this.running = false;
    }
  }

  private async loop(): Promise<FitResult> {
    const o = this.options;
    const phases = o.phases;
    const startedAt = seconds();
    const elapsed = () => this.progress.elapsed + (seconds() - startedAt);
    const totalSteps = phases.reduce((a, p) => a + p.steps, 0);
    const logEvery = o.logEvery ?? 1;
    const yieldEvery = (o.yieldEvery ?? 20) / 1000;
    let lastYield = seconds();
    let window = { at: seconds(), steps: 0 };
    let stopReason: StopReason = 'completed';
    let lastWeights: Record<string, number> | undefined;
    this.send('start', {
      step: this.progress.step, totalSteps, resumed: this.resumed, parameters: this.params.reduce((a, p) => a + p.numel, 0),
      phases: phases.map((p, i) => ({ name: this.phaseNames[i], steps: p.steps, optimizer: p.optimizer.type })),
    });

    while (this.progress.phaseIndex < phases.length) {
      const pi = this.progress.phaseIndex;
      const spec = phases[pi];
      if (!this.optimizer) this.startPhase();
      this.send('phaseStart', { phase: this.phaseNames[pi], phaseIndex: pi, steps: spec.steps, optimizer: spec.optimizer.type, step: this.progress.step });
      let phaseReason: StopReason = 'completed';
      let phaseBudgetSpent = false;
      const phaseStart = seconds(), phaseBefore = this.progress.phaseElapsed ?? 0;
      const phaseElapsed = () => phaseBefore + (seconds() - phaseStart);
      this.takeSnapshot();
      while (this.progress.phaseStep < spec.steps) {
        if (this.stopRequest) { phaseReason = this.stopRequest; break; }
        if (o.timeBudget !== undefined && elapsed() >= o.timeBudget) { phaseReason = 'timeBudget'; break; }
        if (spec.timeBudget !== undefined && phaseElapsed() >= spec.timeBudget) { phaseReason = 'timeBudget'; phaseBudgetSpent = true; break; }
        if (seconds() - lastYield >= yieldEvery) {
          await new Promise((r) => setImmediate(r));
          lastYield = seconds();
          if (this.stopRequest) { phaseReason = this.stopRequest; break; }
        }
        const t0 = seconds();
        let v: StepValues;
        try {
          v = this.trainStep();
        } catch (e) {
          if (!(e instanceof NonFiniteSignal)) throw e;
          await this.rollback(e);
          continue;
        }
        const stepTime = seconds() - t0;
        lastWeights = v.weights;
        this.progress.step++;
        this.progress.phaseStep++;
        this.progress.phaseElapsed = phaseElapsed();
        const coefficients = this.problem.coefficientValues();
        record(this.history, { step: this.progress.step, phase: pi, total: v.total, lr: this.lr(), gradNorm: v.gradNorm, stepTime, losses: v.losses, coefficients });
        window.steps++;
        const last = this.progress.phaseStep === spec.steps;
        if (this.progress.step % logEvery === 0 || last) {
          const now = seconds();
          const stepsPerSecond = window.steps / Math.max(now - window.at, 1e-9);
          const weighted = Object.fromEntries(Object.entries(v.losses).map(([k, l]) => [k, l * (v.weights[k] ?? 0)]));
          const timing = this.timing;
          this.send('step', {
            phase: this.phaseNames[pi], phaseIndex: pi, step: this.progress.step, phaseStep: this.progress.phaseStep, totalSteps,
            losses: v.losses, weights: v.weights, weighted, total: v.total, lr: this.lr(), gradNorm: v.gradNorm, coefficients,
            stepTime, stepsPerSecond, eta: (totalSteps - this.progress.step) / stepsPerSecond, elapsed: elapsed(), timing,
          });
          for (const k of Object.keys(timing) as (keyof Timing)[]) this.totalTiming[k] += timing[k];
          this.timing = zeroTiming();
          window = { at: now, steps: 0 };
        }
        if (o.evalEvery && this.progress.step % o.evalEvery === 0) {
          const e = this.evaluate();
          this.history.evaluations.push(e);
          this.send('evaluation', e);
        }
        if (this.validation?.due(this.progress.step)) this.validate(v.weights);
        if (o.checkpoint?.every && this.progress.step % o.checkpoint.every === 0 && !last) this.saveCheckpoint('periodic');
        if (typeof o.nanGuard === 'object' && this.progress.phaseStep % 100 === 0) this.takeSnapshot();
        const converged = this.convergence?.check(this.history);
        if (converged) { this.send('converged', { step: this.progress.step, reason: converged }); phaseReason = 'converged'; break; }
        if (this.earlyStopping) {
          const es = this.earlyStopping;
          const metric = es.o.metric === 'relL2' ? this.history.evaluations.at(-1)?.relL2.all : v.total;
          if (metric !== undefined && es.update(this.progress.step, metric)) {
            this.send('earlyStop', { step: this.progress.step, reason: `${es.o.metric ?? 'total'} did not improve for ${es.o.patience} steps`, best: es.best, bestStep: es.bestStep });
            phaseReason = 'earlyStop';
            break;
          }
        }
      }
      const lbfgsStopReason = this.optimizer instanceof QuasiNewton ? this.optimizer.lastStopReason : undefined;
      this.send('phaseEnd', {
        phase: this.phaseNames[pi], phaseIndex: pi, step: this.progress.step, phaseSteps: this.progress.phaseStep, reason: phaseReason,
        ...(lbfgsStopReason ? { lbfgsStopReason } : {}),
      });
      this.progress.phaseElapsed = phaseElapsed();
      if (phaseReason !== 'completed' && phaseReason !== 'converged' && !phaseBudgetSpent) { stopReason = phaseReason as StopReason; break; }
      this.disposeOptimizer();
      this.progress.phaseIndex++;
      this.progress.phaseStep = 0;
      this.progress.phaseElapsed = 0;
      if (o.checkpoint && this.progress.phaseIndex < phases.length) this.saveCheckpoint('phaseEnd');
    }
    for (const k of Object.keys(this.timing) as (keyof Timing)[]) this.totalTiming[k] += this.timing[k];
    this.timing = zeroTiming();
    this.progress.elapsed = elapsed();
    // A finished run ends on its best held-out parameters; an aborted one keeps its live state to resume from.
    const restored = stopReason !== 'aborted' && stopReason !== 'nonFinite' && (this.validation?.restore(this.params) ?? false);
    if (o.checkpoint && this.progress.step > 0) this.saveCheckpoint(stopReason === 'aborted' ? 'abort' : 'end');
    if (stopReason === 'completed' || stopReason === 'converged') this.disposeOptimizer();
    const n = this.history.step.length;
    const finalEval = this.evalPoints && this.problem.reference ? this.evaluate() : undefined;
    // After a restore, report the losses of the parameters the model holds, not of the last step's.
    const final = restored ? this.lossesNow(lastWeights) : {
      losses: Object.fromEntries(Object.entries(this.history.losses).map(([k, a]) => [k, a[n - 1]])), total: this.history.total[n - 1],
    };
    return {
      stopReason,
      steps: this.progress.step,
      losses: final.losses,
      total: final.total,
      coefficients: this.problem.coefficientValues(),
      ...(finalEval ? { relL2: finalEval.relL2 } : {}),
      history: this.history,
      timing: { ...this.totalTiming, total: this.progress.elapsed },
      ...(this.lastCheckpoint ? { lastCheckpoint: this.lastCheckpoint } : {}),
      ...(this.best ? { bestCheckpoint: `${o.checkpoint!.dir}/${this.best.checkpoint}` } : {}),
      ...(this.validation?.best ? { validation: { best: this.validation.best.value, bestStep: this.validation.best.step, restored } } : {}),
    };
  }

  /** Raw losses and their weighted total at the current parameters and points (no step, no backward). */
  private lossesNow(weights: Record<string, number> | undefined): { losses: Record<string, number>; total: number } {
    return tidy(() => {
      const raw = this.problem.losses(this.model);
      const names = Object.keys(raw);
      const nums = stack([...names.map((k) => raw[k]), this.problem.total(raw, weights)]).to('float64').data() as Float64Array;
      return { losses: Object.fromEntries(names.map((k, i) => [k, nums[i]])), total: nums[names.length] };
    });
  }

  /** Measures the held-out residual, records it, and keeps the parameters when it is the best. */
  private validate(weights: Record<string, number>): void {
    const v = this.validation!;
    const heldOut = v.measure(this.problem, this.model);
    // With `total`, the other terms' weighted losses of this step join the weighted held-out residual.
    const value = !v.o.total ? heldOut : Object.entries(this.history.losses).reduce(
      (sum, [k, l]) => (k === v.o.condition ? sum : sum + (weights[k] ?? 0) * l[l.length - 1]), (weights[v.o.condition] ?? 1) * heldOut);
    this.history.validation.push({ step: this.progress.step, value });
    v.offer(this.progress.step, value, this.params);
    this.send('validation', { step: this.progress.step, condition: v.o.condition, value, best: v.best?.value ?? null, bestStep: v.best?.step ?? null });
  }

  /** Frees optimizer state and any pending resume state (the model and problem stay the caller's). */
  dispose(): void {
    this.disposeOptimizer();
    this.validation?.dispose();
    this.pending?.dispose();
    this.pending = null;
  }
}

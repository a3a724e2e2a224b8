// Where the collocation points are, over training: periodic resampling, residual-based
// adaptive refinement (RAR) and distribution (RAD), and mini-batches. Each strategy acts on
// named conditions, draws from a seeded generator, and has a state dict for exact resume.
import {
  checkInteger, checkName, checkNames, checkNonNegative, checkNonNegativeInt, checkOptions, checkPositiveInt, need,
} from '../checks.js';
import { tensor } from '../creation.js';
import { cat } from '../functional.js';
import { tidy } from '../memory.js';
import { type Module } from '../nn/module.js';
import { Tensor } from '../tensor.js';
import { Random } from '../geometry/random.js';
import { type Condition } from './conditions.js';
import { type PhaseStep, scheduledStep } from './phase_step.js';
import { type Problem } from './problem.js';

/** Makes n fresh candidate points [n, inputs] using the given generator. */
export type PointSource = (n: number, rng: Random) => Tensor;

export interface SamplingStrategy {
  readonly name: string;
  /** The phase whose steps its schedule counts, if any (the Trainer checks the name exists). */
  readonly phase?: string;
  /** Called before each step (`step` completed ones; `at`: where they fall in the phases); returns true when points changed. */
  apply(step: number, problem: Problem, model: Module, at?: PhaseStep): boolean;
  stateDict(): Record<string, unknown>;
  loadStateDict(s: Record<string, unknown>): void;
}

function conditionOf(problem: Problem, name: string, strategy: string): Condition {
  const c = problem.conditions.find((k) => k.name === name);
  if (!c) throw new Error(`${strategy}: no condition named '${name}' (conditions: ${problem.conditions.map((k) => k.name).join(', ')})`);
  return c;
}

abstract class Seeded {
  protected rng: Random;
  constructor(seed: number) { this.rng = new Random(seed); }
  stateDict(): Record<string, unknown> { return { rng: this.rng.state() }; }
  loadStateDict(s: Record<string, unknown>): void {
    const op = `${this.constructor.name}.loadStateDict`;
    need(s !== null && typeof s === 'object' && Array.isArray(s.rng), op, 'state.rng', 'a generator state (an array)', s?.rng);
    this.rng.setState(s.rng as number[]);
  }
}

/**
 * When a strategy acts. With `phase`, `every`, `from` and `until` count the steps of that phase
 * (by name) and it acts only during it: a schedule that holds however many steps an earlier
 * phase ended by its time budget.
 */
interface Schedule { every: number; from?: number; until?: number; phase?: string }
const SCHEDULE_KEYS = ['condition', 'source', 'every', 'from', 'until', 'phase', 'seed'];

/** The strategy's options checked (an object of known keys, a seed that is an integer); its seed. */
function seedOf(op: string, o: { seed?: number } | undefined, keys: readonly string[]): number {
  const { seed } = checkOptions(op, o, keys);
  return seed === undefined ? 0 : checkInteger(op, 'seed', seed);
}

function checkStep(op: string, name: string, step: number | undefined): void {
  if (step !== undefined) checkNonNegativeInt(op, name, step);
}

/** The condition the strategy moves the points of, a source of fresh ones, and when. */
function checkSchedule(op: string, { condition, source, every, from, until, phase }: Schedule & { condition: string; source: PointSource }): void {
  checkName(op, 'condition', condition);
  if (phase !== undefined) checkName(op, 'phase', phase);
  need(typeof source === 'function', op, 'source', 'a function (n, rng) => points', source);
  checkPositiveInt(op, 'every', every);
  checkStep(op, 'from', from);
  checkStep(op, 'until', until);
  if (from !== undefined && until !== undefined && from > until) throw new RangeError(`${op}: from (${from}) is after until (${until})`);
}

/** n fresh points in the condition's dtype (a phase may have cast the problem since the source was written). */
function draw(source: PointSource, n: number, rng: Random, c: Condition): Tensor {
  const pool = source(n, rng);
  return pool.dtype === c.points.dtype ? pool : pool.to({ dtype: c.points.dtype });
}

/**
 * Whether a strategy acts before the step that follows `step` completed ones: every `every`
 * steps counted from `from` (default 0; never at step 0), and not once `step` passes `until`.
 * E.g. `until: adamSteps - 1` keeps the points of a following L-BFGS phase fixed, and
 * `from: adamSteps` resamples only during it (the Trainer then restarts L-BFGS's history); with
 * `phase`, the same counts are steps of that phase.
 */
function due(globalStep: number, { every, from = 0, until, phase }: Schedule, at: PhaseStep | undefined): boolean {
  const step = scheduledStep(globalStep, phase, at);
  return step !== null && step > 0 && step >= from && (step - from) % every === 0 && (until === undefined || step <= until);
}

/** Every `every` steps, replaces the condition's points with as many fresh ones. */
export class Resample extends Seeded implements SamplingStrategy {
  readonly name = 'resample';
  constructor(readonly o: Schedule & { condition: string; source: PointSource; seed?: number }) {
    super(seedOf('Resample', o, SCHEDULE_KEYS));
    checkSchedule('Resample', o);
  }
  get phase(): string | undefined { return this.o.phase; }
  apply(step: number, problem: Problem, _model?: Module, at?: PhaseStep): boolean {
    if (!due(step, this.o, at)) return false;
    const c = conditionOf(problem, this.o.condition, 'Resample');
    tidy(() => c.setPoints(draw(this.o.source, c.points.shape[0], this.rng, c)));
    return true;
  }
}

/**
 * Residual-based adaptive refinement (Lu et al. 2021): every `every` steps, evaluate the
 * residual on `candidates` fresh points and add the `add` with the largest |r|, up to `maxPoints`.
 */
export class RAR extends Seeded implements SamplingStrategy {
  readonly name = 'rar';
  constructor(readonly o: Schedule & { condition: string; source: PointSource; candidates: number; add: number; maxPoints?: number; seed?: number }) {
    super(seedOf('RAR', o, [...SCHEDULE_KEYS, 'candidates', 'add', 'maxPoints']));
    checkSchedule('RAR', o);
    checkInteger('RAR', 'add', o.add, 1, checkPositiveInt('RAR', 'candidates', o.candidates));
    if (o.maxPoints !== undefined) checkPositiveInt('RAR', 'maxPoints', o.maxPoints);
  }
  get phase(): string | undefined { return this.o.phase; }
  apply(step: number, problem: Problem, model: Module, at?: PhaseStep): boolean {
    if (!due(step, this.o, at)) return false;
    const c = conditionOf(problem, this.o.condition, 'RAR');
    if (this.o.maxPoints !== undefined && c.points.shape[0] >= this.o.maxPoints) return false;
    tidy(() => {
      const pool = draw(this.o.source, this.o.candidates, this.rng, c);
      const r = problem.pointwiseResidual(model, c, pool);
      const worst = Array.from(r.keys()).sort((a, b) => r[b] - r[a] || a - b).slice(0, this.o.add);
      c.setPoints(cat([c.points, pool.indexSelect(0, tensor(worst, { dtype: 'int64' }))]));
    });
    return true;
  }
}

/**
 * n distinct indices, drawn one after another with probability ∝ p among those not yet drawn:
 * the n smallest of the exponential clocks E_i / p_i (Efraimidis & Spirakis 2006).
 */
function weightedWithoutReplacement(p: Float64Array, n: number, rng: Random): number[] {
  const clock = p.map((w) => -Math.log(1 - rng.next()) / w); // w = 0: never before the others
  return Array.from(clock.keys()).sort((a, b) => clock[a] - clock[b] || a - b).slice(0, n);
}

/**
 * Residual-based adaptive distribution (Wu et al. 2023): every `every` steps, draw the
 * condition's N points from a pool of `candidates` with probability p ∝ |r|^k / mean(|r|^k) + c,
 * without replacement (as Wu et al.): drawn with replacement, the few candidates in a thin
 * high-residual layer (a shock) would come up many times over, and the layer get fewer distinct
 * points than p asks for.
 */
export class RAD extends Seeded implements SamplingStrategy {
  readonly name = 'rad';
  /**
   * `points`: how many points each move keeps (default: as many as the condition has, so a
   * move replaces them one for one; more grows the set from the first move on).
   */
  constructor(readonly o: Schedule & { condition: string; source: PointSource; candidates: number; points?: number; k?: number; c?: number; seed?: number }) {
    super(seedOf('RAD', o, [...SCHEDULE_KEYS, 'candidates', 'points', 'k', 'c']));
    checkSchedule('RAD', o);
    checkPositiveInt('RAD', 'candidates', o.candidates);
    if (o.points !== undefined) checkPositiveInt('RAD', 'points', o.points);
    if (o.points !== undefined && o.points > o.candidates) throw new RangeError(`RAD: points (${o.points}) must be ≤ candidates (${o.candidates})`);
    if (o.k !== undefined) checkNonNegative('RAD', 'k', o.k);
    if (o.c !== undefined) checkNonNegative('RAD', 'c', o.c);
  }
  /** The sampling probabilities for residuals r (exposed for tests and diagnostics). */
  probabilities(r: Float64Array): Float64Array {
    const { k = 1, c = 1 } = this.o;
    const rk = r.map((v) => Math.abs(v) ** k);
    const mean = rk.reduce((a, b) => a + b, 0) / rk.length || 1;
    const p = rk.map((v) => v / mean + c);
    const total = p.reduce((a, b) => a + b, 0);
    return p.map((v) => v / total);
  }
  get phase(): string | undefined { return this.o.phase; }
  apply(step: number, problem: Problem, model: Module, at?: PhaseStep): boolean {
    if (!due(step, this.o, at)) return false;
    const cond = conditionOf(problem, this.o.condition, 'RAD');
    const n = this.o.points ?? cond.points.shape[0];
    if (this.o.candidates < n) throw new Error(`RAD: candidates (${this.o.candidates}) must be ≥ the condition's ${n} points`);
    tidy(() => {
      const pool = draw(this.o.source, this.o.candidates, this.rng, cond);
      const p = this.probabilities(problem.pointwiseResidual(model, cond, pool));
      cond.setPoints(pool.indexSelect(0, tensor(weightedWithoutReplacement(p, n, this.rng), { dtype: 'int64' })));
    });
    return true;
  }
}

/**
 * Each step evaluates the condition on a random subset of `batchSize` of its points; after step
 * `until` (e.g. the last Adam step) it goes back to all of them, so that a following L-BFGS
 * phase minimises one fixed, full objective instead of a new batch each step.
 */
/**
 * A random batch of `batchSize` distinct rows, drawn anew every `every` steps (default 1) and
 * evaluated instead of all points. Terms listed together in `condition` share the draw (the
 * same rows of each): terms on the same points, as the data and PDE terms of an inverse problem
 * on measured voxels, stay paired. After `until`, all points again.
 */
export class MiniBatch extends Seeded implements SamplingStrategy {
  readonly name = 'minibatch';
  private readonly every: number;
  /** The rows in use, so that a resume evaluates the same batch until the next draw. */
  private rows: number[] | null = null;
  constructor(readonly o: { condition: string | string[]; batchSize: number; every?: number; until?: number; seed?: number }) {
    super(seedOf('MiniBatch', o, ['condition', 'batchSize', 'every', 'until', 'seed']));
    if (Array.isArray(o.condition)) checkNames('MiniBatch', 'condition', o.condition);
    else checkName('MiniBatch', 'condition', o.condition);
    checkPositiveInt('MiniBatch', 'batchSize', o.batchSize);
    this.every = checkPositiveInt('MiniBatch', 'every', o.every ?? 1);
    checkStep('MiniBatch', 'until', o.until);
  }
  apply(step: number, problem: Problem): boolean {
    const names = Array.isArray(this.o.condition) ? this.o.condition : [this.o.condition];
    const cs = names.map((name) => conditionOf(problem, name, 'MiniBatch'));
    const n = cs[0].points.shape[0];
    const other = cs.find((c) => c.points.shape[0] !== n);
    if (other) throw new Error(`MiniBatch: ${cs[0].label} has ${n} points, ${other.label} ${other.points.shape[0]}; terms sharing a batch need the same points`);
    if (this.o.until !== undefined && step > this.o.until) {
      this.rows = null;
      if (!cs.some((c) => c.isBatched)) return false;
      for (const c of cs) c.setBatch(null); // all points again, once
      return true;
    }
    const draw = this.rows === null || step % this.every === 0;
    if (!draw && cs.every((c) => c.isBatched)) return false;
    if (draw) {
      const b = Math.min(this.o.batchSize, n);
      // Partial Fisher–Yates: b distinct rows.
      const idx = Array.from({ length: n }, (_, i) => i);
      for (let i = 0; i < b; i++) { const j = i + this.rng.int(n - i); [idx[i], idx[j]] = [idx[j], idx[i]]; }
      this.rows = idx.slice(0, b);
    }
    tidy(() => { const rows = tensor(this.rows!, { dtype: 'int64' }); for (const c of cs) c.setBatch(rows); });
    return true;
  }
  override stateDict(): Record<string, unknown> { return { ...super.stateDict(), rows: this.rows }; }
  override loadStateDict(s: Record<string, unknown>): void {
    super.loadStateDict(s);
    const rows = s.rows ?? null;
    need(rows === null || (Array.isArray(rows) && rows.every((r) => Number.isSafeInteger(r) && r >= 0)), 'MiniBatch.loadStateDict', 'state.rows', 'null or an array of non-negative integers', rows);
    this.rows = rows as number[] | null;
  }
}

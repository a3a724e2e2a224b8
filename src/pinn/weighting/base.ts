// What every loss weighting shares: the interface the Trainer calls each step, state-dict
// checks, and the bounds and smoothing that keep adaptive weights from running away.
import { grad } from '../../autograd.js';
import { checkName, checkNonNegative, checkNonNegativeInt, checkOptions, checkPositiveInt, checkRange, isFiniteNumber, need } from '../../checks.js';
import { checkKeys, invalidArgument } from '../../errors.js';
import { zerosLike } from '../../creation.js';
import { stack } from '../../functional.js';
import { tidy } from '../../memory.js';
import { type Module } from '../../nn/module.js';
import { type Tensor } from '../../tensor.js';
import { type PhaseStep, scheduledStep } from '../phase_step.js';
import { type Problem } from '../problem.js';

export type Weights = Record<string, number>;

export interface WeightingContext {
  step: number;
  /** Where the step falls among the fit's phases (the Trainer fills it), for schedules that name a phase. */
  at?: PhaseStep;
  /** Raw losses of this step (still attached to the graph). */
  raw: Record<string, Tensor>;
  /** Parameters the gradients are taken with respect to (model + coefficients). */
  params: Tensor[];
  /** The conditions' own static weights. */
  base: Weights;
  /** The terms that are PDE residuals (the reference of LRA); the Trainer fills it from the problem. */
  residualTerms?: string[];
  /** The problem and model of this step, for schemes that evaluate residuals themselves (NTK). */
  problem?: Problem;
  model?: Module;
  /**
   * Data-parallel training: sums tensors over ranks, in place (absent in one process). `raw` is
   * then this rank's share of each term, so a scheme that reads gradients or loss values sums
   * them first (termGradients, globalValues) and every rank computes the same weights.
   */
  allreduce?(tensors: Tensor[]): void;
}

/** ∇θ of each loss, summed over ranks when data-parallel (a parameter a term does not reach: zeros, or null in one process). */
export function termGradients(losses: Tensor[], params: Tensor[], allreduce?: (ts: Tensor[]) => void): (Tensor | null)[][] {
  const gs = losses.map((l) => (l.requiresGrad ? grad(l, params, { retainGraph: true, allowUnused: true }) : params.map(() => null)));
  if (!allreduce) return gs;
  const full = gs.map((g) => g.map((x, i) => x ?? zerosLike(params[i])));
  allreduce(full.flat());
  return full;
}

/** The loss values as numbers, summed over ranks when data-parallel. */
export function globalValues(raw: Record<string, Tensor>, allreduce?: (ts: Tensor[]) => void): Weights {
  const names = Object.keys(raw);
  const v = tidy(() => {
    const t = stack(names.map((k) => raw[k].detach().to('float64')));
    allreduce?.([t]);
    return t.data() as Float64Array;
  });
  return Object.fromEntries(names.map((k, i) => [k, v[i]]));
}

export interface LossWeighting {
  readonly name: string;
  /** The phase whose steps its schedule counts, if any (the Trainer checks the name exists). */
  readonly phase?: string;
  weights(ctx: WeightingContext): Weights;
  stateDict(): Record<string, unknown>;
  loadStateDict(state: Record<string, unknown>): void;
}

/** A saved state: an object with exactly `keys`. */
export function checkState(name: string, state: Record<string, unknown>, keys: string[]): void {
  const op = `${name}.loadStateDict`;
  if (state === undefined) throw invalidArgument(op, 'state', 'an object', state);
  checkOptions(op, state, undefined, 'state');
  for (const k of keys) if (!(k in state)) throw new Error(`${op}: missing key '${k}'`);
  checkKeys(op, 'key', state, keys);
}

/** A saved weights record: null, or finite numbers by term name. */
export function checkWeights(name: string, key: string, v: unknown): Weights | null {
  if (v === null) return null;
  const ok = typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every(isFiniteNumber);
  need(ok, `${name}.loadStateDict`, `state.${key}`, 'null or an object of finite numbers', v);
  return { ...(v as Weights) };
}

export function checkEvery(name: string, every: unknown): void {
  if (every !== undefined) checkPositiveInt(name, 'every', every);
}

/**
 * When an adaptive scheme updates: every `every` steps before step `until` (after it, the
 * weights stay). With `phase`, both count the steps of that phase (by name) and updates happen
 * only during it: the weights then stay for the phases after it, however many steps it ran.
 */
export interface Schedule { every?: number; until?: number; phase?: string }

export function checkSchedule(name: string, o: Schedule): void {
  checkEvery(name, o.every);
  if (o.until !== undefined) checkNonNegativeInt(name, 'until', o.until);
  if (o.phase !== undefined) checkName(name, 'phase', o.phase);
}

/** A scheme's `fixed` option: terms held at given non-negative weights (a copy; {} when absent). */
export function checkFixed(op: string, fixed: unknown): Weights {
  if (fixed === undefined) return {};
  checkOptions(op, fixed as Record<string, unknown>, undefined, 'fixed');
  for (const [k, w] of Object.entries(fixed as object)) checkNonNegative(op, `fixed.${k}`, w);
  return { ...(fixed as Weights) };
}

/** Throws unless every name in `names` is one of the loss terms `terms` (the keys of a step's record). */
export function checkTermNames(op: string, names: Iterable<string>, terms: Record<string, unknown>): void {
  for (const k of names) if (!(k in terms)) throw new Error(`${op}: no loss term named '${k}' (terms: ${Object.keys(terms).join(', ')})`);
}

/** The option names of an adaptive scheme: its schedule and smoothing, then its own. */
export const ADAPTIVE_KEYS: readonly string[] = ['every', 'until', 'phase', 'alpha', 'min', 'max'];

export function updateDue(ctx: WeightingContext, o: Schedule, defaultEvery: number): boolean {
  const step = scheduledStep(ctx.step, o.phase, ctx.at);
  return step !== null && step % (o.every ?? defaultEvery) === 0 && (o.until === undefined || step < o.until);
}

/**
 * How an adaptive scheme moves its weights: w ← α·w + (1 − α)·ŵ, then clamped to [min, max].
 * The defaults (α = 0.9, [1e-3, 1e4]) let a weight follow its target over ~10 updates but never
 * leave four decades above or three below 1, however small a term's gradient gets; a
 * non-finite target (a vanished gradient) leaves the weight as it was.
 */
export interface Smoothing {
  /** Share of the previous weight kept at each update, in [0, 1) (default 0.9; 0: no smoothing). */
  alpha?: number;
  /** Bounds every weight stays within (defaults 1e-3 and 1e4; ±Infinity to switch one off). */
  min?: number;
  max?: number;
}

export const SMOOTHING_DEFAULTS = { alpha: 0.9, min: 1e-3, max: 1e4 } as const;

export function checkSmoothing(name: string, o: Smoothing): Required<Smoothing> {
  const { alpha = SMOOTHING_DEFAULTS.alpha, min = SMOOTHING_DEFAULTS.min, max = SMOOTHING_DEFAULTS.max } = o;
  checkRange(name, 'alpha', alpha, 0, 1, true);
  checkRange(name, 'min', min, 0, Infinity);
  need(typeof max === 'number' && max > 0 && max >= min, name, 'max', `a number > 0 and ≥ min (${min})`, max);
  return { alpha, min, max };
}

/** One smoothed, bounded update of `current` towards `target` (terms missing from target keep their weight). */
export function smoothTowards(current: Weights, target: Weights, s: Required<Smoothing>): Weights {
  const out = { ...current };
  for (const [k, t] of Object.entries(target)) {
    if (!Number.isFinite(t)) continue;
    const w = s.alpha * (current[k] ?? 1) + (1 - s.alpha) * t;
    out[k] = Math.min(s.max, Math.max(s.min, w));
  }
  return out;
}

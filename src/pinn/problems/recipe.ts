// What every recipe shares: the RecipeProblem it returns (a Problem that also says how to train
// and evaluate it: domain, suggested network, where new points come from, an evaluation grid),
// and the checks of its options, so that a mistake is one Error naming the recipe and the option.
import { tensor } from '../../creation.js';
import { type DType } from '../../dtype.js';
import { checkKeys, describe, didYouMean } from '../../errors.js';
import { type Geometry, toTensor } from '../../geometry/geometry.js';
import { type Random } from '../../geometry/random.js';
import { type SamplerName } from '../../geometry/sampler.js';
import { GeometryXTime } from '../../geometry/time.js';
import { type ActivationName } from '../../nn/activation.js';
import { MLP, type InitName } from '../../nn/mlp.js';
import { type Module } from '../../nn/module.js';
import { Tensor } from '../../tensor.js';
import { type LossName } from '../conditions.js';
import { Problem, type ProblemOptions } from '../problem.js';
import { type PointSource } from '../sampling.js';

/** The network a recipe's `createModel` makes; unset fields take the recipe's suggestion. */
export interface ModelOptions {
  hidden?: number[];
  activation?: ActivationName;
  init?: InitName;
  /** Default: the problem's dtype. */
  dtype?: DType;
  /** Seeds the weights (default: the recipe's seed). */
  seed?: number;
}

/**
 * 'fresh': points drawn with the recipe's sampler (what Resample wants). 'pool': candidates, i.i.d.
 * uniform, for RAD and RAR (as in Wu et al.: on Burgers, Halton pools left RAD's draws with
 * errors ~2× larger, median 1.2e-3 against 5e-4 over 10 and 30 runs) and held-out validation.
 */
export type PointKind = 'fresh' | 'pool';

export interface RecipeInfo<O = Record<string, unknown>> {
  /** The recipe's name, as under pinn.problems. */
  readonly name: string;
  /** The equation in one line. */
  readonly equation: string;
  /** The options as used: the caller's, and the defaults for the others. */
  readonly options: Readonly<O>;
  /** The domain the points are drawn from. */
  readonly domain: Geometry;
  /** The suggested network (a tanh MLP; MRE adds a second one for the stiffness). */
  readonly model: { hidden: number[]; activation: ActivationName; init: InitName };
  /** A fresh network for this problem, seeded (by default with the recipe's seed). */
  createModel(o?: ModelOptions): Module;
  /** Where new points come from for each term that can be redrawn (terms whose rows carry data have none). Tensors are float64. */
  sources(kind?: PointKind): Record<string, PointSource>;
  /** A regular grid over the domain to evaluate the error on (a new tensor, the problem's dtype unless given). */
  evalPoints(o?: { dtype?: DType }): Tensor;
}

/** A Problem built by a recipe: everything a Problem is, plus `recipe`, what the recipe knows for training. */
export class RecipeProblem<O = Record<string, unknown>> extends Problem {
  constructor(options: ProblemOptions, readonly recipe: RecipeInfo<O>) { super(options); }
}

// ---- options ----

/** A check of one option: undefined when the value is fine, else 'type' or 'range'. */
export interface OptionCheck { expected: string; test: (v: unknown) => 'type' | 'range' | undefined }

const num = (expected: string, ok: (v: number) => boolean): OptionCheck => ({
  expected,
  test: (v) => (typeof v !== 'number' ? 'type' : Number.isFinite(v) && ok(v) ? undefined : 'range'),
});
const int = (min: number): OptionCheck => ({
  expected: `an integer ≥ ${min}`,
  test: (v) => (typeof v !== 'number' ? 'type' : Number.isSafeInteger(v) && v >= min ? undefined : 'range'),
});
const oneOf = (values: readonly string[]): OptionCheck => ({
  expected: `one of ${values.map((v) => `'${v}'`).join(', ')}`,
  test: (v) => (typeof v !== 'string' ? 'type' : values.includes(v) ? undefined : 'range'),
});

export const SAMPLERS: readonly SamplerName[] = ['uniform', 'lhs', 'sobol', 'halton', 'grid'];

/** The option checks the recipes use. */
export const is = {
  finite: num('a finite number', () => true),
  positive: num('a finite number > 0', (v) => v > 0),
  between: (lo: number, hi: number) => num(`a number in [${lo}, ${hi}]`, (v) => v >= lo && v <= hi),
  count: int(1),
  seed: int(0),
  sampler: oneOf(SAMPLERS),
  dtype: oneOf(['float32', 'float64']),
  loss: oneOf(['msae', 'mse', 'l1']),
  derivatives: oneOf(['auto', 'forward', 'autograd']),
  widths: {
    expected: 'a non-empty array of integers ≥ 1',
    test: (v: unknown) => (!Array.isArray(v) ? 'type' : v.length > 0 && v.every((w) => Number.isSafeInteger(w) && w >= 1) ? undefined : 'range'),
  } as OptionCheck,
  /** A number of points (≥ min), or the points themselves: a floating tensor [N ≥ 1, dim]. */
  points: (dim: number, min = 1): OptionCheck => ({
    expected: `an integer ≥ ${min} or a floating tensor [N, ${dim}]`,
    test: (v) => {
      if (v instanceof Tensor) return !v.isDisposed && v.ndim === 2 && v.shape[0] >= 1 && v.shape[1] === dim && (v.dtype === 'float32' || v.dtype === 'float64') ? undefined : 'range';
      return typeof v !== 'number' ? 'type' : Number.isSafeInteger(v) && v >= min ? undefined : 'range';
    },
  }),
  weights: {
    expected: 'an object of finite numbers ≥ 0 by term name',
    test: (v: unknown) => (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Tensor ? 'type'
      : Object.values(v).every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0) ? undefined : 'range'),
  } as OptionCheck,
};

/** What every recipe takes beside its own options. */
export interface CommonOptions {
  /** Seeds the point sampling and createModel (default 0). */
  seed?: number;
  /** How the training points are drawn (default per recipe). */
  sampler?: SamplerName;
  /** The problem's dtype, and its points' (default per recipe). */
  dtype?: DType;
  /** Each term's loss (default 'msae', the library's). */
  loss?: LossName;
  /** Problem's `derivatives` (default 'auto'). */
  derivatives?: 'auto' | 'forward' | 'autograd';
  /** Fixed weights of terms by name (default 1 each). */
  weights?: Record<string, number>;
}

const COMMON_CHECKS: Record<keyof CommonOptions, OptionCheck> = {
  seed: is.seed, sampler: is.sampler, dtype: is.dtype, loss: is.loss, derivatives: is.derivatives, weights: is.weights,
};

/**
 * The options with defaults filled in, every one checked before anything is made: an unknown
 * option, a wrong type or a value out of range is an Error "pinn.problems.<name>: …".
 */
export function readOptions<O extends CommonOptions>(name: string, given: unknown, defaults: Required<Omit<O, 'weights'>> & { weights?: Record<string, number> }, checks: Record<string, OptionCheck>): Required<Omit<O, 'weights'>> & { weights: Record<string, number> } {
  const op = `pinn.problems.${name}`;
  if (given === undefined) given = {};
  if (given === null || typeof given !== 'object' || Array.isArray(given) || given instanceof Tensor) {
    throw new TypeError(`${op}: options must be an object, got ${describe(given)}`);
  }
  const all: Record<string, OptionCheck> = { ...COMMON_CHECKS, ...checks };
  checkKeys(op, 'option', given, Object.keys(all));
  const out: Record<string, unknown> = { weights: {}, ...defaults };
  for (const [k, v] of Object.entries(given)) {
    if (v === undefined) continue;
    const bad = all[k].test(v);
    if (bad) {
      const shown = v instanceof Tensor ? (v.isDisposed ? 'a disposed tensor' : `a ${v.dtype} tensor [${v.shape.join(', ')}]`) : describe(v);
      const message = `${op}: option '${k}' must be ${all[k].expected}, got ${shown}`;
      throw bad === 'type' ? new TypeError(message) : new RangeError(message);
    }
    out[k] = v;
  }
  return out as Required<Omit<O, 'weights'>> & { weights: Record<string, number> };
}

/** Refuses weights for terms the problem does not have (checked before any tensor is made). */
export function checkWeights(name: string, weights: Record<string, number>, terms: readonly string[]): void {
  for (const k of Object.keys(weights)) {
    if (!terms.includes(k)) throw new Error(`pinn.problems.${name}: option 'weights': unknown term '${k}'${didYouMean(k, terms)} (terms: ${terms.join(', ')})`);
  }
}

/** Condition options for a term: its loss, and its weight when one was given. */
export function termOptions(o: { loss: LossName; weights: Record<string, number> }, term: string): { loss: LossName; weight?: number } {
  return o.weights[term] === undefined ? { loss: o.loss } : { loss: o.loss, weight: o.weights[term] };
}

/** The points of a term: the tensor given, or `n` drawn by `draw` as a tensor of `dtype` (none when n is 0). */
export function pointsOf(given: number | Tensor, dim: number, dtype: DType, draw: (n: number) => Float64Array): Tensor | null {
  if (given instanceof Tensor) return given;
  return given === 0 ? null : toTensor(draw(given), dim, { dtype });
}

/**
 * Where new points of a geometry come from (interior, boundary and, for space × time, initial
 * time): fresh ones with `sampler` (a grid has only one arrangement, so its redraws are
 * uniform), pools uniform. Tensors are float64; strategies cast them to the term's dtype.
 */
export function redraws(g: Geometry, sampler: SamplerName, kind: PointKind) {
  const drawn = kind === 'pool' || sampler === 'grid' ? 'uniform' as const : sampler;
  const options = (rng: Random) => ({ sampler: drawn, rng });
  const points = (rows: Float64Array) => toTensor(rows, g.dim, { dtype: 'float64' });
  const spaceTime = g instanceof GeometryXTime ? g : null;
  const source = (f: (n: number, rng: Random) => Float64Array): PointSource => (n, rng) => points(f(n, rng));
  return {
    interior: source((n, rng) => g.interior(n, options(rng))),
    boundary: source((n, rng) => g.boundary(n, options(rng)).points),
    initial: source((n, rng) => {
      if (!spaceTime) throw new Error('redraws: initial-time points need a space × time domain');
      return spaceTime.initial(n, options(rng));
    }),
  };
}

/** Rows of a regular grid over [lo, hi] per axis (n ≥ 2 nodes each, ends included), the last axis fastest. */
export function gridRows(axes: Array<{ lo: number; hi: number; n: number }>): number[][] {
  let rows: number[][] = [[]];
  for (const { lo, hi, n } of axes) {
    rows = rows.flatMap((r) => Array.from({ length: n }, (_, i) => [...r, lo + ((hi - lo) * i) / (n - 1)]));
  }
  return rows;
}

/** An n × n grid over a plane [a range] × [b range] as rows [a, b], b outer, a fastest (an image's row-major order). */
export function planeGrid(a: [number, number], b: [number, number], n: number, dtype: DType): Tensor {
  const rows = gridRows([{ lo: b[0], hi: b[1], n }, { lo: a[0], hi: a[1], n }]).map(([y, x]) => [x, y]);
  return tensor(rows, { dtype });
}

/** A tanh MLP inputs → hidden → outputs with the recipe's suggestion where `o` leaves a field unset. */
export function mlp(inputs: number, outputs: number, o: ModelOptions, suggested: { hidden: number[]; activation: ActivationName; init: InitName }, dtype: DType, seed: number): MLP {
  return new MLP([inputs, ...(o.hidden ?? suggested.hidden), outputs], {
    activation: o.activation ?? suggested.activation, init: o.init ?? suggested.init, dtype: o.dtype ?? dtype, seed: o.seed ?? seed,
  });
}

export const col = (x: Tensor, i: number): Tensor => x.narrow(1, i, 1);

// Turns a validated run config into the objects a Trainer needs: the problem with its points,
// the model, the weighting, the evaluation points, and the 2-D slice the field plots show.
// The problems themselves are the library's recipes (pinn.problems); this file maps a config onto
// one and adds what only the CLI has: the field plots' slice, and the config's sampling,
// weighting and validation.
import { tensor } from '../creation.js';
import * as G from '../geometry/index.js';
import { type Module } from '../nn/module.js';
import * as pinn from '../pinn/index.js';
import { type Tensor } from '../tensor.js';
import { autoHidden } from '../train/auto.js';
import { type ValidationOptions } from '../train/callbacks/validation.js';
import { type RunConfig, type SamplingConfig, UsageError, unknownName } from './config.js';

export interface FieldSlice {
  /** Input columns on the plot's horizontal and vertical axes, and their names. */
  axes: [string, string];
  /** Points [nx·ny, inputs], row-major with the horizontal axis fastest. */
  points: Tensor;
  nx: number;
  ny: number;
  title: string;
}

export interface Run {
  /** The terms whose points can be redrawn (from the problem's domain). */
  redrawable: string[];
  problem: pinn.Problem;
  model: Module;
  weighting?: pinn.LossWeighting;
  sampling: pinn.SamplingStrategy[];
  validation?: ValidationOptions;
  evalPoints: Tensor;
  slice: FieldSlice;
}

/** What a problem builder makes; buildRun adds the weighting, the sampling strategies and the validation. */
type Built = Omit<Run, 'weighting' | 'sampling' | 'validation' | 'redrawable'> & {
  /** Where new points for each term that may be redrawn come from (terms whose rows carry data have none). */
  sources: (kind: pinn.problems.PointKind) => Record<string, pinn.PointSource>;
};

/** The field plots' 2-D slice: an n × n grid over axes (a, b), b outer, a fastest, other inputs fixed by `fill`. */
function slice(dtype: 'float32' | 'float64', axes: [string, string], ranges: [[number, number], [number, number]], n: number, fill: (a: number, b: number) => number[], title: string): FieldSlice {
  const rows: number[][] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const at = (r: [number, number], k: number) => r[0] + ((r[1] - r[0]) * k) / (n - 1);
      rows.push(fill(at(ranges[0], i), at(ranges[1], j)));
    }
  }
  return { axes, points: tensor(rows, { dtype }), nx: n, ny: n, title };
}

/** The library recipe a config's problem names, with the config's points, sampler, seed and dtype. */
function recipe(c: RunConfig): pinn.RecipeProblem {
  const p = c.problem;
  const common = { seed: c.seed, sampler: p.sampler, dtype: c.model?.dtype ?? 'float32' } as const;
  switch (p.type) {
    case 'elastic-wave-2d': {
      const { type: _, plotTime: __, ...o } = p;
      return pinn.problems.elasticWave2D({ ...o, ...common }) as pinn.RecipeProblem;
    }
    case 'mre-helmholtz': { const { type: _, ...o } = p; return pinn.problems.mre({ ...o, ...common }) as pinn.RecipeProblem; }
    case 'poisson-2d': { const { type: _, ...o } = p; return pinn.problems.poisson2D({ ...o, ...common }) as pinn.RecipeProblem; }
    case 'burgers': { const { type: _, ...o } = p; return pinn.problems.burgers({ ...o, ...common }) as pinn.RecipeProblem; }
  }
}

/** What the plots show of each problem. */
function plotSlice(c: RunConfig, dtype: 'float32' | 'float64'): FieldSlice {
  const p = c.problem;
  switch (p.type) {
    case 'elastic-wave-2d': return slice(dtype, ['x', 'y'], [[0, 1], [0, 1]], 61, (x, y) => [x, y, p.plotTime], `t = ${p.plotTime}`);
    case 'mre-helmholtz': return slice(dtype, ['x', 'y'], [[0, 1], [0, 1]], 41, (x, y) => [x, y], 'displacement and stiffness');
    case 'poisson-2d': return slice(dtype, ['x', 'y'], [[0, 1], [0, 1]], 51, (x, y) => [x, y], 'u');
    case 'burgers': return slice(dtype, ['x', 't'], [[-1, 1], [0, 1]], 101, (x, t) => [x, t], 'u(x, t)');
  }
}

/**
 * The problem from the library's recipe; the network the config's (its widths, or the default
 * recipe's when the config gives none), seeded by config.seed.
 */
function build(c: RunConfig): Built {
  const dtype = c.model?.dtype ?? 'float32';
  const problem = recipe(c);
  const r = problem.recipe;
  const m = c.model ?? { activation: 'tanh', init: 'xavierNormal', dtype: 'float32' } as const;
  const model = r.createModel({
    // (for MRE the stiffness network's widths are the problem's stiffnessHidden)
    hidden: c.model?.hidden ?? autoHidden(problem.inputs.length, problem.outputs.length),
    activation: m.activation, init: m.init, dtype: m.dtype, seed: c.seed,
  });
  return { problem, model, evalPoints: r.evalPoints({ dtype }), slice: plotSlice(c, dtype), sources: (kind) => r.sources(kind) };
}

/** The run a config describes. Sampling and initialisation are seeded by config.seed. */
export function buildRun(c: RunConfig): Run {
  const { sources, ...run } = build(c);
  try {
    const terms = run.problem.conditions.map((t) => t.name);
    return {
      ...run, redrawable: Object.keys(sources('pool')), weighting: weighting(c, terms), sampling: (c.sampling ?? []).map((s, i) => strategy(c, s, i, run.problem, terms, sources)),
      ...(c.validation ? { validation: validation(c, c.validation, terms, sources) } : {}),
    };
  } catch (e) {
    disposeRun({ ...run, redrawable: [], sampling: [] });
    throw e;
  }
}

/** One sampling strategy of the config, on its own generator stream (seed + 1 + its index). */
function strategy(c: RunConfig, s: SamplingConfig, i: number, problem: pinn.Problem, terms: string[], sourcesOf: Built['sources']): pinn.SamplingStrategy {
  const at = `config.sampling[${i}]`;
  const term = problem.conditions.find((t) => t.name === s.condition);
  if (!term) throw new UsageError(`${at}.condition: ${unknownName('loss term', s.condition, terms).message}`);
  const seed = c.seed + 1 + i;
  if (pinn.samplingStrategies.get(s.type).name === 'minibatch') return pinn.buildSampling(s, { seed });
  const sources = sourcesOf(pinn.samplingStrategies.get(s.type).name === 'resample' ? 'fresh' : 'pool');
  const source = sources[s.condition];
  if (!source) {
    const can = Object.keys(sources).filter((k) => terms.includes(k));
    throw new UsageError(`${at}.condition: '${s.condition}' cannot be redrawn: its points carry data (terms that can: ${can.join(', ')}; 'minibatch' works on any)`);
  }
  // RAD draws as many points as the term has from its candidates (checked here, not mid-run).
  if (s.type === 'rad' && (s.candidates as number) < term.points.shape[0]) {
    throw new UsageError(`${at}.candidates: must be at least the ${term.points.shape[0]} points of '${s.condition}', got ${s.candidates}`);
  }
  try {
    return pinn.buildSampling(s, { source, seed });
  } catch (e) {
    throw new UsageError(`${at}: ${(e as Error).message}`);
  }
}

/** Held-out points for the validation term: uniform random, on their own stream (seed + 1000). */
function validation(c: RunConfig, v: NonNullable<RunConfig['validation']>, terms: string[], sourcesOf: Built['sources']): ValidationOptions {
  const at = 'config.validation';
  if (!terms.includes(v.condition)) throw new UsageError(`${at}.condition: ${unknownName('loss term', v.condition, terms).message}`);
  const source = sourcesOf('pool')[v.condition];
  if (!source) throw new UsageError(`${at}.condition: '${v.condition}' has no held-out points: its points carry data`);
  return { ...v, points: source(v.points, new G.Random(c.seed + 1000)) };
}

/** Frees everything a run holds (tensors may be shared: disposing twice is harmless). */
export function disposeRun(run: Run): void {
  run.validation?.points.dispose();
  run.problem.dispose();
  run.model.dispose();
  run.evalPoints.dispose();
  run.slice.points.dispose();
}

function weighting(c: RunConfig, terms: string[]): pinn.LossWeighting | undefined {
  const w = c.weighting;
  if (!w) return undefined;
  const check = (names: string[]) => {
    for (const n of names) if (!terms.includes(n)) throw new UsageError(`config.weighting: ${unknownName('loss term', n, terms).message}`);
  };
  // Term names the options mention must be this problem's (the registry checks the rest).
  const o = w as Record<string, unknown>;
  if (o.weights && typeof o.weights === 'object') check(Object.keys(o.weights));
  for (const k of ['terms', 'residualTerms']) if (Array.isArray(o[k])) check(o[k] as string[]);
  return pinn.buildWeighting(w, { seed: c.seed });
}

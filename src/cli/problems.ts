// Turns a validated run config into the objects a Trainer needs: the problem with its points,
// the model, the weighting, the evaluation points, and the 2-D slice the field plots show.
import { tensor } from '../creation.js';
import { noGrad } from '../autograd.js';
import { cat } from '../functional.js';
import { tidy } from '../memory.js';
import * as G from '../geometry/index.js';
import { Concat } from '../nn/concat.js';
import { MLP } from '../nn/mlp.js';
import { type Module } from '../nn/module.js';
import * as pinn from '../pinn/index.js';
import { type Tensor } from '../tensor.js';
import { autoHidden } from '../train/auto.js';
import { type ValidationOptions } from '../train/callbacks/validation.js';
import { type BurgersConfig, type ElasticWaveConfig, type MreConfig, type PoissonConfig, type RunConfig, type SamplingConfig, UsageError, unknownName } from './config.js';

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
  sources: (kind: PointKind) => Record<string, pinn.PointSource>;
};

/**
 * 'fresh': training points, drawn with the config's sampler. 'pool': candidates that RAD and RAR
 * choose from, i.i.d. uniform as in Wu et al.: on Burgers, Halton pools left RAD's draws with
 * errors ~2× larger (median 1.2e-3 against 5e-4 over 10 and 30 runs).
 */
type PointKind = 'fresh' | 'pool';

/**
 * Where new points of a geometry come from (interior, boundary and, for space × time, initial
 * time): fresh ones with the config's sampler (a grid has only one arrangement, so its redraws
 * are uniform), pools uniform.
 */
function redraws(g: G.Geometry, sampler: G.SamplerName, kind: PointKind) {
  const drawn = kind === 'pool' || sampler === 'grid' ? 'uniform' as const : sampler;
  const options = (rng: G.Random) => ({ sampler: drawn, rng });
  const points = (rows: Float64Array) => G.toTensor(rows, g.dim, { dtype: 'float64' });
  const spaceTime = g instanceof G.GeometryXTime ? g : null;
  const source = (f: (n: number, rng: G.Random) => Float64Array): pinn.PointSource => (n, rng) => points(f(n, rng));
  return {
    interior: source((n, rng) => g.interior(n, options(rng))),
    boundary: source((n, rng) => g.boundary(n, options(rng)).points),
    initial: source((n, rng) => {
      if (!spaceTime) throw new Error(`redraws: initial-time points need a space × time domain`);
      return spaceTime.initial(n, options(rng));
    }),
  };
}

const col = (x: Tensor, i: number) => x.narrow(1, i, 1);

/** Points of a regular grid over [lo, hi] per axis, the last axis fastest. */
function gridRows(axes: Array<{ lo: number; hi: number; n: number }>): number[][] {
  let rows: number[][] = [[]];
  for (const { lo, hi, n } of axes) {
    rows = rows.flatMap((r) => Array.from({ length: n }, (_, i) => [...r, lo + ((hi - lo) * i) / (n - 1)]));
  }
  return rows;
}

/** A slice on axes (a, b) of the unit-ish domain with the other inputs fixed. */
function slice(dtype: 'float32' | 'float64', axes: [string, string], ranges: [[number, number], [number, number]], n: number, fill: (a: number, b: number) => number[], title: string): FieldSlice {
  const rows = gridRows([{ lo: ranges[1][0], hi: ranges[1][1], n }, { lo: ranges[0][0], hi: ranges[0][1], n }]).map(([b, a]) => fill(a, b));
  return { axes, points: tensor(rows, { dtype }), nx: n, ny: n, title };
}

/** The config's network, or the default recipe's when the config gives none. */
function mlp(c: RunConfig, inputs: number, outputs: number, hidden = c.model?.hidden ?? autoHidden(inputs, outputs), seed = c.seed): MLP {
  const m = c.model ?? { activation: 'tanh', init: 'xavierNormal', dtype: 'float32' } as const;
  return new MLP([inputs, ...hidden, outputs], { activation: m.activation, init: m.init, dtype: m.dtype, seed });
}

function elasticWave(c: RunConfig, p: ElasticWaveConfig): Built {
  const dtype = c.model?.dtype ?? 'float32';
  const constants = { rho: p.rho, lambda: p.lambda, mu: p.mu };
  const wp = p.k * Math.sqrt((p.lambda + 2 * p.mu) / p.rho), ws = p.k * Math.sqrt(p.mu / p.rho);
  const reference = pinn.references.elasticPlaneWaves({ ...constants, k: p.k, A: p.A, B: p.B });
  const component = (i: number) => (x: Tensor) => reference(x).narrow(1, i, 1);
  // ∂/∂t of amplitude·sin(kx − ωt) at t = 0
  const velocity = (amplitude: number, omega: number) => (x: Tensor) => col(x, 0).mul(p.k).cos().mul(-amplitude * omega);
  const domain = new G.GeometryXTime(new G.Rectangle([0, 0], [1, 1]), new G.TimeDomain(0, 1));
  const opts = { sampler: p.sampler, seed: c.seed };
  // Terms on the same points share one forward pass and one derivative cache.
  const boundary = G.toTensor(domain.boundary(p.boundary, opts).points, 3, { dtype });
  const initial = G.toTensor(domain.initial(p.initial, opts), 3, { dtype });
  const problem = new pinn.Problem({
    inputs: ['x', 'y', 't'], outputs: ['ux', 'uy'], constants, dtype,
    conditions: [
      new pinn.PDE('pde', G.toTensor(domain.interior(p.interior, opts), 3, { dtype }), pinn.pdes.elasticWave2D()),
      new pinn.DirichletBC('bc_ux', boundary, component(0), { output: 'ux' }),
      new pinn.DirichletBC('bc_uy', boundary, component(1), { output: 'uy' }),
      new pinn.InitialCondition('ic_ux', initial, component(0), { output: 'ux' }),
      new pinn.InitialCondition('ic_uy', initial, component(1), { output: 'uy' }),
      new pinn.InitialVelocity('iv_ux', initial, velocity(p.A, wp), { output: 'ux' }),
      new pinn.InitialVelocity('iv_uy', initial, velocity(p.B, ws), { output: 'uy' }),
    ],
    reference,
  });
  const evalRows = gridRows([{ lo: 0, hi: 1, n: 41 }, { lo: 0, hi: 1, n: 41 }, { lo: 0, hi: 1, n: 11 }]);
  return {
    problem, model: mlp(c, 3, 2), evalPoints: tensor(evalRows, { dtype }),
    sources: (kind) => {
      const next = redraws(domain, p.sampler, kind);
      return {
        pde: next.interior, bc_ux: next.boundary, bc_uy: next.boundary,
        ic_ux: next.initial, ic_uy: next.initial, iv_ux: next.initial, iv_uy: next.initial,
      };
    },
    slice: slice(dtype, ['x', 'y'], [[0, 1], [0, 1]], 61, (x, y) => [x, y, p.plotTime], `t = ${p.plotTime}`),
  };
}

function mre(c: RunConfig, p: MreConfig): Built {
  const dtype = c.model?.dtype ?? 'float32';
  const wave = pinn.references.helmholtzPlaneWave({ rho: p.rho, omega: p.omega, mu: p.stiffness });
  const square = new G.Rectangle([0, 0], [1, 1]);
  const X = G.toTensor(square.interior(p.points, { sampler: p.sampler, seed: c.seed }), 2, { dtype });
  const problem = new pinn.Problem({
    inputs: ['x', 'y'], outputs: ['u_re', 'u_im', 'mu'], constants: { rho: p.rho, omega: p.omega }, dtype,
    conditions: [
      new pinn.PointSetData('wave', X, wave(X), { outputs: ['u_re', 'u_im'] }),
      new pinn.PDE('pde', X, pinn.pdes.helmholtz({ muOutput: 'mu' })),
    ],
    // The displacement is the data's plane wave; the stiffness should come out constant.
    reference: (x) => cat([wave(x), col(x, 0).mul(0).add(p.stiffness)], 1),
  });
  // Separate displacement and stiffness networks, as MREPINN does.
  const model = new Concat(mlp(c, 2, 2), mlp(c, 2, 1, p.stiffnessHidden, c.seed + 1));
  const s = slice(dtype, ['x', 'y'], [[0, 1], [0, 1]], 41, (x, y) => [x, y], 'displacement and stiffness');
  // 'wave' has none: its points carry the observed displacements.
  return { problem, model, evalPoints: s.points.clone(), slice: s, sources: (kind) => ({ pde: redraws(square, p.sampler, kind).interior }) };
}

function poisson(c: RunConfig, p: PoissonConfig): Built {
  const dtype = c.model?.dtype ?? 'float32';
  const ref = pinn.references.poisson2D;
  const square = new G.Rectangle([0, 0], [1, 1]);
  const problem = new pinn.Problem({
    inputs: ['x', 'y'], outputs: ['u'], dtype,
    conditions: [new pinn.PDE('pde', G.toTensor(square.interior(p.points, { sampler: p.sampler, seed: c.seed }), 2, { dtype }), pinn.pdes.poisson(ref.source))],
    // u = x(1−x)y(1−y)·N: zero on the boundary by construction
    outputTransform: (x, u) => col(x, 0).mul(col(x, 0).rsub(1)).mul(col(x, 1)).mul(col(x, 1).rsub(1)).mul(u),
    reference: ref.solution,
  });
  const s = slice(dtype, ['x', 'y'], [[0, 1], [0, 1]], 51, (x, y) => [x, y], 'u');
  return { problem, model: mlp(c, 2, 1), evalPoints: s.points.clone(), slice: s, sources: (kind) => ({ pde: redraws(square, p.sampler, kind).interior }) };
}

function burgers(c: RunConfig, p: BurgersConfig): Built {
  const dtype = c.model?.dtype ?? 'float32';
  const domain = new G.GeometryXTime(new G.Interval(-1, 1), new G.TimeDomain(0, 1));
  const opts = { sampler: p.sampler, seed: c.seed };
  const t = (rows: Float64Array) => G.toTensor(rows, 2, { dtype });
  // The Cole–Hopf quadrature is slow per point: the grid's values are computed once and reused.
  const s = slice(dtype, ['x', 't'], [[-1, 1], [0, 1]], 101, (x, tt) => [x, tt], 'u(x, t)');
  const exact = pinn.references.burgers(p.nu);
  const onGrid = exact(s.points);
  const gridRows = s.points.to('float64').data() as Float64Array;
  const isGrid = (x: Tensor) => x.shape[0] === s.nx * s.ny && noGrad(() => tidy(() => {
    const rows = x.to('float64').data() as Float64Array;
    return rows.every((v, i) => v === gridRows[i]);
  }));
  const problem = new pinn.Problem({
    inputs: ['x', 't'], outputs: ['u'], constants: { nu: p.nu }, dtype,
    conditions: [
      new pinn.PDE('pde', t(domain.interior(p.interior, opts)), pinn.pdes.burgers()),
      new pinn.DirichletBC('bc', t(domain.boundary(p.boundary, opts).points), 0, { output: 'u' }),
      new pinn.InitialCondition('ic', t(domain.initial(p.initial, opts)), (x) => col(x, 0).mul(Math.PI).sin().neg(), { output: 'u' }),
    ],
    // (evaluation may pass the grid cast to the training dtype: compare values, not identity)
    reference: (x) => (!isGrid(x) ? exact(x) : x.dtype === onGrid.dtype ? onGrid.clone() : onGrid.to(x.dtype)),
  });
  return {
    problem, model: mlp(c, 2, 1), evalPoints: s.points, slice: s,
    sources: (kind) => { const next = redraws(domain, p.sampler, kind); return { pde: next.interior, bc: next.boundary, ic: next.initial }; },
  };
}

/** The run a config describes. Sampling and initialisation are seeded by config.seed. */
export function buildRun(c: RunConfig): Run {
  const p = c.problem;
  const { sources, ...run } = p.type === 'elastic-wave-2d' ? elasticWave(c, p)
    : p.type === 'mre-helmholtz' ? mre(c, p)
      : p.type === 'poisson-2d' ? poisson(c, p)
        : burgers(c, p);
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
  if (s.type === 'minibatch') return new pinn.MiniBatch({ condition: s.condition, batchSize: s.batchSize, until: s.until, seed });
  const sources = sourcesOf(s.type === 'resample' ? 'fresh' : 'pool');
  const source = sources[s.condition];
  if (!source) {
    const can = Object.keys(sources).filter((k) => terms.includes(k));
    throw new UsageError(`${at}.condition: '${s.condition}' cannot be redrawn: its points carry data (terms that can: ${can.join(', ')}; 'minibatch' works on any)`);
  }
  // RAD draws as many points as the term has from its candidates (checked here, not mid-run).
  if (s.type === 'rad' && s.candidates < term.points.shape[0]) {
    throw new UsageError(`${at}.candidates: must be at least the ${term.points.shape[0]} points of '${s.condition}', got ${s.candidates}`);
  }
  try {
    switch (s.type) {
      case 'resample': { const { type: _, ...o } = s; return new pinn.Resample({ ...o, source, seed }); }
      case 'rar': { const { type: _, ...o } = s; return new pinn.RAR({ ...o, source, seed }); }
      case 'rad': { const { type: _, ...o } = s; return new pinn.RAD({ ...o, source, seed }); }
    }
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
  switch (w.type) {
    case 'static': { check(Object.keys(w.weights)); return new pinn.StaticWeighting(w.weights); }
    case 'warmup': { check(w.terms); const { type: _, ...o } = w; return new pinn.WarmupWeighting(o); }
    case 'gradNorm': { const { type: _, ...o } = w; return new pinn.GradNormWeighting(o); }
    case 'lra': { if (w.residualTerms) check(w.residualTerms); const { type: _, ...o } = w; return new pinn.LRAWeighting(o); }
    case 'ntk': { const { type: _, ...o } = w; return new pinn.NTKWeighting({ ...o, seed: c.seed }); }
    case 'relobralo': { const { type: _, ...o } = w; return new pinn.ReLoBRaLoWeighting({ ...o, seed: c.seed }); }
  }
}

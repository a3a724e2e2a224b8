// Turns a validated run config into the objects a Trainer needs: the problem with its points,
// the model, the weighting, the evaluation points, and the field plots. Each problem kind builds
// its own problem and network (problem_kinds/); this file adds what every kind shares: the
// config's weighting, sampling strategies and validation.
import * as G from '../geometry/index.js';
import { type Module } from '../nn/module.js';
import * as pinn from '../pinn/index.js';
import { type Tensor } from '../tensor.js';
import { type ValidationOptions } from '../train/callbacks/validation.js';
import { type RunConfig, type SamplingConfig, UsageError, unknownName } from './config.js';
import { type FieldData } from './plots.js';
import { type BuiltProblem, problemKind } from './problem_kinds/index.js';

export interface Run {
  /** The terms whose points can be redrawn (from the problem's domain). */
  redrawable: string[];
  problem: pinn.Problem;
  model: Module;
  weighting?: pinn.LossWeighting;
  sampling: pinn.SamplingStrategy[];
  validation?: ValidationOptions;
  /** Where the relative L2 is measured (none: the problem's reference points). */
  evalPoints?: Tensor;
  /** The field plots of the model as it is now. */
  fields(): FieldData;
  /** Figures beside the relative L2 that the problem kind computes (MRE: μ over the mask, AHI), if any. */
  summary?(): Record<string, number>;
  /** Frees what the kind holds beside the problem and the model. */
  release(): void;
}

/** The run a config describes. Sampling and initialisation are seeded by config.seed. */
export function buildRun(c: RunConfig): Run {
  const built: BuiltProblem = problemKind(c.problem.type).build(c.problem, { seed: c.seed, model: c.model });
  const { problem, model, evalPoints } = built;
  const run: Run = {
    problem, model, evalPoints, redrawable: [], sampling: [],
    fields: () => built.fields(model),
    ...(built.summary ? { summary: () => built.summary!(model) } : {}),
    release: () => built.dispose(),
  };
  try {
    const terms = problem.conditions.map((t) => t.name);
    const sources = (kind: pinn.problems.PointKind) => built.sources(kind);
    return {
      ...run, redrawable: Object.keys(sources('pool')),
      weighting: c.weighting ? weighting(c, terms) : built.weighting,
      sampling: [...(built.sampling ?? []), ...(c.sampling ?? []).map((s, i) => strategy(c, s, i, problem, terms, sources))],
      ...(c.validation ? { validation: validation(c, c.validation, terms, sources) } : {}),
    };
  } catch (e) {
    disposeRun(run);
    throw e;
  }
}

type Sources = (kind: pinn.problems.PointKind) => Record<string, pinn.PointSource>;

/** One sampling strategy of the config, on its own generator stream (seed + 1 + its index). */
function strategy(c: RunConfig, s: SamplingConfig, i: number, problem: pinn.Problem, terms: string[], sourcesOf: Sources): pinn.SamplingStrategy {
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
function validation(c: RunConfig, v: NonNullable<RunConfig['validation']>, terms: string[], sourcesOf: Sources): ValidationOptions {
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
  run.release();
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

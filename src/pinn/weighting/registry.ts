// The loss weightings a declarative spec ({ type: 'lra', every: 100 }) can name, e.g. in a CLI
// config. Names are the schemes' own (their `name`); any case is accepted (src/registry.ts).
// Each option's bounds are the ones the class checks. To add a scheme: its file in this folder,
// an entry here; the CLI's config accepts it with no edit.
import { type NameOf, type OptionSchema, Registry, type RegistryEntry, type SpecOf } from '../../registry.js';
import { type LossWeighting, SMOOTHING_DEFAULTS } from './base.js';
import { GradNormWeighting } from './grad_norm.js';
import { LRAWeighting } from './lra.js';
import { NTKWeighting } from './ntk.js';
import { ReLoBRaLoWeighting } from './relobralo.js';
import { StaticWeighting } from './static.js';
import { WarmupWeighting } from './warmup.js';

/** What a factory is given besides the options: the run's seed, for schemes that draw at random. */
export interface WeightingBuildContext { seed?: number }
export type WeightingFactory = (options: Record<string, unknown>, context: WeightingBuildContext) => LossWeighting;

/** The bounds and EMA every adaptive scheme shares (base.ts), and when it updates. */
const adaptive = (every: number) => ({
  every: { kind: 'integer', min: 1, default: every, doc: 'steps between updates' },
  until: { kind: 'integer', min: 0, doc: 'no updates from this step on (the weights stay)' },
  phase: { kind: 'string', doc: 'count every and until in steps of this phase (by name), and update only during it' },
  alpha: { kind: 'number', min: 0, max: 1, exclusiveMax: true, default: SMOOTHING_DEFAULTS.alpha, doc: 'share of the previous weight kept at each update (EMA)' },
  min: { kind: 'number', min: 0, default: SMOOTHING_DEFAULTS.min, doc: 'lower bound of every weight' },
  max: { kind: 'number', min: 0, exclusiveMin: true, default: SMOOTHING_DEFAULTS.max, doc: 'upper bound of every weight' },
}) as const;
const terms = { kind: 'array', items: { kind: 'string', doc: 'a loss term' }, minItems: 1 } as const;
/** Terms an adaptive scheme holds at given weights instead of balancing them. */
const fixed = { kind: 'record', values: { kind: 'number', min: 0, doc: 'a weight' }, doc: 'terms held at these weights, not balanced (0: out of the objective)' } as const;

const WEIGHTING_ENTRIES = [
  {
    name: 'static', doc: "fixed weights: the conditions' own, with the given ones instead where named",
    options: { weights: { kind: 'record', values: { kind: 'number', min: 0, doc: 'a weight' }, required: true, doc: 'weight by loss term' } },
    create: (o) => new StaticWeighting(o.weights as Record<string, number>),
  },
  {
    name: 'warmup', doc: 'w = 0 for `warmup` steps, then init · factor^⌊(step − warmup)/every⌋ up to max, for the listed terms',
    options: {
      terms: { ...terms, required: true, doc: 'the terms to warm up' },
      warmup: { kind: 'integer', min: 0, required: true, doc: 'steps with weight 0' },
      init: { kind: 'number', min: 0, required: true, doc: 'the weight after the warm-up' },
      factor: { kind: 'number', min: 0, exclusiveMin: true, default: 1, doc: 'growth factor every `every` steps' },
      every: { kind: 'integer', min: 1, default: 1, doc: 'steps between growths' },
      max: { kind: 'number', min: 0, doc: 'the largest weight' },
    },
    create: (o) => new WarmupWeighting(o as never),
  },
  { name: 'gradNorm', doc: 'balances the gradient norms of the terms', options: adaptive(1000), create: (o) => new GradNormWeighting(o) },
  {
    name: 'lra', doc: 'learning-rate annealing: each term against the largest PDE-residual gradient',
    options: {
      ...adaptive(100), residualTerms: { ...terms, doc: 'the reference terms (default: the PDE residuals)' },
      fixed,
      numerator: { kind: 'string-enum', values: ['max', 'mean'], default: 'max', doc: "the residual gradient's statistic: max (the paper's) or mean (smaller weights; they stay bounded when a term is already met)" },
      stallGuard: { kind: 'integer', min: 0, default: 0, doc: 'updates in which the PDE loss moves < 1 % (a weight at ≥ 10× base) after which the numerator becomes the mean (0: off)' },
    },
    create: (o) => new LRAWeighting(o as never),
  },
  {
    name: 'ntk', doc: 'NTK trace balancing on a random subset of points',
    options: {
      ...adaptive(1000), points: { kind: 'integer', min: 1, default: 64, doc: 'points per term for the trace' },
      fixed,
      reduction: { kind: 'string-enum', values: ['mean', 'sum'], default: 'mean', doc: "a term's kernel diagonal summed over its points (the paper's trace: fewer points, larger weight) or averaged" },
    },
    create: (o, c) => new NTKWeighting({ ...o, seed: c.seed }),
  },
  {
    name: 'relobralo', doc: 'relative loss balancing with random lookback',
    options: {
      alpha: { kind: 'number', min: 0, max: 1, default: 0.999, doc: 'EMA factor' },
      temperature: { kind: 'number', min: 0, exclusiveMin: true, default: 1, doc: 'softmax temperature' },
      expectedRho: { kind: 'number', min: 0, max: 1, default: 0.999, doc: 'probability of looking back to the previous step rather than the first' },
    },
    create: (o, c) => new ReLoBRaLoWeighting({ ...o, seed: c.seed }),
  },
] as const satisfies ReadonlyArray<RegistryEntry<WeightingFactory>>;

/** The entries' types, for types derived from their schemas (OptionsOf, SpecOf). */
export type WeightingEntry = (typeof WEIGHTING_ENTRIES)[number];

/** The loss weightings a spec can name. */
export const weightings = new Registry<RegistryEntry<WeightingFactory> & { options: OptionSchema }>('weighting', WEIGHTING_ENTRIES);
export type WeightingType = NameOf<WeightingEntry>;
/** A declarative weighting spec, typed by its entry's options: { type: 'warmup', terms: ['pde'], warmup: 300, init: 1e-3 }. */
export type WeightingSpec = SpecOf<WeightingEntry>;

/** Builds the weighting `spec` names. */
export function buildWeighting(spec: { type: string } & Record<string, unknown>, context: WeightingBuildContext = {}): LossWeighting {
  const { type, ...options } = spec;
  return weightings.get(type).create(options, context);
}

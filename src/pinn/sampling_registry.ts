// The sampling strategies (sampling.ts) a declarative spec ({ type: 'rad', condition: 'pde',
// every: 10, candidates: 10000 }) can name, e.g. in a CLI config. Any case is accepted
// (src/registry.ts). What a spec cannot say — where fresh points come from, the seed — the
// factory takes as context. To add a strategy: its class in sampling.ts, an entry here.
import { type NameOf, type OptionSchema, Registry, type RegistryEntry, type SpecOf } from '../registry.js';
import { MiniBatch, type PointSource, RAD, RAR, Resample, type SamplingStrategy } from './sampling.js';

export interface SamplingBuildContext {
  /** Fresh points of the condition's domain (all but minibatch need one). */
  source?: PointSource;
  seed?: number;
}
export type SamplingFactory = (options: Record<string, unknown>, context: SamplingBuildContext) => SamplingStrategy;

const condition = { kind: 'string', required: true, doc: 'the loss term whose points move' } as const;
const schedule = {
  condition,
  every: { kind: 'integer', min: 1, required: true, doc: 'steps between moves' },
  from: { kind: 'integer', min: 0, doc: 'first step counted (default 0)' },
  until: { kind: 'integer', min: 0, doc: 'no moves after this step' },
  phase: { kind: 'string', doc: 'count every, from and until in steps of this phase (by name), and move points only during it' },
} as const;
const candidates = { kind: 'integer', min: 1, required: true, doc: 'fresh candidate points per move' } as const;

function needSource(name: string, c: SamplingBuildContext): PointSource {
  if (!c.source) throw new Error(`${name}: needs a source of fresh points (context.source)`);
  return c.source;
}

const SAMPLING_ENTRIES = [
  {
    name: 'resample', doc: "every `every` steps, replaces the condition's points with as many fresh ones",
    options: schedule,
    create: (o, c) => new Resample({ ...o, source: needSource('Resample', c), seed: c.seed } as never),
  },
  {
    name: 'rar', doc: 'residual-based adaptive refinement: adds the `add` candidates with the largest residual',
    options: {
      ...schedule, candidates,
      add: { kind: 'integer', min: 1, required: true, doc: 'points added per move (at most candidates)' },
      maxPoints: { kind: 'integer', min: 1, doc: 'stop adding at this many points' },
    },
    create: (o, c) => new RAR({ ...o, source: needSource('RAR', c), seed: c.seed } as never),
  },
  {
    name: 'rad', doc: 'residual-based adaptive distribution: draws the points from candidates with p ∝ |r|^k / mean + c',
    options: {
      ...schedule, candidates,
      points: { kind: 'integer', min: 1, doc: "points kept per move (default: the condition's count)" },
      k: { kind: 'number', min: 0, default: 1, doc: 'exponent of the residual' },
      c: { kind: 'number', min: 0, default: 1, doc: 'uniform share added to every probability' },
    },
    create: (o, c) => new RAD({ ...o, source: needSource('RAD', c), seed: c.seed } as never),
  },
  {
    name: 'minibatch', doc: 'a random batch of the points, drawn anew every `every` steps; after `until`, all of them again',
    options: {
      condition,
      batchSize: { kind: 'integer', min: 1, required: true, doc: 'points per step' },
      every: { kind: 'integer', min: 1, default: 1, doc: 'steps between draws (the elastography seed\'s resampling period)' },
      until: { kind: 'integer', min: 0, doc: 'all points again after this step' },
    },
    create: (o, c) => new MiniBatch({ ...o, seed: c.seed } as never),
  },
] as const satisfies ReadonlyArray<RegistryEntry<SamplingFactory>>;

/** The entries' types, for types derived from their schemas (OptionsOf, SpecOf). */
export type SamplingEntry = (typeof SAMPLING_ENTRIES)[number];

/** The sampling strategies a spec can name. */
export const samplingStrategies = new Registry<RegistryEntry<SamplingFactory> & { options: OptionSchema }>('sampling strategy', SAMPLING_ENTRIES);
export type SamplingType = NameOf<SamplingEntry>;
/** A declarative sampling spec, typed by its entry's options. */
export type SamplingSpec = SpecOf<SamplingEntry>;

/** Builds the strategy `spec` names. */
export function buildSampling(spec: { type: string } & Record<string, unknown>, context: SamplingBuildContext = {}): SamplingStrategy {
  const { type, ...options } = spec;
  return samplingStrategies.get(type).create(options, context);
}

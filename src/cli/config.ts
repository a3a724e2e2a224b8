// The run config the CLI trains from: a JSON file or a preset, validated in full before any work
// starts. A file may `extends` a preset and override parts of it (objects merge, arrays replace).
import { readFileSync } from 'node:fs';
import { didYouMean } from '../errors.js';
import { z } from 'zod';
import { PRESETS } from './presets.js';

const positive = z.number().positive();
const count = z.number().int().positive();
const sampler = z.enum(['uniform', 'lhs', 'sobol', 'halton', 'grid']);

const problems = {
  'elastic-wave-2d': z.strictObject({
    type: z.literal('elastic-wave-2d'),
    rho: positive, lambda: positive, mu: positive,
    /** Plane waves of wavenumber k: P-wave amplitude A in ux, S-wave amplitude B in uy. */
    k: positive, A: z.number(), B: z.number(),
    interior: count, boundary: count, initial: count, sampler,
    /** Time of the field plots (the evaluation grid covers all times). */
    plotTime: z.number().min(0).max(1),
  }),
  'mre-helmholtz': z.strictObject({
    type: z.literal('mre-helmholtz'),
    rho: positive, omega: positive,
    /** Stiffness of the tissue that produced the synthetic wave data; the network must find it. */
    stiffness: positive,
    points: count, sampler,
    /** Hidden layers of the separate stiffness network. */
    stiffnessHidden: z.array(count).min(1),
  }),
  'poisson-2d': z.strictObject({ type: z.literal('poisson-2d'), points: count, sampler }),
  burgers: z.strictObject({
    type: z.literal('burgers'),
    nu: positive, interior: count, boundary: count, initial: count, sampler,
  }),
} as const;
export type ProblemType = keyof typeof problems;
export const PROBLEM_TYPES = Object.keys(problems) as ProblemType[];

const optimizer = z.strictObject({
  type: z.enum(['sgd', 'adam', 'adamw', 'rmsprop', 'lbfgs', 'bfgs']),
  lr: positive.optional(),
  betas: z.tuple([z.number().min(0).lt(1), z.number().min(0).lt(1)]).optional(),
  eps: positive.optional(),
  weightDecay: z.number().min(0).optional(),
  amsgrad: z.boolean().optional(),
  momentum: z.number().min(0).optional(),
  dampening: z.number().min(0).optional(),
  nesterov: z.boolean().optional(),
  alpha: positive.optional(),
  centered: z.boolean().optional(),
  maxIter: count.optional(),
  maxEval: count.optional(),
  historySize: count.optional(),
  toleranceGrad: z.number().min(0).optional(),
  toleranceChange: z.number().min(0).optional(),
  lineSearchFn: z.enum(['strong_wolfe']).nullable().optional(),
  update: z.enum(['bfgs', 'ssbfgs', 'ssbroyden']).optional(),
  maxHessianBytes: positive.optional(),
});

const scheduler = z.strictObject({
  type: z.enum(['StepLR', 'MultiStepLR', 'ExponentialLR', 'CosineAnnealingLR', 'LinearLR', 'ConstantLR', 'ReduceLROnPlateau']),
  stepSize: count.optional(),
  milestones: z.array(count).optional(),
  gamma: positive.optional(),
  tMax: count.optional(),
  etaMin: z.number().min(0).optional(),
  startFactor: positive.optional(),
  endFactor: positive.optional(),
  factor: positive.optional(),
  totalIters: count.optional(),
  mode: z.enum(['min', 'max']).optional(),
  patience: z.number().int().min(0).optional(),
  threshold: z.number().min(0).optional(),
  thresholdMode: z.enum(['rel', 'abs']).optional(),
  cooldown: z.number().int().min(0).optional(),
  minLr: z.number().min(0).optional(),
});

/** The bounds and EMA every adaptive weighting shares (pinn/weighting/base.ts). */
const smoothing = {
  alpha: z.number().min(0).lt(1).optional(), min: z.number().min(0).optional(), max: positive.optional(), until: z.number().int().min(0).optional(),
};
const weighting = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('static'), weights: z.record(z.string(), z.number().min(0)) }),
  z.strictObject({
    type: z.literal('warmup'), terms: z.array(z.string()).min(1), warmup: z.number().int().min(0),
    init: z.number().min(0), factor: positive.optional(), every: count.optional(), max: positive.optional(),
  }),
  z.strictObject({ type: z.literal('gradNorm'), every: count.optional(), ...smoothing }),
  z.strictObject({ type: z.literal('lra'), every: count.optional(), residualTerms: z.array(z.string()).min(1).optional(), ...smoothing }),
  z.strictObject({ type: z.literal('ntk'), every: count.optional(), points: count.optional(), ...smoothing }),
  z.strictObject({
    type: z.literal('relobralo'), alpha: z.number().min(0).max(1).optional(), temperature: positive.optional(),
    expectedRho: z.number().min(0).max(1).optional(),
  }),
]);

// Where the points go over training (pinn's sampling strategies); `condition` names a loss term.
const schedule = { condition: z.string(), every: count, from: z.number().int().min(0).optional(), until: z.number().int().min(0).optional() };
const sampling = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('resample'), ...schedule }),
  z.strictObject({ type: z.literal('rar'), ...schedule, candidates: count, add: count, maxPoints: count.optional() }),
  z.strictObject({ type: z.literal('rad'), ...schedule, candidates: count, k: z.number().min(0).optional(), c: z.number().min(0).optional() }),
  z.strictObject({ type: z.literal('minibatch'), condition: z.string(), batchSize: count, until: z.number().int().min(0).optional() }),
]);
export type SamplingConfig = z.infer<typeof sampling>;

const WEIGHTING_TYPES = weighting.options.map((o) => o.shape.type.value);
const SAMPLING_TYPES = sampling.options.map((o) => o.shape.type.value);

export const runConfig = z.strictObject({
  /** Free text shown in `info` and metrics.json. */
  description: z.string().optional(),
  problem: z.discriminatedUnion('type', [problems['elastic-wave-2d'], problems['mre-helmholtz'], problems['poisson-2d'], problems.burgers]),
  model: z.strictObject({
    hidden: z.array(count).min(1),
    activation: z.enum(['tanh', 'sin', 'sigmoid', 'softplus', 'silu', 'gelu', 'relu']),
    init: z.enum(['default', 'xavierNormal', 'xavierUniform', 'kaimingNormal', 'kaimingUniform']),
    dtype: z.enum(['float32', 'float64']),
  }).optional(),
  /** Without phases, the default recipe (Trainer.auto) plans model, phases, weighting, redraws and validation. */
  phases: z.array(z.strictObject({
    name: z.string().optional(),
    steps: count,
    optimizer,
    scheduler: scheduler.optional(),
    /** Cast model and problem to this dtype when the phase starts (e.g. float64 for L-BFGS). */
    dtype: z.enum(['float32', 'float64']).optional(),
    /** Seconds for this phase; when spent, the next phase starts. */
    timeBudget: positive.optional(),
  })).min(1).optional(),
  weighting: weighting.optional(),
  sampling: z.array(sampling).optional(),
  /** A term's mean squared residual on `points` held-out points (uniform random), every `every` steps. */
  validation: z.strictObject({
    condition: z.string(), points: count, every: count,
    restoreBest: z.boolean().optional(), from: z.number().int().min(0).optional(), total: z.boolean().optional(),
  }).optional(),
  seed: z.number().int().min(0),
  logEvery: count,
  evalEvery: count,
  checkpointEvery: z.number().int().min(0),
  keepLast: count,
  timeBudget: positive.optional(),
  threads: count.optional(),
  /** 'cpu', 'cuda' or 'cuda:N' (the --device option overrides it). */
  device: z.string().regex(/^(cpu|cuda(:\d+)?)$/, "'cpu', 'cuda' or 'cuda:N'").optional(),
});
export type RunConfig = z.infer<typeof runConfig>;
type ProblemConfig<T extends ProblemType> = Extract<RunConfig['problem'], { type: T }>;
export type ElasticWaveConfig = ProblemConfig<'elastic-wave-2d'>;
export type MreConfig = ProblemConfig<'mre-helmholtz'>;
export type PoissonConfig = ProblemConfig<'poisson-2d'>;
export type BurgersConfig = ProblemConfig<'burgers'>;

/** A user-facing error: the CLI prints its message as one line, without a stack trace. */
export class UsageError extends Error {}

/** `name` → "unknown X 'name'; did you mean 'other'?" when one of `known` is close. */
export function unknownName(what: string, name: string, known: readonly string[]): UsageError {
  return new UsageError(`unknown ${what} '${name}'${didYouMean(name, known)} (known: ${known.join(', ')})`);
}

/** Objects merge key by key; arrays and scalars from `over` replace. */
function merge(base: unknown, over: unknown): unknown {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(base) || !isObj(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

/** Where a key is valid, for did-you-mean on unknown keys. */
function knownKeys(schema: z.ZodType, path: PropertyKey[], value: unknown): string[] {
  let s: z.ZodType = schema;
  let v: unknown = value;
  for (const key of path) {
    s = unwrap(s, v);
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, z.ZodType>)[key as string];
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else if (s instanceof z.ZodRecord) s = s.valueType as z.ZodType;
    else return [];
    v = (v as Record<PropertyKey, unknown> | undefined)?.[key];
    if (!s) return [];
  }
  s = unwrap(s, v);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

function unwrap(s: z.ZodType, v: unknown): z.ZodType {
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodDiscriminatedUnion) {
      const type = (v as { type?: unknown } | undefined)?.type;
      const match = (s.options as z.ZodType[]).find((o) => o instanceof z.ZodObject && (o.shape as { type: z.ZodLiteral }).type.value === type);
      if (!match) return s;
      s = match;
    } else return s;
  }
}

function where(path: PropertyKey[]): string {
  return path.reduce<string>((a, k) => (typeof k === 'number' ? `${a}[${k}]` : `${a}.${String(k)}`), 'config');
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  // String(v) for numbers: JSON would print Infinity (a 1e400 in the file) as null.
  return typeof v === 'string' ? `the string ${JSON.stringify(v)}` : `${typeof v} ${typeof v === 'object' ? '' : String(v)}`.trim();
}

/** One line per problem, naming where it is, what is wrong, and what would be right. */
function explain(issue: z.core.$ZodIssue, input: unknown): string {
  const at = where(issue.path);
  const valueAt = issue.path.reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown> | undefined)?.[k], input);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(runConfig, issue.path, input);
      return issue.keys.map((k) => `${at}: ${unknownName('key', k, known).message}`).join('\n');
    }
    case 'invalid_type':
      if (typeof valueAt === 'number' && !Number.isFinite(valueAt)) return `${at}: must be a finite number, got ${valueAt}`;
      return valueAt === undefined ? `${at}: missing (expected ${issue.expected})` : `${at}: expected ${issue.expected}, got ${describe(valueAt)}`;
    case 'invalid_value':
      if (typeof valueAt === 'string' && issue.values.every((v) => typeof v === 'string')) return `${at}: ${unknownName('value', valueAt, issue.values as string[]).message}`;
      return `${at}: ${JSON.stringify(valueAt)} is not one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union': {
      // The issue sits on the union's object, or (inside arrays) on its `type` key.
      const onType = issue.path.at(-1) === 'type';
      const union = onType ? where(issue.path.slice(0, -1)) : at;
      const type = onType ? valueAt : (valueAt as { type?: unknown } | undefined)?.type;
      const kinds = union.endsWith('.problem') ? PROBLEM_TYPES : /\.sampling\[\d+\]$/.test(union) ? SAMPLING_TYPES : WEIGHTING_TYPES;
      if (typeof type === 'string') return `${union}.type: ${unknownName('type', type, kinds).message}`;
      return `${union}.type: missing (one of ${kinds.join(', ')})`;
    }
    case 'too_small':
    case 'too_big':
      return `${at}: ${issue.message.replace(/^Too (small|big): expected \w+ to (have|be) /, 'must be ')}, got ${typeof valueAt === 'number' ? String(valueAt) : JSON.stringify(valueAt)}`;
    default:
      return `${at}: ${issue.message}`;
  }
}

/** Validates a merged config; throws one UsageError listing every problem. */
export function validate(input: unknown, source: string): RunConfig {
  const r = runConfig.safeParse(input);
  if (r.success) return r.data;
  const lines = [...new Set(r.error.issues.map((i) => explain(i, input)))];
  throw new UsageError(`${source}: invalid config: ${lines.join('; ')}`);
}

/** A preset name, or a JSON file path (optionally `extends`-ing a preset), as a validated config. */
export function loadConfig(spec: string, overrides: unknown = {}): { config: RunConfig; source: string } {
  let raw: unknown;
  let source: string;
  const looksLikeFile = /[./\\]/.test(spec) || spec.endsWith('.json');
  if (!looksLikeFile) {
    if (!(spec in PRESETS)) throw unknownName('preset', spec, Object.keys(PRESETS));
    raw = PRESETS[spec];
    source = `preset '${spec}'`;
  } else {
    source = spec;
    let text: string;
    try { text = readFileSync(spec, 'utf8'); } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'ENOENT' ? `${spec}: no such file` : `${spec}: cannot read (${(e as Error).message})`);
    }
    try { raw = JSON.parse(text); } catch (e) { throw new UsageError(`${spec}: not valid JSON (${(e as Error).message})`); }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`${spec}: a config must be a JSON object`);
    const { extends: base, ...rest } = raw as Record<string, unknown>;
    if (base !== undefined) {
      if (typeof base !== 'string') throw new UsageError(`${spec}: config.extends: expected a preset name, got ${describe(base)}`);
      if (!(base in PRESETS)) throw new UsageError(`${spec}: config.extends: ${unknownName('preset', base, Object.keys(PRESETS)).message}`);
      const p = PRESETS[base];
      const problemType = (rest.problem as { type?: unknown } | undefined)?.type;
      // A different problem type starts from nothing rather than inheriting the other problem's fields.
      raw = merge(problemType !== undefined && problemType !== p.problem.type ? { ...p, problem: {} } : p, rest);
    }
  }
  return { config: validate(merge(raw, overrides), source), source };
}

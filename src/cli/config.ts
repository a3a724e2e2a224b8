// The run config the CLI trains from: a JSON file or a preset, validated in full before any work
// starts. A file may `extends` a preset and override parts of it (objects merge, arrays replace).
//
// Problems are not declared here either: each kind is an entry of problem_kinds/ (its schema,
// its builder, its plots); `problem` is the union of their schemas.
//
// Optimizers, schedulers, loss weightings and sampling strategies are not declared here: their
// names and options come from the library's registries (optim/registry.ts,
// pinn/weighting/registry.ts, pinn/sampling_registry.ts), whose plain-data option schemas
// `optionToZod` turns into zod. A new registry entry is a valid config type with no edit here.
//
// Type names: optimizers and schedulers are spelled as PyTorch's classes ('Adam', 'LBFGS',
// 'StepLR'); the lower-case spelling ('adam', 'lbfgs', 'steplr') and the registry's aliases
// ('L-BFGS', 'plateau') are accepted too, and a config keeps the spelling it was given.
// Weightings and sampling strategies have one spelling each, the registry's name ('lra', 'rad');
// any other casing of a name, in any family, is replaced by the canonical name.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { type OptimizerSpec, type SchedulerSpec, optimizers, schedulers } from '../optim/registry.js';
import { type SamplingEntry, samplingStrategies } from '../pinn/sampling_registry.js';
import { type WeightingEntry, weightings } from '../pinn/weighting/registry.js';
import { type CanonicalSpecOf, type OptionSpec, type Registry, type RegistryEntry, spellings } from '../registry.js';
import { UsageError, unknownName } from './errors.js';
import { PRESETS } from './presets.js';
import { PROBLEM_TYPES, problemKind, problemSchema } from './problem_kinds/index.js';

const positive = z.number().positive();
const count = z.number().int().positive();

/** One registry option as zod: the only place the CLI translates the library's plain-data schemas. */
export function optionToZod(spec: OptionSpec): z.ZodType {
  let t: z.ZodType;
  switch (spec.kind) {
    case 'number':
    case 'integer': {
      let n = spec.kind === 'integer' ? z.number().int() : z.number();
      const xlo = spec.kind === 'number' && spec.exclusiveMin, xhi = spec.kind === 'number' && spec.exclusiveMax;
      if (spec.min !== undefined) n = xlo ? n.gt(spec.min) : n.min(spec.min);
      if (spec.max !== undefined) n = xhi ? n.lt(spec.max) : n.max(spec.max);
      t = n;
      break;
    }
    case 'boolean': t = z.boolean(); break;
    case 'string': t = z.string(); break;
    case 'string-enum': t = z.enum(spec.values as [string, ...string[]]); break;
    case 'array': {
      let a = z.array(optionToZod({ ...spec.items, required: true }));
      if (spec.minItems !== undefined) a = a.min(spec.minItems);
      if (spec.maxItems !== undefined) a = a.max(spec.maxItems);
      t = a;
      break;
    }
    case 'record': t = z.record(z.string(), optionToZod({ ...spec.values, required: true })); break;
  }
  if (spec.nullable) t = t.nullable();
  return spec.required ? t : t.optional();
}

/**
 * `{ type, ...options }` for every entry of a registry, as a discriminated union on `type`;
 * `names` gives the spellings each entry is accepted under.
 */
function registryUnion(registry: Registry<RegistryEntry>, names: (e: RegistryEntry) => string[]) {
  const objects = registry.entries.map((e) => {
    const n = names(e);
    const shape = Object.fromEntries(Object.entries(e.options).map(([k, spec]) => [k, optionToZod(spec)]));
    return z.strictObject({ type: n.length === 1 ? z.literal(n[0]) : z.enum(n as [string, ...string[]]), ...shape });
  });
  const union = z.discriminatedUnion('type', objects as unknown as [z.ZodObject, ...z.ZodObject[]]);
  // Another casing of a known name ('Cosine' for the alias 'cosine', 'LRA') becomes the canonical name.
  return z.preprocess((v) => {
    const type = (v as { type?: unknown } | null)?.type;
    const e = typeof v === 'object' && v !== null && !Array.isArray(v) && typeof type === 'string' ? registry.find(type) : undefined;
    return e && !names(e).includes(type as string) ? { ...(v as object), type: e.name } : v;
  }, union);
}

const optimizer = registryUnion(optimizers, spellings) as unknown as z.ZodType<OptimizerSpec>;
const scheduler = registryUnion(schedulers, spellings) as unknown as z.ZodType<SchedulerSpec>;
// The problem builders switch on these names (problems.ts): one spelling each.
const weighting = registryUnion(weightings, (e) => [e.name]) as unknown as z.ZodType<CanonicalSpecOf<WeightingEntry>>;
const sampling = registryUnion(samplingStrategies, (e) => [e.name]) as unknown as z.ZodType<CanonicalSpecOf<SamplingEntry>>;
export type SamplingConfig = CanonicalSpecOf<SamplingEntry>;
export type WeightingConfig = CanonicalSpecOf<WeightingEntry>;
/** An optimizer as a config gives it ({ type: 'Adam' | 'adam' | …, ...options }). */
export type OptimizerConfig = OptimizerSpec;

export const runConfig = z.strictObject({
  /** Free text shown in `info` and metrics.json. */
  description: z.string().optional(),
  problem: problemSchema,
  model: z.strictObject({
    hidden: z.array(count).min(1),
    activation: z.enum(['tanh', 'sin', 'sigmoid', 'softplus', 'silu', 'gelu', 'relu']),
    init: z.enum(['default', 'xavierNormal', 'xavierUniform', 'kaimingNormal', 'kaimingUniform']),
    dtype: z.enum(['float32', 'float64']),
    /** The inputs through nn.PeriodicEmbedding: a period per input, null where it passes through (the default recipe's choice for exactly periodic problems). */
    periods: z.array(z.number().positive().finite().nullable()).min(1).optional(),
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
    restoreBest: z.boolean().optional(), from: z.number().int().min(0).optional(), phase: z.string().min(1).optional(), total: z.boolean().optional(),
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
/** The problem object of one kind ('burgers', …). */
export type ProblemConfig<T extends RunConfig['problem']['type']> = Extract<RunConfig['problem'], { type: T }>;

export { UsageError, unknownName };

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
    else if (s instanceof z.ZodPipe) s = s.out as z.ZodType; // a registry union behind its preprocess
    else if (s instanceof z.ZodDiscriminatedUnion) {
      const type = (v as { type?: unknown } | undefined)?.type;
      const match = (s.options as z.ZodType[]).find((o) => o instanceof z.ZodObject && accepts((o.shape as { type: z.ZodType }).type, type));
      if (!match) return s;
      s = match;
    } else if (s instanceof z.ZodUnion) {
      // alternatives told apart by shape (a path or an object): an object value is meant for the object
      const match = typeof v === 'object' && v !== null && !Array.isArray(v) ? (s.options as z.ZodType[]).find((o) => o instanceof z.ZodObject) : undefined;
      if (!match) return s;
      s = match;
    } else return s;
  }
}

/** Whether a discriminator (a literal, or an enum of spellings) takes `v`. */
function accepts(t: z.ZodType, v: unknown): boolean {
  const values: unknown[] = t instanceof z.ZodLiteral ? [...t.values] : t instanceof z.ZodEnum ? t.options : [];
  // in any case: the input is seen before the registry union's preprocess gives it the canonical name
  return values.some((x) => x === v || (typeof x === 'string' && typeof v === 'string' && x.toLowerCase() === v.toLowerCase()));
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
      // Optimizers and schedulers: the registry names the closest spelling in any case.
      const registry = union.endsWith('.optimizer') ? optimizers : union.endsWith('.scheduler') ? schedulers : null;
      if (registry && typeof type === 'string') return `${union}.type: ${registry.unknown(type)}`;
      const kinds = registry ? registry.names : union.endsWith('.problem') ? PROBLEM_TYPES : /\.sampling\[\d+\]$/.test(union) ? samplingStrategies.names : union.endsWith('.weighting') ? weightings.names : null;
      if (!kinds) return explainAlternatives(issue, input);
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

/**
 * A union of alternatives that are not told apart by `type` (a path or an object): the problems
 * of the alternative the value's shape is meant for, else the union's own message.
 */
function explainAlternatives(issue: z.core.$ZodIssueInvalidUnion, input: unknown): string {
  const meant = issue.errors.find((b) => b.length > 0 && b.every((i) => !(i.code === 'invalid_type' && i.path.length === 0)));
  if (meant) return meant.map((i) => explain({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue, input)).join('; ');
  return `${where(issue.path)}: ${issue.message}`;
}

/** Validates a merged config; throws one UsageError listing every problem. */
export function validate(input: unknown, source: string): RunConfig {
  const r = runConfig.safeParse(input);
  if (r.success) {
    const kind = problemKind(r.data.problem.type);
    if (kind.ownModel && r.data.model) throw new UsageError(`${source}: invalid config: config.model: the '${kind.name}' problem makes its own networks: set them in ${kind.ownModel}`);
    return r.data;
  }
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
  const base = looksLikeFile ? dirname(resolve(spec)) : process.cwd();
  return { config: resolvePaths(validate(merge(raw, overrides), source), base), source };
}

/** The problem's file paths (its kind's `paths`) made absolute, from `base`, so a run directory's config reads them from anywhere. */
function resolvePaths(c: RunConfig, base: string): RunConfig {
  const problem = { ...c.problem } as Record<string, unknown>;
  for (const k of problemKind(c.problem.type).paths ?? []) {
    const v = problem[k];
    if (typeof v === 'string' && !isAbsolute(v)) problem[k] = resolve(base, v);
  }
  return { ...c, problem: problem as RunConfig['problem'] };
}

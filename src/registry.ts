// Registries: the one place a family of named, declaratively configured parts (optimizers,
// schedulers, loss weightings, sampling strategies) is listed. Each entry has its name, the
// aliases it also answers to, its options as plain data (kind, bounds, default, doc) and a
// factory. Everything that lists or checks these parts derives from here: the Trainer's phase
// checks, the CLI's config schema (src/cli/config.ts turns the plain data into zod), the docs.
// Plain data on purpose: the library depends on no schema package.
//
// Names: an entry's `name` is its canonical spelling (PyTorch's class name where there is one:
// 'Adam', 'LBFGS', 'StepLR'); lookup ignores case, so 'adam', 'lbfgs' and 'steplr' find the same
// entries, and `aliases` adds other spellings ('L-BFGS').
import { didYouMean, show } from './errors.js';

interface OptionBase {
  /** One line for docs and error messages. */
  doc: string;
  /** Must be given (there is no default). */
  required?: boolean;
  /** null is a value of its own (lineSearchFn: null). */
  nullable?: boolean;
}
export interface NumberOption extends OptionBase {
  kind: 'number';
  min?: number; max?: number;
  /** min / max themselves are excluded. */
  exclusiveMin?: boolean; exclusiveMax?: boolean;
  default?: number;
}
export interface IntegerOption extends OptionBase { kind: 'integer'; min?: number; max?: number; default?: number }
export interface BooleanOption extends OptionBase { kind: 'boolean'; default?: boolean }
export interface StringOption extends OptionBase { kind: 'string'; default?: string }
export interface EnumOption extends OptionBase { kind: 'string-enum'; values: readonly string[]; default?: string | null }
export interface ArrayOption extends OptionBase { kind: 'array'; items: OptionSpec; minItems?: number; maxItems?: number; default?: readonly unknown[] }
/** An object with any keys and values of one kind ({ term: weight }). */
export interface RecordOption extends OptionBase { kind: 'record'; values: OptionSpec; default?: Readonly<Record<string, unknown>> }
export type OptionSpec = NumberOption | IntegerOption | BooleanOption | StringOption | EnumOption | ArrayOption | RecordOption;
export type OptionSchema = Readonly<Record<string, OptionSpec>>;

export interface RegistryEntry<Make = unknown> {
  /** The canonical name (what docs and listings show). */
  readonly name: string;
  /** Other accepted spellings (lookup also ignores case). */
  readonly aliases?: readonly string[];
  readonly doc: string;
  readonly options: OptionSchema;
  readonly create: Make;
}

/** Every spelling an entry answers to exactly: its name, its aliases, and their lower-case forms. */
export function spellings(e: RegistryEntry): string[] {
  const all = [e.name, ...(e.aliases ?? [])];
  return [...new Set([...all, ...all.map((s) => s.toLowerCase())])];
}

export class Registry<E extends RegistryEntry> {
  private readonly byKey = new Map<string, E>();
  private readonly list: E[] = [];

  /** `what` names the family in messages ('optimizer', 'scheduler', …). */
  constructor(readonly what: string, entries: readonly E[]) {
    for (const e of entries) this.add(e);
  }

  /** Adds an entry (a name or alias already taken, in any case, is refused). */
  add(e: E): void {
    for (const s of [e.name, ...(e.aliases ?? [])]) {
      const key = s.toLowerCase();
      const taken = this.byKey.get(key);
      if (taken) throw new Error(`${this.what} registry: '${s}' is already taken by '${taken.name}'`);
      this.byKey.set(key, e);
    }
    this.list.push(e);
  }

  /** Canonical names, in registration order. */
  get names(): string[] { return this.list.map((e) => e.name); }
  get entries(): readonly E[] { return this.list; }

  /** The entry a name or alias (any case) stands for, or undefined. */
  find(name: unknown): E | undefined {
    return typeof name === 'string' ? this.byKey.get(name.toLowerCase()) : undefined;
  }

  /** Whether two spellings name the same entry ('adam' and 'Adam'). */
  same(a: unknown, b: unknown): boolean {
    const x = this.find(a);
    return x !== undefined ? x === this.find(b) : a === b;
  }

  /** The entry for `name`; an unknown one throws, naming the closest and listing the known ones. */
  get(name: unknown, where = ''): E {
    const e = this.find(name);
    if (e) return e;
    throw new Error(this.unknown(name, where));
  }

  /** "where: unknown optimizer 'adma'; did you mean 'Adam'? (known: SGD, Adam, …)". */
  unknown(name: unknown, where = ''): string {
    const keys = [...this.byKey.keys()];
    const hint = typeof name === 'string' ? didYouMean(name.toLowerCase(), keys) : '';
    const suggestion = hint ? `; did you mean '${this.byKey.get(/'(.*)'/.exec(hint)![1])!.name}'?` : '';
    return `${where ? `${where}: ` : ''}unknown ${this.what} ${typeof name === 'string' ? `'${name}'` : show(name)}${suggestion} (known: ${this.names.join(', ')})`;
  }
}

/** The declared defaults of a schema (options without one are left out). */
export function defaults(schema: OptionSchema): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, s.default]));
}

/** What a value of `spec` must be, in words ('an integer ≥ 1'). */
export function describeOption(spec: OptionSpec): string {
  const range = (lo?: number, hi?: number, xlo?: boolean, xhi?: boolean) =>
    [lo !== undefined ? `${xlo ? '>' : '≥'} ${lo}` : '', hi !== undefined ? `${xhi ? '<' : '≤'} ${hi}` : ''].filter(Boolean).join(' and ');
  const or = spec.nullable ? ' or null' : '';
  switch (spec.kind) {
    case 'number': { const r = range(spec.min, spec.max, spec.exclusiveMin, spec.exclusiveMax); return `a finite number${r ? ` ${r}` : ''}${or}`; }
    case 'integer': { const r = range(spec.min, spec.max); return `an integer${r ? ` ${r}` : ''}${or}`; }
    case 'boolean': return `true or false${or}`;
    case 'string': return `a string${or}`;
    case 'string-enum': return `one of ${spec.values.map((v) => `'${v}'`).join(', ')}${or}`;
    case 'array': {
      const n = spec.minItems !== undefined && spec.minItems === spec.maxItems ? `${spec.minItems} ` : spec.minItems ? `at least ${spec.minItems} ` : '';
      return `an array of ${n}(${describeOption(spec.items)})${or}`;
    }
    case 'record': return `an object of (${describeOption(spec.values)})${or}`;
  }
}

function fits(spec: OptionSpec, v: unknown): boolean {
  if (v === null) return !!spec.nullable;
  switch (spec.kind) {
    case 'number':
    case 'integer': {
      if (typeof v !== 'number' || !Number.isFinite(v) || (spec.kind === 'integer' && !Number.isInteger(v))) return false;
      const xlo = spec.kind === 'number' && spec.exclusiveMin, xhi = spec.kind === 'number' && spec.exclusiveMax;
      if (spec.min !== undefined && (xlo ? !(v > spec.min) : !(v >= spec.min))) return false;
      return spec.max === undefined || (xhi ? v < spec.max : v <= spec.max);
    }
    case 'boolean': return typeof v === 'boolean';
    case 'string': return typeof v === 'string';
    case 'string-enum': return typeof v === 'string' && spec.values.includes(v);
    case 'array':
      return Array.isArray(v) && (spec.minItems === undefined || v.length >= spec.minItems) && (spec.maxItems === undefined || v.length <= spec.maxItems)
        && v.every((x) => fits(spec.items, x));
    case 'record':
      return typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every((x) => fits(spec.values, x));
  }
}

/**
 * Checks plain options against a schema: unknown keys (with did-you-mean), missing required
 * ones, kinds and bounds. Throws one Error naming `where` and the option.
 */
export function checkOptions(schema: OptionSchema, options: unknown, where: string): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`${where}: options must be an object, got ${show(options)}`);
  const known = Object.keys(schema);
  for (const [k, v] of Object.entries(options)) {
    const spec = schema[k];
    if (!spec) throw new Error(`${where}: unknown option '${k}'${didYouMean(k, known)} (options: ${known.join(', ') || 'none'})`);
    if (v === undefined) continue;
    if (!fits(spec, v)) throw new RangeError(`${where}.${k} must be ${describeOption(spec)}, got ${show(v)}`);
  }
  for (const [k, spec] of Object.entries(schema)) {
    if (spec.required && (options as Record<string, unknown>)[k] === undefined) throw new Error(`${where}.${k} is required (${spec.doc})`);
  }
}

// ---- the TypeScript type of an entry's options, derived from its schema (entries declared `as const`) ----

type ValueOf<S> =
  (S extends { kind: 'number' | 'integer' } ? number
    : S extends { kind: 'boolean' } ? boolean
      : S extends { kind: 'string' } ? string
        : S extends { kind: 'string-enum'; values: readonly (infer V)[] } ? V
          : S extends { kind: 'array'; items: infer I } ? Array<ValueOf<I>>
            : S extends { kind: 'record'; values: infer I } ? Record<string, ValueOf<I>>
              : unknown)
  | (S extends { nullable: true } ? null : never);

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The options object a schema describes: required keys required, the others optional. */
export type OptionsOf<S> = Simplify<
  { -readonly [K in keyof S as S[K] extends { required: true } ? K : never]: ValueOf<S[K]> } &
  { -readonly [K in keyof S as S[K] extends { required: true } ? never : K]?: ValueOf<S[K]> }
>;

/** The spellings of an entry's name the type system knows: the name, its lower case, its aliases. */
export type NameOf<E> = E extends { name: infer N extends string } ? N | Lowercase<N> | (E extends { aliases: readonly (infer A extends string)[] } ? A | Lowercase<A> : never) : never;

/** `{ type, ...options }` for each entry of a tuple of entries: the declarative spec of one part. */
export type SpecOf<E> = E extends { options: infer S } ? Simplify<{ type: NameOf<E> } & OptionsOf<S>> : never;

/** Like SpecOf, with `type` only the canonical name (for callers that switch on it). */
export type CanonicalSpecOf<E> = E extends { name: infer N; options: infer S } ? Simplify<{ type: N } & OptionsOf<S>> : never;

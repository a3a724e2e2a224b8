// Argument checks shared by the public entry points: options objects, booleans, numbers and
// integers, counts, bounds, names, points and choices, each refused with the op and the argument named and
// what it must be (errors.ts words the type errors; shape.ts checks dims and shapes; a live
// Tensor is tensor.ts's alive()). The wordings: invalidArgument's "must be a number, got
// string "x"" for a value of the wrong type; need's "must be a positive integer, got 0" (a
// RangeError for a number out of bounds, a TypeError showing anything else, strings quoted);
// and checkRange's, which the optimizers' messages keep ("must be in [0, 1), got abc").
import { checkKeys, invalidArgument } from './errors.js';

/**
 * An options object (undefined: none): a plain object whose keys are all `known` (without
 * `known`, its keys are left to the caller, as optimizers check them with the parameter group).
 */
export function checkOptions<T extends object>(op: string, o: T | undefined, known?: readonly string[], name = 'options'): Partial<T> {
  if (o === undefined) return {};
  if (o === null || typeof o !== 'object' || Array.isArray(o) || o instanceof Function) throw invalidArgument(op, name, 'an object', o);
  if (known) checkKeys(op, `${name === 'options' ? 'option' : name}`, o, known);
  return o;
}

/** A boolean flag (JS truthiness is not a yes); undefined gives the fallback, when there is one. */
export function checkBoolean(op: string, name: string, v: unknown, fallback?: boolean): boolean {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'boolean') throw invalidArgument(op, name, 'a boolean', v);
  return v;
}

/** A number (NaN and ±Inf included: they are values, as in PyTorch). */
export function checkNumber(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number') throw invalidArgument(op, name, 'a number', v);
  return v;
}

/** An integer LibTorch's int64 holds exactly (2⁶² is one; 1e300 is an integer to JS, not to int64). */
export const isInt64 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63;

/** An integer in [min, max]. */
export function checkInteger(op: string, name: string, v: unknown, min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidArgument(op, name, 'an integer', v);
  if (v < min || v > max) throw new RangeError(`${op}: ${name} must be in [${min}, ${max}], got ${v}`);
  return v;
}

/** A value as need() shows it: strings quoted, long arrays by length, objects and functions by kind. */
export function shown(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return v.length > 8 ? `an array of ${v.length}` : `[${v.map(shown).join(', ')}]`;
  if (ArrayBuffer.isView(v) && 'length' in v) return `a ${v.constructor.name} of ${String(v.length)}`;
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}

/** Throws `${op}: ${name} must be ${requirement}, got ${v}` unless ok: a RangeError for a number, else a TypeError. */
export function need(ok: boolean, op: string, name: string, requirement: string, v: unknown): void {
  if (ok) return;
  const msg = `${op}: ${name} must be ${requirement}, got ${shown(v)}`;
  throw typeof v === 'number' ? new RangeError(msg) : new TypeError(msg);
}

export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A finite number (NaN and ±Inf refused), worded as a type error as checkNumber's are. */
export function checkFiniteNumber(op: string, name: string, v: unknown): number {
  if (!isFiniteNumber(v)) throw invalidArgument(op, name, 'a finite number', v);
  return v;
}
const isSafeInteger = (v: unknown): v is number => Number.isSafeInteger(v);

/** A finite number > 0. */
export function checkPositive(op: string, name: string, v: unknown): number {
  need(isFiniteNumber(v) && v > 0, op, name, 'a positive number', v);
  return v as number;
}
/** A finite number ≥ 0. */
export function checkNonNegative(op: string, name: string, v: unknown): number {
  need(isFiniteNumber(v) && v >= 0, op, name, 'a non-negative number', v);
  return v as number;
}
/** An integer ≥ 1 (a count, a period); `isInt` says what an integer is (default: a safe one; tensor ops: isInt64). */
export function checkPositiveInt(op: string, name: string, v: unknown, isInt: (v: unknown) => v is number = isSafeInteger): number {
  need(isInt(v) && v >= 1, op, name, 'a positive integer', v);
  return v as number;
}
/** An integer ≥ 0. */
export function checkNonNegativeInt(op: string, name: string, v: unknown, isInt: (v: unknown) => v is number = isSafeInteger): number {
  need(isInt(v) && v >= 0, op, name, 'a non-negative integer', v);
  return v as number;
}
/**
 * A number in [lo, hi], or [lo, hi) with hiOpen (NaN is in no range). Always a RangeError showing
 * the value as String() does (optimizer options: "lr must be in [0, Infinity], got abc").
 */
export function checkRange(op: string, name: string, v: unknown, lo: number, hi: number, hiOpen = false): number {
  if (typeof v !== 'number' || !(v >= lo) || (hiOpen ? !(v < hi) : !(v <= hi))) {
    throw new RangeError(`${op}: ${name} must be in [${lo}, ${hi}${hiOpen ? ')' : ']'}, got ${String(v)}`);
  }
  return v;
}
/** A name (of a term, a condition, a part): a non-empty string. */
export function checkName(op: string, name: string, v: unknown): string {
  need(typeof v === 'string' && v !== '', op, name, 'a non-empty string', v);
  return v as string;
}
/** Names: a non-empty array of non-empty strings, exactly `length` of them when given. */
export function checkNames(op: string, name: string, v: unknown, length?: number): string[] {
  const ok = Array.isArray(v) && v.length > 0 && (length === undefined || v.length === length) && v.every((s) => typeof s === 'string' && s !== '');
  need(ok, op, name, length === undefined ? 'a non-empty array of non-empty strings' : `an array of ${length} non-empty strings`, v);
  return v as string[];
}
/** A point: an array of `dim` finite numbers (of at least one without `dim`). */
export function checkPoint(op: string, name: string, v: unknown, dim?: number): number[] {
  const ok = Array.isArray(v) && v.length > 0 && (dim === undefined || v.length === dim) && v.every(isFiniteNumber);
  need(ok, op, name, dim === undefined ? 'a non-empty array of finite numbers' : `an array of ${dim} finite numbers`, v);
  return v as number[];
}
/** One of the allowed strings. */
export function checkOneOf<T extends string>(op: string, name: string, v: unknown, allowed: readonly T[]): T {
  need((allowed as readonly unknown[]).includes(v), op, name, allowed.map((a) => `'${a}'`).join(' or '), v);
  return v as T;
}

/**
 * A native error re-worded under the public op's name (the addon prefixes the name of the native
 * function it ran: softplusBeta, sumAll, addScalar_), with the arguments it was about when given.
 */
export function renamed(op: string, e: unknown, args?: string): unknown {
  if (!(e instanceof Error)) return e;
  const m = /^[A-Za-z_]\w*: /.exec(e.message);
  // LibTorch's allocator prefixes its source location: "[enforce fail at alloc_cpu.cpp:75] err == 0. ".
  const text = (m ? e.message.slice(m[0].length) : e.message).replace(/^\[enforce fail at [^\]]*\] [^.]*\. /, '');
  e.message = `${op}: ${args ? `${args}: ` : ''}${text}`;
  return e;
}

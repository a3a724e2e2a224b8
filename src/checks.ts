// Argument checks shared by every public entry point of the tensor API: options objects,
// booleans, numbers and integers, each refused with the op and the argument named
// (errors.ts words the messages; shape.ts checks dims and shapes).
import { checkKeys, invalidArgument } from './errors.js';

/** An options object (undefined: none): a plain object whose keys are all known. */
export function checkOptions<T extends object>(op: string, o: T | undefined, known: readonly string[], name = 'options'): Partial<T> {
  if (o === undefined) return {};
  if (o === null || typeof o !== 'object' || Array.isArray(o) || o instanceof Function) throw invalidArgument(op, name, 'an object', o);
  checkKeys(op, `${name === 'options' ? 'option' : name}`, o, known);
  return o;
}

/** A boolean flag; undefined gives the default. */
export function checkBoolean(op: string, name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
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

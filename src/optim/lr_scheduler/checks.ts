// Option and state-dict checks shared by the schedulers: every error names the scheduler,
// the option or key, what was expected and what was given. The value checks are src/checks.ts's,
// under the short names the schedulers use.
import { checkNonNegative, checkNonNegativeInt, checkOneOf, checkPositive, checkPositiveInt, isFiniteNumber as finite, need, shown } from '../../checks.js';

export {
  checkNonNegative as nonNegative, checkNonNegativeInt as nonNegativeInt, checkOneOf as oneOf, checkPositive as positive,
  checkPositiveInt as positiveInt, need, shown as show,
};

/** A JSON value: what a scheduler's state dict is made of. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** A scheduler's state dict: plain data, safe through JSON.stringify/parse. */
export type SchedulerStateDict = { [key: string]: JsonValue };

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** An epoch counter: an integer ≥ -1 (-1 meaning "not started", as in PyTorch). */
export function epoch(where: string, key: string, v: unknown): number {
  need(Number.isSafeInteger(v) && (v as number) >= -1, where, key, 'an integer ≥ -1', v);
  return v as number;
}
/** A list of `length` finite numbers (each ≥ 0 when nonNeg). */
export function numberList(where: string, key: string, v: unknown, length: number, nonNeg = false): number[] {
  need(Array.isArray(v), where, key, `an array of ${length} numbers`, v);
  const a = v as unknown[];
  if (a.length !== length) throw new RangeError(`${where}: ${key} must hold ${length} numbers (one per parameter group), got ${a.length}`);
  a.forEach((x, i) => (nonNeg ? checkNonNegative(where, `${key}[${i}]`, x) : need(finite(x), where, `${key}[${i}]`, 'a finite number', x)));
  return [...(a as number[])];
}

/** An options object (undefined → {}), rejecting keys the scheduler does not know (e.g. step_size). */
export function options(where: string, o: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (o === undefined) return {};
  if (!isPlainObject(o)) throw new TypeError(`${where}: options must be an object, got ${shown(o)}`);
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new TypeError(`${where}: unknown option '${k}' (expected ${allowed.map((a) => `'${a}'`).join(', ')})`);
  }
  return o;
}
/** o[key], or the default when absent or undefined. */
export const opt = (o: Record<string, unknown>, key: string, dflt: unknown): unknown => (o[key] === undefined ? dflt : o[key]);

/** Checks a state dict has exactly `keys`, naming the first missing or unexpected one. */
export function stateKeys(where: string, sd: unknown, keys: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(sd)) throw new TypeError(`${where}: expected a state dict object, got ${shown(sd)}`);
  for (const k of keys) if (!(k in sd)) throw new Error(`${where}: missing key '${k}'`);
  for (const k of Object.keys(sd)) if (!keys.includes(k)) throw new Error(`${where}: unexpected key '${k}'`);
  return sd;
}

/** ±Infinity as strings, so a state dict survives JSON (which would turn them into null). */
export const encodeNumber = (x: number): number | string => (Number.isFinite(x) ? x : String(x));
export function decodeNumber(where: string, key: string, v: unknown): number {
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  need(finite(v), where, key, "a finite number, 'Infinity' or '-Infinity'", v);
  return v as number;
}

// Option and state-dict checks shared by the schedulers: every error names the scheduler,
// the option or key, what was expected and what was given.

/** A JSON value: what a scheduler's state dict is made of. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** A scheduler's state dict: plain data, safe through JSON.stringify/parse. */
export type SchedulerStateDict = { [key: string]: JsonValue };

export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return v.length > 8 ? `an array of ${v.length}` : `[${v.map(show).join(', ')}]`;
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** Throws `${where}: ${key} must be ${requirement}, got ${v}` unless ok; a TypeError when v is not even a number. */
export function need(ok: boolean, where: string, key: string, requirement: string, v: unknown): void {
  if (ok) return;
  const msg = `${where}: ${key} must be ${requirement}, got ${show(v)}`;
  throw typeof v === 'number' ? new RangeError(msg) : new TypeError(msg);
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function positive(where: string, key: string, v: unknown): number {
  need(finite(v) && v > 0, where, key, 'a positive number', v);
  return v as number;
}
export function nonNegative(where: string, key: string, v: unknown): number {
  need(finite(v) && v >= 0, where, key, 'a non-negative number', v);
  return v as number;
}
export function positiveInt(where: string, key: string, v: unknown): number {
  need(Number.isSafeInteger(v) && (v as number) > 0, where, key, 'a positive integer', v);
  return v as number;
}
export function nonNegativeInt(where: string, key: string, v: unknown): number {
  need(Number.isSafeInteger(v) && (v as number) >= 0, where, key, 'a non-negative integer', v);
  return v as number;
}
/** An epoch counter: an integer ≥ -1 (-1 meaning "not started", as in PyTorch). */
export function epoch(where: string, key: string, v: unknown): number {
  need(Number.isSafeInteger(v) && (v as number) >= -1, where, key, 'an integer ≥ -1', v);
  return v as number;
}
export function oneOf<T extends string>(where: string, key: string, v: unknown, allowed: readonly T[]): T {
  need((allowed as readonly unknown[]).includes(v), where, key, allowed.map((a) => `'${a}'`).join(' or '), v);
  return v as T;
}
/** A list of `length` finite numbers (each ≥ 0 when nonNeg). */
export function numberList(where: string, key: string, v: unknown, length: number, nonNeg = false): number[] {
  need(Array.isArray(v), where, key, `an array of ${length} numbers`, v);
  const a = v as unknown[];
  if (a.length !== length) throw new RangeError(`${where}: ${key} must hold ${length} numbers (one per parameter group), got ${a.length}`);
  a.forEach((x, i) => (nonNeg ? nonNegative(where, `${key}[${i}]`, x) : need(finite(x), where, `${key}[${i}]`, 'a finite number', x)));
  return [...(a as number[])];
}

/** An options object (undefined → {}), rejecting keys the scheduler does not know (e.g. step_size). */
export function options(where: string, o: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (o === undefined) return {};
  if (!isPlainObject(o)) throw new TypeError(`${where}: options must be an object, got ${show(o)}`);
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new TypeError(`${where}: unknown option '${k}' (expected ${allowed.map((a) => `'${a}'`).join(', ')})`);
  }
  return o;
}
/** o[key], or the default when absent or undefined. */
export const opt = (o: Record<string, unknown>, key: string, dflt: unknown): unknown => (o[key] === undefined ? dflt : o[key]);

/** Checks a state dict has exactly `keys`, naming the first missing or unexpected one. */
export function stateKeys(where: string, sd: unknown, keys: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(sd)) throw new TypeError(`${where}: expected a state dict object, got ${show(sd)}`);
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

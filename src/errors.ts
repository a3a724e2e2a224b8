// One way to say "this argument is wrong": what was expected, what came, and where.
import { closest, distance } from 'fastest-levenshtein';

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

export function invalidArgument(op: string, name: string, expected: string, actual: unknown): Error {
  return new TypeError(`${op}: ${name} must be ${expected}, got ${describe(actual)}`);
}

export function check(condition: boolean, op: string, message: () => string): asserts condition {
  if (!condition) throw new Error(`${op}: ${message()}`);
}

/** "; did you mean 'x'?" when a known name is close to `name` (a typo), else "". */
export function didYouMean(name: string, known: readonly string[]): string {
  const best = known.length ? closest(name, known as string[]) : undefined;
  return best && distance(name, best) <= Math.max(2, Math.floor(best.length / 3)) ? `; did you mean '${best}'?` : '';
}

/** Refuses keys of an options object that `known` does not list, naming the closest one. */
export function checkKeys(op: string, what: string, o: object, known: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) throw new Error(`${op}: unknown ${what} '${k}'${didYouMean(k, known)} (${what}s: ${known.join(', ') || 'none'})`);
  }
}

/** A value as JSON for a message; BigInts (which JSON.stringify refuses) print as 5n. */
export function show(value: unknown): string {
  if (typeof value === 'number') return String(value); // JSON would write NaN and ±Infinity as null
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

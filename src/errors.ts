// One way to say "this argument is wrong": what was expected, what came, and where.

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

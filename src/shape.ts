// Shape rules checked in TypeScript so that mistakes are reported clearly and cheaply
// (a LibTorch exception costs milliseconds and a 2 KB message).
import { isInt64 } from './checks.js';
import { show } from './errors.js';

export type Shape = readonly number[];

export const numel = (shape: Shape) => shape.reduce((a, b) => a * b, 1);
export const fmt = (shape: Shape) => `[${shape.join(', ')}]`;

/** The broadcast result of two shapes, or null when they are incompatible (NumPy rules). */
export function broadcast(a: Shape, b: Shape): number[] | null {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 1; i <= n; i++) {
    const x = i <= a.length ? a[a.length - i] : 1;
    const y = i <= b.length ? b[b.length - i] : 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out[n - i] = x === 1 ? y : x;
  }
  return out;
}

/** Resolves a possibly negative dim against ndim, or throws saying which op and range. */
export function normDim(op: string, dim: unknown, ndim: number, extra = 0): number {
  const range = Math.max(ndim + extra, 1);
  if (!Number.isInteger(dim) || (dim as number) < -range || (dim as number) >= range) {
    throw new RangeError(`${op}: dim must be an integer in [${-range}, ${range - 1}], got ${String(dim)}`);
  }
  return (dim as number) < 0 ? (dim as number) + range : (dim as number);
}

export function checkShape(op: string, shape: unknown, name = 'shape'): number[] {
  // Within int64: a size such as 1e300 is an integer to JS, but not to LibTorch.
  if (!Array.isArray(shape) || !shape.every((d) => isInt64(d) && d >= 0)) {
    throw new TypeError(`${op}: ${name} must be an array of non-negative integers, got ${show(shape)}`);
  }
  if (shape.length > 64) throw new RangeError(`${op}: at most 64 dimensions are supported, got ${shape.length}`);
  return shape as number[];
}

/** The dims an op reduces or permutes: all of them when undefined; each resolved, none repeated. */
export function dimList(op: string, dim: number | number[] | undefined, ndim: number): number[] {
  if (dim === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const dims = Array.isArray(dim) ? dim : [dim];
  const out = dims.map((d) => normDim(op, d, ndim));
  if (new Set(out).size !== out.length) throw new Error(`${op}: dim ${show(dim)} repeats a dimension`);
  return out;
}

/** The single dim an op needs: an integer, not a list and not missing. */
export function oneDim(op: string, dim: unknown): number {
  if (typeof dim !== 'number' || !Number.isInteger(dim)) {
    throw new TypeError(`${op}: dim must be one integer, got ${Array.isArray(dim) ? `[${dim.join(', ')}]` : String(dim)}`);
  }
  return dim;
}

// fast-check generators for the fuzz suite's arguments, valid and invalid: tensors of every
// dtype, 0-d, empty, non-contiguous (transposed, strided, expanded), requiring grad or disposed;
// numbers including NaN, ±Inf, -0, huge, negative and fractional; and values of the wrong type.
import fc from 'fast-check';
import { type Case, type Num, type TensorSpec, type V, encodeNum, list, num, obj, str } from './values.js';

export const FLOAT = ['float32', 'float64'] as const;
export const ALL_DTYPES = ['float32', 'float64', 'int32', 'int64', 'uint8', 'bool', 'complex64', 'complex128'] as const;
export type DTypeName = (typeof ALL_DTYPES)[number];

/** Mostly float32, as users' tensors are; every other dtype regularly. */
export const dtypeArb: fc.Arbitrary<DTypeName> = fc.oneof(
  { weight: 5, arbitrary: fc.constant('float32' as const) },
  { weight: 3, arbitrary: fc.constant('float64' as const) },
  { weight: 2, arbitrary: fc.constant('int64' as const) },
  { weight: 1, arbitrary: fc.constantFrom('int32' as const, 'uint8' as const, 'bool' as const) },
  { weight: 1, arbitrary: fc.constantFrom('complex64' as const, 'complex128' as const) },
);

const special = fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e30, -1e30, 1e-30, 3.4e38);

/** An element value for a dtype. */
export function valueArb(dtype: string): fc.Arbitrary<number> {
  switch (dtype) {
    case 'bool': return fc.constantFrom(0, 1);
    case 'uint8': return fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom(0, 127, 128, 255));
    case 'int32': return fc.oneof({ weight: 5, arbitrary: fc.integer({ min: -5, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(2 ** 31 - 1, -(2 ** 31), 65536) });
    case 'int64': return fc.oneof({ weight: 5, arbitrary: fc.integer({ min: -5, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(2 ** 53 - 1, -(2 ** 53), 2 ** 31) });
    default: return fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: -3, max: 3 }) },
      { weight: 5, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) },
      { weight: 1, arbitrary: special },
    );
  }
}

export const shapeArb = (minDims = 0, maxDims = 3, maxSize = 4): fc.Arbitrary<number[]> =>
  fc.array(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: maxSize }) }, { weight: 1, arbitrary: fc.constant(0) }), { minLength: minDims, maxLength: maxDims });

const numel = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** The values an op sees (a strided view skips every other one; an empty expansion has none). */
export function valuesOf(t: TensorSpec): Num[] {
  if (t.view?.op === 'expand' && t.view.shape.includes(0)) return [];
  if (t.view?.op !== 'step') return t.data;
  const last = t.base[t.base.length - 1] * (t.dtype.startsWith('complex') ? 2 : 1), width = t.dtype.startsWith('complex') ? 2 : 1;
  return t.data.filter((_, i) => Math.floor((i % last) / width) % 2 === 0);
}

/** The shape an op sees: the view's, not the base's. */
export const shapeOf = (t: TensorSpec): number[] => (t.view?.op === 'transpose'
  ? [...t.base.slice(0, -2), t.base[t.base.length - 1], t.base[t.base.length - 2]]
  : t.view?.op === 'step' ? [...t.base.slice(0, -1), Math.ceil(t.base[t.base.length - 1] / 2)]
    : t.view?.op === 'expand' ? t.view.shape : t.base);

export interface TensorOptions {
  dtypes?: readonly string[] | fc.Arbitrary<string>;
  shape?: number[] | fc.Arbitrary<number[]>;
  /** Chance of requiresGrad on floating tensors. */
  grad?: number;
  /** Non-contiguous views now and then (default true). */
  views?: boolean;
}

/** A tensor of `shape` (logical): built contiguous, or as a transposed/strided/expanded view. */
export function tensorArb(o: TensorOptions = {}): fc.Arbitrary<TensorSpec> {
  const dtypes = o.dtypes === undefined ? dtypeArb : Array.isArray(o.dtypes) ? fc.constantFrom(...o.dtypes) : o.dtypes as fc.Arbitrary<string>;
  const shapes = o.shape === undefined ? shapeArb() : Array.isArray(o.shape) ? fc.constant(o.shape) : o.shape as fc.Arbitrary<number[]>;
  return fc.tuple(dtypes, shapes, fc.nat(99), fc.nat(99), fc.nat(1000)).chain(([dtype, shape, viewRoll, gradRoll, pick]) => {
    let base = [...shape];
    let view: TensorSpec['view'];
    if (o.views !== false && viewRoll < 30 && shape.length > 0) {
      const kind = viewRoll % 3;
      if (kind === 0 && shape.length >= 2) {
        view = { op: 'transpose' };
        [base[base.length - 1], base[base.length - 2]] = [base[base.length - 2], base[base.length - 1]];
      } else if (kind === 1) {
        view = { op: 'step' };
        base[base.length - 1] = 2 * base[base.length - 1];
      } else {
        view = { op: 'expand', shape: [...shape] };
        base[pick % shape.length] = 1;
      }
    }
    const floating = /float|complex/.test(dtype);
    const requiresGrad = floating && gradRoll < 100 * (o.grad ?? 0.1);
    const count = numel(base) * (dtype.startsWith('complex') ? 2 : 1);
    return fc.array(valueArb(dtype), { minLength: count, maxLength: count }).map((data): TensorSpec => ({
      k: 'tensor', dtype, base, data: data.map(encodeNum), ...(view ? { view } : {}), ...(requiresGrad ? { requiresGrad } : {}),
    }));
  });
}

/** A float tensor, as most ops and every network take. */
export const floatTensor = (shape?: number[] | fc.Arbitrary<number[]>, grad = 0.1) => tensorArb({ dtypes: FLOAT, shape, grad });

/** Shapes that broadcast against `shape` (same, trailing dims, 1s), or now and then not. */
export function broadcastShapeArb(shape: number[]): fc.Arbitrary<number[]> {
  return fc.tuple(fc.nat(shape.length), fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }), fc.nat(20))
    .map(([keep, ones, odd]) => {
      const tail = shape.slice(shape.length - keep).map((d, i) => (ones[i] ? 1 : d));
      if (odd === 0 && tail.length) tail[0] += 1; // a mismatch
      return tail;
    });
}

// Huge numbers are 2⁴⁵ and up, never 2³¹: a size of 2³¹ float64s (16 GiB) may be allocated and
// zeroed page by page before failing, where 2⁴⁵ fails at once.

/** Numbers an argument may be given: ordinary, fractional, non-finite, huge, negative. */
export const numberArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 3, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.5, 2 ** 45, 2 ** 53, -(2 ** 62), 1e300) },
);

/** Values that are wrong for a number, a dim or a tensor: other types and degenerate numbers. */
export const wrongArb: fc.Arbitrary<V> = fc.oneof(
  fc.constantFrom<V>(
    { k: 'str', v: '1' }, { k: 'str', v: 'toString' }, { k: 'null' }, { k: 'bool', v: true }, { k: 'bigint', v: '2' }, { k: 'fn' },
    { k: 'obj', v: {} }, { k: 'list', v: [] }, { k: 'list', v: [num(1)] }, { k: 'undef' },
  ),
  fc.constantFrom(NaN, Infinity, -Infinity, 1.5, -1, -7, 2 ** 45, 2 ** 62, 1e300).map(num),
);

/** A dim for an ndim-dimensional tensor: in range mostly, just outside now and then. */
export const dimArb = (ndim: number, extra = 0): fc.Arbitrary<number> =>
  fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -Math.max(ndim + extra, 1), max: Math.max(ndim + extra, 1) - 1 }) },
    { weight: 1, arbitrary: fc.constantFrom(ndim + extra, -(ndim + extra) - 1) });

/**
 * A suspect value for an argument: a wrong type, a degenerate number, or a spoiled tensor
 * (only tensors for the tensor a method is called on: `x.add` of a string is no call at all).
 */
export function suspectArb(original: V, tensorsOnly = false): fc.Arbitrary<V> {
  if (original.k !== 'tensor') return wrongArb;
  return fc.oneof(
    fc.constant<V>({ ...original, disposed: true }),
    ...(tensorsOnly ? [] : [wrongArb]),
    tensorArb(), // another dtype or shape altogether
    fc.constant<V>({ k: 'tensor', dtype: original.dtype, base: [], data: zeroD(original.dtype) }),
  );
}

/** The one value of a 0-d suspect: NaN where the dtype has it. */
const zeroD = (dtype: string): Num[] => (dtype.startsWith('complex') ? ['NaN', 0] : dtype.startsWith('float') ? ['NaN'] : [1]);

/**
 * A case from valid-looking arguments, with one argument (of those listed) replaced by a suspect
 * value now and then (`mutated` records which). Receivers (the tensor a method is called on, at
 * index 0 with `method`) are only ever replaced by other tensors.
 */
export function caseArb(op: string, args: fc.Arbitrary<V[]>, mutable: number[] = [], { rate = 0.25, method = false, receivers = method ? [0] : [] }: { rate?: number; method?: boolean; receivers?: number[] } = {}): fc.Arbitrary<Case> {
  if (!mutable.length) return args.map((a) => ({ op, args: a }));
  return fc.tuple(args, fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...mutable)).chain(([a, roll, i]) => {
    if (roll >= rate) return fc.constant<Case>({ op, args: a });
    const padded = [...a];
    while (padded.length <= i) padded.push({ k: 'undef' });
    return suspectArb(padded[i], receivers.includes(i)).map((s): Case => ({ op, args: padded.map((x, j) => (j === i ? s : x)), mutated: i }));
  });
}

export const optionsV = (o: Record<string, V | undefined>): V =>
  obj(Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, V>);

/** An options object with a misspelt key now and then (`dtpye`, `keepDim`): it must be refused. */
export function misspelt(o: Record<string, V>, typo: string, value: V): fc.Arbitrary<V> {
  return fc.nat(9).map((r) => (r === 0 ? obj({ ...o, [typo]: value }) : obj(o)));
}

export { list, num, str };

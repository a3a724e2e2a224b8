// Making tensors: from JS data, and the usual factories. Defaults as in PyTorch: float32, CPU.
import { native } from './backend.js';
import { checkBoolean, checkFiniteNumber, checkNonNegativeInt, checkNumber, checkOptions, isInt64, renamed } from './checks.js';
import { type DType, type Device, checkDtype, dtypeCode, isComplex, isFloating, isIntegral, parseDevice } from './dtype.js';
import { describe, invalidArgument } from './errors.js';
import { checkShape, fmt, numel } from './shape.js';
import { type NestedArray, Tensor, alive, wrap } from './tensor.js';

export interface TensorOptions {
  dtype?: DType;
  device?: Device | string;
  requiresGrad?: boolean;
}

type Typed = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;
const ARRAY_FOR: Record<DType, new (n: number) => Typed> = {
  float32: Float32Array, float64: Float64Array, complex64: Float32Array, complex128: Float64Array,
  int32: Int32Array, int64: BigInt64Array, uint8: Uint8Array, bool: Uint8Array,
};
const DTYPE_OF = new Map<Function, DType>([
  [Float32Array, 'float32'], [Float64Array, 'float64'], [Int32Array, 'int32'],
  [BigInt64Array, 'int64'], [Uint8Array, 'uint8'],
]);

const OPTION_KEYS = ['dtype', 'device', 'requiresGrad'] as const;

/** A factory's options, checked in full before anything is made. */
interface Made { dtype: DType; code: number; type: number; index: number; requiresGrad: boolean }

function opts(op: string, o: TensorOptions | undefined, fallback: DType = 'float32', extra: readonly string[] = []): Made {
  const c = checkOptions(op, o, [...OPTION_KEYS, ...extra]);
  const dtype = c.dtype === undefined ? fallback : checkDtype(op, c.dtype);
  const [type, index] = parseDevice(op, c.device);
  const requiresGrad = checkBoolean(op, 'requiresGrad', c.requiresGrad, false);
  if (requiresGrad && !isFloating(dtype) && !isComplex(dtype)) {
    throw new Error(`${op}: requiresGrad needs a floating point or complex dtype, got ${dtype}`);
  }
  return { dtype, code: dtypeCode[dtype], type, index, requiresGrad };
}

/** The tensor a native factory makes (its errors named after `op`), requiring grad if asked. */
function make(op: string, m: Made, create: (dtype: number, type: number, index: number) => number, args?: string): Tensor {
  let t: Tensor;
  try { t = wrap(create(m.code, m.type, m.index)); } catch (e) { throw renamed(op, e, args); }
  if (m.requiresGrad) native.setRequiresGrad(t.handle, true);
  return t;
}

/** Walks nested arrays: returns the shape, checking every level is rectangular. */
function inferShape(data: unknown, complex: boolean): number[] {
  const shape: number[] = [];
  let level: unknown = data;
  while (Array.isArray(level) && !(complex && level.length === 2 && typeof level[0] === 'number' && !Array.isArray(level[1]))) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  return shape;
}

function flatten(data: unknown, shape: number[], complex: boolean, out: unknown[], path: number[] = []): void {
  const d = path.length;
  if (d === shape.length) {
    if (complex) {
      if (typeof data === 'number') out.push(data, 0);
      else if (Array.isArray(data) && data.length === 2 && typeof data[0] === 'number' && typeof data[1] === 'number') out.push(data[0], data[1]);
      else throw new TypeError(`tensor: element at [${path.join(', ')}] must be a number or [re, im], got ${describe(data)}`);
      return;
    }
    if (typeof data !== 'number' && typeof data !== 'boolean') {
      throw new TypeError(`tensor: element at [${path.join(', ')}] must be a number or boolean, got ${describe(data)}`);
    }
    out.push(data);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[d]) {
    throw new Error(`tensor: ragged nested array: at [${path.join(', ')}] expected ${shape[d]} elements, got ${describe(data)}`);
  }
  for (let i = 0; i < data.length; i++) flatten(data[i], shape, complex, out, [...path, i]);
}

/**
 * A tensor from a number, (nested) arrays, or a typed array with `shape`.
 * Numbers default to float32 and booleans to bool (JS has no integer type: ask for int64).
 * Complex data needs a complex dtype: nested [re, im] pairs (or plain numbers for real values),
 * or an interleaved typed array.
 */
export function tensor(data: NestedArray | ArrayBufferView, options: TensorOptions & { shape?: number[] } = {}): Tensor {
  const op = 'tensor';
  let dtype: DType;
  let shape: number[];
  let values: Typed;
  const own = ArrayBuffer.isView(data) ? DTYPE_OF.get(data.constructor) : undefined;
  const first = firstLeaf(data);
  const m = opts(op, options, own ?? (typeof first === 'boolean' ? 'bool' : 'float32'), ['shape']);
  dtype = m.dtype;
  if (ArrayBuffer.isView(data)) {
    if (!own) throw invalidArgument(op, 'data', 'a Float32Array, Float64Array, Int32Array, BigInt64Array or Uint8Array', data);
    const perElement = isComplex(dtype) ? 2 : 1;
    const length = (data as Typed).length;
    shape = options.shape === undefined ? [length / perElement] : checkShape(op, options.shape);
    if (numel(shape) * perElement !== length) {
      throw new Error(`${op}: shape ${fmt(shape)} needs ${numel(shape) * perElement} values, got ${length}`);
    }
    values = data.constructor === ARRAY_FOR[dtype] ? (data as Typed) : convert(op, Array.from(data as Typed, Number), dtype);
  } else {
    const complex = isComplex(dtype);
    shape = inferShape(data, complex);
    const flat: unknown[] = [];
    flatten(data, shape, complex, flat);
    if (options.shape !== undefined) {
      const want = checkShape(op, options.shape);
      if (numel(want) !== numel(shape)) throw new Error(`${op}: shape ${fmt(want)} does not fit ${numel(shape)} values`);
      shape = want;
    }
    values = convert(op, flat, dtype);
  }
  return make(op, m, (code, type, index) => native.fromBuffer(values, shape, code, type, index));
}

function firstLeaf(data: unknown): unknown {
  let v = data;
  while (Array.isArray(v) && v.length > 0) v = v[0];
  return v;
}

/** The values an integer dtype holds; a value outside is refused (PyTorch raises; typed arrays would wrap). */
const INTEGER_RANGE: Partial<Record<DType, [number, number]>> = {
  int32: [-(2 ** 31), 2 ** 31 - 1], uint8: [0, 255], int64: [-(2 ** 63), 2 ** 63 - 1],
};

/**
 * Why a JS number cannot be stored in an integer dtype (a fraction, or out of its range), or
 * null when it can. Bool takes any number, as PyTorch does: true unless 0.
 */
function unfit(v: number, dtype: DType): string | null {
  if (!isIntegral(dtype) || dtype === 'bool') return null;
  if (!Number.isInteger(v)) return `is not an integer, as ${dtype} needs`;
  const range = INTEGER_RANGE[dtype]!;
  // 2⁶³ itself is a double just past int64's top (2⁶³ − 1 has no double): hence < for the top.
  if (!(v >= range[0] && (dtype === 'int64' ? v < 2 ** 63 : v <= range[1]))) {
    return `is out of range for ${dtype} [${range[0]}, ${dtype === 'int64' ? '2⁶³ − 1' : range[1]}]`;
  }
  return null;
}

/** A value for a tensor of dtype: a number that fits it (see unfit). */
function checkValue(op: string, name: string, v: unknown, dtype: DType): number {
  const why = unfit(checkNumber(op, name, v), dtype);
  if (why !== null) throw new RangeError(`${op}: ${name} ${String(v)} ${why}`);
  return v as number;
}

function convert(op: string, flat: unknown[], dtype: DType): Typed {
  const out = new ARRAY_FOR[dtype](flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = Number(flat[i]);
    const why = unfit(v, dtype);
    if (why !== null) throw new RangeError(`${op}: value ${String(flat[i])} at flat index ${i} ${why}`);
    if (out instanceof BigInt64Array) out[i] = BigInt(v);
    else out[i] = dtype === 'bool' ? (v !== 0 ? 1 : 0) : v;
  }
  return out;
}

function shapeArgs(op: string, shape: number[] | number): number[] {
  return checkShape(op, typeof shape === 'number' ? [shape] : shape);
}

export function zeros(shape: number[] | number, o?: TensorOptions): Tensor { return filled('zeros', 'zeros', shape, null, o); }
export function ones(shape: number[] | number, o?: TensorOptions): Tensor { return filled('ones', 'ones', shape, null, o); }
export function empty(shape: number[] | number, o?: TensorOptions): Tensor { return filled('empty', 'empty', shape, null, o); }
export function full(shape: number[] | number, value: number, o?: TensorOptions): Tensor { return filled('full', 'full', shape, value, o); }
export function zerosLike(t: Tensor, o?: TensorOptions): Tensor { return filledLike('zerosLike', 'zeros', t, null, o); }
export function onesLike(t: Tensor, o?: TensorOptions): Tensor { return filledLike('onesLike', 'ones', t, null, o); }
export function fullLike(t: Tensor, value: number, o?: TensorOptions): Tensor { return filledLike('fullLike', 'full', t, value, o); }

type Fill = 'zeros' | 'ones' | 'empty' | 'full';

/** A tensor of `kind` for the public `op`: every argument checked before anything is made. */
function filled(op: string, kind: Fill, shape: number[] | number, value: number | null, o: TensorOptions | undefined): Tensor {
  const s = shapeArgs(op, shape);
  const m = opts(op, o);
  if (kind !== 'full') return make(op, m, (...d) => native[kind](s, ...d), `shape ${fmt(s)}`);
  const v = checkValue(op, 'value', value, m.dtype);
  return make(op, m, (...d) => native.full(s, v, ...d), `shape ${fmt(s)}, value ${v}`);
}

/** The *Like factories: t's shape, dtype and device unless the options say otherwise. */
function filledLike(op: string, kind: Fill, t: Tensor, value: number | null, o: TensorOptions | undefined): Tensor {
  alive(t, op);
  const c = checkOptions(op, o, OPTION_KEYS);
  return filled(op, kind, [...t.shape], value, { dtype: t.dtype, device: t.device, ...c });
}

/** A 0-d tensor holding one number. */
export function scalar(value: number, o?: TensorOptions): Tensor {
  const m = opts('scalar', o);
  // As tensor([value]) stores it: past float32's range a value saturates to ±Inf.
  const v = m.dtype === 'float32' || m.dtype === 'complex64' ? Math.fround(checkValue('scalar', 'value', value, m.dtype)) : checkValue('scalar', 'value', value, m.dtype);
  return make('scalar', m, (...d) => native.scalarTensor(v, ...d), `value ${v}`);
}
export function eye(n: number, m?: number, o?: TensorOptions): Tensor {
  const [rows, cols] = checkShape('eye', [n, m ?? n], 'size');
  return make('eye', opts('eye', o), (...d) => native.eye(rows, cols, ...d), `size [${rows}, ${cols}]`);
}
/** start, start+step, … < end (arange(end) starts at 0). */
export function arange(start: number, end?: number, step = 1, o: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  for (const [k, v] of [['start', start], ['end', end], ['step', step]] as const) checkFiniteNumber('arange', k, v);
  if (step === 0 || Math.sign(end - start) * Math.sign(step) < 0) {
    throw new RangeError(`arange: step ${step} cannot go from ${start} to ${end}`);
  }
  const count = Math.ceil((end - start) / step);
  if (!(count <= Number.MAX_SAFE_INTEGER)) throw new RangeError(`arange: start ${start}, end ${end}, step ${step} give ${count} elements, too many to store`);
  return make('arange', opts('arange', o), (...d) => native.arange(start, end, step, ...d), `start ${start}, end ${end}, step ${step}`);
}
export function linspace(start: number, end: number, steps: number, o: TensorOptions = {}): Tensor {
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RangeError(`linspace: start and end must be finite, got ${start}, ${end}`);
  checkNonNegativeInt('linspace', 'steps', steps);
  return make('linspace', opts('linspace', o), (...d) => native.linspace(start, end, steps, ...d), `start ${start}, end ${end}`);
}
/** Uniform on [0, 1), from LibTorch's generator (same stream as PyTorch for the same seed). */
export function rand(shape: number[] | number, o: TensorOptions = {}): Tensor {
  const s = shapeArgs('rand', shape);
  return make('rand', opts('rand', o), (...d) => native.rand(s, ...d), `shape ${fmt(s)}`);
}
/** Standard normal. */
export function randn(shape: number[] | number, o: TensorOptions = {}): Tensor {
  const s = shapeArgs('randn', shape);
  return make('randn', opts('randn', o), (...d) => native.randn(s, ...d), `shape ${fmt(s)}`);
}
/** Integers uniform in [low, high). */
export function randint(low: number, high: number, shape: number[] | number, o: TensorOptions = {}): Tensor {
  if (!isInt64(low) || !isInt64(high) || high <= low) {
    throw new RangeError(`randint: need integers low < high, got ${low}, ${high}`);
  }
  const s = shapeArgs('randint', shape);
  return make('randint', opts('randint', o, 'int64'), (...d) => native.randint(low, high, s, ...d), `shape ${fmt(s)}`);
}
export function randperm(n: number, o: TensorOptions = {}): Tensor {
  checkNonNegativeInt('randperm', 'n', n);
  return make('randperm', opts('randperm', o, 'int64'), (...d) => native.randperm(n, ...d), `n ${n}`);
}

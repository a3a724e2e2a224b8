// Making tensors: from JS data, and the usual factories. Defaults as in PyTorch: float32, CPU.
import { native } from './backend.js';
import { type DType, type Device, checkDtype, dtypeCode, isComplex, isIntegral, parseDevice } from './dtype.js';
import { describe, invalidArgument } from './errors.js';
import { checkShape, fmt, numel } from './shape.js';
import { type NestedArray, Tensor, wrap } from './tensor.js';

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

function finish(op: string, t: Tensor, o: TensorOptions): Tensor {
  if (o.requiresGrad) t.requiresGrad_(true);
  return t;
}

function opts(op: string, o: TensorOptions | undefined, fallback: DType = 'float32'): [number, number, number] {
  if (o !== undefined && (typeof o !== 'object' || o === null)) throw invalidArgument(op, 'options', 'an object', o);
  const dtype = o?.dtype === undefined ? fallback : checkDtype(op, o.dtype);
  const [type, index] = parseDevice(op, o?.device);
  return [dtypeCode[dtype], type, index];
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
  if (ArrayBuffer.isView(data)) {
    const own = DTYPE_OF.get(data.constructor);
    if (!own) throw invalidArgument(op, 'data', 'a Float32Array, Float64Array, Int32Array, BigInt64Array or Uint8Array', data);
    dtype = options.dtype === undefined ? own : checkDtype(op, options.dtype);
    const perElement = isComplex(dtype) ? 2 : 1;
    const length = (data as Typed).length;
    shape = options.shape === undefined ? [length / perElement] : checkShape(op, options.shape);
    if (numel(shape) * perElement !== length) {
      throw new Error(`${op}: shape ${fmt(shape)} needs ${numel(shape) * perElement} values, got ${length}`);
    }
    values = data.constructor === ARRAY_FOR[dtype] ? (data as Typed) : convert(op, Array.from(data as Typed, Number), dtype);
  } else {
    const first = firstLeaf(data);
    dtype = options.dtype === undefined ? (typeof first === 'boolean' ? 'bool' : 'float32') : checkDtype(op, options.dtype);
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
  const [, type, index] = opts(op, { device: options.device });
  return finish(op, wrap(native.fromBuffer(values, shape, dtypeCode[dtype], type, index)), options);
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

function convert(op: string, flat: unknown[], dtype: DType): Typed {
  const out = new ARRAY_FOR[dtype](flat.length);
  const integral = isIntegral(dtype);
  const range = INTEGER_RANGE[dtype];
  for (let i = 0; i < flat.length; i++) {
    const v = Number(flat[i]);
    if (integral && !Number.isInteger(v)) {
      throw new Error(`${op}: value ${String(flat[i])} at flat index ${i} is not an integer, as ${dtype} needs`);
    }
    // 2⁶³ itself is a double just past int64's top (2⁶³ − 1 has no double): hence < for the top.
    if (range && !(v >= range[0] && (dtype === 'int64' ? v < 2 ** 63 : v <= range[1]))) {
      throw new RangeError(`${op}: value ${String(flat[i])} at flat index ${i} is out of range for ${dtype} [${range[0]}, ${dtype === 'int64' ? '2⁶³ − 1' : range[1]}]`);
    }
    (out as any)[i] = dtype === 'int64' ? BigInt(v) : dtype === 'bool' ? (v ? 1 : 0) : v;
  }
  return out;
}

function shapeArgs(op: string, shape: number[] | number): number[] {
  return checkShape(op, typeof shape === 'number' ? [shape] : shape);
}

export function zeros(shape: number[] | number, o: TensorOptions = {}): Tensor {
  return finish('zeros', wrap(native.zeros(shapeArgs('zeros', shape), ...opts('zeros', o))), o);
}
export function ones(shape: number[] | number, o: TensorOptions = {}): Tensor {
  return finish('ones', wrap(native.ones(shapeArgs('ones', shape), ...opts('ones', o))), o);
}
export function empty(shape: number[] | number, o: TensorOptions = {}): Tensor {
  return finish('empty', wrap(native.empty(shapeArgs('empty', shape), ...opts('empty', o))), o);
}
export function full(shape: number[] | number, value: number, o: TensorOptions = {}): Tensor {
  if (typeof value !== 'number') throw invalidArgument('full', 'value', 'a number', value);
  return finish('full', wrap(native.full(shapeArgs('full', shape), value, ...opts('full', o))), o);
}
export function zerosLike(t: Tensor, o: TensorOptions = {}): Tensor {
  return zeros([...t.shape], { dtype: t.dtype, device: t.device, ...o });
}
export function onesLike(t: Tensor, o: TensorOptions = {}): Tensor {
  return ones([...t.shape], { dtype: t.dtype, device: t.device, ...o });
}
export function fullLike(t: Tensor, value: number, o: TensorOptions = {}): Tensor {
  return full([...t.shape], value, { dtype: t.dtype, device: t.device, ...o });
}
/** A 0-d tensor holding one number. */
export function scalar(value: number, o: TensorOptions = {}): Tensor {
  if (typeof value !== 'number') throw invalidArgument('scalar', 'value', 'a number', value);
  return finish('scalar', wrap(native.scalarTensor(value, ...opts('scalar', o))), o);
}
export function eye(n: number, m: number = n, o: TensorOptions = {}): Tensor {
  checkShape('eye', [n, m], 'size');
  return finish('eye', wrap(native.eye(n, m, ...opts('eye', o))), o);
}
/** start, start+step, … < end (arange(end) starts at 0). */
export function arange(start: number, end?: number, step = 1, o: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  for (const [k, v] of [['start', start], ['end', end], ['step', step]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidArgument('arange', k, 'a finite number', v);
  }
  if (step === 0 || Math.sign(end - start) * Math.sign(step) < 0) {
    throw new RangeError(`arange: step ${step} cannot go from ${start} to ${end}`);
  }
  return finish('arange', wrap(native.arange(start, end, step, ...opts('arange', o))), o);
}
export function linspace(start: number, end: number, steps: number, o: TensorOptions = {}): Tensor {
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RangeError(`linspace: start and end must be finite, got ${start}, ${end}`);
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`linspace: steps must be a non-negative integer, got ${steps}`);
  return finish('linspace', wrap(native.linspace(start, end, steps, ...opts('linspace', o))), o);
}
/** Uniform on [0, 1), from LibTorch's generator (same stream as PyTorch for the same seed). */
export function rand(shape: number[] | number, o: TensorOptions = {}): Tensor {
  return finish('rand', wrap(native.rand(shapeArgs('rand', shape), ...opts('rand', o))), o);
}
/** Standard normal. */
export function randn(shape: number[] | number, o: TensorOptions = {}): Tensor {
  return finish('randn', wrap(native.randn(shapeArgs('randn', shape), ...opts('randn', o))), o);
}
/** Integers uniform in [low, high). */
export function randint(low: number, high: number, shape: number[] | number, o: TensorOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new RangeError(`randint: need integers low < high, got ${low}, ${high}`);
  }
  return finish('randint', wrap(native.randint(low, high, shapeArgs('randint', shape), ...opts('randint', o, 'int64'))), o);
}
export function randperm(n: number, o: TensorOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`randperm: n must be a non-negative integer, got ${n}`);
  return finish('randperm', wrap(native.randperm(n, ...opts('randperm', o, 'int64'))), o);
}

// The Tensor: a number naming a native tensor, plus its shape, dtype and device.
// Methods check their arguments here, then make one call into the binding.
import { BINARY, INPLACE, REDUCE, SCALAR, UNARY, meta, native } from './backend.js';
import { CPU, type DType, type Device, checkDtype, dtypeByCode, dtypeCode, deviceName, isComplex, isDtype, isFloating, parseDevice } from './dtype.js';
import { checkBoolean, checkInteger, checkNumber as checkNum, checkOptions, isInt64, renamed } from './checks.js';
import { invalidArgument, show } from './errors.js';
import { type Owned, forget, handleMoved, track } from './memory.js';
import { type Shape, checkShape, fmt, normDim, numel } from './shape.js';

export type Scalar = number;
export type TensorOrScalar = Tensor | number;
export type Complex = [re: number, im: number];
export type NestedArray = number | boolean | Complex | NestedArray[];

/** Builds the JS side of a tensor the binding just made, from the metadata it wrote. */
export function wrap(handle: number): Tensor {
  const nd = meta[3];
  const shape = new Array<number>(nd);
  for (let i = 0; i < nd; i++) shape[i] = meta[4 + i];
  return new Tensor(handle, shape, dtypeByCode[meta[0]], deviceName(meta[1], meta[2]));
}

/**
 * wrap() for results that usually keep an input's shape (elementwise ops): that shape array is
 * shared when the sizes match, sparing an allocation per op (shapes are never mutated).
 */
function wrapLike(handle: number, like: readonly number[]): Tensor {
  const nd = meta[3];
  if (nd !== like.length) return wrap(handle);
  for (let i = 0; i < nd; i++) if (meta[4 + i] !== like[i]) return wrap(handle);
  return new Tensor(handle, like as number[], dtypeByCode[meta[0]], deviceName(meta[1], meta[2]));
}

/** Wraps a handle returned without metadata (list results), or null. */
export function wrapHandle(handle: number): Tensor;
export function wrapHandle(handle: number | null): Tensor | null;
export function wrapHandle(handle: number | null): Tensor | null {
  if (handle === null) return null;
  native.meta(handle);
  return wrap(handle);
}

export function alive(t: unknown, op: string, name = 'tensor'): number {
  if (!(t instanceof Tensor)) throw invalidArgument(op, name, 'a Tensor', t);
  if (t.handle < 0) throw new Error(`${op}: ${name} has been disposed`);
  return t.handle;
}

function sameShape(a: Shape, b: Shape): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function broadcastable(a: Shape, b: Shape): boolean {
  for (let i = 1; i <= Math.min(a.length, b.length); i++) {
    const x = a[a.length - i], y = b[b.length - i];
    if (x !== y && x !== 1 && y !== 1) return false;
  }
  return true;
}

/** Operands of a binary op: both alive, same device (a 0-d CPU tensor may join any), broadcastable. */
export function checkPair(op: string, a: Tensor, b: unknown, name = 'other'): number {
  alive(b, op, name);
  const t = b as Tensor;
  if (a.device !== t.device && !(t.shape.length === 0 && t.device === 'cpu') && !(a.shape.length === 0 && a.device === 'cpu')) {
    throw new Error(`${op}: tensors are on different devices (${a.device} and ${t.device}); move one with .to()`);
  }
  if (!sameShape(a.shape, t.shape) && !broadcastable(a.shape, t.shape)) {
    throw new Error(`${op}: shapes ${fmt(a.shape)} and ${fmt(t.shape)} cannot be broadcast together`);
  }
  return t.handle;
}

const checkNumber = (op: string, v: unknown, name = 'value'): number => checkNum(op, name, v);

function dimList(op: string, dim: number | number[] | undefined, ndim: number): number[] {
  if (dim === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const dims = Array.isArray(dim) ? dim : [dim];
  const out = dims.map((d) => normDim(op, d, ndim));
  if (new Set(out).size !== out.length) throw new Error(`${op}: dim ${show(dim)} repeats a dimension`);
  return out;
}

/** The single dim an op needs: an integer, not a list and not missing. */
function oneDim(op: string, dim: unknown): number {
  if (typeof dim !== 'number' || !Number.isInteger(dim)) {
    throw new TypeError(`${op}: dim must be one integer, got ${Array.isArray(dim) ? `[${dim.join(', ')}]` : String(dim)}`);
  }
  return dim;
}

/** Promotion order of dtypes (within what pinn-torch supports): an operand ranked higher promotes past. */
const RANK: Record<DType, number> = { bool: 0, uint8: 1, int32: 2, int64: 3, float32: 4, float64: 5, complex64: 6, complex128: 7 };

export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
}

export interface ToOptions {
  dtype?: DType;
  device?: Device | string;
  copy?: boolean;
}

export class Tensor implements Owned {
  /** Native handle; negative once disposed. */
  handle: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly device: Device;
  kept = false;
  owner: Owned[] | null = null;
  registered = false;

  /** @internal use tensor(), zeros(), … to create tensors. */
  constructor(handle: number, shape: number[], dtype: DType, device: Device) {
    this.handle = handle;
    this.shape = shape;
    this.dtype = dtype;
    this.device = device;
    track(this);
  }

  get ndim(): number { return this.shape.length; }
  dim(): number { return this.shape.length; }
  get numel(): number { return numel(this.shape); }
  size(dim?: number): number | readonly number[] {
    alive(this, 'size');
    if (dim === undefined) return this.shape;
    if (this.ndim === 0) throw new RangeError(`size: a 0-d tensor has no dim ${String(dim)}`);
    return this.shape[normDim('size', dim, this.ndim)];
  }
  get isDisposed(): boolean { return this.handle < 0; }

  /**
   * @internal Makes this tensor take over `source`'s native data (like PyTorch's
   * `param.data = …`): every reference to this object sees the new dtype/device/shape.
   * `source` is consumed. Used by Module.to() so optimizers' references stay valid.
   */
  _takeData(source: Tensor): void {
    alive(this, '_takeData');
    const h = alive(source, '_takeData', 'source');
    native.free(this.handle);
    this.handle = h;
    (this as { shape: readonly number[] }).shape = source.shape;
    (this as { dtype: DType }).dtype = source.dtype;
    (this as { device: Device }).device = source.device;
    source.handle = -1;
    handleMoved(this, source);
  }

  // ---- memory ----------------------------------------------------------------------
  dispose(): void {
    this.dropGradCache();
    if (this.handle >= 0) {
      native.free(this.handle);
      this.handle = -1;
      forget(this);
    }
  }
  [Symbol.dispose](): void { this.dispose(); }

  // ---- elementwise -----------------------------------------------------------------
  // Each helper takes the public op's name: native errors are re-worded under it (checks.ts).
  private unary(code: number, op: string): Tensor {
    const h = alive(this, op);
    try { return wrapLike(native.unary(code, h), this.shape); } catch (e) { throw renamed(op, e); }
  }
  /**
   * `other` a tensor or a number (named `name` in messages); `scalarOp` names the native op for a
   * number (default: op). A number LibTorch refuses (too large for the dtype) is named in the message.
   */
  private binary(other: TensorOrScalar, op: string, scalarOp = op, name = 'other'): Tensor {
    const h = alive(this, op);
    if (typeof other !== 'number') {
      try {
        return wrapLike(native.binary(BINARY[op], h, checkPair(op, this, other, name)), this.shape);
      } catch (e) {
        throw renamed(op, e, /ZeroDivisionError/.test((e as Error).message) ? `${name} has a zero (integer division by zero)` : undefined);
      }
    }
    if (SCALAR[scalarOp] === undefined) throw invalidArgument(op, name, 'a Tensor', other);
    try { return wrapLike(native.scalar(SCALAR[scalarOp], h, other), this.shape); } catch (e) { throw renamed(op, e, `${name} ${other}`); }
  }

  add(other: TensorOrScalar): Tensor { return this.binary(other, 'add'); }
  sub(other: TensorOrScalar): Tensor { return this.binary(other, 'sub'); }
  mul(other: TensorOrScalar): Tensor { return this.binary(other, 'mul'); }
  div(other: TensorOrScalar): Tensor { return this.binary(other, 'div'); }
  pow(exponent: TensorOrScalar): Tensor { return this.binary(exponent, 'pow'); }
  /** other − this */
  rsub(other: number): Tensor { return this.binary(checkNumber('rsub', other, 'other'), 'rsub'); }
  /**
   * other / this, as PyTorch's `other / t`: a true division (other · (1 / this) overflows where
   * the quotient does not, e.g. 1e-10 / 1e-40 in float32), floating point even for integer tensors.
   */
  rdiv(other: number): Tensor {
    const h = alive(this, 'rdiv');
    const wide = this.dtype === 'float64' || this.dtype === 'complex128';
    const v = checkNumber('rdiv', other, 'other');
    const numerator = native.scalarTensor(wide ? v : Math.fround(v), dtypeCode[wide ? 'float64' : 'float32'], CPU, -1);
    try { return wrapLike(native.binary(BINARY.div, numerator, h), this.shape); } catch (e) { throw renamed('rdiv', e); } finally { native.free(numerator); }
  }
  /** base ** this */
  rpow(base: number): Tensor { return this.binary(checkNumber('rpow', base, 'base'), 'rpow', 'rpow', 'base'); }
  /** Elementwise max with a tensor, or with a number (as PyTorch's maximum with that number as a 0-d tensor). */
  maximum(other: TensorOrScalar): Tensor { return this.extremum(other, 'maximum'); }
  minimum(other: TensorOrScalar): Tensor { return this.extremum(other, 'minimum'); }
  /**
   * With a number: the result takes the dtype PyTorch's type promotion gives the pair (an integer
   * tensor and 2.5: float32; a bool tensor and 2: int64), and a bound past float32's range
   * saturates to ±Inf (as t + 1e300 does) instead of failing.
   */
  private extremum(other: TensorOrScalar, op: 'maximum' | 'minimum'): Tensor {
    if (typeof other !== 'number') return this.binary(other, op);
    alive(this, op);
    const integral = !isFloating(this.dtype) && !isComplex(this.dtype);
    const dtype: DType = integral && !Number.isInteger(other) ? 'float32' : this.dtype === 'bool' ? 'int64' : this.dtype;
    const v = dtype === 'float32' ? Math.fround(other) : other;
    if (dtype === this.dtype) return this.binary(v, op);
    const promoted = this.to(dtype);
    try { return promoted.binary(v, op); } finally { promoted.dispose(); }
  }
  fmod(other: TensorOrScalar): Tensor { return this.binary(other, 'fmod'); }
  remainder(other: TensorOrScalar): Tensor { return this.binary(other, 'remainder'); }
  atan2(other: Tensor): Tensor { return this.binary(other, 'atan2'); }
  eq(other: TensorOrScalar): Tensor { return this.binary(other, 'eq'); }
  ne(other: TensorOrScalar): Tensor { return this.binary(other, 'ne'); }
  lt(other: TensorOrScalar): Tensor { return this.binary(other, 'lt'); }
  le(other: TensorOrScalar): Tensor { return this.binary(other, 'le'); }
  gt(other: TensorOrScalar): Tensor { return this.binary(other, 'gt'); }
  ge(other: TensorOrScalar): Tensor { return this.binary(other, 'ge'); }
  logicalAnd(other: Tensor): Tensor { return this.binary(other, 'logicalAnd'); }
  logicalOr(other: Tensor): Tensor { return this.binary(other, 'logicalOr'); }

  neg(): Tensor { return this.unary(UNARY.neg, 'neg'); }
  abs(): Tensor { return this.unary(UNARY.abs, 'abs'); }
  exp(): Tensor { return this.unary(UNARY.exp, 'exp'); }
  log(): Tensor { return this.unary(UNARY.log, 'log'); }
  log1p(): Tensor { return this.unary(UNARY.log1p, 'log1p'); }
  expm1(): Tensor { return this.unary(UNARY.expm1, 'expm1'); }
  sqrt(): Tensor { return this.unary(UNARY.sqrt, 'sqrt'); }
  rsqrt(): Tensor { return this.unary(UNARY.rsqrt, 'rsqrt'); }
  square(): Tensor { return this.unary(UNARY.square, 'square'); }
  reciprocal(): Tensor { return this.unary(UNARY.reciprocal, 'reciprocal'); }
  sin(): Tensor { return this.unary(UNARY.sin, 'sin'); }
  cos(): Tensor { return this.unary(UNARY.cos, 'cos'); }
  tan(): Tensor { return this.unary(UNARY.tan, 'tan'); }
  asin(): Tensor { return this.unary(UNARY.asin, 'asin'); }
  acos(): Tensor { return this.unary(UNARY.acos, 'acos'); }
  atan(): Tensor { return this.unary(UNARY.atan, 'atan'); }
  sinh(): Tensor { return this.unary(UNARY.sinh, 'sinh'); }
  cosh(): Tensor { return this.unary(UNARY.cosh, 'cosh'); }
  tanh(): Tensor { return this.unary(UNARY.tanh, 'tanh'); }
  sigmoid(): Tensor { return this.unary(UNARY.sigmoid, 'sigmoid'); }
  relu(): Tensor { return this.unary(UNARY.relu, 'relu'); }
  gelu(): Tensor { return this.unary(UNARY.gelu, 'gelu'); }
  silu(): Tensor { return this.unary(UNARY.silu, 'silu'); }
  /** log(1 + exp(βx)) / β */
  softplus(beta = 1): Tensor {
    return beta === 1 ? this.unary(UNARY.softplus, 'softplus') : this.binary(checkNumber('softplus', beta, 'beta'), 'softplus', 'softplusBeta', 'beta');
  }
  leakyRelu(negativeSlope = 0.01): Tensor { return this.binary(checkNumber('leakyRelu', negativeSlope, 'negativeSlope'), 'leakyRelu', 'leakyRelu', 'negativeSlope'); }
  elu(alpha = 1): Tensor { return this.binary(checkNumber('elu', alpha, 'alpha'), 'elu', 'elu', 'alpha'); }
  erf(): Tensor { return this.unary(UNARY.erf, 'erf'); }
  sign(): Tensor { return this.unary(UNARY.sign, 'sign'); }
  floor(): Tensor { return this.unary(UNARY.floor, 'floor'); }
  ceil(): Tensor { return this.unary(UNARY.ceil, 'ceil'); }
  round(): Tensor { return this.unary(UNARY.round, 'round'); }
  isnan(): Tensor { return this.unary(UNARY.isnan, 'isnan'); }
  isinf(): Tensor { return this.unary(UNARY.isinf, 'isinf'); }
  isfinite(): Tensor { return this.unary(UNARY.isfinite, 'isfinite'); }
  logicalNot(): Tensor { return this.unary(UNARY.logicalNot, 'logicalNot'); }
  clamp(min?: number | null, max?: number | null): Tensor {
    const h = alive(this, 'clamp');
    if (min != null) checkNumber('clamp', min, 'min');
    if (max != null) checkNumber('clamp', max, 'max');
    if (min == null && max == null) throw new Error('clamp: give at least one of min and max');
    try { return wrap(native.clamp(h, min ?? null, max ?? null)); } catch (e) { throw renamed('clamp', e, `min ${min}, max ${max}`); }
  }

  // ---- complex ---------------------------------------------------------------------
  real(): Tensor { return this.unary(UNARY.real, 'real'); }
  imag(): Tensor {
    if (!isComplex(this.dtype)) throw new Error(`imag: needs a complex tensor, got ${this.dtype}`);
    return this.unary(UNARY.imag, 'imag');
  }
  conj(): Tensor { return this.unary(UNARY.conj, 'conj'); }
  angle(): Tensor { return this.unary(UNARY.angle, 'angle'); }

  // ---- linear algebra --------------------------------------------------------------
  matmul(other: Tensor): Tensor {
    const h = alive(this, 'matmul');
    const o = alive(other, 'matmul', 'other');
    const a = this.shape, b = other.shape;
    if (a.length === 0 || b.length === 0) throw new Error('matmul: both operands need at least 1 dimension');
    const k1 = a[a.length - 1], k2 = b.length === 1 ? b[0] : b[b.length - 2];
    if (k1 !== k2) throw new Error(`matmul: shapes ${fmt(a)} and ${fmt(b)} do not chain (${k1} ≠ ${k2})`);
    if (this.dtype !== other.dtype) throw new Error(`matmul: dtypes differ (${this.dtype} and ${other.dtype})`);
    if (this.device !== other.device) throw new Error(`matmul: tensors are on different devices (${this.device} and ${other.device})`);
    return wrap(native.binary(BINARY.matmul, h, o));
  }
  /** Swaps the last two dims of a 2-D tensor (like PyTorch's .t()). */
  t(): Tensor {
    if (this.ndim > 2) throw new Error(`t: needs at most 2 dimensions, got ${this.ndim}; use transpose(d0, d1)`);
    return this.unary(UNARY.t, 't');
  }

  // ---- shape -----------------------------------------------------------------------
  reshape(...shape: number[] | [number[]]): Tensor { return this.reshapeLike('reshape', shape); }
  view(...shape: number[] | [number[]]): Tensor { return this.reshapeLike('view', shape); }
  private reshapeLike(op: 'reshape' | 'view', args: number[] | [number[]]): Tensor {
    const h = alive(this, op);
    const shape = (Array.isArray(args[0]) ? args[0] : args) as number[];
    const inferred = shape.filter((d) => d === -1).length;
    if (inferred > 1 || !shape.every((d) => Number.isInteger(d) && d >= -1)) {
      throw new Error(`${op}: invalid shape ${show(shape)} (integers ≥ 0, at most one -1)`);
    }
    const known = numel(shape.filter((d) => d !== -1));
    const n = this.numel;
    if (inferred ? known === 0 || n % known !== 0 : known !== n) {
      throw new Error(`${op}: shape ${fmt(shape)} is invalid for a tensor of ${n} elements (shape ${fmt(this.shape)})`);
    }
    return wrap(native[op](h, shape));
  }
  flatten(): Tensor { return this.unary(UNARY.flatten, 'flatten'); }
  transpose(dim0: number, dim1: number): Tensor {
    const h = alive(this, 'transpose');
    return wrap(native.transpose(h, normDim('transpose', dim0, this.ndim), normDim('transpose', dim1, this.ndim)));
  }
  permute(...dims: number[] | [number[]]): Tensor {
    const h = alive(this, 'permute');
    const d = (Array.isArray(dims[0]) ? dims[0] : dims) as number[];
    if (d.length !== this.ndim) throw new Error(`permute: needs ${this.ndim} dims, got ${d.length}`);
    return wrap(native.permute(h, dimList('permute', d, this.ndim)));
  }
  squeeze(dim?: number): Tensor {
    const h = alive(this, 'squeeze');
    return wrap(native.squeeze(h, dim === undefined ? null : normDim('squeeze', dim, this.ndim)));
  }
  unsqueeze(dim: number): Tensor {
    return wrap(native.unsqueeze(alive(this, 'unsqueeze'), normDim('unsqueeze', dim, this.ndim, 1)));
  }
  expand(...shape: number[] | [number[]]): Tensor {
    const h = alive(this, 'expand');
    const s = (Array.isArray(shape[0]) ? shape[0] : shape) as number[];
    if (!s.every((v) => Number.isInteger(v) && v >= -1)) throw new TypeError(`expand: sizes must be integers ≥ 0 (or -1 to keep a dim), got ${fmt(s)}`);
    if (s.length < this.ndim) throw new Error(`expand: sizes ${fmt(s)} have fewer dims than the tensor's shape ${fmt(this.shape)}`);
    const off = s.length - this.ndim;
    for (let i = 0; i < this.ndim; i++) {
      if (s[off + i] !== -1 && this.shape[i] !== 1 && this.shape[i] !== s[off + i]) {
        throw new Error(`expand: cannot expand ${fmt(this.shape)} to ${fmt(s)} (dim ${i} of the shape is ${this.shape[i]}, not 1)`);
      }
    }
    return wrap(native.expand(h, s));
  }
  repeat(...sizes: number[] | [number[]]): Tensor {
    const s = checkShape('repeat', Array.isArray(sizes[0]) ? sizes[0] : sizes, 'sizes');
    if (s.length < this.ndim) throw new Error(`repeat: needs at least ${this.ndim} sizes, got ${s.length}`);
    const h = alive(this, 'repeat');
    try { return wrap(native.repeat(h, s)); } catch (e) { throw renamed('repeat', e, `sizes ${fmt(s)}`); }
  }
  flip(dims: number | number[]): Tensor {
    return wrap(native.reduce(REDUCE.flip, alive(this, 'flip'), dimList('flip', dims, this.ndim), false));
  }
  /** Elements start … start+length−1 along dim (a view). */
  narrow(dim: number, start: number, length: number): Tensor {
    const h = alive(this, 'narrow');
    const d = normDim('narrow', dim, this.ndim);
    const n = this.shape[d];
    if (!Number.isInteger(start) || !Number.isInteger(length) || start < -n || length < 0 || (start < 0 ? start + n : start) + length > n) {
      throw new RangeError(`narrow: start ${start}, length ${length} out of range for dim ${d} of size ${n}`);
    }
    return wrap(native.narrow(h, d, start < 0 ? start + n : start, length));
  }
  /** Python's t[start:end:step] along dim; negative and omitted bounds as in Python. */
  slice(dim: number, start = 0, end?: number, step = 1): Tensor {
    const h = alive(this, 'slice');
    const d = normDim('slice', dim, this.ndim);
    const n = this.shape[d];
    if (!isInt64(step) || step < 1) throw new RangeError(`slice: step must be a positive integer, got ${step}`);
    for (const [name, v] of [['start', start], ['end', end]] as const) {
      if (v !== undefined && !Number.isInteger(v)) throw new TypeError(`slice: ${name} must be an integer, got ${String(v)}`);
    }
    const clampIdx = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
    return wrap(native.slice(h, d, clampIdx(start), clampIdx(end ?? n), step));
  }
  /** Removes dim by taking one index along it. */
  select(dim: number, index: number): Tensor {
    const h = alive(this, 'select');
    const d = normDim('select', dim, this.ndim);
    const n = this.shape[d];
    if (!Number.isInteger(index) || index < -n || index >= n) {
      throw new RangeError(`select: index ${index} is out of range for dim ${d} of size ${n}`);
    }
    return wrap(native.select(h, d, index < 0 ? index + n : index));
  }
  indexSelect(dim: number, index: Tensor): Tensor {
    const h = alive(this, 'indexSelect');
    alive(index, 'indexSelect', 'index');
    if (index.dtype !== 'int64' && index.dtype !== 'int32') throw new Error(`indexSelect: index must be int64 or int32, got ${index.dtype}`);
    if (index.ndim > 1) throw new Error(`indexSelect: index must be 1-D, got shape ${fmt(index.shape)}`);
    // A 0-d result has one element to take: from an empty index LibTorch returns uninitialized memory.
    if (this.ndim === 0 && index.numel !== 1) throw new Error(`indexSelect: a 0-d tensor needs an index of one element, got shape ${fmt(index.shape)}`);
    return wrap(native.indexSelect(h, normDim('indexSelect', dim, this.ndim), index.handle));
  }
  gather(dim: number, index: Tensor): Tensor {
    const h = alive(this, 'gather');
    alive(index, 'gather', 'index');
    if (index.dtype !== 'int64') throw new Error(`gather: index must be int64, got ${index.dtype}`);
    // As PyTorch: the same number of dims, a 0-d tensor counting as 1-D.
    if (Math.max(index.ndim, 1) !== Math.max(this.ndim, 1)) throw new Error(`gather: index needs ${this.ndim} dims like the input, got ${index.ndim}`);
    return wrap(native.gather(h, normDim('gather', dim, this.ndim), index.handle));
  }
  split(splitSize: number | number[], dim = 0): Tensor[] {
    const h = alive(this, 'split');
    const d = normDim('split', dim, this.ndim);
    const n = this.shape[d];
    let sizes: number[];
    if (typeof splitSize === 'number') {
      if (!isInt64(splitSize) || splitSize < 1) throw new RangeError(`split: size must be a positive integer, got ${splitSize}`);
      // An empty dim still splits into one (empty) piece, as in PyTorch.
      sizes = n === 0 ? [0] : Array.from({ length: Math.ceil(n / splitSize) }, (_, i) => Math.min(splitSize, n - i * splitSize));
    } else {
      sizes = checkShape('split', splitSize, 'sizes');
      if (sizes.reduce((a, b) => a + b, 0) !== n) throw new Error(`split: sizes ${fmt(sizes)} do not sum to dim ${d}'s size ${n}`);
    }
    return native.split(h, sizes, d).map((x) => wrapHandle(x));
  }
  chunk(chunks: number, dim = 0): Tensor[] {
    const h = alive(this, 'chunk');
    if (!isInt64(chunks) || chunks < 1) throw new RangeError(`chunk: chunks must be a positive integer, got ${chunks}`);
    return native.chunk(h, chunks, normDim('chunk', dim, this.ndim)).map((x) => wrapHandle(x));
  }

  // ---- reductions ------------------------------------------------------------------
  /** `code` names the native reduction when it differs from the public op (max: amax). */
  private reduce(op: string, dim: number | number[] | undefined, keepdim: unknown, s = 0, code = op): Tensor {
    const h = alive(this, op);
    const keep = checkBoolean(op, 'keepdim', keepdim, false);
    try { return wrap(native.reduce(REDUCE[code], h, dimList(op, dim, this.ndim), keep, s)); } catch (e) { throw renamed(op, e); }
  }
  /** Over all elements (one native op) when neither dim nor keepdim is given. */
  private whole(keepdim: unknown): boolean { return keepdim === undefined || keepdim === false; }
  sum(dim?: number | number[], keepdim?: boolean): Tensor {
    return dim === undefined && this.whole(keepdim) ? this.unary(UNARY.sumAll, 'sum') : this.reduce('sum', dim, keepdim);
  }
  mean(dim?: number | number[], keepdim?: boolean): Tensor {
    return dim === undefined && this.whole(keepdim) ? this.unary(UNARY.meanAll, 'mean') : this.reduce('mean', dim, keepdim);
  }
  /** Largest value (over dim, when given: the values only; use argmax for indices). */
  max(dim?: number | number[], keepdim?: boolean): Tensor {
    return dim === undefined && this.whole(keepdim) ? this.nonEmpty('max').unary(UNARY.maxAll, 'max') : this.reduce('max', dim, keepdim, 0, 'amax');
  }
  min(dim?: number | number[], keepdim?: boolean): Tensor {
    return dim === undefined && this.whole(keepdim) ? this.nonEmpty('min').unary(UNARY.minAll, 'min') : this.reduce('min', dim, keepdim, 0, 'amin');
  }
  private nonEmpty(op: string): this {
    if (alive(this, op) >= 0 && this.numel === 0) throw new Error(`${op}: tensor is empty (shape ${fmt(this.shape)})`);
    return this;
  }
  /** Product over dim, or over all elements without one (as PyTorch). */
  prod(dim?: number, keepdim?: boolean): Tensor { return this.overOneDim('prod', dim, keepdim); }
  /** Index of the largest value over dim, or in the flattened tensor without one (as PyTorch). */
  argmax(dim?: number, keepdim?: boolean): Tensor { return this.overOneDim('argmax', dim, keepdim); }
  argmin(dim?: number, keepdim?: boolean): Tensor { return this.overOneDim('argmin', dim, keepdim); }
  /** A reduction over one dim; without a dim, over the flattened tensor (all dims kept as 1 with keepdim). */
  private overOneDim(op: string, dim: number | undefined, keepdim: unknown): Tensor {
    if (dim !== undefined) return this.reduce(op, oneDim(op, dim), keepdim);
    const keep = checkBoolean(op, 'keepdim', keepdim, false);
    if (alive(this, op) >= 0 && this.numel === 0) throw new Error(`${op}: the tensor is empty`);
    const flat = this.reshape(-1);
    let r: Tensor;
    try { r = flat.reduce(op, 0, false); } finally { flat.dispose(); }
    if (!keep) return r;
    const shaped = r.reshape(this.shape.map(() => 1));
    r.dispose();
    return shaped;
  }
  logsumexp(dim: number | number[], keepdim?: boolean): Tensor {
    if (dim === undefined || (Array.isArray(dim) && dim.length === 0)) throw new TypeError('logsumexp: dim is required (one dim or a list), as in PyTorch');
    return this.reduce('logsumexp', dim, keepdim);
  }
  /** Vector p-norm (‖x‖ₚ = (Σ|xᵢ|ᵖ)^(1/p)) over all elements or over dim. */
  norm(p = 2, dim?: number | number[], keepdim?: boolean): Tensor {
    checkNumber('norm', p, 'p');
    if (dim === undefined && this.whole(keepdim)) {
      return p === 2 ? this.unary(UNARY.normAll, 'norm') : this.binary(p, 'norm', 'normP', 'p');
    }
    return this.reduce('norm', dim, keepdim, p);
  }
  /** Standard deviation; unbiased (Bessel's correction) by default, as in PyTorch. */
  std(dim?: number | number[], options?: { unbiased?: boolean; keepdim?: boolean }): Tensor { return this.spread('std', dim, options); }
  var(dim?: number | number[], options?: { unbiased?: boolean; keepdim?: boolean }): Tensor { return this.spread('var', dim, options); }
  private spread(op: 'std' | 'var', dim: number | number[] | undefined, options: { unbiased?: boolean; keepdim?: boolean } | undefined): Tensor {
    const o = checkOptions(op, options, ['unbiased', 'keepdim']);
    return this.reduce(op, dim, o.keepdim, checkBoolean(op, 'unbiased', o.unbiased, true) ? 1 : 0);
  }
  softmax(dim: number): Tensor { return this.reduce('softmax', oneDim('softmax', dim), false); }
  logSoftmax(dim: number): Tensor { return this.reduce('logSoftmax', oneDim('logSoftmax', dim), false); }
  cumsum(dim: number): Tensor { return this.reduce('cumsum', oneDim('cumsum', dim), false); }
  any(): Tensor { return this.unary(UNARY.anyAll, 'any'); }
  all(): Tensor { return this.unary(UNARY.allAll, 'all'); }

  // ---- in place (for optimizers: call under noGrad) ---------------------------------
  /** `code` names the native op when it differs from the public one (add_ of a number: addScalar_). */
  private inplace(op: string, b: [Tensor, string] | null, c: [Tensor, string] | null, s: number, s2 = 0, code = op, sName?: string): this {
    const h = alive(this, op);
    const hb = b === null ? null : checkPair(op, this, b[0], b[1]);
    const hc = c === null ? null : checkPair(op, this, c[0], c[1]);
    try { native.inplace(INPLACE[code], h, hb, hc, s, s2); } catch (e) { throw renamed(op, e, sName && `${sName} ${s}`); }
    return this;
  }
  /** this += alpha · other (PyTorch's add_; for a number other, alpha scales it too). */
  add_(other: TensorOrScalar, alpha = 1): this {
    checkNumber('add_', alpha, 'alpha');
    return typeof other === 'number' ? this.inplace('add_', null, null, other * alpha, 0, 'addScalar_', 'other · alpha') : this.inplace('add_', [other, 'other'], null, alpha, 0, 'add_', 'alpha');
  }
  sub_(other: Tensor, alpha = 1): this { return this.inplace('sub_', [other, 'other'], null, checkNumber('sub_', alpha, 'alpha'), 0, 'sub_', 'alpha'); }
  mul_(other: TensorOrScalar): this {
    return typeof other === 'number' ? this.inplace('mul_', null, null, other, 0, 'mulScalar_', 'other') : this.inplace('mul_', [other, 'other'], null, 1);
  }
  div_(other: TensorOrScalar): this {
    return typeof other === 'number' ? this.inplace('div_', null, null, other, 0, 'divScalar_', 'other') : this.inplace('div_', [other, 'other'], null, 1);
  }
  /** this += value · t1 · t2 */
  addcmul_(t1: Tensor, t2: Tensor, value = 1): this { return this.pointwise_('addcmul_', t1, t2, value); }
  /** this += value · t1 / t2 */
  addcdiv_(t1: Tensor, t2: Tensor, value = 1): this { return this.pointwise_('addcdiv_', t1, t2, value); }
  private pointwise_(op: 'addcmul_' | 'addcdiv_', t1: Tensor, t2: Tensor, value: number): this {
    // Operands of a higher dtype than the tensor: LibTorch 1.13 fails an internal assert (0-d
    // operands) or refuses, 2.x may cast silently; refused here the same way on every version.
    const past = [t1, t2].find((t) => t instanceof Tensor && !t.isDisposed && RANK[t.dtype] > RANK[this.dtype]);
    if (past && !this.isDisposed) throw new Error(`${op}: tensor1 (${t1.dtype}) and tensor2 (${t2.dtype}) promote past the tensor's dtype ${this.dtype}; cast them with .to('${this.dtype}')`);
    try {
      return this.inplace(op, [t1, 'tensor1'], [t2, 'tensor2'], checkNumber(op, value), 0, op, 'value');
    } catch (e) {
      // Operands whose dtypes promote past this tensor's (all 0-d, say) fail an internal assert in LibTorch.
      if (!/needs_dynamic_casting/.test((e as Error).message)) throw e;
      throw new Error(`${op}: tensor1 (${t1.dtype}) and tensor2 (${t2.dtype}) promote past the tensor's dtype ${this.dtype}; cast them with .to('${this.dtype}')`);
    }
  }
  /** this += weight · (end − this) */
  lerp_(end: Tensor, weight: number): this { return this.inplace('lerp_', [end, 'end'], null, checkNumber('lerp_', weight, 'weight'), 0, 'lerp_', 'weight'); }
  /** this ← beta · this + alpha · (mat1 @ mat2), as PyTorch's addmm_: one pass over this (2-D only). */
  addmm_(mat1: Tensor, mat2: Tensor, options?: { beta?: number; alpha?: number }): this {
    const h = alive(this, 'addmm_');
    const [h1, h2] = [alive(mat1, 'addmm_', 'mat1'), alive(mat2, 'addmm_', 'mat2')];
    const { beta = 1, alpha = 1 } = checkOptions('addmm_', options, ['beta', 'alpha']);
    const [a, b, c] = [this.shape, mat1.shape, mat2.shape];
    if (a.length !== 2 || b.length !== 2 || c.length !== 2) throw new Error(`addmm_: needs 2-D tensors, got ${fmt(a)} += ${fmt(b)} @ ${fmt(c)} (tensor += mat1 @ mat2)`);
    if (b[1] !== c[0] || a[0] !== b[0] || a[1] !== c[1]) throw new Error(`addmm_: shapes do not chain: ${fmt(a)} += ${fmt(b)} @ ${fmt(c)} (tensor += mat1 @ mat2)`);
    for (const [m, name] of [[mat1, 'mat1'], [mat2, 'mat2']] as const) {
      if (m.dtype !== this.dtype) throw new Error(`addmm_: dtypes differ (${this.dtype} and ${m.dtype}), the tensor's and ${name}'s`);
      if (m.device !== this.device) throw new Error(`addmm_: tensors are on different devices (${this.device} and ${m.device}), the tensor's and ${name}'s`);
    }
    try { native.inplace(INPLACE.addmm_, h, h1, h2, checkNumber('addmm_', beta, 'beta'), checkNumber('addmm_', alpha, 'alpha')); } catch (e) { throw renamed('addmm_', e, `beta ${beta}, alpha ${alpha}`); }
    return this;
  }
  copy_(src: Tensor): this { return this.inplace('copy_', [src, 'src'], null, 1); }
  zero_(): this { return this.inplace('zero_', null, null, 0); }
  fill_(value: number): this { return this.inplace('fill_', null, null, checkNumber('fill_', value), 0, 'fill_', 'value'); }
  sqrt_(): this { return this.inplace('sqrt_', null, null, 0); }
  neg_(): this { return this.inplace('neg_', null, null, 0); }
  maximum_(other: Tensor): this { return this.inplace('maximum_', [other, 'other'], null, 0); }
  clampMin_(min: number): this { return this.inplace('clampMin_', null, null, checkNumber('clampMin_', min, 'min'), 0, 'clampMin_', 'min'); }
  clampMax_(max: number): this { return this.inplace('clampMax_', null, null, checkNumber('clampMax_', max, 'max'), 0, 'clampMax_', 'max'); }
  /** Fills with U(low, high) draws from the global generator (as PyTorch's uniform_). */
  uniform_(low = 0, high = 1): this {
    if (!(checkNumber('uniform_', low, 'low') <= checkNumber('uniform_', high, 'high'))) throw new RangeError(`uniform_: need low ≤ high, got ${low}, ${high}`);
    return this.inplace('uniform_', null, null, low, high);
  }
  /** Fills with N(mean, std²) draws from the global generator (as PyTorch's normal_). */
  normal_(mean = 0, std = 1): this {
    if (!(checkNumber('normal_', std, 'std') >= 0)) throw new RangeError(`normal_: std must be ≥ 0, got ${std}`);
    return this.inplace('normal_', null, null, checkNumber('normal_', mean, 'mean'), std);
  }

  // ---- conversion ------------------------------------------------------------------
  /** to('cuda'), to('float64'), or to({ device, dtype, copy }). */
  to(target: DType | Device | string | ToOptions): Tensor { return this.convert('to', target); }
  cpu(): Tensor { return this.convert('cpu', { device: 'cpu' }); }
  cuda(index = 0): Tensor { return this.convert('cuda', { device: `cuda:${checkInteger('cuda', 'index', index, 0)}` }); }
  float(): Tensor { return this.convert('float', { dtype: 'float32' }); }
  double(): Tensor { return this.convert('double', { dtype: 'float64' }); }
  private convert(op: string, target: DType | Device | string | ToOptions | undefined): Tensor {
    const h = alive(this, op);
    const o: ToOptions = typeof target === 'string'
      ? (isDtype(target) ? { dtype: target } : { device: target })
      : checkOptions(op, target, ['dtype', 'device', 'copy'], 'target');
    const dtype = o.dtype === undefined ? this.dtype : checkDtype(op, o.dtype);
    const [type, index] = parseDevice(op, o.device ?? this.device);
    const copy = checkBoolean(op, 'copy', o.copy, false);
    try { return wrap(native.to(h, dtypeCode[dtype], type, index, copy)); } catch (e) { throw renamed(op, e); }
  }
  clone(): Tensor { return this.unary(UNARY.clone, 'clone'); }
  contiguous(): Tensor { return this.unary(UNARY.contiguous, 'contiguous'); }

  /** The data as a flat typed array (complex: interleaved re, im; int64: BigInt64Array; bool: Uint8Array). */
  data(): Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array {
    const buf: ArrayBuffer = native.toBuffer(alive(this, 'data'));
    switch (this.dtype) {
      case 'float32': case 'complex64': return new Float32Array(buf);
      case 'float64': case 'complex128': return new Float64Array(buf);
      case 'int32': return new Int32Array(buf);
      case 'int64': return new BigInt64Array(buf);
      default: return new Uint8Array(buf);
    }
  }
  /** Nested arrays of numbers (booleans for bool, [re, im] pairs for complex). */
  toArray(): NestedArray {
    alive(this, 'toArray');
    const flat = this.data();
    const complex = isComplex(this.dtype);
    const item = (i: number): NestedArray => {
      if (complex) return [flat[2 * i] as number, flat[2 * i + 1] as number];
      const v = flat[i];
      if (this.dtype === 'bool') return v !== 0;
      return typeof v === 'bigint' ? Number(v) : v;
    };
    let offset = 0;
    const build = (d: number): NestedArray =>
      d === this.ndim ? item(offset++) : Array.from({ length: this.shape[d] }, () => build(d + 1));
    return build(0);
  }
  /** The value of a one-element tensor (bool → boolean, complex → [re, im]). */
  item(): number | boolean | Complex {
    const h = alive(this, 'item');
    if (this.numel !== 1) throw new Error(`item: needs exactly one element, got shape ${fmt(this.shape)}`);
    const v = native.item(h);
    return this.dtype === 'bool' ? v !== 0 : v;
  }
  toString(): string {
    if (this.handle < 0) return `Tensor(disposed)`;
    const head = `Tensor(shape=${fmt(this.shape)}, dtype=${this.dtype}, device=${this.device}`;
    return this.numel <= 20 ? `${head}, ${JSON.stringify(this.toArray())})` : `${head})`;
  }

  // ---- autograd --------------------------------------------------------------------
  get requiresGrad(): boolean { return native.requiresGrad(alive(this, 'requiresGrad')); }
  set requiresGrad(value: boolean) { this.requiresGrad_(value); }
  requiresGrad_(value = true): this {
    const h = alive(this, 'requiresGrad_');
    if (typeof value !== 'boolean') throw invalidArgument('requiresGrad_', 'value', 'a boolean', value);
    if (value && !isFloating(this.dtype) && !isComplex(this.dtype)) {
      throw new Error(`requiresGrad_: only floating point and complex tensors can require gradients, got ${this.dtype}`);
    }
    native.setRequiresGrad(h, value);
    return this;
  }
  /**
   * The accumulated gradient, or null. The same Tensor object is returned while the gradient
   * is the same native tensor; it belongs to this tensor (no scope frees it).
   */
  get grad(): Tensor | null {
    const cached = this.gradCache;
    const g = native.grad(alive(this, 'grad'), cached !== null && cached.handle >= 0 ? cached.handle : -1);
    if (g === null) { this.dropGradCache(); return null; }
    if (cached !== null && g === cached.handle) return cached;
    this.dropGradCache();
    // Owned by the scope that reads it, like any op's result: a tidy that frees this tensor in
    // bulk frees its gradient's wrapper too (the gradient itself stays with the tensor).
    return (this.gradCache = wrap(g));
  }
  private gradCache: Tensor | null = null;
  private dropGradCache(): void {
    if (this.gradCache !== null) { this.gradCache.dispose(); this.gradCache = null; }
  }
  set grad(value: Tensor | null) {
    const h = alive(this, 'grad');
    if (value !== null) {
      checkPair('grad', this, value, 'grad');
      if (!sameShape(value.shape, this.shape)) throw new Error(`grad: shape ${fmt(value.shape)} does not match tensor ${fmt(this.shape)}`);
      if (value.dtype !== this.dtype) throw new Error(`grad: a ${value.dtype} gradient for a ${this.dtype} tensor (PyTorch refuses it too; cast it with .to('${this.dtype}'))`);
    }
    native.setGrad(h, value === null ? null : value.handle);
    this.dropGradCache();
  }
  get isLeaf(): boolean { return native.isLeaf(alive(this, 'isLeaf')); }
  /** Name of the autograd node that made this tensor, e.g. 'MulBackward0', or null for leaves. */
  get gradFn(): string | null { return native.gradFnName(alive(this, 'gradFn')); }
  detach(): Tensor { return this.unary(UNARY.detach, 'detach'); }
  /** Accumulates d(this)/d(leaf) into every leaf's .grad. Non-scalar outputs need `gradient`. */
  backward(gradient?: Tensor | null, options?: BackwardOptions): void {
    const h = alive(this, 'backward');
    const o = checkOptions('backward', options, ['retainGraph', 'createGraph']);
    const createGraph = checkBoolean('backward', 'createGraph', o.createGraph, false);
    const retainGraph = checkBoolean('backward', 'retainGraph', o.retainGraph, createGraph);
    if (gradient != null) {
      alive(gradient, 'backward', 'gradient');
      if (!sameShape(gradient.shape, this.shape)) {
        throw new Error(`backward: gradient shape ${fmt(gradient.shape)} does not match output shape ${fmt(this.shape)}`);
      }
    } else if (this.numel !== 1) {
      throw new Error(`backward: output has shape ${fmt(this.shape)}; a gradient can be implied only for one-element outputs, pass one`);
    }
    if (!this.requiresGrad) throw new Error('backward: tensor does not require grad (no input had requiresGrad set, or it was made under noGrad)');
    try { native.backward(h, gradient?.handle ?? null, retainGraph, createGraph); } catch (e) { throw renamed('backward', e); }
  }
}

// The Tensor class itself: a number naming a native tensor, plus its shape, dtype and device;
// its memory, conversion, data and autograd. Its op methods live by kind in elementwise.ts,
// shaping.ts, reductions.ts and inplace.ts, each installed on the prototype (defineMethods);
// src/tensor.ts loads them all, so import Tensor from there, not from here.
// Methods check their arguments here, then make one call into the binding.
import { UNARY, meta, native } from '../backend.js';
import { type DType, type Device, checkDtype, dtypeByCode, dtypeCode, deviceName, isComplex, isDtype, isFloating, parseDevice } from '../dtype.js';
import { checkBoolean, checkInteger, checkOptions, renamed } from '../checks.js';
import { invalidArgument } from '../errors.js';
import { type Owned, forget, handleMoved, track } from '../memory.js';
import { type Shape, fmt, normDim, numel } from '../shape.js';

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
export function wrapLike(handle: number, like: readonly number[]): Tensor {
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

export function sameShape(a: Shape, b: Shape): boolean {
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

/** One unary op (its code in UNARY) under the public op's name: native errors are re-worded under it (checks.ts). */
export function unaryOp(t: Tensor, code: number, op: string): Tensor {
  const h = alive(t, op);
  try { return wrapLike(native.unary(code, h), t.shape); } catch (e) { throw renamed(op, e); }
}

/**
 * Installs a group of op methods (tensor/*.ts) on Tensor.prototype as a class body would: not
 * enumerable. The group's module declares them on the Tensor interface (`typeof` the group).
 */
export function defineMethods(methods: object): void {
  for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(methods))) {
    if (Object.hasOwn(Tensor.prototype, name)) throw new Error(`Tensor.${name} is defined twice`);
    Object.defineProperty(Tensor.prototype, name, { ...d, enumerable: false });
  }
}

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
  clone(): Tensor { return unaryOp(this, UNARY.clone, 'clone'); }
  contiguous(): Tensor { return unaryOp(this, UNARY.contiguous, 'contiguous'); }

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
    checkBoolean('requiresGrad_', 'value', value);
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
  detach(): Tensor { return unaryOp(this, UNARY.detach, 'detach'); }
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

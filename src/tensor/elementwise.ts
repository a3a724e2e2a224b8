// Tensor methods, elementwise: arithmetic and comparisons with a tensor or a number, unary math
// and activations, clamp, complex parts; and matmul and t(). Installed on Tensor by defineMethods.
import { BINARY, SCALAR, UNARY, native } from '../backend.js';
import { checkNumber, renamed } from '../checks.js';
import { CPU, type DType, dtypeCode, isComplex, isFloating } from '../dtype.js';
import { invalidArgument } from '../errors.js';
import { fmt } from '../shape.js';
import { type Tensor, type TensorOrScalar, alive, checkPair, defineMethods, unaryOp, wrap, wrapLike } from './core.js';

/**
 * One binary op under the public op's name. `other` a tensor or a number (named `name` in
 * messages); `scalarOp` names the native op for a number (default: op). A number LibTorch
 * refuses (too large for the dtype) is named in the message.
 */
export function binaryOp(t: Tensor, other: TensorOrScalar, op: string, scalarOp = op, name = 'other'): Tensor {
  const h = alive(t, op);
  if (typeof other !== 'number') {
    try {
      return wrapLike(native.binary(BINARY[op], h, checkPair(op, t, other, name)), t.shape);
    } catch (e) {
      throw renamed(op, e, /ZeroDivisionError/.test((e as Error).message) ? `${name} has a zero (integer division by zero)` : undefined);
    }
  }
  if (SCALAR[scalarOp] === undefined) throw invalidArgument(op, name, 'a Tensor', other);
  try { return wrapLike(native.scalar(SCALAR[scalarOp], h, other), t.shape); } catch (e) { throw renamed(op, e, `${name} ${other}`); }
}

/**
 * With a number: the result takes the dtype PyTorch's type promotion gives the pair (an integer
 * tensor and 2.5: float32; a bool tensor and 2: int64), and a bound past float32's range
 * saturates to ±Inf (as t + 1e300 does) instead of failing.
 */
function extremum(t: Tensor, other: TensorOrScalar, op: 'maximum' | 'minimum'): Tensor {
  if (typeof other !== 'number') return binaryOp(t, other, op);
  alive(t, op);
  const integral = !isFloating(t.dtype) && !isComplex(t.dtype);
  const dtype: DType = integral && !Number.isInteger(other) ? 'float32' : t.dtype === 'bool' ? 'int64' : t.dtype;
  const v = dtype === 'float32' ? Math.fround(other) : other;
  if (dtype === t.dtype) return binaryOp(t, v, op);
  const promoted = t.to(dtype);
  try { return binaryOp(promoted, v, op); } finally { promoted.dispose(); }
}

/** The methods this module adds to Tensor (exported so that its declaration file imports the types they use). */
export const methods = {
  add(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, 'add'); },
  sub(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, 'sub'); },
  mul(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, 'mul'); },
  div(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, 'div'); },
  pow(this: Tensor, exponent: TensorOrScalar): Tensor { return binaryOp(this, exponent, 'pow'); },
  /** other − this */
  rsub(this: Tensor, other: number): Tensor { return binaryOp(this, checkNumber('rsub', 'other', other), 'rsub'); },
  /**
   * other / this, as PyTorch's `other / t`: a true division (other · (1 / this) overflows where
   * the quotient does not, e.g. 1e-10 / 1e-40 in float32), floating point even for integer tensors.
   */
  rdiv(this: Tensor, other: number): Tensor {
    const h = alive(this, 'rdiv');
    const wide = this.dtype === 'float64' || this.dtype === 'complex128';
    const v = checkNumber('rdiv', 'other', other);
    const numerator = native.scalarTensor(wide ? v : Math.fround(v), dtypeCode[wide ? 'float64' : 'float32'], CPU, -1);
    try { return wrapLike(native.binary(BINARY.div, numerator, h), this.shape); } catch (e) { throw renamed('rdiv', e); } finally { native.free(numerator); }
  },
  /** base ** this */
  rpow(this: Tensor, base: number): Tensor { return binaryOp(this, checkNumber('rpow', 'base', base), 'rpow', 'rpow', 'base'); },
  /** Elementwise max with a tensor, or with a number (as PyTorch's maximum with that number as a 0-d tensor). */
  maximum(this: Tensor, other: TensorOrScalar): Tensor { return extremum(this, other, 'maximum'); },
  minimum(this: Tensor, other: TensorOrScalar): Tensor { return extremum(this, other, 'minimum'); },
  fmod(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, 'fmod'); },
  remainder(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, 'remainder'); },
  atan2(this: Tensor, other: Tensor): Tensor { return binaryOp(this, other, 'atan2'); },
  eq(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, 'eq'); },
  ne(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, 'ne'); },
  lt(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, 'lt'); },
  le(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, 'le'); },
  gt(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, 'gt'); },
  ge(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, 'ge'); },
  logicalAnd(this: Tensor, other: Tensor): Tensor { return binaryOp(this, other, 'logicalAnd'); },
  logicalOr(this: Tensor, other: Tensor): Tensor { return binaryOp(this, other, 'logicalOr'); },

  neg(this: Tensor): Tensor { return unaryOp(this, UNARY.neg, 'neg'); },
  abs(this: Tensor): Tensor { return unaryOp(this, UNARY.abs, 'abs'); },
  exp(this: Tensor): Tensor { return unaryOp(this, UNARY.exp, 'exp'); },
  log(this: Tensor): Tensor { return unaryOp(this, UNARY.log, 'log'); },
  log1p(this: Tensor): Tensor { return unaryOp(this, UNARY.log1p, 'log1p'); },
  expm1(this: Tensor): Tensor { return unaryOp(this, UNARY.expm1, 'expm1'); },
  sqrt(this: Tensor): Tensor { return unaryOp(this, UNARY.sqrt, 'sqrt'); },
  rsqrt(this: Tensor): Tensor { return unaryOp(this, UNARY.rsqrt, 'rsqrt'); },
  square(this: Tensor): Tensor { return unaryOp(this, UNARY.square, 'square'); },
  reciprocal(this: Tensor): Tensor { return unaryOp(this, UNARY.reciprocal, 'reciprocal'); },
  sin(this: Tensor): Tensor { return unaryOp(this, UNARY.sin, 'sin'); },
  cos(this: Tensor): Tensor { return unaryOp(this, UNARY.cos, 'cos'); },
  tan(this: Tensor): Tensor { return unaryOp(this, UNARY.tan, 'tan'); },
  asin(this: Tensor): Tensor { return unaryOp(this, UNARY.asin, 'asin'); },
  acos(this: Tensor): Tensor { return unaryOp(this, UNARY.acos, 'acos'); },
  atan(this: Tensor): Tensor { return unaryOp(this, UNARY.atan, 'atan'); },
  sinh(this: Tensor): Tensor { return unaryOp(this, UNARY.sinh, 'sinh'); },
  cosh(this: Tensor): Tensor { return unaryOp(this, UNARY.cosh, 'cosh'); },
  tanh(this: Tensor): Tensor { return unaryOp(this, UNARY.tanh, 'tanh'); },
  sigmoid(this: Tensor): Tensor { return unaryOp(this, UNARY.sigmoid, 'sigmoid'); },
  relu(this: Tensor): Tensor { return unaryOp(this, UNARY.relu, 'relu'); },
  gelu(this: Tensor): Tensor { return unaryOp(this, UNARY.gelu, 'gelu'); },
  silu(this: Tensor): Tensor { return unaryOp(this, UNARY.silu, 'silu'); },
  /** log(1 + exp(βx)) / β */
  softplus(this: Tensor, beta = 1): Tensor {
    return beta === 1 ? unaryOp(this, UNARY.softplus, 'softplus') : binaryOp(this, checkNumber('softplus', 'beta', beta), 'softplus', 'softplusBeta', 'beta');
  },
  leakyRelu(this: Tensor, negativeSlope = 0.01): Tensor { return binaryOp(this, checkNumber('leakyRelu', 'negativeSlope', negativeSlope), 'leakyRelu', 'leakyRelu', 'negativeSlope'); },
  elu(this: Tensor, alpha = 1): Tensor { return binaryOp(this, checkNumber('elu', 'alpha', alpha), 'elu', 'elu', 'alpha'); },
  erf(this: Tensor): Tensor { return unaryOp(this, UNARY.erf, 'erf'); },
  sign(this: Tensor): Tensor { return unaryOp(this, UNARY.sign, 'sign'); },
  floor(this: Tensor): Tensor { return unaryOp(this, UNARY.floor, 'floor'); },
  ceil(this: Tensor): Tensor { return unaryOp(this, UNARY.ceil, 'ceil'); },
  round(this: Tensor): Tensor { return unaryOp(this, UNARY.round, 'round'); },
  isnan(this: Tensor): Tensor { return unaryOp(this, UNARY.isnan, 'isnan'); },
  isinf(this: Tensor): Tensor { return unaryOp(this, UNARY.isinf, 'isinf'); },
  isfinite(this: Tensor): Tensor { return unaryOp(this, UNARY.isfinite, 'isfinite'); },
  logicalNot(this: Tensor): Tensor { return unaryOp(this, UNARY.logicalNot, 'logicalNot'); },
  clamp(this: Tensor, min?: number | null, max?: number | null): Tensor {
    const h = alive(this, 'clamp');
    if (min != null) checkNumber('clamp', 'min', min);
    if (max != null) checkNumber('clamp', 'max', max);
    if (min == null && max == null) throw new Error('clamp: give at least one of min and max');
    try { return wrap(native.clamp(h, min ?? null, max ?? null)); } catch (e) { throw renamed('clamp', e, `min ${min}, max ${max}`); }
  },

  // ---- complex ---------------------------------------------------------------------
  real(this: Tensor): Tensor { return unaryOp(this, UNARY.real, 'real'); },
  imag(this: Tensor): Tensor {
    if (!isComplex(this.dtype)) throw new Error(`imag: needs a complex tensor, got ${this.dtype}`);
    return unaryOp(this, UNARY.imag, 'imag');
  },
  conj(this: Tensor): Tensor { return unaryOp(this, UNARY.conj, 'conj'); },
  angle(this: Tensor): Tensor { return unaryOp(this, UNARY.angle, 'angle'); },

  // ---- linear algebra --------------------------------------------------------------
  matmul(this: Tensor, other: Tensor): Tensor {
    const h = alive(this, 'matmul');
    const o = alive(other, 'matmul', 'other');
    const a = this.shape, b = other.shape;
    if (a.length === 0 || b.length === 0) throw new Error('matmul: both operands need at least 1 dimension');
    const k1 = a[a.length - 1], k2 = b.length === 1 ? b[0] : b[b.length - 2];
    if (k1 !== k2) throw new Error(`matmul: shapes ${fmt(a)} and ${fmt(b)} do not chain (${k1} ≠ ${k2})`);
    if (this.dtype !== other.dtype) throw new Error(`matmul: dtypes differ (${this.dtype} and ${other.dtype})`);
    if (this.device !== other.device) throw new Error(`matmul: tensors are on different devices (${this.device} and ${other.device})`);
    return wrap(native.binary(BINARY.matmul, h, o));
  },
  /** Swaps the last two dims of a 2-D tensor (like PyTorch's .t()). */
  t(this: Tensor): Tensor {
    if (this.ndim > 2) throw new Error(`t: needs at most 2 dimensions, got ${this.ndim}; use transpose(d0, d1)`);
    return unaryOp(this, UNARY.t, 't');
  },
};

export type ElementwiseMethods  = typeof methods;
declare module './core.js' {
  interface Tensor extends ElementwiseMethods {}
}
defineMethods(methods);

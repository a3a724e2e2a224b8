// Tensor methods, elementwise: arithmetic and comparisons with a tensor or a number, unary math
// and activations, clamp, complex parts; and matmul and t(). Installed on Tensor by defineMethods.
import { BINARY, SCALAR, UNARY, native } from '../backend.js';
import { checkNumber, renamed } from '../checks.js';
import { CPU, type DType, dtypeCode, isComplex, isFloating } from '../dtype.js';
import { invalidArgument } from '../errors.js';
import { fmt } from '../shape.js';
import { Tensor, type TensorOrScalar, alive, checkPair, defineMethods, sameShape, unaryOp, wrap, wrapLike } from './core.js';

/**
 * A public binary op: its name, its native codes (for a tensor, for a number; undefined where
 * there is none) and its second operand's name in messages. Resolved once: BINARY[op] per call
 * was a keyed load that every op's calls shared, megamorphic, a measurable part of a 1 µs op.
 */
export interface BinarySpec { op: string; code: number | undefined; scalarCode: number | undefined; name: string }

/** `scalarOp` names the native op for a number (default: op). */
export function binarySpec(op: string, scalarOp = op, name = 'other'): BinarySpec {
  return { op, code: BINARY[op], scalarCode: SCALAR[scalarOp], name };
}

/**
 * One binary op under the public op's name. `other` a tensor or a number; a number LibTorch
 * refuses (too large for the dtype) is named in the message.
 */
export function binaryOp(t: Tensor, other: TensorOrScalar, s: BinarySpec): Tensor {
  // Fast path, two live tensors of one shape on one device: every check below passes, so it is
  // skipped; the native call and its errors are the same.
  if (other instanceof Tensor && t instanceof Tensor) {
    const h = t.handle, o = other.handle;
    if (h >= 0 && o >= 0 && t.device === other.device && sameShape(t.shape, other.shape)) {
      try { return wrapLike(native.binary(s.code as number, h, o), t.shape); } catch (e) { throw binaryError(s, e); }
    }
  }
  const h = alive(t, s.op);
  if (typeof other !== 'number') {
    try { return wrapLike(native.binary(s.code as number, h, checkPair(s.op, t, other, s.name)), t.shape); } catch (e) { throw binaryError(s, e); }
  }
  if (s.scalarCode === undefined) throw invalidArgument(s.op, s.name, 'a Tensor', other);
  try { return wrapLike(native.scalar(s.scalarCode, h, other), t.shape); } catch (e) { throw renamed(s.op, e, `${s.name} ${other}`); }
}

function binaryError(s: BinarySpec, e: unknown): unknown {
  return renamed(s.op, e, /ZeroDivisionError/.test((e as Error).message) ? `${s.name} has a zero (integer division by zero)` : undefined);
}

const ADD = binarySpec('add'), SUB = binarySpec('sub'), MUL = binarySpec('mul'), DIV = binarySpec('div'), POW = binarySpec('pow');
const RSUB = binarySpec('rsub'), RPOW = binarySpec('rpow', 'rpow', 'base');
const MAXIMUM = binarySpec('maximum'), MINIMUM = binarySpec('minimum'), FMOD = binarySpec('fmod'), REMAINDER = binarySpec('remainder'), ATAN2 = binarySpec('atan2');
const EQ = binarySpec('eq'), NE = binarySpec('ne'), LT = binarySpec('lt'), LE = binarySpec('le'), GT = binarySpec('gt'), GE = binarySpec('ge');
const LOGICAL_AND = binarySpec('logicalAnd'), LOGICAL_OR = binarySpec('logicalOr');
const SOFTPLUS_BETA = binarySpec('softplus', 'softplusBeta', 'beta'), LEAKY_RELU = binarySpec('leakyRelu', 'leakyRelu', 'negativeSlope'), ELU = binarySpec('elu', 'elu', 'alpha');

/**
 * With a number: the result takes the dtype PyTorch's type promotion gives the pair (an integer
 * tensor and 2.5: float32; a bool tensor and 2: int64), and a bound past float32's range
 * saturates to ±Inf (as t + 1e300 does) instead of failing.
 */
function extremum(t: Tensor, other: TensorOrScalar, s: BinarySpec): Tensor {
  if (typeof other !== 'number') return binaryOp(t, other, s);
  alive(t, s.op);
  const integral = !isFloating(t.dtype) && !isComplex(t.dtype);
  const dtype: DType = integral && !Number.isInteger(other) ? 'float32' : t.dtype === 'bool' ? 'int64' : t.dtype;
  const v = dtype === 'float32' ? Math.fround(other) : other;
  if (dtype === t.dtype) return binaryOp(t, v, s);
  const promoted = t.to(dtype);
  try { return binaryOp(promoted, v, s); } finally { promoted.dispose(); }
}

/** The methods this module adds to Tensor (exported so that its declaration file imports the types they use). */
export const methods = {
  add(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, ADD); },
  sub(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, SUB); },
  mul(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, MUL); },
  div(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, DIV); },
  pow(this: Tensor, exponent: TensorOrScalar): Tensor { return binaryOp(this, exponent, POW); },
  /** other − this */
  rsub(this: Tensor, other: number): Tensor { return binaryOp(this, checkNumber('rsub', 'other', other), RSUB); },
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
  rpow(this: Tensor, base: number): Tensor { return binaryOp(this, checkNumber('rpow', 'base', base), RPOW); },
  /** Elementwise max with a tensor, or with a number (as PyTorch's maximum with that number as a 0-d tensor). */
  maximum(this: Tensor, other: TensorOrScalar): Tensor { return extremum(this, other, MAXIMUM); },
  minimum(this: Tensor, other: TensorOrScalar): Tensor { return extremum(this, other, MINIMUM); },
  fmod(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, FMOD); },
  remainder(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, REMAINDER); },
  atan2(this: Tensor, other: Tensor): Tensor { return binaryOp(this, other, ATAN2); },
  eq(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, EQ); },
  ne(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, NE); },
  lt(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, LT); },
  le(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, LE); },
  gt(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, GT); },
  ge(this: Tensor, other: TensorOrScalar): Tensor { return binaryOp(this, other, GE); },
  logicalAnd(this: Tensor, other: Tensor): Tensor { return binaryOp(this, other, LOGICAL_AND); },
  logicalOr(this: Tensor, other: Tensor): Tensor { return binaryOp(this, other, LOGICAL_OR); },

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
    return beta === 1 ? unaryOp(this, UNARY.softplus, 'softplus') : binaryOp(this, checkNumber('softplus', 'beta', beta), SOFTPLUS_BETA);
  },
  leakyRelu(this: Tensor, negativeSlope = 0.01): Tensor { return binaryOp(this, checkNumber('leakyRelu', 'negativeSlope', negativeSlope), LEAKY_RELU); },
  elu(this: Tensor, alpha = 1): Tensor { return binaryOp(this, checkNumber('elu', 'alpha', alpha), ELU); },
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

// Tensor methods, reductions: sum, mean, max, min, prod, argmax, argmin, logsumexp, norm, std,
// var, softmax, logSoftmax, cumsum, any, all. Installed on Tensor by defineMethods.
import { REDUCE, UNARY, native } from '../backend.js';
import { checkBoolean, checkNumber, checkOptions, renamed } from '../checks.js';
import { dimList, fmt, oneDim } from '../shape.js';
import { type Tensor, alive, defineMethods, unaryOp, wrap } from './core.js';
import { binaryOp, binarySpec } from './elementwise.js';
import './shaping.js'; // reshape, for reductions over the flattened tensor

const NORM_P = binarySpec('norm', 'normP', 'p');

/** `code` names the native reduction when it differs from the public op (max: amax). */
function reduce(t: Tensor, op: string, dim: number | number[] | undefined, keepdim: unknown, s = 0, code = op): Tensor {
  const h = alive(t, op);
  const keep = checkBoolean(op, 'keepdim', keepdim, false);
  try { return wrap(native.reduce(REDUCE[code], h, dimList(op, dim, t.ndim), keep, s)); } catch (e) { throw renamed(op, e); }
}

/** Over all elements (one native op) when neither dim nor keepdim is given. */
function whole(keepdim: unknown): boolean { return keepdim === undefined || keepdim === false; }

function nonEmpty<T extends Tensor>(t: T, op: string): T {
  if (alive(t, op) >= 0 && t.numel === 0) throw new Error(`${op}: tensor is empty (shape ${fmt(t.shape)})`);
  return t;
}

/** A reduction over one dim; without a dim, over the flattened tensor (all dims kept as 1 with keepdim). */
function overOneDim(t: Tensor, op: string, dim: number | undefined, keepdim: unknown): Tensor {
  if (dim !== undefined) return reduce(t, op, oneDim(op, dim), keepdim);
  const keep = checkBoolean(op, 'keepdim', keepdim, false);
  if (alive(t, op) >= 0 && t.numel === 0) throw new Error(`${op}: the tensor is empty`);
  const flat = t.reshape(-1);
  let r: Tensor;
  try { r = reduce(flat, op, 0, false); } finally { flat.dispose(); }
  if (!keep) return r;
  const shaped = r.reshape(t.shape.map(() => 1));
  r.dispose();
  return shaped;
}

function spread(t: Tensor, op: 'std' | 'var', dim: number | number[] | undefined, options: { unbiased?: boolean; keepdim?: boolean } | undefined): Tensor {
  const o = checkOptions(op, options, ['unbiased', 'keepdim']);
  return reduce(t, op, dim, o.keepdim, checkBoolean(op, 'unbiased', o.unbiased, true) ? 1 : 0);
}

/** The methods this module adds to Tensor (exported so that its declaration file imports the types they use). */
export const methods = {
  sum(this: Tensor, dim?: number | number[], keepdim?: boolean): Tensor {
    return dim === undefined && whole(keepdim) ? unaryOp(this, UNARY.sumAll, 'sum') : reduce(this, 'sum', dim, keepdim);
  },
  mean(this: Tensor, dim?: number | number[], keepdim?: boolean): Tensor {
    return dim === undefined && whole(keepdim) ? unaryOp(this, UNARY.meanAll, 'mean') : reduce(this, 'mean', dim, keepdim);
  },
  /** Largest value (over dim, when given: the values only; use argmax for indices). */
  max(this: Tensor, dim?: number | number[], keepdim?: boolean): Tensor {
    return dim === undefined && whole(keepdim) ? unaryOp(nonEmpty(this, 'max'), UNARY.maxAll, 'max') : reduce(this, 'max', dim, keepdim, 0, 'amax');
  },
  min(this: Tensor, dim?: number | number[], keepdim?: boolean): Tensor {
    return dim === undefined && whole(keepdim) ? unaryOp(nonEmpty(this, 'min'), UNARY.minAll, 'min') : reduce(this, 'min', dim, keepdim, 0, 'amin');
  },
  /** Product over dim, or over all elements without one (as PyTorch). */
  prod(this: Tensor, dim?: number, keepdim?: boolean): Tensor { return overOneDim(this, 'prod', dim, keepdim); },
  /** Index of the largest value over dim, or in the flattened tensor without one (as PyTorch). */
  argmax(this: Tensor, dim?: number, keepdim?: boolean): Tensor { return overOneDim(this, 'argmax', dim, keepdim); },
  argmin(this: Tensor, dim?: number, keepdim?: boolean): Tensor { return overOneDim(this, 'argmin', dim, keepdim); },
  logsumexp(this: Tensor, dim: number | number[], keepdim?: boolean): Tensor {
    if (dim === undefined || (Array.isArray(dim) && dim.length === 0)) throw new TypeError('logsumexp: dim is required (one dim or a list), as in PyTorch');
    return reduce(this, 'logsumexp', dim, keepdim);
  },
  /** Vector p-norm (‖x‖ₚ = (Σ|xᵢ|ᵖ)^(1/p)) over all elements or over dim. */
  norm(this: Tensor, p = 2, dim?: number | number[], keepdim?: boolean): Tensor {
    checkNumber('norm', 'p', p);
    if (dim === undefined && whole(keepdim)) {
      return p === 2 ? unaryOp(this, UNARY.normAll, 'norm') : binaryOp(this, p, NORM_P);
    }
    return reduce(this, 'norm', dim, keepdim, p);
  },
  /** Standard deviation; unbiased (Bessel's correction) by default, as in PyTorch. */
  std(this: Tensor, dim?: number | number[], options?: { unbiased?: boolean; keepdim?: boolean }): Tensor { return spread(this, 'std', dim, options); },
  var(this: Tensor, dim?: number | number[], options?: { unbiased?: boolean; keepdim?: boolean }): Tensor { return spread(this, 'var', dim, options); },
  softmax(this: Tensor, dim: number): Tensor { return reduce(this, 'softmax', oneDim('softmax', dim), false); },
  logSoftmax(this: Tensor, dim: number): Tensor { return reduce(this, 'logSoftmax', oneDim('logSoftmax', dim), false); },
  cumsum(this: Tensor, dim: number): Tensor { return reduce(this, 'cumsum', oneDim('cumsum', dim), false); },
  any(this: Tensor): Tensor { return unaryOp(this, UNARY.anyAll, 'any'); },
  all(this: Tensor): Tensor { return unaryOp(this, UNARY.allAll, 'all'); },
};

export type ReductionMethods  = typeof methods;
declare module './core.js' {
  interface Tensor extends ReductionMethods {}
}
defineMethods(methods);

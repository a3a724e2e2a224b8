// Tensor methods for shape and indexing: reshape and views, transpose, permute, squeeze,
// expand, repeat, flip; narrow, slice, select, indexSelect, gather, split, chunk.
// Installed on Tensor by defineMethods.
import { REDUCE, UNARY, native } from '../backend.js';
import { checkPositiveInt, isInt64, renamed } from '../checks.js';
import { show } from '../errors.js';
import { checkShape, dimList, fmt, normDim, numel } from '../shape.js';
import { type Tensor, alive, defineMethods, unaryOp, wrap, wrapHandle } from './core.js';

function reshapeLike(t: Tensor, op: 'reshape' | 'view', args: number[] | [number[]]): Tensor {
  const h = alive(t, op);
  const shape = (Array.isArray(args[0]) ? args[0] : args) as number[];
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1 || !shape.every((d) => Number.isInteger(d) && d >= -1)) {
    throw new Error(`${op}: invalid shape ${show(shape)} (integers ≥ 0, at most one -1)`);
  }
  const known = numel(shape.filter((d) => d !== -1));
  const n = t.numel;
  if (inferred ? known === 0 || n % known !== 0 : known !== n) {
    throw new Error(`${op}: shape ${fmt(shape)} is invalid for a tensor of ${n} elements (shape ${fmt(t.shape)})`);
  }
  return wrap(native[op](h, shape));
}

/** The methods this module adds to Tensor (exported so that its declaration file imports the types they use). */
export const methods = {
  reshape(this: Tensor, ...shape: number[] | [number[]]): Tensor { return reshapeLike(this, 'reshape', shape); },
  view(this: Tensor, ...shape: number[] | [number[]]): Tensor { return reshapeLike(this, 'view', shape); },
  flatten(this: Tensor): Tensor { return unaryOp(this, UNARY.flatten, 'flatten'); },
  transpose(this: Tensor, dim0: number, dim1: number): Tensor {
    const h = alive(this, 'transpose');
    return wrap(native.transpose(h, normDim('transpose', dim0, this.ndim), normDim('transpose', dim1, this.ndim)));
  },
  permute(this: Tensor, ...dims: number[] | [number[]]): Tensor {
    const h = alive(this, 'permute');
    const d = (Array.isArray(dims[0]) ? dims[0] : dims) as number[];
    if (d.length !== this.ndim) throw new Error(`permute: needs ${this.ndim} dims, got ${d.length}`);
    return wrap(native.permute(h, dimList('permute', d, this.ndim)));
  },
  squeeze(this: Tensor, dim?: number): Tensor {
    const h = alive(this, 'squeeze');
    return wrap(native.squeeze(h, dim === undefined ? null : normDim('squeeze', dim, this.ndim)));
  },
  unsqueeze(this: Tensor, dim: number): Tensor {
    return wrap(native.unsqueeze(alive(this, 'unsqueeze'), normDim('unsqueeze', dim, this.ndim, 1)));
  },
  expand(this: Tensor, ...shape: number[] | [number[]]): Tensor {
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
  },
  repeat(this: Tensor, ...sizes: number[] | [number[]]): Tensor {
    const s = checkShape('repeat', Array.isArray(sizes[0]) ? sizes[0] : sizes, 'sizes');
    if (s.length < this.ndim) throw new Error(`repeat: needs at least ${this.ndim} sizes, got ${s.length}`);
    const h = alive(this, 'repeat');
    try { return wrap(native.repeat(h, s)); } catch (e) { throw renamed('repeat', e, `sizes ${fmt(s)}`); }
  },
  flip(this: Tensor, dims: number | number[]): Tensor {
    return wrap(native.reduce(REDUCE.flip, alive(this, 'flip'), dimList('flip', dims, this.ndim), false));
  },
  /** Elements start … start+length−1 along dim (a view). */
  narrow(this: Tensor, dim: number, start: number, length: number): Tensor {
    const h = alive(this, 'narrow');
    const d = normDim('narrow', dim, this.ndim);
    const n = this.shape[d];
    if (!Number.isInteger(start) || !Number.isInteger(length) || start < -n || length < 0 || (start < 0 ? start + n : start) + length > n) {
      throw new RangeError(`narrow: start ${start}, length ${length} out of range for dim ${d} of size ${n}`);
    }
    return wrap(native.narrow(h, d, start < 0 ? start + n : start, length));
  },
  /** Python's t[start:end:step] along dim; negative and omitted bounds as in Python. */
  slice(this: Tensor, dim: number, start = 0, end?: number, step = 1): Tensor {
    const h = alive(this, 'slice');
    const d = normDim('slice', dim, this.ndim);
    const n = this.shape[d];
    checkPositiveInt('slice', 'step', step, isInt64);
    for (const [name, v] of [['start', start], ['end', end]] as const) {
      if (v !== undefined && !Number.isInteger(v)) throw new TypeError(`slice: ${name} must be an integer, got ${String(v)}`);
    }
    const clampIdx = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
    return wrap(native.slice(h, d, clampIdx(start), clampIdx(end ?? n), step));
  },
  /** Removes dim by taking one index along it. */
  select(this: Tensor, dim: number, index: number): Tensor {
    const h = alive(this, 'select');
    const d = normDim('select', dim, this.ndim);
    const n = this.shape[d];
    if (!Number.isInteger(index) || index < -n || index >= n) {
      throw new RangeError(`select: index ${index} is out of range for dim ${d} of size ${n}`);
    }
    return wrap(native.select(h, d, index < 0 ? index + n : index));
  },
  indexSelect(this: Tensor, dim: number, index: Tensor): Tensor {
    const h = alive(this, 'indexSelect');
    alive(index, 'indexSelect', 'index');
    if (index.dtype !== 'int64' && index.dtype !== 'int32') throw new Error(`indexSelect: index must be int64 or int32, got ${index.dtype}`);
    if (index.ndim > 1) throw new Error(`indexSelect: index must be 1-D, got shape ${fmt(index.shape)}`);
    // A 0-d result has one element to take: from an empty index LibTorch returns uninitialized memory.
    if (this.ndim === 0 && index.numel !== 1) throw new Error(`indexSelect: a 0-d tensor needs an index of one element, got shape ${fmt(index.shape)}`);
    return wrap(native.indexSelect(h, normDim('indexSelect', dim, this.ndim), index.handle));
  },
  gather(this: Tensor, dim: number, index: Tensor): Tensor {
    const h = alive(this, 'gather');
    alive(index, 'gather', 'index');
    if (index.dtype !== 'int64') throw new Error(`gather: index must be int64, got ${index.dtype}`);
    // As PyTorch: the same number of dims, a 0-d tensor counting as 1-D.
    if (Math.max(index.ndim, 1) !== Math.max(this.ndim, 1)) throw new Error(`gather: index needs ${this.ndim} dims like the input, got ${index.ndim}`);
    return wrap(native.gather(h, normDim('gather', dim, this.ndim), index.handle));
  },
  split(this: Tensor, splitSize: number | number[], dim = 0): Tensor[] {
    const h = alive(this, 'split');
    const d = normDim('split', dim, this.ndim);
    const n = this.shape[d];
    let sizes: number[];
    if (typeof splitSize === 'number') {
      checkPositiveInt('split', 'size', splitSize, isInt64);
      // An empty dim still splits into one (empty) piece, as in PyTorch.
      sizes = n === 0 ? [0] : Array.from({ length: Math.ceil(n / splitSize) }, (_, i) => Math.min(splitSize, n - i * splitSize));
    } else {
      sizes = checkShape('split', splitSize, 'sizes');
      if (sizes.reduce((a, b) => a + b, 0) !== n) throw new Error(`split: sizes ${fmt(sizes)} do not sum to dim ${d}'s size ${n}`);
    }
    return native.split(h, sizes, d).map((x) => wrapHandle(x));
  },
  chunk(this: Tensor, chunks: number, dim = 0): Tensor[] {
    const h = alive(this, 'chunk');
    checkPositiveInt('chunk', 'chunks', chunks, isInt64);
    return native.chunk(h, chunks, normDim('chunk', dim, this.ndim)).map((x) => wrapHandle(x));
  },
};

export type ShapingMethods  = typeof methods;
declare module './core.js' {
  interface Tensor extends ShapingMethods {}
}
defineMethods(methods);

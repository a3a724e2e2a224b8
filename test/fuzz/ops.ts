// The pinn-torch side of each tensor op the fuzz suite calls (torch_eval.py has PyTorch's side
// under the same names). `params` names every argument as the op's messages should: an invalid
// call must throw an Error that names the op and the argument the generator made suspect.
import * as pt from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { type V } from './values.js';

/** The elementwise function a gradOf/backwardOf case differentiates (its errors come first). */
const fnName = (op: string) => (args: V[]) => [op, ...(args[0]?.k === 'str' ? [args[0].v] : [])];

export interface OpImpl {
  /** The name its messages start with, when not the catalogue key. */
  name?: string;
  /** The names its messages may start with, for this call, when they depend on it (replaces name). */
  names?: (args: V[]) => string[];
  /** Argument names, in order; for methods the first is the tensor itself. */
  params: string[];
  run: (...args: any[]) => unknown;
  /** Other words a message may name an argument by (a broadcast error names 'shapes'). */
  aliases?: Record<string, string[]>;
}

/** An options argument is named by its keys too. */
const CREATION = { options: ['dtype', 'device', 'requiresGrad'] };

const method = (name: string, params: string[], aliases?: OpImpl['aliases']): OpImpl => ({
  params: ['tensor', ...params],
  run: (self: Tensor, ...args: unknown[]) => (self as any)[name](...args),
  aliases,
});

export const UNARY = [
  'neg', 'abs', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'rsqrt', 'square', 'reciprocal', 'sin', 'cos', 'tan', 'asin',
  'acos', 'atan', 'sinh', 'cosh', 'tanh', 'sigmoid', 'relu', 'gelu', 'silu', 'erf', 'sign', 'floor', 'ceil', 'round',
  'isnan', 'isinf', 'isfinite', 'logicalNot', 'real', 'imag', 'conj', 'angle', 'clone', 'contiguous', 'detach',
  'flatten', 't', 'any', 'all', 'float', 'double',
] as const;
export const BINARY = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'fmod', 'remainder', 'atan2', 'eq', 'ne', 'lt', 'le', 'gt',
  'ge', 'logicalAnd', 'logicalOr',
] as const;
export const REVERSE = ['rsub', 'rdiv', 'rpow'] as const;
export const REDUCTIONS = ['sum', 'mean', 'max', 'min', 'prod', 'argmax', 'argmin', 'logsumexp'] as const;
export const ALONG = ['softmax', 'logSoftmax', 'cumsum'] as const;
export const INPLACE_UNARY = ['zero_', 'sqrt_', 'neg_'] as const;

/** A pair or broadcast mistake is reported about both operands' shapes, dtypes or devices. */
const PAIR = { other: ['shape', 'dtype', 'device'] };

export const OPS: Record<string, OpImpl> = {
  ...Object.fromEntries(UNARY.map((n) => [n, method(n, [])])),
  ...Object.fromEntries(BINARY.map((n) => [n, method(n, ['other'], PAIR)])),
  rsub: method('rsub', ['other']),
  rdiv: method('rdiv', ['other']),
  rpow: method('rpow', ['base']),
  softplus: method('softplus', ['beta']),
  leakyRelu: method('leakyRelu', ['negativeSlope']),
  elu: method('elu', ['alpha']),
  clamp: method('clamp', ['min', 'max']),
  ...Object.fromEntries(REDUCTIONS.map((n) => [n, method(n, ['dim', 'keepdim'])])),
  norm: method('norm', ['p', 'dim', 'keepdim']),
  std: method('std', ['dim', 'options'], { options: ['unbiased', 'keepdim'] }),
  var: method('var', ['dim', 'options'], { options: ['unbiased', 'keepdim'] }),
  ...Object.fromEntries(ALONG.map((n) => [n, method(n, ['dim'])])),
  flip: method('flip', ['dims']),

  reshape: method('reshape', ['shape']),
  view: method('view', ['shape']),
  transpose: method('transpose', ['dim0', 'dim1']),
  permute: method('permute', ['dims']),
  squeeze: method('squeeze', ['dim']),
  unsqueeze: method('unsqueeze', ['dim']),
  expand: method('expand', ['sizes']),
  repeat: method('repeat', ['sizes']),
  narrow: method('narrow', ['dim', 'start', 'length']),
  slice: method('slice', ['dim', 'start', 'end', 'step']),
  select: method('select', ['dim', 'index']),
  indexSelect: method('indexSelect', ['dim', 'index']),
  gather: method('gather', ['dim', 'index']),
  split: method('split', ['size', 'dim']),
  chunk: method('chunk', ['chunks', 'dim']),
  size: method('size', ['dim']),

  matmul: { params: ['a', 'b'], run: (a, b) => pt.matmul(a, b), aliases: { b: ['shape', 'dtype'] } },
  linear: { params: ['input', 'weight', 'bias'], run: (x, w, b) => pt.linear(x, w, b) },
  cat: { params: ['tensors', 'dim'], run: (ts, d) => pt.cat(ts, d) },
  stack: { params: ['tensors', 'dim'], run: (ts, d) => pt.stack(ts, d) },
  where: { params: ['condition', 'a', 'b'], run: (c, a, b) => pt.where(c, a, b), aliases: { a: ['shape'], b: ['shape'] } },
  complex: { params: ['re', 'im'], run: (a, b) => pt.complex(a, b), aliases: { im: ['shape', 'dtype'] } },
  polar: { params: ['abs', 'angle'], run: (a, b) => pt.polar(a, b), aliases: { angle: ['shape', 'dtype'] } },

  add_: method('add_', ['other', 'alpha'], PAIR),
  sub_: method('sub_', ['other', 'alpha'], PAIR),
  mul_: method('mul_', ['other'], PAIR),
  div_: method('div_', ['other'], PAIR),
  addcmul_: method('addcmul_', ['tensor1', 'tensor2', 'value']),
  addcdiv_: method('addcdiv_', ['tensor1', 'tensor2', 'value']),
  lerp_: method('lerp_', ['end', 'weight']),
  copy_: method('copy_', ['src']),
  fill_: method('fill_', ['value']),
  maximum_: method('maximum_', ['other'], PAIR),
  clampMin_: method('clampMin_', ['min']),
  clampMax_: method('clampMax_', ['max']),
  addmm_: method('addmm_', ['mat1', 'mat2', 'options'], { options: ['beta', 'alpha'] }),
  ...Object.fromEntries(INPLACE_UNARY.map((n) => [n, method(n, [])])),

  to: method('to', ['target'], { target: ['dtype', 'device'] }),
  item: method('item', []),
  toArray: method('toArray', []),

  tensor: { params: ['data', 'options'], run: (d, o) => pt.tensor(d, o), aliases: CREATION },
  zeros: { params: ['shape', 'options'], run: (s, o) => pt.zeros(s, o), aliases: CREATION },
  ones: { params: ['shape', 'options'], run: (s, o) => pt.ones(s, o), aliases: CREATION },
  empty: { params: ['shape', 'options'], aliases: CREATION, run: (s, o) => { const t = pt.empty(s, o); const r = { shape: [...t.shape], dtype: t.dtype }; t.dispose(); return r; } },
  full: { params: ['shape', 'value', 'options'], run: (s, v, o) => pt.full(s, v, o), aliases: CREATION },
  scalar: { params: ['value', 'options'], run: (v, o) => pt.scalar(v, o), aliases: CREATION },
  eye: { params: ['n', 'm', 'options'], run: (n, m, o) => pt.eye(n, m, o), aliases: CREATION },
  arange: { params: ['start', 'end', 'step', 'options'], run: (a, b, s, o) => pt.arange(a, b, s, o), aliases: CREATION },
  linspace: { params: ['start', 'end', 'steps', 'options'], run: (a, b, s, o) => pt.linspace(a, b, s, o), aliases: CREATION },
  rand: { params: ['seed', 'shape', 'options'], run: (seed, s, o) => { pt.manualSeed(seed); return pt.rand(s, o); }, aliases: CREATION },
  randn: { params: ['seed', 'shape', 'options'], run: (seed, s, o) => { pt.manualSeed(seed); return pt.randn(s, o); }, aliases: CREATION },
  randint: { params: ['seed', 'low', 'high', 'shape', 'options'], run: (seed, l, h, s, o) => { pt.manualSeed(seed); return pt.randint(l, h, s, o); }, aliases: CREATION },
  randperm: { params: ['seed', 'n', 'options'], run: (seed, n, o) => { pt.manualSeed(seed); return pt.randperm(n, o); }, aliases: CREATION },
  zerosLike: { params: ['tensor', 'options'], run: (t, o) => pt.zerosLike(t, o), aliases: CREATION },
  onesLike: { params: ['tensor', 'options'], run: (t, o) => pt.onesLike(t, o), aliases: CREATION },
  fullLike: { params: ['tensor', 'value', 'options'], run: (t, v, o) => pt.fullLike(t, v, o), aliases: CREATION },

  mse: { params: ['input', 'target', 'reduction'], run: (x, y, r) => pt.mse(x, y, r), aliases: { target: ['shape'] } },
  l1: { params: ['input', 'target', 'reduction'], run: (x, y, r) => pt.l1(x, y, r), aliases: { target: ['shape'] } },
  msae: { params: ['input', 'target', 'reduction'], run: (x, y, r) => pt.msae(x, y, r), aliases: { target: ['shape'] } },
  huber: { params: ['input', 'target', 'options'], run: (x, y, o) => pt.huber(x, y, o), aliases: { options: ['delta', 'reduction'] } },

  gradOf: { name: 'grad', names: fnName('grad'), params: ['fn', 'inputs', 'createGraph'], run: gradOf, aliases: { inputs: ['outputs'] } },
  backwardOf: { name: 'backward', names: fnName('backward'), params: ['fn', 'tensor', 'gradient'], run: backwardOf },
};

/** d/dx Σ fn(x) (and the second derivative with createGraph), as torch.autograd.grad. */
function gradOf(fn: string, x: Tensor, createGraph?: boolean): unknown {
  if (x instanceof Tensor && x.isDisposed) return pt.grad(x, x); // what grad says of a disposed tensor
  return pt.tidy(() => {
    const y = (OPS[fn].run(x) as Tensor).sum();
    const [g] = pt.grad(y, x, { createGraph });
    if (!createGraph) return g;
    const [g2] = pt.grad(g!.sum(), x);
    return [g, g2];
  });
}

/** fn(x).backward(gradient); the gradient x accumulated (then cleared, so x holds nothing more). */
function backwardOf(fn: string, x: Tensor, gradient?: Tensor | null): unknown {
  return pt.tidy(() => {
    if (!x.isLeaf || !x.requiresGrad) throw new Error('backwardOf: x must be a leaf requiring grad (a fuzz precondition)');
    (OPS[fn].run(x) as Tensor).backward(gradient);
    const g = x.grad!.clone();
    x.grad = null;
    return g;
  });
}

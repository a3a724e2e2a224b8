// Generated calls of the tensor API: creation, elementwise, reductions, shape ops, matmul and
// linear, in-place ops, conversion, losses and autograd (names as in ops.ts and torch_eval.py).
import fc from 'fast-check';
import {
  FLOAT, broadcastShapeArb, caseArb, dimArb, dtypeArb, floatTensor, misspelt, numberArb, shapeArb, shapeOf, tensorArb, valueArb,
} from './arbitraries.js';
import { ALONG, BINARY, INPLACE_UNARY, REDUCTIONS, REVERSE, UNARY } from './ops.js';
import { type Case, type TensorSpec, type V, bool, list, num, obj, str, undef } from './values.js';

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });
const v = (x: number | undefined): V => (x === undefined ? undef : num(x));
const b = (x: boolean | undefined): V => (x === undefined ? undef : bool(x));

/** A tensor and, derived from its shape, the rest of the arguments. */
const withSelf = (make: (t: TensorSpec, shape: number[]) => fc.Arbitrary<V[]>, o: Parameters<typeof tensorArb>[0] = {}) =>
  tensorArb(o).chain((t) => make(t, shapeOf(t)).map((rest) => [t as V, ...rest]));

const method = (op: string, args: fc.Arbitrary<V[]>, mutable: number[]) => caseArb(op, args, [0, ...mutable], { method: true });

const unary = fc.constantFrom(...UNARY).chain((op) => method(op, tensorArb().map((t) => [t]), []));

const other = (shape: number[]) => fc.oneof(
  { weight: 3, arbitrary: tensorArb({ shape: broadcastShapeArb(shape) }) as fc.Arbitrary<V> },
  { weight: 2, arbitrary: numberArb.map(num) },
);
const binary = fc.constantFrom(...BINARY).chain((op) => method(op, withSelf((_, s) => other(s).map((o) => [o])), [1]));
const reverse = fc.constantFrom(...REVERSE).chain((op) => method(op, withSelf(() => numberArb.map((x) => [num(x)])), [1]));
const parametrised = fc.oneof(
  fc.constantFrom('softplus', 'leakyRelu', 'elu').chain((op) => method(op, withSelf(() => opt(numberArb).map((x) => [v(x)]), { dtypes: FLOAT }), [1])),
  method('clamp', withSelf(() => fc.tuple(opt(numberArb), opt(numberArb)).map(([lo, hi]) => [v(lo), v(hi)])), [1, 2]),
);

/** undefined, one dim, or a list of dims. */
const dimsArg = (nd: number): fc.Arbitrary<V> => fc.oneof(
  fc.constant(undef), dimArb(nd).map(num), fc.uniqueArray(dimArb(nd), { maxLength: Math.max(nd, 1) }).map((d) => list(d.map(num))),
);
const reductions = fc.oneof(
  fc.constantFrom(...REDUCTIONS).chain((op) => method(op, withSelf((_, s) => fc.tuple(
    op === 'prod' || op.startsWith('arg') ? opt(dimArb(s.length)).map(v) : dimsArg(s.length), opt(fc.boolean()).map(b),
  )), [1, 2])),
  method('norm', withSelf((_, s) => fc.tuple(opt(fc.constantFrom(1, 2, 3, Infinity, 0.5)), dimsArg(s.length), opt(fc.boolean()))
    .map(([p, d, k]) => [v(p), d, b(k)]), { dtypes: FLOAT }), [1, 2, 3]),
  fc.constantFrom('std', 'var').chain((op) => method(op, withSelf((_, s) => fc.tuple(dimsArg(s.length), fc.boolean(), fc.boolean(), fc.nat(9))
    .map(([d, unbiased, keepdim, typo]) => [d, obj(typo === 0 ? { unbiased: bool(unbiased), keepDim: bool(keepdim) } : { unbiased: bool(unbiased), keepdim: bool(keepdim) })]),
  { dtypes: FLOAT }), [1, 2])),
  fc.constantFrom(...ALONG).chain((op) => method(op, withSelf((_, s) => opt(dimArb(s.length)).map((d) => [v(d)])), [1])),
  method('flip', withSelf((_, s) => dimsArg(s.length).map((d) => [d])), [1]),
);

const sizeList = (shape: number[]) => fc.oneof(
  fc.constant(shape), fc.shuffledSubarray(shape, { minLength: shape.length, maxLength: shape.length }),
  fc.constant([-1]), shapeArb(0, 3, 4), fc.constant([...shape, 1]),
);
const shapes = fc.oneof(
  fc.constantFrom('reshape', 'view').chain((op) => method(op, withSelf((_, s) => sizeList(s).map((l) => [list(l.map(num))])), [1])),
  method('transpose', withSelf((_, s) => fc.tuple(dimArb(s.length), dimArb(s.length)).map(([x, y]) => [num(x), num(y)])), [1, 2]),
  method('permute', withSelf((_, s) => fc.shuffledSubarray([...s.keys()], { minLength: s.length, maxLength: s.length }).map((d) => [list(d.map(num))])), [1]),
  method('squeeze', withSelf((_, s) => opt(dimArb(s.length)).map((d) => [v(d)])), [1]),
  method('unsqueeze', withSelf((_, s) => dimArb(s.length, 1).map((d) => [num(d)])), [1]),
  method('expand', withSelf((_, s) => fc.tuple(fc.nat(2), fc.integer({ min: 1, max: 3 })).map(([extra, k]) =>
    [list([...Array(extra).fill(k), ...s.map((d) => (d === 1 ? k : d))].map(num))])), [1]),
  method('repeat', withSelf((_, s) => fc.array(fc.integer({ min: 0, max: 3 }), { minLength: s.length, maxLength: s.length + 1 }).map((r) => [list(r.map(num))])), [1]),
  method('narrow', withSelf((_, s) => fc.tuple(dimArb(s.length), fc.integer({ min: -3, max: 4 }), fc.integer({ min: 0, max: 4 })).map(([d, st, l]) => [num(d), num(st), num(l)]), { shape: shapeArb(1) }), [1, 2, 3]),
  method('slice', withSelf((_, s) => fc.tuple(dimArb(s.length), opt(fc.integer({ min: -5, max: 5 })), opt(fc.integer({ min: -5, max: 5 })), opt(fc.integer({ min: 1, max: 3 })))
    .map(([d, st, e, step]) => [num(d), v(st), v(e), v(step)]), { shape: shapeArb(1) }), [1, 2, 3, 4]),
  method('select', withSelf((_, s) => fc.tuple(dimArb(s.length), fc.integer({ min: -4, max: 4 })).map(([d, i]) => [num(d), num(i)]), { shape: shapeArb(1) }), [1, 2]),
  method('indexSelect', withSelf((_, s) => fc.tuple(dimArb(s.length), tensorArb({ dtypes: ['int64', 'int64', 'int32', 'float32'], shape: shapeArb(1, 1, 3) }))
    .map(([d, i]) => [num(d), clampIndex(i, Math.max(...s, 1))]), { shape: shapeArb(1) }), [1, 2]),
  method('gather', withSelf((_, s) => fc.tuple(dimArb(s.length), tensorArb({ dtypes: ['int64'], shape: fc.constant(s.map((d) => Math.min(d, 2))), views: false }))
    .map(([d, i]) => [num(d), clampIndex(i, Math.min(...s, 99))]), { shape: shapeArb(1) }), [1, 2]),
  method('split', withSelf((_, s) => fc.tuple(fc.oneof(fc.integer({ min: 1, max: 3 }).map(num), fc.array(fc.nat(3), { maxLength: 3 }).map((l) => list(l.map(num)))), opt(dimArb(s.length)))
    .map(([size, d]) => [size, v(d)]), { shape: shapeArb(1) }), [1, 2]),
  method('chunk', withSelf((_, s) => fc.tuple(fc.integer({ min: 1, max: 4 }), opt(dimArb(s.length))).map(([n, d]) => [num(n), v(d)]), { shape: shapeArb(1) }), [1, 2]),
  method('size', withSelf((_, s) => opt(dimArb(s.length)).map((d) => [v(d)])), [1]),
);

/** Index values folded into [-n, n) mostly (an out-of-range index now and then stays). */
function clampIndex(t: TensorSpec, n: number): TensorSpec {
  if (t.dtype.startsWith('float')) return t;
  return { ...t, data: t.data.map((x) => (typeof x === 'number' && Math.abs(x) > n + 1 ? x % Math.max(n, 1) : x)) };
}

const linalg = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.nat(5), fc.nat(5)).chain(([n, k, m, da, db]) =>
    caseArb('matmul', fc.tuple(
      tensorArb({ dtypes: FLOAT, shape: [[k], [n, k], [2, n, k]][da % 3] }),
      tensorArb({ dtypes: db === 0 ? ['float64'] : ['float32'], shape: [[k], [k, m], [2, k, m]][db % 3] }),
    ), [0, 1])),
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.boolean()).chain(([i, o, bias]) =>
    caseArb('linear', fc.tuple(floatTensor(fc.constantFrom([2, i], [i], [1, 2, i])), tensorArb({ dtypes: ['float32'], shape: [o, i] }), bias ? tensorArb({ dtypes: ['float32'], shape: [o] }) : fc.constant(undef)), [0, 1, 2])),
  fc.constantFrom('cat', 'stack').chain((op) => shapeArb(1, 3, 3).chain((s) =>
    caseArb(op, fc.tuple(fc.array(tensorArb({ shape: fc.oneof(fc.constant(s), shapeArb(1, 3, 3)) }), { minLength: 1, maxLength: 3 }), opt(dimArb(s.length, op === 'stack' ? 1 : 0)))
      .map(([ts, d]) => [list(ts), v(d)]), [0, 1]))),
  shapeArb(0, 2, 3).chain((s) => caseArb('where', fc.tuple(tensorArb({ dtypes: ['bool', 'bool', 'float32'], shape: s }), tensorArb({ shape: broadcastShapeArb(s) }), tensorArb({ shape: broadcastShapeArb(s) })), [0, 1, 2])),
  fc.constantFrom('complex', 'polar').chain((op) => shapeArb(0, 2, 3).chain((s) =>
    caseArb(op, fc.tuple(tensorArb({ dtypes: FLOAT, shape: s }), tensorArb({ dtypes: ['float32', 'float64', 'int64'], shape: broadcastShapeArb(s) })), [0, 1]))),
);

// In-place ops write into the tensor itself: never one that requires grad (PyTorch refuses
// those outside no_grad too, and the suite's ops run with grad mode on).
const target = (dtypes?: readonly string[]) => tensorArb({ dtypes, grad: 0 });
const inplace = fc.oneof(
  fc.constantFrom('add_', 'sub_').chain((op) => method(op, target().chain((t) => fc.tuple(op === 'add_' ? other(shapeOf(t)) : tensorArb({ shape: broadcastShapeArb(shapeOf(t)) }), opt(numberArb))
    .map(([o, a]) => [t, o, v(a)])), [1, 2])),
  fc.constantFrom('mul_', 'div_', 'maximum_').chain((op) => method(op, target().chain((t) => (op === 'maximum_' ? tensorArb({ shape: broadcastShapeArb(shapeOf(t)) }) : other(shapeOf(t))).map((o) => [t, o])), [1])),
  fc.constantFrom('addcmul_', 'addcdiv_').chain((op) => method(op, target(FLOAT).chain((t) => fc.tuple(tensorArb({ dtypes: FLOAT, shape: broadcastShapeArb(shapeOf(t)) }), tensorArb({ dtypes: FLOAT, shape: broadcastShapeArb(shapeOf(t)) }), opt(numberArb))
    .map(([x, y, val]) => [t, x, y, v(val)])), [1, 2, 3])),
  method('lerp_', target(FLOAT).chain((t) => fc.tuple(tensorArb({ dtypes: [t.dtype], shape: broadcastShapeArb(shapeOf(t)) }), numberArb).map(([e, w]) => [t, e, num(w)])), [1, 2]),
  method('copy_', target().chain((t) => tensorArb({ shape: broadcastShapeArb(shapeOf(t)) }).map((s) => [t, s])), [1]),
  fc.constantFrom('fill_', 'clampMin_', 'clampMax_').chain((op) => method(op, target().chain((t) => numberArb.map((x) => [t, num(x)])), [1])),
  fc.constantFrom(...INPLACE_UNARY).chain((op) => method(op, target().map((t) => [t]), [])),
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).chain(([n, k, m]) => method('addmm_', fc.tuple(
    tensorArb({ dtypes: ['float32'], shape: [n, m], grad: 0 }), tensorArb({ dtypes: ['float32'], shape: [n, k] }), tensorArb({ dtypes: ['float32'], shape: [k, m] }), opt(numberArb), opt(numberArb),
  ).map(([t, x, y, beta, alpha]) => [t, x, y, obj({ ...(beta === undefined ? {} : { beta: num(beta) }), ...(alpha === undefined ? {} : { alpha: num(alpha) }) })]), [1, 2, 3])),
);

const conversion = fc.oneof(
  method('to', withSelf(() => fc.oneof(dtypeArb.map(str), fc.constant(str('cpu')), dtypeArb.chain((d) => misspelt({ dtype: str(d) }, 'dtpye', str(d))), fc.constant(str('float16')))
    .map((t) => [t])), [1]),
  method('item', tensorArb({ shape: fc.constantFrom([], [1], [1, 1], [2]) }).map((t) => [t]), []),
  method('toArray', tensorArb().map((t) => [t]), []),
);

const dtypeOption = fc.oneof({ weight: 3, arbitrary: fc.constant<V | undefined>(undefined) }, { weight: 3, arbitrary: dtypeArb.map(str) }, { weight: 1, arbitrary: fc.constantFrom(str('float16'), str('Float32'), num(6)) });
const creationOptions = (typo = true): fc.Arbitrary<V> => fc.tuple(dtypeOption, fc.nat(19), fc.nat(9)).map(([dtype, t, g]) => {
  const o: Record<string, V> = dtype === undefined ? {} : { dtype };
  if (g === 0) o.requiresGrad = bool(true);
  if (typo && t === 0) o.dtpye = str('float64');
  if (typo && t === 1) o.requiresgrad = bool(true);
  if (t === 2) o.device = str('cuda');
  return obj(o);
});
/** Sizes: small, or absurd enough that any allocation fails at once (never in between). */
const sizeArg = fc.oneof(
  { weight: 8, arbitrary: shapeArb(0, 3, 4).map((s) => list(s.map(num))) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 5 }).map(num) },
  { weight: 1, arbitrary: fc.constantFrom([2 ** 40], [2 ** 31, 2 ** 31, 2 ** 31], [0, 2 ** 62], [2.5], [-1], [NaN]).map((s) => list(s.map(num))) },
);
const nested = (dtype: string) => shapeArb(0, 3, 3).chain((s) => {
  const n = s.reduce((a, c) => a * c, 1);
  return fc.array(valueArb(dtype), { minLength: n, maxLength: n }).map((flat) => {
    let i = 0;
    const build = (d: number): V => (d === s.length ? (dtype === 'bool' ? bool(flat[i++] !== 0) : num(flat[i++])) : list(Array.from({ length: s[d] }, () => build(d + 1))));
    return build(0);
  });
});
const creation = fc.oneof(
  fc.constantFrom('float32', 'float64', 'int64', 'int32', 'uint8', 'bool').chain((d) => caseArb('tensor', fc.tuple(
    fc.nat(5).chain((r) => nested(r === 0 ? 'float32' : d)), creationOptions().map((o) => (o.k === 'obj' && !o.v.dtype && d !== 'float32' ? obj({ ...o.v, dtype: str(d) }) : o)),
  ), [0, 1])),
  fc.constantFrom('zeros', 'ones', 'empty').chain((op) => caseArb(op, fc.tuple(sizeArg, creationOptions()), [0, 1])),
  caseArb('full', fc.tuple(sizeArg, numberArb.map(num), creationOptions()), [0, 1, 2]),
  caseArb('scalar', fc.tuple(numberArb.map(num), creationOptions()), [0, 1]),
  caseArb('eye', fc.tuple(fc.integer({ min: 0, max: 4 }), opt(fc.integer({ min: 0, max: 4 })), creationOptions()).map(([n, m, o]) => [num(n), v(m), o]), [0, 1, 2]),
  caseArb('arange', fc.tuple(numberArb, opt(numberArb), opt(fc.constantFrom(1, 0.5, -1, 2, 0)), creationOptions(false))
    .map(([a, e, s, o]) => [num(a), v(e), v(s), o]), [0, 1, 2, 3]),
  caseArb('linspace', fc.tuple(numberArb, numberArb, fc.integer({ min: 0, max: 5 }), creationOptions(false)).map(([a, e, s, o]) => [num(a), num(e), num(s), o]), [0, 1, 2, 3]),
  fc.constantFrom('rand', 'randn').chain((op) => caseArb(op, fc.tuple(fc.nat(1000), shapeArb(0, 3, 4), fc.constantFrom(undefined, 'float32', 'float64', 'int64')).map(([seed, s, d]) =>
    [num(seed), list(s.map(num)), obj(d ? { dtype: str(d) } : {})]), [1, 2])),
  caseArb('randint', fc.tuple(fc.nat(1000), fc.integer({ min: -5, max: 5 }), fc.integer({ min: -5, max: 9 }), shapeArb(0, 2, 4)).map(([seed, lo, hi, s]) =>
    [num(seed), num(lo), num(hi), list(s.map(num))]), [1, 2, 3]),
  caseArb('randperm', fc.tuple(fc.nat(1000), fc.integer({ min: 0, max: 8 })).map(([seed, n]) => [num(seed), num(n)]), [1]),
  fc.constantFrom('zerosLike', 'onesLike').chain((op) => caseArb(op, fc.tuple(tensorArb(), creationOptions()), [0, 1])),
  caseArb('fullLike', fc.tuple(tensorArb(), numberArb.map(num), creationOptions()), [0, 1, 2]),
);

const losses = fc.oneof(
  fc.constantFrom('mse', 'l1', 'msae').chain((op) => caseArb(op, withSelf((_, s) => fc.tuple(
    fc.oneof(tensorArb({ shape: fc.oneof(fc.constant(s), broadcastShapeArb(s)) }) as fc.Arbitrary<V>, numberArb.map(num), fc.constant(undef)),
    fc.constantFrom(undef, str('mean'), str('sum'), str('none'), str('avg')),
  )), [0, 1, 2])),
  caseArb('huber', withSelf((_, s) => fc.tuple(tensorArb({ dtypes: FLOAT, shape: s }), fc.tuple(opt(numberArb), fc.constantFrom(undefined, 'mean', 'sum', 'none'))
    .map(([delta, red]) => obj({ ...(delta === undefined ? {} : { delta: num(delta) }), ...(red === undefined ? {} : { reduction: str(red) }) })))), [0, 1, 2]),
);

/** Differentiable elementwise functions for the autograd cases. */
const SMOOTH = ['exp', 'sin', 'cos', 'tanh', 'sigmoid', 'square', 'neg', 'abs', 'relu', 'gelu', 'silu', 'softplus', 'atan', 'sqrt', 'log1p', 'erf'];
const autograd = fc.oneof(
  caseArb('gradOf', fc.tuple(fc.constantFrom(...SMOOTH), tensorArb({ dtypes: FLOAT, grad: 0.9, views: false }), opt(fc.boolean()))
    .map(([f, x, cg]) => [str(f), x, b(cg)]), [1, 2], { receivers: [1] }),
  fc.constantFrom(...SMOOTH).chain((f) => shapeArb(0, 2, 3).chain((s) => caseArb('backwardOf', fc.tuple(
    tensorArb({ dtypes: ['float64'], shape: s, grad: 1, views: false }),
    fc.oneof(fc.constant(undef), tensorArb({ dtypes: ['float64'], shape: fc.oneof(fc.constant(s), shapeArb(0, 2, 3)) }) as fc.Arbitrary<V>),
  ).map(([x, g]) => [str(f), x, g]), [2]))),
);

/** Every generated call of the tensor API, each family about equally often. */
export const tensorOpCase: fc.Arbitrary<Case> = fc.oneof(
  unary, binary, reverse, parametrised, reductions, shapes, linalg, inplace, conversion, creation, losses, autograd,
);
export const FAMILIES = { unary, binary, reverse, parametrised, reductions, shapes, linalg, inplace, conversion, creation, losses, autograd };

const empty = (v: V | undefined) => v?.k === 'tensor' && shapeOf(v).includes(0);

/**
 * Calls pinn-torch refuses on purpose where PyTorch answers. PyTorch skips its checks for empty
 * operands (cat ignores 1-D empty tensors, whatever the dim; gather and matmul take any index or
 * dtype when there is nothing to compute); where() still takes a uint8 condition (deprecated);
 * indexSelect of a 0-d tensor with an empty index returns uninitialized memory; addcmul_ and
 * addcdiv_ refuse operands that would promote past the tensor's dtype.
 */
export function mayRefuse(c: Case): boolean {
  const [a, b, d] = c.args;
  switch (c.op) {
    case 'cat': return a?.k === 'list' && a.v.some((t) => t.k === 'tensor' && t.base.length === 1 && t.base[0] === 0);
    case 'gather': return empty(d) || empty(a);
    case 'matmul': return empty(a) || empty(b);
    case 'where': return a?.k === 'tensor' && a.dtype === 'uint8';
    case 'indexSelect': return a?.k === 'tensor' && shapeOf(a).length === 0;
    // Operands of a higher dtype than the tensor written into: refused on every LibTorch (1.13
    // fails an internal assert for some, 2.x casts silently), see regressions.test.ts.
    case 'addcmul_': case 'addcdiv_': return a?.k === 'tensor' && a.dtype === 'float32' && [b, d].some((x) => x?.k === 'tensor' && x.dtype === 'float64');
    default: return false;
  }
}

// Generated calls of nn and optim: Linear and MLP construction and forward, Module.to,
// Module.loadStateDict, optimizer steps against torch.optim, and optimizer state dicts loaded
// after a JSON round trip, intact or damaged.
import fc from 'fast-check';
import { FLOAT, caseArb, numberArb, shapeOf, tensorArb, wrongArb } from './arbitraries.js';
import { type Case, type TensorSpec, type V, bool, list, num, obj, str, undef } from './values.js';

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });
const seedArb = fc.nat(10_000).map(num);
/** A width for an input tensor: the generated one when small, else 2 (never 2⁴⁵ elements of data). */
const width = (n: number) => (Number.isInteger(n) && n > 0 && n <= 4 ? n : 2);
const featuresArb = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 2.5, NaN, 2 ** 45) });

const linear = fc.tuple(seedArb, featuresArb, featuresArb, fc.constantFrom<string | undefined>(undefined, 'float32', 'float64', 'int64'), opt(fc.boolean()), fc.nat(12))
  .chain(([seed, i, o, dtype, bias, typo]) => {
    const options: Record<string, V> = {};
    if (dtype) options.dtype = str(dtype);
    if (bias !== undefined) options.bias = bool(bias);
    if (typo === 0) options.baias = bool(false);
    const w = width(i);
    const x = tensorArb({ dtypes: dtype === 'float64' ? ['float64'] : ['float32'], shape: fc.constantFrom([2, w], [w], [1, 3, w], [2, w + 1]), views: true });
    return caseArb('nn.Linear', x.map((t) => [seed, num(i), num(o), obj(options), t]), [1, 2, 3, 4]);
  });

const mlp = fc.tuple(seedArb, fc.array(featuresArb, { minLength: 1, maxLength: 4 }),
  fc.constantFrom<string | undefined>(undefined, 'tanh', 'relu', 'sin', 'sigmoid', 'gelu', 'swish'),
  fc.constantFrom<string | undefined>(undefined, 'default', 'xavierNormal', 'xavierUniform', 'kaimingNormal', 'kaimingUniform', 'xavier'),
  fc.constantFrom<string | undefined>(undefined, 'float32', 'float64', 'int32'), fc.nat(12))
  .chain(([seed, sizes, activation, init, dtype, typo]) => {
    const options: Record<string, V> = {};
    if (activation) options.activation = str(activation);
    if (init) options.init = str(init);
    if (dtype) options.dtype = str(dtype);
    if (typo === 0) options.activaton = str('relu');
    const x = tensorArb({ dtypes: dtype === 'float64' ? ['float64'] : ['float32'], shape: [3, width(sizes[0])], views: false });
    return caseArb('nn.MLP', x.map((t) => [seed, list(sizes.map(num)), obj(options), t]), [1, 2, 3]);
  });

const moduleTo = caseArb('Module.to', fc.oneof(
  fc.constantFrom('float32', 'float64', 'int64', 'bool', 'complex64', 'cpu', 'cuda', 'gpu', 'float16', 'toString').map((t): V[] => [str(t)]),
  fc.constantFrom('float64', 'int32').map((d): V[] => [obj({ dtype: str(d) })]),
  fc.constant<V[]>([obj({ dtpye: str('float64') })]),
  wrongArb.map((w): V[] => [w]),
));

const MLP_PARAMS: [string, number[]][] = [['0.weight', [3, 2]], ['0.bias', [3]], ['2.weight', [1, 3]], ['2.bias', [1]]];
/** A state dict for MLP([2, 3, 1]): intact, or with one entry missing, extra, misshapen, mistyped, disposed or not a tensor. */
const loadStateDict = fc.tuple(
  fc.tuple(...MLP_PARAMS.map(([, s]) => tensorArb({ dtypes: ['float32'], shape: s, views: true }))),
  fc.nat(8), fc.nat(3), fc.oneof(fc.constant(undef), fc.constantFrom(true, false).map((s) => obj({ strict: bool(s) })), fc.constant(obj({ strct: bool(false) })), wrongArb),
  tensorArb({ dtypes: ['float64', 'int64', 'float32'], shape: fc.constantFrom([3, 2], [2, 3], [1], []) }),
).map(([tensors, damage, which, options, other]): Case & { expect: 'ok' | 'error' } => {
  const state: Record<string, V> = Object.fromEntries(MLP_PARAMS.map(([n], i) => [n, tensors[i] as V]));
  const key = MLP_PARAMS[which][0];
  if (damage === 1) delete state[key];
  if (damage === 2) state['4.weight'] = other;
  if (damage === 3) state[key] = other;
  if (damage === 4) state[key] = { ...(state[key] as TensorSpec), disposed: true };
  if (damage === 5) state[key] = num(1);
  const whole: V = damage === 6 ? { k: 'null' } : damage === 7 ? list([]) : obj(state);
  const strict = !(options.k === 'obj' && options.v.strict?.k === 'bool' && options.v.strict.v === false);
  const badOptions = !(options.k === 'undef' || (options.k === 'obj' && Object.keys(options.v).every((k) => k === 'strict')));
  const fits = other.dtype === 'float32' && shapeOf(other).join() === MLP_PARAMS[which][1].join();
  const bad = badOptions || (damage === 1 && strict) || (damage === 2 && strict) || (damage === 3 && !fits) || damage >= 4 && damage <= 7;
  return { op: 'Module.loadStateDict', args: [whole, options], expect: bad ? 'error' : 'ok', ...(damage ? { mutated: 0 } : badOptions ? { mutated: 1 } : {}) };
});

const OPTIMIZERS = ['SGD', 'Adam', 'AdamW', 'RMSprop'] as const;
/** Options for an optimizer: mostly valid values, now and then one out of range, mistyped or misspelt. */
function optimizerOptions(name: string): fc.Arbitrary<V> {
  const rate = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(1e-3, 0.01, 0.1, 0.5) }, { weight: 1, arbitrary: fc.constantFrom(0, -0.1, NaN, Infinity) });
  const fraction = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(0, 0.5, 0.9) }, { weight: 1, arbitrary: fc.constantFrom(-0.5, 1, NaN) });
  const flag = fc.oneof({ weight: 6, arbitrary: fc.boolean().map(bool) }, { weight: 1, arbitrary: fc.constantFrom(num(1), str('yes')) });
  const fields: Record<string, fc.Arbitrary<V>> = { lr: rate.map(num), weightDecay: fraction.map(num), maximize: flag };
  if (name === 'SGD') Object.assign(fields, { momentum: fraction.map(num), dampening: fraction.map(num), nesterov: flag });
  if (name.startsWith('Adam')) Object.assign(fields, { betas: fc.oneof({ weight: 6, arbitrary: fc.tuple(fraction, fraction).map(([a, b]) => list([num(a), num(b)])) }, { weight: 1, arbitrary: fc.constant(list([num(0.9)])) }), eps: rate.map(num), amsgrad: flag });
  if (name === 'RMSprop') Object.assign(fields, { alpha: fraction.map(num), momentum: fraction.map(num), centered: flag, eps: rate.map(num) });
  return fc.tuple(fc.record(fields, { requiredKeys: name === 'SGD' ? ['lr'] : [] }), fc.nat(15), numberArb)
    .map(([o, typo, v]) => obj({ ...o, ...(typo === 0 ? { lrr: num(v) } : typo === 1 ? { momentun: num(0.9) } : typo === 2 ? { weight_decay: num(0.1) } : {}) }));
}

const step = fc.constantFrom(...OPTIMIZERS).chain((name) => fc.tuple(
  optimizerOptions(name), fc.constantFrom('float32', 'float64'), fc.array(fc.constantFrom<number[]>([2], [3, 2], [1], []), { minLength: 1, maxLength: 2 }), fc.integer({ min: 1, max: 3 }),
).chain(([options, dtype, shapes, steps]) => caseArb('optim.step', fc.tuple(
  fc.tuple(...shapes.map((s) => tensorArb({ dtypes: [dtype], shape: s, grad: 0, views: false }))),
  fc.tuple(...shapes.map((s) => tensorArb({ dtypes: [dtype], shape: s, grad: 0 }))),
).map(([ps, gs]) => [str(name), options, list(ps), list(gs), num(steps)]), [1, 2])));

/** Damage to an optimizer state dict (after its JSON round trip): a path into it and a value ('__delete__' removes). */
const damageArb: fc.Arbitrary<[(string | number)[], V]> = fc.constantFrom<[(string | number)[], V]>(
  [[], { k: 'null' }], [[], list([])], [[], str('state')], [['state'], { k: 'null' }], [['paramGroups'], obj({})],
  [['paramGroups', 0, 'lr'], str('abc')], [['paramGroups', 0, 'lr'], num(-1)], [['paramGroups', 0, 'lr'], { k: 'null' }],
  [['paramGroups', 0, 'lr'], str('__delete__')], [['paramGroups', 0, 'lrr'], num(0.1)], [['paramGroups', 0, 'params'], list([num(5)])],
  [['paramGroups', 0, 'params'], list([num(0), num(0)])], [['paramGroups', 0, 'params'], str('0')],
  [['state', 0, 'step'], str('x')], [['state', 0, 'step'], num(-1)], [['state', 0, 'step'], num(1.5)], [['state', 0, 'step'], { k: 'null' }],
  [['state', 7], obj({})], [['state', 0, 'extra'], num(1)],
  [['state', 0, 'expAvg', 'shape'], list([num(3)])], [['state', 0, 'expAvg', 'data'], list([str('a'), str('b')])],
  [['state', 0, 'expAvg', 'data'], list([num(1)])], [['state', 0, 'expAvg', 'dtype'], str('int64')], [['state', 0, 'expAvg', 'dtype'], str('float16')],
  [['state', 0, 'expAvg'], num(0)], [['state', 0, 'momentumBuffer', 'shape'], { k: 'null' }], [['state', 0, 'squareAvg', 'data'], str('x')],
);
const loadOptimizerState = fc.constantFrom(...OPTIMIZERS).chain((name) => fc.tuple(
  fc.constantFrom<Record<string, V>>({ lr: num(0.1) }, { lr: num(0.1), momentum: num(0.9) }, { lr: num(0.01), amsgrad: bool(true) }, { lr: num(0.01), centered: bool(true), momentum: num(0.5) }),
  fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: damageArb }),
  tensorArb({ dtypes: FLOAT, shape: [2], grad: 0, views: false }),
).map(([o, damage, grad]): Case & { expect: 'ok' | 'error' } => {
  const takes: Record<string, string[]> = { SGD: ['lr', 'momentum'], Adam: ['lr', 'amsgrad'], AdamW: ['lr', 'amsgrad'], RMSprop: ['lr', 'centered', 'momentum'] };
  const options = Object.fromEntries(Object.entries(o).filter(([k]) => takes[name].includes(k)));
  const [path, value] = damage ?? [['paramGroups', 0, 'lr'], num(Number((options.lr as { v: number }).v))];
  // Damage inside an entry the optimizer's state does not have (momentumBuffer of Adam) leaves the state dict intact.
  const absent = damage !== null && path[0] === 'state' && path.length >= 3 && !stateKeys(name, options).includes(String(path[2]))
    && (path.length > 3 || (value.k === 'str' && value.v === '__delete__'));
  return { op: 'optim.loadStateDict', args: [str(name), obj(options), list(path.map((p) => (typeof p === 'number' ? num(p) : str(p)))), value, grad], expect: damage === null || absent ? 'ok' : 'error', ...(damage ? { mutated: 0 } : {}) };
}));

function stateKeys(name: string, o: Record<string, V>): string[] {
  if (name === 'SGD') return o.momentum ? ['momentumBuffer'] : [];
  if (name === 'RMSprop') return ['step', 'squareAvg', ...(o.momentum ? ['momentumBuffer'] : []), ...(o.centered ? ['gradAvg'] : [])];
  return ['step', 'expAvg', 'expAvgSq', ...(o.amsgrad ? ['maxExpAvgSq'] : [])];
}

/**
 * A scheduler over SGD(lr = 0.1) for a few steps, its options mostly in PyTorch's documented
 * ranges; an out-of-range, mistyped or misspelt one marks the case `odd` (pinn-torch may refuse
 * it where PyTorch does not check; where both accept, the learning rates must agree).
 */
const SCHEDULERS: Record<string, Record<string, [fc.Arbitrary<V>, fc.Arbitrary<V>]>> = (() => {
  const n = (a: fc.Arbitrary<number>) => a.map(num);
  const fraction = n(fc.constantFrom(0.1, 0.5, 0.9)), count = n(fc.integer({ min: 1, max: 6 }));
  const badNumber = fc.oneof(n(fc.constantFrom(-1, 0, 1.5, NaN, Infinity, 2 ** 40)), wrongArb);
  return {
    StepLR: { stepSize: [count, badNumber], gamma: [fraction, badNumber] },
    MultiStepLR: { milestones: [fc.uniqueArray(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 3 }).map((m) => list(m.sort((a, b) => a - b).map(num))), fc.oneof(fc.constant(list([num(3), num(1)])), fc.constant(list([num(-1)])), badNumber)], gamma: [fraction, badNumber] },
    ExponentialLR: { gamma: [fraction, badNumber] },
    CosineAnnealingLR: { tMax: [count, badNumber], etaMin: [n(fc.constantFrom(0, 1e-3, 0.01)), badNumber] },
    LinearLR: { startFactor: [n(fc.constantFrom(0.1, 0.5, 1)), badNumber], endFactor: [n(fc.constantFrom(0.1, 0.5, 1)), badNumber], totalIters: [count, badNumber] },
    ConstantLR: { factor: [n(fc.constantFrom(0.1, 0.5, 1)), badNumber], totalIters: [count, badNumber] },
    ReduceLROnPlateau: {
      mode: [fc.constantFrom('min', 'max').map(str), fc.constant(str('minimum'))], factor: [fraction, badNumber], patience: [n(fc.integer({ min: 0, max: 3 })), badNumber],
      threshold: [n(fc.constantFrom(0, 1e-4, 0.1)), badNumber], thresholdMode: [fc.constantFrom('rel', 'abs').map(str), fc.constant(str('relative'))],
      cooldown: [n(fc.integer({ min: 0, max: 2 })), badNumber], minLr: [n(fc.constantFrom(0, 1e-3)), badNumber], eps: [n(fc.constantFrom(1e-8, 0)), badNumber],
    },
  };
})();
const schedulerRun = fc.constantFrom(...Object.keys(SCHEDULERS)).chain((name) => {
  const fields = Object.entries(SCHEDULERS[name]).map(([k, [good, bad]]) => fc.tuple(fc.constant(k), fc.oneof({ weight: 8, arbitrary: good.map((v) => ({ v, odd: false })) }, { weight: 1, arbitrary: bad.map((v) => ({ v, odd: true })) }), fc.nat(4)));
  return fc.tuple(fc.tuple(...fields), fc.nat(12), fc.integer({ min: 0, max: 12 }), fc.array(fc.constantFrom(1, 0.5, 0.5, 0.49, 2, 0.1), { minLength: 12, maxLength: 12 }))
    .map(([chosen, typo, steps, metrics]): Case & { odd: boolean } => {
      const required = ['stepSize', 'milestones', 'gamma', 'tMax'].filter((k) => k in SCHEDULERS[name] && !(name === 'MultiStepLR' && k === 'gamma'));
      const kept = chosen.filter(([k, , drop]) => drop > 0 || required.includes(k));
      const options: Record<string, V> = Object.fromEntries(kept.map(([k, x]) => [k, x.v]));
      if (typo === 0) options.gama = num(0.5);
      return { op: 'lr_scheduler.run', args: [str(name), obj(options), num(steps), list(metrics.map(num))], odd: typo === 0 || kept.some(([, x]) => x.odd) };
    });
});

/** L-BFGS or BFGS options (PyTorch's names, camelCase), mostly valid; an odd value marks the case `odd` only by being refused where PyTorch runs. */
function quasiNewtonOptions(history: boolean): fc.Arbitrary<{ v: V; odd: boolean }> {
  const pick = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<V>) => fc.oneof({ weight: 8, arbitrary: good.map((v) => ({ v: (typeof v === 'string' || v === null ? (v === null ? { k: 'null' } : str(v)) : num(v as number)) as V, odd: false })) }, { weight: 1, arbitrary: bad.map((v) => ({ v, odd: true })) });
  const bad = fc.oneof(fc.constantFrom(-1, 0, 1.5, NaN, Infinity).map(num), wrongArb);
  const fields: Record<string, fc.Arbitrary<{ v: V; odd: boolean }>> = {
    lr: pick(fc.constantFrom(1, 0.5, 0.1), bad), maxIter: pick(fc.integer({ min: 1, max: 8 }), bad), maxEval: pick(fc.integer({ min: 1, max: 12 }), bad),
    toleranceGrad: pick(fc.constantFrom(1e-7, 1e-12, 1e-3), bad), toleranceChange: pick(fc.constantFrom(1e-9, 1e-14), bad),
    lineSearchFn: pick(fc.constantFrom<string | null>('strong_wolfe', null), fc.constant(str('wolfe'))),
    ...(history ? { historySize: pick(fc.integer({ min: 1, max: 10 }), bad) } : {}),
  };
  return fc.tuple(fc.record(fields, { requiredKeys: [] }), fc.nat(15)).map(([o, typo]) => {
    const v: Record<string, V> = Object.fromEntries(Object.entries(o).map(([k, x]) => [k, x.v]));
    if (typo === 0) v.maxIters = num(5);
    return { v: obj(v), odd: typo === 0 || Object.values(o).some((x) => x.odd) };
  });
}
const quasiNewtonCase = (op: string, history: boolean) => fc.tuple(quasiNewtonOptions(history), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
  .chain(([o, n, steps]) => fc.tuple(
    fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
    fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
  ).map(([x0, w]): Case & { odd: boolean } => ({
    op, odd: o.odd,
    args: [o.v, { k: 'tensor', dtype: 'float64', base: [n], data: x0 }, { k: 'tensor', dtype: 'float64', base: [n], data: w }, num(steps)],
  })));
const lbfgs = quasiNewtonCase('optim.lbfgs', true);
const bfgs = quasiNewtonCase('optim.bfgs', false).map((c) => ({ ...c, expect: (c.odd ? 'any' : 'ok') as 'any' | 'ok' }));

/** Compared with PyTorch. */
export const NN_OPTIM_TORCH = { linear, mlp, moduleTo, step, schedulerRun, lbfgs };
/** Checked against what pinn-torch promises (PyTorch's state dicts are not the same format). */
export const NN_OPTIM_SPEC = { loadStateDict, loadOptimizerState, bfgs };

/**
 * Calls pinn-torch refuses on purpose where PyTorch answers: an optimizer option that is NaN
 * (PyTorch's range checks let it through, and the first step writes NaN into every parameter).
 */
export function mayRefuse(c: Case & { odd?: boolean }): boolean {
  if (c.op === 'lr_scheduler.run' || c.op === 'optim.lbfgs') return c.odd === true;
  const o = c.op === 'optim.step' ? c.args[1] : undefined;
  return o?.k === 'obj' && Object.values(o.v).some((v) => v.k === 'num' && v.v === 'NaN');
}

// Generated calls of pinn and geometry: conditions, problems, and sampling. Each case says
// whether pinn-torch must accept it (expect), by the rules stated here once: points are a live,
// finite, floating point [N > 0, inputs] tensor; per-point tensors have a row per point; numbers
// are finite; options objects have known keys only.
import fc from 'fast-check';
import { shapeOf, tensorArb, valuesOf, wrongArb } from './arbitraries.js';
import { type Case, type TensorSpec, type V, decodeNum, list, num, obj, str, undef } from './values.js';

type Expect = Case & { expect: 'ok' | 'error' | 'any' };

/** An argument and whether it is a fine one; a tensor's rows are checked against the points' later. */
interface Arg { v: V; ok: boolean; shape?: number[] }

const finiteValues = (t: TensorSpec) => valuesOf(t).every((x) => typeof x === 'number' || x === '-0');
const floating = (t: TensorSpec) => t.dtype === 'float32' || t.dtype === 'float64';

/** A tensor shaped `shape` mostly; sometimes another shape, dtype, NaN values, disposed or not a tensor. */
function tensorLike(shape: number[], fits: (s: number[]) => boolean): fc.Arbitrary<Arg> {
  const good = tensorArb({ dtypes: ['float32', 'float64'], shape, grad: 0.2 });
  return fc.oneof(
    { weight: 6, arbitrary: good },
    { weight: 1, arbitrary: tensorArb({ shape: fc.constantFrom([shape[0]], [shape[0], 1, 1], [0, shape[1] ?? 1], [shape[0] + 1, shape[1] ?? 1], shape) }) },
    { weight: 1, arbitrary: good.map((t) => ({ ...t, disposed: true })) },
    { weight: 1, arbitrary: wrongArb },
  ).map((v: V) => ({ v, ok: v.k === 'tensor' && !v.disposed && floating(v) && finiteValues(v) && fits(shapeOf(v)), ...(v.k === 'tensor' ? { shape: shapeOf(v) } : {}) }));
}

const finiteNumber: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 5, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }).map(num) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity).map(num) },
  { weight: 1, arbitrary: wrongArb },
).map((v) => ({ v, ok: v.k === 'num' && Number.isFinite(decodeNum(v.v)) }));

/** Condition options: weight, loss, the class's own keys (output…), now and then a bad or unknown one. */
function conditionOptions(own: Record<string, V>): fc.Arbitrary<Arg> {
  return fc.tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constant<Arg | null>(null) }, { weight: 2, arbitrary: fc.double({ min: 0, max: 10, noNaN: true }).map((w) => ({ v: num(w), ok: true })) },
      { weight: 1, arbitrary: fc.constantFrom(-1, NaN, Infinity).map((w) => ({ v: num(w), ok: false })) }, { weight: 1, arbitrary: fc.constant({ v: str('1'), ok: false }) }),
    fc.oneof({ weight: 4, arbitrary: fc.constant<Arg | null>(null) }, { weight: 2, arbitrary: fc.constantFrom('mse', 'msae', 'l1').map((l) => ({ v: str(l), ok: true })) },
      { weight: 1, arbitrary: fc.constant({ v: str('l2'), ok: false }) }),
    fc.nat(12),
  ).map(([weight, loss, roll]): Arg => {
    if (roll === 0) return { v: { k: 'null' }, ok: false };
    if (roll === 1) return { v: num(3), ok: false };
    const o: Record<string, V> = { ...own };
    let ok = true;
    if (weight) { o.weight = weight.v; ok &&= weight.ok; }
    if (loss) { o.loss = loss.v; ok &&= loss.ok; }
    if (roll === 2) { o.wieght = num(2); ok = false; }
    if (roll === 3 && 'output' in own) { delete o.output; ok = false; }
    if (roll === 4 && 'output' in own) { o.output = num(0); ok = false; }
    return { v: obj(o), ok };
  });
}

const nameArb: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('pde', 'left', 'ic').map((n) => ({ v: str(n), ok: true })) },
  { weight: 1, arbitrary: fc.constantFrom<Arg>({ v: str(''), ok: false }, { v: num(1), ok: false }, { v: undef, ok: false }) },
);

const KINDS = ['PDE', 'DirichletBC', 'NeumannBC', 'RobinBC', 'PeriodicBC', 'InitialVelocity', 'PointSetData'] as const;

const condition: fc.Arbitrary<Expect> = fc.tuple(fc.constantFrom(...KINDS), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 })).chain(([kind, n, k]) => {
  const rows = (fits: (s: number[]) => boolean) => tensorLike([n, k], fits);
  const points = rows((s) => s.length === 2 && s[0] > 0);
  // A value may be a finite number or a function too (tensorLike's stand-ins of the wrong type include both).
  const value = fc.oneof(finiteNumber, fc.constant<Arg>({ v: str('fn'), ok: true }), tensorLike([n, 1], (s) => s[0] === n && (s.length === 1 || s.length === 2))
    .map((a) => (a.v.k === 'num' ? { ...a, ok: Number.isFinite(decodeNum(a.v.v)) } : a.v.k === 'fn' ? { ...a, ok: true } : a)));
  const normals = tensorLike([n, k], (s) => s.length === 2 && s[0] === n && s[1] >= 1);
  const own: Record<string, V> = kind === 'PDE' ? {} : kind === 'PointSetData' ? { outputs: list([str('u')]) } : { output: str('u') };
  const [a, b]: [fc.Arbitrary<Arg>, fc.Arbitrary<Arg>] = kind === 'DirichletBC' || kind === 'InitialVelocity' ? [value, fc.constant({ v: undef, ok: true })]
    : kind === 'NeumannBC' ? [normals, value]
      : kind === 'RobinBC' ? [normals, finiteNumber]
        : kind === 'PeriodicBC' ? [tensorLike([n, k], (s) => s.length === 2 && s[0] === n && s[1] === k), fc.constant({ v: undef, ok: true })]
          : kind === 'PointSetData' ? [tensorLike([n, 1], (s) => s.length === 2 && s[0] === n && s[1] === 1), fc.constant({ v: undef, ok: true })]
            : [fc.constant({ v: undef, ok: true }), fc.constant({ v: undef, ok: true })];
  return fc.tuple(nameArb, points, a, b, conditionOptions(own)).map(([name, p, x, y, o]): Expect => {
    // Per-point tensors have the points' rows (generated with n; the points may have others), and
    // PeriodicBC's partner the points' whole shape.
    const rowsOk = (a: Arg) => a.shape === undefined || p.shape === undefined || a.shape[0] === p.shape[0];
    const partnerOk = kind !== 'PeriodicBC' || (x.shape !== undefined && p.shape !== undefined && x.shape.join() === p.shape.join());
    const ok = name.ok && p.ok && x.ok && y.ok && o.ok && rowsOk(x) && rowsOk(y) && partnerOk;
    return { op: 'pinn.condition', args: [str(kind), name.v, p.v, x.v, y.v, o.v], expect: ok ? 'ok' : 'error' };
  });
});

const problem: fc.Arbitrary<Expect> = fc.tuple(
  fc.constantFrom<[V, boolean]>([list([str('x'), str('t')]), true], [list([str('x')]), false], [list([str('x'), str('x')]), false], [list([]), false], [str('x'), false]),
  fc.constantFrom<[V, boolean]>([list([str('u')]), true], [list([str('u'), str('')]), false], [{ k: 'null' }, false]),
  fc.constantFrom<[V, boolean]>([undef, true], [obj({ nu: num(0.1) }), true], [obj({ nu: num(NaN) }), false], [obj({ nu: str('0.1') }), false], [num(1), false]),
  fc.constantFrom<[V, boolean]>([undef, true], [obj({ rho: num(1) }), true], [obj({ nu: num(1) }), false]),
  fc.constantFrom<[string, boolean]>(['none', true], ['auto', true], ['autograd', true], ['reverse', false]),
  fc.nat(6), tensorArb({ dtypes: ['float32'], shape: [3, 2], views: false }), tensorArb({ dtypes: ['float32'], shape: fc.constantFrom([3, 1], [3, 2], [2, 1]), views: false }),
).map(([[inputs, inOk], [outputs, outOk], [coefficients, cOk], [constants, kOk], [derivatives, dOk], roll, refPoints, refValues]): Expect => {
  const o: Record<string, V> = { inputs, outputs };
  if (coefficients.k !== 'undef') o.coefficients = coefficients;
  if (constants.k !== 'undef') o.constants = constants;
  if (derivatives !== 'none') o.derivatives = str(derivatives);
  let ok = inOk && outOk && cOk && dOk && (kOk || coefficients.k === 'undef' || !(coefficients.k === 'obj' && 'nu' in coefficients.v));
  if (roll === 0) { o.conditons = list([]); ok = false; }
  if (roll === 1) {
    o.reference = obj({ points: refPoints, values: refValues });
    ok &&= finiteValues(refPoints) && finiteValues(refValues) && shapeOf(refValues).join() === '3,1';
  }
  const conditions = list([list([str('pde'), { k: 'tensor', dtype: 'float32', base: [2, 2], data: [0, 1, 2, 3] }])]);
  return { op: 'pinn.Problem', args: [obj(o), conditions], expect: ok ? 'ok' : 'error' };
});

const SAMPLERS = ['uniform', 'lhs', 'sobol', 'halton'];
const countArb: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 40 }).map((n) => ({ v: num(n), ok: true })) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 2.5, NaN, Infinity, 2 ** 45, 1e9).map((n) => ({ v: num(n), ok: false })) },
  { weight: 1, arbitrary: wrongArb.map((v) => ({ v, ok: false })) },
);
const shapeArgs: fc.Arbitrary<[string, V[], boolean]> = fc.oneof(
  fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 1e-3, max: 5, noNaN: true })).map(([a, w]): [string, V[], boolean] => ['Interval', [num(a), num(a + w)], true]),
  fc.constantFrom<[string, V[], boolean]>(['Interval', [num(1), num(0)], false], ['Interval', [num(0), num(NaN)], false], ['Interval', [num(0), num(1e308)], true], ['Interval', [str('0'), num(1)], false]),
  fc.tuple(fc.double({ min: 0.1, max: 3, noNaN: true }), fc.double({ min: 0.1, max: 3, noNaN: true })).map(([w, h]): [string, V[], boolean] => ['Rectangle', [list([num(0), num(0)]), list([num(w), num(h)])], true]),
  fc.constantFrom<[string, V[], boolean]>(['Rectangle', [list([num(0), num(0)]), list([num(1)])], false], ['Rectangle', [list([num(0), num(0)]), list([num(1), num(0)])], false], ['Rectangle', [{ k: 'null' }, list([num(1), num(1)])], false]),
  fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: 1e-3, max: 3, noNaN: true })).map(([c, r]): [string, V[], boolean] => ['Disk', [list([num(c), num(-c)]), num(r)], true]),
  fc.constantFrom<[string, V[], boolean]>(['Disk', [list([num(0), num(0)]), num(0)], false], ['Disk', [list([num(0), num(0)]), num(-1)], false], ['Disk', [list([num(0)]), num(1)], false], ['Disk', [list([num(0), num(0)]), num(Infinity)], false]),
  fc.constantFrom<[string, V[], boolean]>(['Box', [list([num(0), num(0), num(0)]), list([num(1), num(2), num(3)])], true], ['Box', [list([]), list([])], false]),
);
const sample: fc.Arbitrary<Expect> = fc.tuple(shapeArgs, fc.constantFrom('interior', 'boundary', 'uniformPoints'), countArb,
  fc.oneof(
    { weight: 4, arbitrary: fc.constant<Arg>({ v: undef, ok: true }) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...SAMPLERS), fc.nat(1000)).map(([s, seed]) => ({ v: obj({ sampler: str(s), seed: num(seed) }), ok: true })) },
    { weight: 1, arbitrary: fc.constantFrom<Arg>({ v: obj({ sampler: str('random') }), ok: false }, { v: obj({ seed: num(1.5) }), ok: false }, { v: obj({ sed: num(1) }), ok: false }, { v: num(1), ok: false }, { v: { k: 'null' }, ok: false }) },
  ),
).map(([[shape, args, shapeOk], method, n, o]): Expect => {
  // uniformPoints takes no options (it is deterministic), and gives at least n points.
  const options = method === 'uniformPoints' ? { v: undef, ok: true } : o;
  const ok = shapeOk && n.ok && options.ok;
  return { op: 'geometry.sample', args: [str(shape), list(args), str(method), n.v, options.v], expect: ok ? 'ok' : 'error' };
});

/** A CSG tree of disks and rectangles, two levels deep at most; some have an empty interior or boundary. */
const leaf: fc.Arbitrary<V> = fc.oneof(
  fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: 0.2, max: 1.5, noNaN: true }))
    .map(([x, y, r]) => list([str('Disk'), list([num(x), num(y)]), num(r)])),
  fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: 0.2, max: 2, noNaN: true }), fc.double({ min: 0.2, max: 2, noNaN: true }))
    .map(([x, y, w, h]) => list([str('Rectangle'), list([num(x), num(y)]), list([num(x + w), num(y + h)])])),
);
const csgOp = fc.constantFrom('Union', 'Intersection', 'Difference');
const tree: fc.Arbitrary<V> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(csgOp, leaf, leaf).map(([op, a, b]) => list([str(op), a, b])) },
  { weight: 2, arbitrary: fc.tuple(csgOp, csgOp, leaf, leaf, leaf).map(([o1, o2, a, b, c]) => list([str(o1), list([str(o2), a, b]), c])) },
);
/** Either accepted with correct points or refused clearly (an empty intersection has no interior to sample). */
const csg: fc.Arbitrary<Expect> = fc.tuple(tree, fc.constantFrom('interior', 'boundary'), fc.integer({ min: 1, max: 30 }), fc.nat(1000))
  .map(([t, method, n, seed]) => ({ op: 'geometry.csg', args: [t, str(method), num(n), num(seed)], expect: 'any' as const }));

export const PINN_CASES = { condition, problem, sample, csg };

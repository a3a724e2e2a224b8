// The pinn-torch side of the fuzz cases that build objects: nn modules, optimizers and their
// state dicts, pinn conditions and problems, geometry sampling. Each frees what it built, so the
// runner's leak check sees only what the library itself left behind; each throws the library's
// own error when the call is refused, or a FuzzViolation when an invariant broke.
import * as pt from '../../src/index.js';
import { Tensor, geometry, nn, optim, pinn } from '../../src/index.js';
import { type OpImpl } from './ops.js';

/** An invariant the call broke (state changed by a refused call, a wrong sample, …). */
export class Violation extends Error { override name = 'FuzzViolation'; }

const flat = (t: Tensor) => Array.from(t.data() as ArrayLike<number | bigint>, Number);
const snapshot = (m: nn.Module) => JSON.stringify([...m.namedParameters()].map(([n, p]) => [n, p.dtype, p.requiresGrad, flat(p)]));

/** Runs fn on a module, disposing it whatever happens. */
function using<M extends { dispose(): void }, T>(m: M, fn: (m: M) => T): T {
  try { return fn(m); } finally { m.dispose(); }
}

const OPTIMIZERS: Record<string, new (params: Tensor[], o: any) => optim.Optimizer<any>> = {
  SGD: optim.SGD, Adam: optim.Adam, AdamW: optim.AdamW, RMSprop: optim.RMSprop,
};

/** Quasi-Newton steps on f(x) = Σ w (x − 1)² + ¼ Σ x⁴ from x0: the iterate after each step, and f before and after each. */
function quasiNewton(Opt: new (p: Tensor[], o: any) => optim.Optimizer<any>, options: unknown, x0: Tensor, w: Tensor, steps: number) {
  const x = pt.keep(pt.tidy(() => (x0 instanceof Tensor && !x0.isDisposed ? x0.detach().clone() : pt.zeros([1])).requiresGrad_()));
  const f = () => pt.tidy(() => w.mul(x.sub(1).square()).sum().add(x.pow(4).sum().mul(0.25)));
  let opt: optim.Optimizer<any>;
  try {
    opt = new Opt(x0 instanceof Tensor ? [x] : (x0 as any), options);
  } catch (e) {
    x.dispose();
    throw e;
  }
  const iterates: Tensor[] = [], values: number[] = [];
  try {
    values.push(pt.tidy(() => pt.noGrad(() => f().item() as number)));
    for (let k = 0; k < steps; k++) {
      opt.step(() => { opt.zeroGrad(); const v = f(); v.backward(); return v; });
      iterates.push(pt.tidy(() => x.detach().clone()));
      values.push(pt.tidy(() => pt.noGrad(() => f().item() as number)));
    }
    return { iterates, values, wolfe: opt.paramGroups[0].lineSearchFn === 'strong_wolfe' };
  } finally {
    opt.dispose();
    x.grad = null;
    x.dispose();
  }
}

/**
 * Leaf copies of the parameters, optimised `steps` times with the same gradients each step.
 * Parameters that are no list of live tensors go to the optimizer as they are, for its message.
 */
function optimise(name: string, options: unknown, params: Tensor[], grads: Tensor[], steps: number): { params: Tensor[]; opt: optim.Optimizer<any> } {
  if (!Array.isArray(params) || !params.every((p) => p instanceof Tensor && !p.isDisposed)) return { params: [], opt: new OPTIMIZERS[name](params, options) };
  const ps = params.map((p) => pt.keep(pt.tidy(() => p.detach().clone().requiresGrad_())));
  let opt: optim.Optimizer<any>;
  try {
    opt = new OPTIMIZERS[name](ps, options);
  } catch (e) {
    pt.dispose(ps);
    throw e;
  }
  for (let k = 0; k < steps; k++) {
    ps.forEach((p, i) => {
      const g = grads[i]?.clone() ?? null;
      p.grad = g; // the parameter holds its own reference: this wrapper can go
      g?.dispose();
    });
    opt.step();
  }
  return { params: ps, opt };
}

function freeOptimised({ params, opt }: { params: Tensor[]; opt: optim.Optimizer<any> }): void {
  opt.dispose();
  for (const p of params) { p.grad = null; p.dispose(); }
}

export const NN_OPTIM: Record<string, OpImpl> = {
  'nn.Linear': {
    name: 'Linear', names: () => ['Linear', 'linear'], params: ['seed', 'inFeatures', 'outFeatures', 'options', 'x'],
    aliases: { options: ['bias', 'dtype', 'device'], x: ['input', 'weight'] },
    run: (seed: number, i: number, o: number, options: unknown, x: Tensor) => {
      pt.manualSeed(seed);
      return using(new nn.Linear(i, o, options as nn.LinearOptions), (l) => {
        const y = pt.tidy(() => l.forward(x).detach());
        return { weight: l.weight.clone(), bias: l.bias?.clone() ?? null, y };
      });
    },
  },
  'nn.MLP': {
    name: 'MLP', names: () => ['MLP', 'linear'], params: ['seed', 'sizes', 'options', 'x'], aliases: { options: ['init', 'activation', 'dtype', 'seed', 'option'], x: ['input', 'weight'] },
    run: (seed: number, sizes: number[], options: any, x: Tensor) => {
      pt.manualSeed(seed);
      return using(new nn.MLP(sizes, options), (m) => {
        const y = pt.tidy(() => m.forward(x).detach());
        return { params: [...m.namedParameters()].map(([n, p]) => [n, p.clone()]), y };
      });
    },
  },
  'lr_scheduler.run': {
    params: ['scheduler', 'options', 'steps', 'metrics'],
    aliases: { options: ['stepSize', 'gamma', 'milestones', 'tMax', 'etaMin', 'startFactor', 'endFactor', 'totalIters', 'factor', 'mode', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps', 'option'], metrics: ['metric'] },
    names: (args) => (args[0]?.k === 'str' ? [args[0].v] : []),
    run: (name: string, options: unknown, steps: number, metrics: number[]) => {
      // The learning rate of SGD(lr = 0.1) under the scheduler: at the start and after each step.
      const p = pt.keep(pt.zeros([1]).requiresGrad_());
      const opt = new optim.SGD([p], { lr: 0.1 });
      try {
        const s = new (optim.lrScheduler as any)[name](opt, options);
        const lrs = [opt.paramGroups[0].lr];
        for (let k = 0; k < steps; k++) {
          opt.step();
          if (s.needsMetric) s.step(metrics[k]); else s.step();
          lrs.push(opt.paramGroups[0].lr);
        }
        return pt.tensor(lrs, { dtype: 'float64' });
      } finally {
        opt.dispose();
        p.dispose();
      }
    },
  },
  'optim.lbfgs': {
    name: 'LBFGS', params: ['options', 'x0', 'w', 'steps'],
    aliases: { options: ['lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize', 'lineSearchFn', 'option'] },
    run: (options: unknown, x0: Tensor, w: Tensor, steps: number) => quasiNewton(optim.LBFGS, options, x0, w, steps).iterates,
  },
  'optim.bfgs': {
    name: 'BFGS', params: ['options', 'x0', 'w', 'steps'],
    aliases: { options: ['lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'lineSearchFn', 'option'] },
    run: (options: unknown, x0: Tensor, w: Tensor, steps: number) => {
      // No PyTorch counterpart: a step never raises f under the strong-Wolfe search (it may under a fixed step).
      const { iterates, values, wolfe } = quasiNewton(optim.BFGS, options, x0, w, steps);
      pt.dispose(iterates);
      const rose = values.findIndex((f, i) => i > 0 && f > values[i - 1] * (1 + 1e-12) + 1e-300);
      return wolfe && rose > 0 ? { violation: `f rose from ${values[rose - 1]} to ${values[rose]} at step ${rose}` } : { steps: values.length - 1 };
    },
  },
  'Module.to': {
    name: 'Module.to', params: ['target'], aliases: { target: ['dtype', 'device'] },
    run: (target: unknown) => using(new nn.MLP([2, 3, 1], { seed: 0 }), (m) => {
      const before = snapshot(m);
      try {
        m.to(target as any);
      } catch (e) {
        if (snapshot(m) !== before) throw new Violation(`Module.to(${String(target)}) threw and changed the parameters: ${(e as Error).message}`);
        throw e;
      }
      return [...m.namedParameters()].map(([n, p]) => [n, p.dtype, p.requiresGrad]);
    }),
  },
  'Module.loadStateDict': {
    name: 'loadStateDict', params: ['state', 'options'], aliases: { state: ['key', 'shape', 'Tensor', 'expected'], options: ['strict'] },
    run: (state: unknown, options: unknown) => using(new nn.MLP([2, 3, 1], { seed: 0 }), (m) => {
      const before = snapshot(m);
      try {
        const r = m.loadStateDict(state as nn.StateDict, options as any);
        return { ...r, after: snapshot(m) === before ? 'unchanged' : 'changed' };
      } catch (e) {
        if (snapshot(m) !== before) throw new Violation(`loadStateDict threw and changed the parameters: ${(e as Error).message}`);
        throw e;
      }
    }),
  },
  'optim.step': {
    params: ['optimizer', 'options', 'params', 'grads', 'steps'],
    aliases: { options: ['lr', 'betas', 'eps', 'weightDecay', 'momentum', 'dampening', 'nesterov', 'amsgrad', 'maximize', 'alpha', 'centered', 'option'] },
    names: (args) => (args[0]?.k === 'str' ? [args[0].v] : []),
    run: (name: string, options: unknown, params: Tensor[], grads: Tensor[], steps: number) => {
      const r = optimise(name, options, params, grads, steps);
      const out = r.params.map((p) => p.detach());
      freeOptimised(r);
      return out;
    },
  },
  'optim.loadStateDict': {
    params: ['state', 'paramGroups'], aliases: { state: ['step', 'expAvg', 'expAvgSq', 'momentumBuffer', 'squareAvg', 'tensor', 'key', 'value'], paramGroups: ['lr', 'params', 'group', 'key', 'betas'] },
    names: (args) => (args[0]?.k === 'str' ? [`${args[0].v}.loadStateDict`] : []),
    run: (name: string, options: unknown, path: (string | number)[], value: unknown, grad: Tensor) => {
      const p0 = pt.tensor([0.5, -1], { dtype: grad.dtype });
      let a: ReturnType<typeof optimise>;
      try { a = optimise(name, options, [p0], [grad], 1); } finally { p0.dispose(); }
      // As a checkpoint stores it: JSON, with NaN and ±Infinity written as strings (JSON has none).
      const sd = JSON.parse(JSON.stringify(a.opt.stateDict(), (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
      const b = optimise(name, options, [a.params[0]], [grad], 0);
      try {
        const before = JSON.stringify(b.opt.stateDict());
        try {
          b.opt.loadStateDict(corrupt(sd, path, value));
        } catch (e) {
          if (JSON.stringify(b.opt.stateDict()) !== before) throw new Violation(`loadStateDict threw and changed the optimizer: ${(e as Error).message}`);
          throw e;
        }
        // Loaded: one more step from both must agree (a resumed run continues exactly).
        for (const r of [a, b]) { const g = grad.clone(); r.params[0].grad = g; g.dispose(); r.opt.step(); }
        const [x, y] = [flat(a.params[0]), flat(b.params[0])];
        if (x.some((v, i) => !Object.is(v, y[i]))) throw new Violation(`after a state dict round trip the next step differs: ${x} vs ${y}`);
        return 'ok';
      } finally {
        freeOptimised(a);
        freeOptimised(b);
      }
    },
  },
};

/** sd with the value at `path` replaced (DELETE: removed); the whole of it for an empty path. */
export const DELETE = '__delete__';
function corrupt(sd: any, path: (string | number)[], value: unknown): any {
  if (path.length === 0) return value === DELETE ? undefined : value;
  let at = sd;
  for (const k of path.slice(0, -1)) { if (at === null || typeof at !== 'object') return sd; at = at[k]; }
  if (at === null || typeof at !== 'object') return sd;
  const last = path[path.length - 1];
  if (value === DELETE) delete at[last];
  else at[last] = value;
  return sd;
}

/** A tensor handed to an object that takes ownership of it: a copy of the caller's (a disposed one as is). */
const owned = (t: unknown) => (t instanceof Tensor && !t.isDisposed ? t.clone() : t);
/** A value argument: 'fn' stands for a function of the points. */
const valueOf = (v: unknown) => (v === 'fn' ? (x: Tensor) => x.narrow(1, 0, 1).mul(2) : v);

const CONDITIONS: Record<string, (name: any, points: any, a: any, b: any, o: any) => pinn.Condition> = {
  PDE: (n, p, _a, _b, o) => new pinn.PDE(n, p, (d) => d.value('u'), o),
  DirichletBC: (n, p, value, _b, o) => new pinn.DirichletBC(n, p, valueOf(value) as pinn.Value, o),
  NeumannBC: (n, p, normals, value, o) => new pinn.NeumannBC(n, p, normals, valueOf(value) as pinn.Value, o),
  RobinBC: (n, p, normals, a, o) => new pinn.RobinBC(n, p, normals, a, 0, o),
  PeriodicBC: (n, p, partner, _b, o) => new pinn.PeriodicBC(n, p, partner, o),
  InitialVelocity: (n, p, value, _b, o) => new pinn.InitialVelocity(n, p, valueOf(value) as pinn.Value, o),
  PointSetData: (n, p, values, _b, o) => new pinn.PointSetData(n, p, values, o),
};

export const PINN: Record<string, OpImpl> = {
  'pinn.condition': {
    names: (args) => (args[0]?.k === 'str' ? [args[0].v] : []),
    params: ['kind', 'name', 'points', 'a', 'b', 'options'],
    aliases: { a: ['value', 'normals', 'partner', 'values', 'points', 'a must'], b: ['value'], options: ['weight', 'loss', 'output', 'spatial', 'outputs', 'attention', 'option'] },
    run: (kind: string, name: unknown, points: unknown, a: unknown, b: unknown, options: unknown) => {
      // The caller's copies: a condition takes its points (unless they require grad) and copies the rest.
      const mine = [owned(points), owned(a)];
      try {
        const c = CONDITIONS[kind](name, mine[0], mine[1], b, options);
        const out = { name: c.name, weight: c.weight, points: [...c.points.shape] };
        c.dispose();
        return out;
      } finally {
        pt.dispose(mine); // again, harmlessly, where the condition had taken them
      }
    },
  },
  'pinn.Problem': {
    name: 'Problem', params: ['options'],
    aliases: { options: ['inputs', 'outputs', 'condition', 'coefficient', 'constant', 'reference', 'derivatives', 'dtype', 'option'] },
    run: (o: Record<string, unknown>, conditions: [string, Tensor][]) => {
      const made = conditions.map(([n, p]) => new pinn.PDE(n, owned(p) as Tensor, (d) => d.value('u')));
      const ref = o?.reference as { points?: unknown; values?: unknown } | undefined;
      const reference = ref && typeof ref === 'object' ? { points: owned(ref.points), values: owned(ref.values) } : ref;
      try {
        // A problem copies its reference data; the conditions are the caller's to dispose if it refuses them.
        const problem = new pinn.Problem({ ...o, conditions: made, ...(o && 'reference' in o ? { reference } : {}) } as unknown as pinn.ProblemOptions);
        const out = { inputs: problem.inputs, coefficients: problem.coefficientValues() };
        problem.dispose();
        return out;
      } finally {
        for (const c of made) c.dispose();
        if (reference && typeof reference === 'object') pt.dispose([reference.points, reference.values]);
      }
    },
  },
  'geometry.csg': {
    // Points sampled from a CSG of disks and rectangles: interior points are members by the
    // leaves' own distances, boundary points lie on the boundary, with unit normals.
    name: 'CSG', names: (args) => ['Union', 'Intersection', 'Difference', 'CSG', 'Disk', 'Rectangle', ...(args[0]?.k === 'list' && args[0].v[0]?.k === 'str' ? [args[0].v[0].v] : [])],
    params: ['tree', 'method', 'n', 'seed'], aliases: { tree: ['operand', 'shape', 'dimension', 'empty', 'inside', 'radius', 'corner'] },
    run: (tree: Tree, method: 'interior' | 'boundary', n: number, seed: number) => {
      const g = buildTree(tree);
      const [lo, hi] = g.bbox;
      const tol = 1e-7 * Math.max(1, ...hi.map((h, j) => h - lo[j]));
      const r = method === 'boundary' ? g.boundary(n, { seed }) : { points: g.interior(n, { seed }), normals: null };
      checkSample(g, n, r.points, r.normals);
      for (let i = 0; i < n; i++) {
        const p = Array.from(r.points.subarray(i * 2, i * 2 + 2));
        const m = member(tree, g, p, tol);
        if (method === 'interior' ? m === 'out' : m !== 'edge') throw new Violation(`${method} point ${i} (${p}) is ${m === 'out' ? 'outside' : m === 'in' ? 'strictly inside' : 'on the boundary'} of ${JSON.stringify(tree)}`);
      }
      return { count: n };
    },
  },
  'geometry.sample': {
    names: (args) => (args[0]?.k === 'str' ? [args[0].v] : []),
    params: ['shape', 'args', 'method', 'n', 'options'],
    aliases: { args: ['lo', 'hi', 'corner', 'radius', 'center', 'point', 'coordinate', 'a', 'b'], options: ['sampler', 'seed', 'rng', 'where', 'option'] },
    run: (shape: string, args: unknown[], method: string, n: number, options: unknown) => {
      const g = new (geometry as any)[shape](...args) as geometry.Geometry;
      const r = (g as any)[method](n, options);
      return method === 'boundary' ? checkSample(g, n, r.points, r.normals) : checkSample(g, n, r, null);
    },
  },
};

/** A CSG tree as generated: ['Disk', [cx, cy], r], ['Rectangle', lo, hi] or [op, child, child]. */
type Tree = [string, ...unknown[]];
function buildTree(t: Tree): geometry.Geometry {
  const [kind, ...rest] = t;
  if (kind === 'Disk' || kind === 'Rectangle') return new (geometry as any)[kind](...rest);
  return new (geometry as any)[kind](...(rest as Tree[]).map(buildTree));
}
/** Membership by the leaves' own predicates, the CSG's definition (independent of CSG.insidePoint). */
function member(t: Tree, g: geometry.Geometry, p: number[], tol: number): 'in' | 'out' | 'edge' {
  const [kind] = t;
  if (kind === 'Disk' || kind === 'Rectangle') {
    const d = pt.tidy(() => g.signedDistance(pt.tensor([p], { dtype: 'float64' })).item() as number);
    return d > tol ? 'in' : d < -tol ? 'out' : 'edge';
  }
  const ops = (t.slice(1) as Tree[]).map((c, i) => member(c, (g as any).operands[i], p, tol));
  const inOrEdge = (m: string) => m !== 'out';
  if (kind === 'Union') return ops.includes('in') ? 'in' : ops.some(inOrEdge) ? 'edge' : 'out';
  if (kind === 'Intersection') return ops.every((m) => m === 'in') ? 'in' : ops.every(inOrEdge) ? 'edge' : 'out';
  // Difference: the closure of a ∖ b
  if (ops[0] === 'out' || ops.slice(1).includes('in')) return 'out';
  return ops[0] === 'in' && ops.slice(1).every((m) => m === 'out') ? 'in' : 'edge';
}

/** Broken invariants of sampled points: count, inside the bounding box, unit normals. */
function checkSample(g: geometry.Geometry, n: number, points: Float64Array, normals: Float64Array | null): unknown {
  const d = g.dim, [lo, hi] = g.bbox;
  if (!(points instanceof Float64Array)) throw new Violation('points are not a Float64Array');
  if (normals === null ? points.length < n * d : points.length !== n * d) throw new Violation(`${points.length / d} points for n = ${n}`);
  for (let i = 0; i < points.length; i++) {
    const j = i % d, tol = 1e-9 * (hi[j] - lo[j] + 1);
    if (!(points[i] >= lo[j] - tol && points[i] <= hi[j] + tol)) throw new Violation(`coordinate ${j} of point ${Math.floor(i / d)} is ${points[i]}, outside [${lo[j]}, ${hi[j]}]`);
  }
  if (normals) {
    for (let i = 0; i < n; i++) {
      const len = Math.hypot(...normals.subarray(i * d, i * d + d));
      if (!(Math.abs(len - 1) < 1e-6)) throw new Violation(`normal ${i} has length ${len}`);
    }
  }
  return { count: points.length / d };
}

export const SCENARIOS: Record<string, OpImpl> = { ...NN_OPTIM, ...PINN };

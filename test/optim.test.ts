// Optimizers against torch.optim trajectories (fixtures from test/fixtures/gen_optim.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DType, Tensor, manualSeed, memory, noGrad, optim, randn, tensor, tidy, zerosLike } from '../src/index.js';
import { CurvatureHistory } from '../src/optim/lbfgs_history.js';

const fx = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'optim.json'), 'utf8'));

function expectClose(actual: ArrayLike<number>, expected: number[], rel: number, what: string) {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = rel * Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new Error(`${what}[${i}]: got ${actual[i]}, PyTorch ${expected[i]} (tolerance ${tol})`);
    }
  }
}

/** A small seeded generator (mulberry32), for test data that is the same on every run. */
function mulberry(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPTIMIZERS: Record<string, any> = { SGD: optim.SGD, Adam: optim.Adam, AdamW: optim.AdamW, RMSprop: optim.RMSprop };

function setup(c: any) {
  const params = c.init.map((v: number[], i: number) => tensor(v, { dtype: c.dtype, shape: c.shapes[i] }).requiresGrad_());
  const opt = new OPTIMIZERS[c.optimizer](params, c.options);
  const feed = (k: number) => params.forEach((p: Tensor, i: number) => {
    p.grad = k === c.noGradAt.step && i === c.noGradAt.param ? null : tensor(c.grads[k][i], { dtype: c.dtype, shape: c.shapes[i] });
  });
  return { params, opt, feed };
}

describe('first-order optimizers reproduce torch.optim', () => {
  for (const c of fx.cases) {
    const rel = c.dtype === 'float64' ? 1e-10 : 1e-5;
    it(`${c.optimizer} ${JSON.stringify(c.options)} ${c.dtype}`, () => {
      const { params, opt, feed } = setup(c);
      for (let k = 0; k < c.grads.length; k++) {
        tidy(() => feed(k));
        opt.step();
        params.forEach((p: Tensor, i: number) => expectClose(p.data() as Float64Array, c.trajectory[k][i], rel, `step ${k + 1} param ${i}`));
      }
      const sd = opt.stateDict();
      for (const [id, st] of Object.entries<any>(c.state)) {
        for (const [k, v] of Object.entries<any>(st)) {
          const mine = sd.state[id][k] as any;
          if (typeof v === 'number') expect(mine, `state ${id}.${k}`).toBe(v);
          else expectClose(mine.data, v, rel, `state ${id}.${k}`);
        }
      }
      opt.dispose();
    });
  }
});

describe('Adam\'s fused step', () => {
  /** Adam as its header states it, one tensor op at a time: what the fused native step must equal bit for bit. */
  function opByOp(p: Tensor, grad: Tensor, st: { step: number; m: Tensor; v: Tensor; vmax?: Tensor }, g: any, decoupled: boolean) {
    const [beta1, beta2] = g.betas;
    let d = g.maximize ? grad.neg() : grad;
    const step = ++st.step;
    if (g.weightDecay !== 0) {
      if (decoupled) p.mul_(1 - g.lr * g.weightDecay);
      else d = d.clone().add_(p, g.weightDecay);
    }
    st.m.mul_(beta1).add_(d, 1 - beta1);
    st.v.mul_(beta2).addcmul_(d, d, 1 - beta2);
    const second = g.amsgrad ? st.vmax!.maximum_(st.v) : st.v;
    p.addcdiv_(st.m, second.sqrt().div(Math.sqrt(1 - beta2 ** step)).add_(g.eps), -(g.lr / (1 - beta1 ** step)));
  }

  const variants: [string, any][] = [
    ['Adam', {}], ['Adam', { amsgrad: true, maximize: true }], ['Adam', { weightDecay: 0.1, lr: 0.05, betas: [0.8, 0.99] }],
    ['AdamW', {}], ['AdamW', { amsgrad: true, weightDecay: 0.3, eps: 1e-3 }], ['Adam', { betas: [0, 0] }],
  ];
  for (const dtype of ['float32', 'float64'] as DType[]) {
    for (const [name, options] of variants) {
      it(`${name} ${JSON.stringify(options)} ${dtype}: every parameter and moment equal to the op-by-op update, one parameter skipping steps`, () => {
        manualSeed(7);
        const shapes = [[5, 3], [5], [1, 5], [4, 3]];
        const init = shapes.map((s) => randn(s, { dtype }));
        const fused = init.map((t) => t.clone().requiresGrad_());
        const mine = init.map((t) => t.clone());
        const opt = new OPTIMIZERS[name](fused, options);
        const g = opt.paramGroups[0];
        const states = mine.map((t) => ({ step: 0, m: zerosLike(t), v: zerosLike(t), vmax: g.amsgrad ? zerosLike(t) : undefined }));
        for (let k = 0; k < 12; k++) {
          tidy(() => {
            const grads = shapes.map((s) => randn(s, { dtype }).mul(k % 3 === 0 ? 1e-4 : 3));
            // Parameter 2 has no gradient on every third step: it is skipped, and its step count falls behind the others'.
            fused.forEach((p, i) => { p.grad = i === 2 && k % 3 === 1 ? null : grads[i]; });
            opt.step();
            noGrad(() => mine.forEach((p, i) => { if (!(i === 2 && k % 3 === 1)) opByOp(p, grads[i], states[i], g, name === 'AdamW'); }));
          });
        }
        fused.forEach((p, i) => {
          expect(Array.from(p.data() as Float64Array), `param ${i}`).toEqual(Array.from(mine[i].data() as Float64Array));
          const st = opt.state.get(p)!;
          expect(st.step, `step ${i}`).toBe(states[i].step);
          expect(Array.from((st.expAvg as Tensor).data() as Float64Array)).toEqual(Array.from(states[i].m.data() as Float64Array));
          expect(Array.from((st.expAvgSq as Tensor).data() as Float64Array)).toEqual(Array.from(states[i].v.data() as Float64Array));
          if (g.amsgrad) expect(Array.from((st.maxExpAvgSq as Tensor).data() as Float64Array)).toEqual(Array.from(states[i].vmax!.data() as Float64Array));
        });
        expect(opt.state.get(fused[2])!.step).toBe(8);
        opt.dispose();
      });
    }
  }

  it('names a moment on another device than its parameter, and changes nothing', () => {
    const p = randn([3]).requiresGrad_();
    const opt = new optim.Adam([p]);
    p.grad = randn([3]);
    opt.step();
    const st = opt.state.get(p)!;
    const before = Array.from(p.data() as Float32Array);
    // A moment that claims another device (no second device here: the wrapper's device is what the check reads).
    Object.defineProperty(st.expAvg, 'device', { value: 'cuda:0' });
    p.grad = randn([3]);
    expect(() => opt.step()).toThrow(/fusedAdamStep: expAvg\[0\] is on cuda:0, its parameter on cpu/);
    expect(Array.from(p.data() as Float32Array)).toEqual(before);
    expect(st.step).toBe(1);
  });
});

describe('resuming from stateDict continues bit for bit', () => {
  for (const c of fx.cases.filter((c: any) => c.dtype === 'float32')) {
    it(`${c.optimizer} ${JSON.stringify(c.options)} (same process and through JSON)`, () => {
      const straight = setup(c);
      for (let k = 0; k < c.grads.length; k++) { tidy(() => straight.feed(k)); straight.opt.step(); }

      const first = setup(c);
      for (let k = 0; k < 6; k++) { tidy(() => first.feed(k)); first.opt.step(); }
      const saved = JSON.parse(JSON.stringify({ opt: first.opt.stateDict(), params: first.params.map((p: Tensor) => Array.from(p.data() as Float32Array)) }));
      const second = setup({ ...c, init: saved.params });
      second.opt.loadStateDict(saved.opt);
      for (let k = 6; k < c.grads.length; k++) { tidy(() => second.feed(k)); second.opt.step(); }
      second.params.forEach((p: Tensor, i: number) => expect(Array.from(p.data() as Float32Array)).toEqual(Array.from(straight.params[i].data() as Float32Array)));
    });
  }
});

describe('liveStateDict', () => {
  it('holds the optimizer\'s own state tensors (no copies made), of which stateDict is the JSON form; loading it continues bit for bit', () => {
    const c = fx.cases.find((c: any) => c.optimizer === 'Adam' && c.dtype === 'float32');
    const straight = setup(c);
    for (let k = 0; k < c.grads.length; k++) { tidy(() => straight.feed(k)); straight.opt.step(); }
    const first = setup(c);
    for (let k = 0; k < 6; k++) { tidy(() => first.feed(k)); first.opt.step(); }
    const before = memory().tensors;
    const live = first.opt.liveStateDict();
    expect(memory().tensors).toBe(before);
    const own = first.opt.state.get(first.params[0])!;
    expect(live.state[0].expAvg).toBe(own.expAvg);
    expect(live.state[0].step).toBe(own.step);
    expect(JSON.stringify(first.opt.stateDict())).toBe(JSON.stringify({
      state: Object.fromEntries(Object.entries(live.state).map(([id, s]) => [id, Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v instanceof Tensor
        ? { __tensor: true, dtype: v.dtype, shape: v.shape, data: Array.from(v.data() as Float32Array) } : v]))])),
      paramGroups: live.paramGroups,
    }));
    const second = setup({ ...c, init: first.params.map((p: Tensor) => Array.from(p.data() as Float32Array)) });
    second.opt.loadStateDict(live); // copies: the first optimizer's state stays its own
    expect(second.opt.state.get(second.params[0])!.expAvg).not.toBe(own.expAvg);
    for (let k = 6; k < c.grads.length; k++) { tidy(() => second.feed(k)); second.opt.step(); }
    second.params.forEach((p: Tensor, i: number) => expect(Array.from(p.data() as Float32Array)).toEqual(Array.from(straight.params[i].data() as Float32Array)));
    expect((own.expAvg as Tensor).isDisposed).toBe(false);
    for (const s of [straight, first, second]) s.opt.dispose();
  });
});

describe('loadStateDict validates before changing anything', () => {
  const c = fx.cases.find((c: any) => c.optimizer === 'Adam' && c.dtype === 'float64');
  const run = () => { const s = setup(c); for (let k = 0; k < 3; k++) { tidy(() => s.feed(k)); s.opt.step(); } return s; };

  it('names a missing key, an extra key, a wrong shape and a wrong dtype', () => {
    const { opt } = run();
    const good = opt.stateDict();
    const before = JSON.stringify(opt.stateDict());
    const variants: [string, (sd: any) => void, RegExp][] = [
      ['missing', (sd) => delete sd.state[0].expAvgSq, /state '0' is missing key 'expAvgSq'/],
      ['extra', (sd) => (sd.state[1].bogus = 1), /state '1' has unexpected key 'bogus'/],
      ['shape', (sd) => (sd.state[0].expAvg.shape = [6]), /state '0'.expAvg has shape \[6\], the parameter \[3, 2\]/],
      ['dtype', (sd) => (sd.state[1].expAvgSq.dtype = 'float32'), /state '1'.expAvgSq is float32, the parameter float64/],
      ['group key', (sd) => delete sd.paramGroups[0].eps, /paramGroups\[0\] is missing key 'eps'/],
      ['group count', (sd) => sd.paramGroups.push({ ...sd.paramGroups[0] }), /2 parameter groups, the optimizer 1/],
    ];
    for (const [, mutate, message] of variants) {
      const sd = JSON.parse(JSON.stringify(good));
      mutate(sd);
      const live = memory().tensors;
      expect(() => opt.loadStateDict(sd)).toThrow(message);
      expect(memory().tensors).toBe(live); // nothing half-loaded, nothing leaked
      expect(JSON.stringify(opt.stateDict())).toBe(before);
    }
  });
});

describe('LBFGS', () => {
  function quadratic(q: any, lineSearchFn: 'strong_wolfe' | null) {
    const n = q.b.length;
    const A = tensor(q.A, { dtype: 'float64', shape: [n, n] });
    const b = tensor(q.b, { dtype: 'float64' });
    const x = tensor(new Array(n).fill(0), { dtype: 'float64' }).requiresGrad_();
    const opt = new optim.LBFGS([x], { lr: 1, maxIter: 4, historySize: 3, lineSearchFn });
    const closure = () => {
      opt.zeroGrad();
      const loss = x.matmul(A).matmul(x).mul(0.5).sub(b.matmul(x));
      loss.backward();
      return loss;
    };
    return { x, opt, closure };
  }

  for (const q of fx.lbfgsQuadratic) {
    it(`matches PyTorch's losses and function-evaluation counts on a quadratic (lineSearch ${q.lineSearch})`, () => {
      const { x, opt, closure } = quadratic(q, q.lineSearch);
      for (let s = 0; s < q.losses.length; s++) {
        const loss = opt.step(closure);
        expect(loss).toBeCloseTo(q.losses[s], 10);
        const st = opt.state.get(x)!;
        expect(st.funcEvals, `func evals after step ${s + 1}`).toBe(q.funcEvals[s]);
        expect(st.nIter, `iterations after step ${s + 1}`).toBe(q.nIter[s]);
        expectClose(x.data() as Float64Array, q.x[s], 1e-9, `x after step ${s + 1}`);
      }
    });
  }

  function rosenbrock(x0: number[], lineSearchFn: 'strong_wolfe' | null, maxIter = 25) {
    const x = tensor(x0, { dtype: 'float64' }).requiresGrad_();
    const opt = new optim.LBFGS([x], { lr: 1, maxIter, historySize: 4, lineSearchFn, toleranceGrad: 0, toleranceChange: 0 });
    const closure = () => {
      opt.zeroGrad();
      const a = x.narrow(0, 0, 1), parts = [];
      for (let i = 0; i < x0.length; i += 2) {
        const [u, v] = [x.narrow(0, i, 1), x.narrow(0, i + 1, 1)];
        parts.push(u.rsub(1).square().add(v.sub(u.square()).square().mul(100)));
      }
      const loss = parts.reduce((s, p) => s.add(p), a.mul(0)).sum();
      loss.backward();
      return loss;
    };
    return { x, opt, closure };
  }

  for (const q of fx.lbfgsRosenbrock) {
    it(`follows PyTorch through 8-D Rosenbrock with history 4 wrapping around (lineSearch ${q.lineSearch})`, () => {
      const { x, opt, closure } = rosenbrock(q.x0, q.lineSearch, q.maxIter);
      for (let s = 0; s < q.losses.length; s++) {
        const loss = opt.step(closure);
        // The recursion's dot products come from stored inner products here (lbfgs_history.ts),
        // so rounding differs from PyTorch's; unit steps on Rosenbrock amplify it to ~1e-8 in 40 iterations.
        expect(Math.abs(loss - q.losses[s]), `loss of step ${s + 1}`).toBeLessThanOrEqual(1e-8 * Math.max(1, q.losses[s]));
        const st = opt.state.get(x)!;
        expect(st.funcEvals, `func evals after step ${s + 1}`).toBe(q.funcEvals[s]);
        expect(st.nIter, `iterations after step ${s + 1}`).toBe(q.nIter[s]);
        expectClose(x.data() as Float64Array, q.x[s], 1e-7, `x after step ${s + 1}`);
      }
      opt.dispose();
    });
  }

  it('computes the two-loop direction to 1e-13 of the textbook recursion, across wrap-around and a rebuild', () => tidy(() => {
    // Pairs from a random SPD quadratic (y = A s), so that y·s > 0 as L-BFGS keeps them.
    const n = 40, m = 6, rand = mulberry(3);
    const A = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 2 + i / 4 : 0) + 0.05 * Math.sin(i * j + 1) * Math.cos(i + j)));
    const Asym = A.map((row, i) => row.map((v, j) => (v + A[j][i]) / 2));
    const pairs: { s: number[]; y: number[] }[] = [];
    const dirs: Tensor[] = [], stps: Tensor[] = [], ro: number[] = [];
    const g0 = tensor(Array.from({ length: n }, () => rand() - 0.5), { dtype: 'float64' });
    const history = new CurvatureHistory(dirs, stps, ro, m, g0);
    const textbook = (g: number[], h: number) => {
      const q = g.map((v) => -v), al: number[] = [];
      const dot = (a: number[], b: number[]) => a.reduce((t, v, k) => t + v * b[k], 0);
      for (let i = pairs.length - 1; i >= 0; i--) { al[i] = dot(pairs[i].s, q) / dot(pairs[i].y, pairs[i].s); pairs[i].y.forEach((v, k) => (q[k] -= al[i] * v)); }
      const r = q.map((v) => v * h);
      for (let i = 0; i < pairs.length; i++) { const be = dot(pairs[i].y, r) / dot(pairs[i].y, pairs[i].s); pairs[i].s.forEach((v, k) => (r[k] += (al[i] - be) * v)); }
      return r;
    };
    for (let k = 0; k < 15; k++) { // 15 pushes through 6 slots
      const s = Array.from({ length: n }, () => rand() - 0.5);
      const y = Asym.map((row) => row.reduce((t, v, j) => t + v * s[j], 0));
      pairs.push({ s, y }); if (pairs.length > m) pairs.shift();
      history.push(tensor(s, { dtype: 'float64' }), tensor(y, { dtype: 'float64' }), 1 / s.reduce((t, v, j) => t + v * y[j], 0), m);
      const g = Array.from({ length: n }, () => rand() - 0.5), h = 0.3 + rand();
      expectClose(history.direction(tensor(g, { dtype: 'float64' }), h).data() as Float64Array, textbook(g, h), 1e-13, `direction after ${k + 1} pairs`);
    }
    expect(dirs).toHaveLength(m);
    expectClose(dirs[0].data() as Float64Array, pairs[0].y, 0, 'oldest y, a view of its row');
    // Rebuilt from the lists (as after loading a state dict), products computed afresh.
    const copies = [dirs.map((t) => t.clone()), stps.map((t) => t.clone())];
    const rebuilt = new CurvatureHistory(copies[0], copies[1], [...ro], m, g0);
    const g = Array.from({ length: n }, () => rand() - 0.5);
    expectClose(rebuilt.direction(tensor(g, { dtype: 'float64' }), 0.7).data() as Float64Array, textbook(g, 0.7), 1e-13, 'after a rebuild');
    history.dispose(); rebuilt.dispose();
  }));

  it('resumes from a JSON state dict bit for bit; without the saved inner products, to rounding', () => {
    const q = fx.lbfgsRosenbrock[0];
    const straight = rosenbrock(q.x0, null, q.maxIter);
    for (let s = 0; s < 3; s++) straight.opt.step(straight.closure);
    const first = rosenbrock(q.x0, null, q.maxIter);
    first.opt.step(first.closure);
    const saved = JSON.parse(JSON.stringify({ opt: first.opt.stateDict(), x: Array.from(first.x.data() as Float64Array) }));
    expect(saved.opt.state[0].oldDirs).toHaveLength(4);
    expect(saved.opt.state[0].sy).toHaveLength(16);
    const resume = (sd: any) => {
      const r = rosenbrock(saved.x, null, q.maxIter);
      r.opt.loadStateDict(sd);
      for (let s = 1; s < 3; s++) r.opt.step(r.closure);
      return Array.from(r.x.data() as Float64Array);
    };
    expect(resume(saved.opt)).toEqual(Array.from(straight.x.data() as Float64Array));
    const { sy: _sy, yy: _yy, ringStart: _start, ...older } = saved.opt.state[0]; // a checkpoint from before these were saved
    expectClose(resume({ ...saved.opt, state: { 0: older } }), Array.from(straight.x.data() as Float64Array), 1e-9, 'x');
  });

  it('refuses a state dict whose curvature lists disagree, naming the key', () => {
    const q = fx.lbfgsRosenbrock[0];
    const r = rosenbrock(q.x0, null);
    r.opt.step(r.closure);
    const good = JSON.parse(JSON.stringify(r.opt.stateDict()));
    const bad = (f: (st: any) => void) => { const sd = JSON.parse(JSON.stringify(good)); f(sd.state[0]); return sd; };
    expect(() => r.opt.loadStateDict(bad((st) => st.ro.pop()))).toThrow(/state '0'.ro must list 4 entries, one per stored pair/);
    expect(() => r.opt.loadStateDict(bad((st) => st.sy.pop()))).toThrow(/state '0'.sy must hold 4×4 numbers/);
    expect(() => r.opt.loadStateDict(bad((st) => (st.yy[3] = 'x')))).toThrow(/state '0'.yy must hold 4×4 numbers/);
    expect(() => r.opt.loadStateDict(bad((st) => (st.ringStart = -1)))).toThrow(/state '0'.ringStart must be a non-negative integer, got -1/);
    const live = memory().tensors;
    r.opt.loadStateDict(good);
    r.opt.step(r.closure); // and a good one goes on stepping
    expect(memory().tensors).toBe(live);
    r.opt.dispose();
  });

  it('minimises Rosenbrock from (−1.5, 2) to within 1e-5 of (1, 1) with strong Wolfe', () => {
    const xy = tensor([-1.5, 2], { dtype: 'float64' }).requiresGrad_();
    const iterations: number[] = [];
    const opt = new optim.LBFGS([xy], { lr: 1, maxIter: 200, maxEval: 400, lineSearchFn: 'strong_wolfe', toleranceGrad: 1e-12, toleranceChange: 1e-14, onIteration: (i) => iterations.push(i.iteration) });
    const closure = () => {
      opt.zeroGrad();
      const [x, y] = [xy.narrow(0, 0, 1), xy.narrow(0, 1, 1)];
      const loss = x.rsub(1).square().add(y.sub(x.square()).square().mul(100)).sum();
      loss.backward();
      return loss;
    };
    for (let k = 0; k < 3; k++) opt.step(closure);
    const [x, y] = Array.from(xy.data() as Float64Array);
    expect(Math.abs(x - 1)).toBeLessThan(1e-5);
    expect(Math.abs(y - 1)).toBeLessThan(1e-5);
    expect(iterations.length).toBeGreaterThan(10); // progress was reported per inner iteration
    expect(opt.lastStopReason).not.toBeNull();
  });

  it('keeps a constant number of live tensors across steps (history is bounded and freed)', () => {
    const q = fx.lbfgsQuadratic[1];
    const { opt, closure } = quadratic(q, 'strong_wolfe');
    opt.step(closure);
    const counts: number[] = [];
    for (let s = 0; s < 6; s++) { opt.step(closure); counts.push(memory().tensors); }
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(2 * 3 + 2);
  });

  it('refuses a step without closure and bad options', () => {
    const x = tensor([1], { dtype: 'float64' }).requiresGrad_();
    expect(() => new optim.LBFGS([x], { lineSearchFn: 'armijo' as any })).toThrow(/lineSearchFn must be 'strong_wolfe' or null/);
    expect(() => new optim.LBFGS([x]).step()).toThrow(/needs a closure/);
  });
});

describe('BFGS', () => {
  /** f(x) = Σ 100 (x_{i+1} − x_i²)² + (1 − x_i)², n-D Rosenbrock. */
  function rosenbrockN(x0: number[], o: Partial<optim.BFGSOptions> = {}, Opt: typeof optim.BFGS = optim.BFGS) {
    const x = tensor(x0, { dtype: 'float64' }).requiresGrad_();
    const n = x0.length;
    const opt = new Opt([x], { lr: 1, maxIter: 20, lineSearchFn: 'strong_wolfe', ...o });
    const closure = () => {
      opt.zeroGrad();
      const [a, b] = [x.narrow(0, 0, n - 1), x.narrow(0, 1, n - 1)];
      const loss = b.sub(a.square()).square().mul(100).add(a.rsub(1).square()).sum();
      loss.backward();
      return loss;
    };
    return { x, opt, closure };
  }
  const X0 = [-1.2, 1, -0.5, 0.8, 1.3, -0.7];

  /** Runs 25 iterations on Rosenbrock, calling check(before, after, pair vectors) at every update. */
  function probeUpdates(update: optim.BFGSUpdate, check: (u: { n: number; before: number[] | null; H: number[]; s: number[]; y: number[]; g: number[]; t: number }) => void): number {
    let calls = 0;
    class Probe extends optim.BFGS {
      protected override update(state: any, pair: any): Tensor | void {
        const before = state.H ? Array.from(state.H.data() as Float64Array) : null;
        const next = super.update(state, pair);
        const [s, y, g] = [pair.s, pair.y, pair.gPrev].map((v: Tensor) => Array.from(v.data() as Float64Array));
        const H = Array.from(state.H.data() as Float64Array);
        check({ n: s.length, before, H, s, y, g, t: pair.t });
        // The direction it returns, made without another pass over H, is −H₊g₊.
        const gNew = Array.from(pair.g.data() as Float64Array) as number[];
        const want = matVec(H, gNew).map((v) => -v);
        Array.from((next as Tensor).data() as Float64Array).forEach((v, i) => expect(Math.abs(v - want[i]) / Math.max(1, Math.abs(want[i]))).toBeLessThan(1e-10));
        calls++;
        return next;
      }
    }
    const r = rosenbrockN(X0, { maxIter: 25, update }, Probe);
    r.opt.step(r.closure);
    r.opt.dispose();
    return calls;
  }
  const dot = (a: number[], b: number[]) => a.reduce((acc, v, i) => acc + v * b[i], 0);
  const matVec = (M: number[], v: number[]) => v.map((_, i) => dot(M.slice(i * v.length, (i + 1) * v.length), v));
  /** H₊ y = s, H = Hᵀ, and H has a Cholesky factor (is positive definite). */
  function expectSecantSymmetricPositive(H: number[], y: number[], s: number[]): void {
    const n = s.length;
    matVec(H, y).forEach((w, i) => expect(Math.abs(w - s[i]) / Math.max(1, Math.abs(s[i]))).toBeLessThan(1e-8));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Math.abs(H[i * n + j] - H[j * n + i])).toBeLessThan(1e-10);
    const L = new Array(n * n).fill(0);
    for (let j = 0; j < n; j++) {
      let d = H[j * n + j];
      for (let k = 0; k < j; k++) d -= L[j * n + k] ** 2;
      expect(d).toBeGreaterThan(0);
      L[j * n + j] = Math.sqrt(d);
      for (let i = j + 1; i < n; i++) {
        let v = H[i * n + j];
        for (let k = 0; k < j; k++) v -= L[i * n + k] * L[j * n + k];
        L[i * n + j] = v / L[j * n + j];
      }
    }
  }

  it('ssbfgs: updates H by the product formula after Al-Baali scaling, keeps it symmetric positive definite, and meets the secant equation', () => {
    const scales: number[] = [];
    const calls = probeUpdates('ssbfgs', ({ n, before, H, s, y, g, t }) => {
      const rho = 1 / dot(y, s);
      // Textbook, densely: H0 = (y·s / y·y) I on the first pair; else H ← max(1, b) H with b = −t ρ s·g.
      const scale = before === null ? 1 : Math.max(1, -t * rho * dot(s, g));
      scales.push(scale);
      const H0 = before ? before.map((v) => v * scale) : Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? dot(y, s) / dot(y, y) : 0));
      const A = (i: number, j: number) => (i === j ? 1 : 0) - rho * s[i] * y[j]; // I − ρ s yᵀ
      const AH = Array.from({ length: n * n }, (_, k) => { const [i, j] = [Math.floor(k / n), k % n]; let v = 0; for (let l = 0; l < n; l++) v += A(i, l) * H0[l * n + j]; return v; });
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let v = rho * s[i] * s[j];
          for (let l = 0; l < n; l++) v += AH[i * n + l] * A(j, l); // (I − ρ y sᵀ) = Aᵀ
          expect(Math.abs(H[i * n + j] - v) / Math.max(1, Math.abs(v))).toBeLessThan(1e-10);
        }
      }
      expectSecantSymmetricPositive(H, y, s);
    });
    expect(calls).toBeGreaterThan(15);
    expect(scales[0]).toBe(1);
    expect(scales.some((v) => v > 1)).toBe(true); // the self-scaling did act
  });

  it('ssbroyden: updates H by the Broyden-family formula with Urbán et al.\'s τ and φ, keeping it symmetric positive definite and secant', () => {
    const taus: number[] = [], phis: number[] = [];
    const calls = probeUpdates('ssbroyden', ({ n, before, H, s, y, g, t }) => {
      const rho = 1 / dot(y, s);
      if (before === null) return; // the first pair is a BFGS update from the scaled identity (tested above)
      const Hy = matVec(before, y), yHy = dot(y, Hy);
      // Eqs. 13–23 of Urbán et al. (JCP 2025), written out as in the paper.
      const h = yHy * rho, b = -t * rho * dot(s, g), a = b * h - 1;
      const rhoMinus = Math.min(1, h * (1 - Math.sqrt(a / (1 + a))));
      const thetaMinus = (rhoMinus - 1) / a, thetaPlus = 1 / rhoMinus;
      const theta = Math.max(thetaMinus, Math.min(thetaPlus, (1 - b) / b));
      const sigma = 1 + theta * a, sigmaRoot = Math.abs(sigma) ** (1 / (1 - n));
      const tau = theta <= 0 ? Math.min(Math.min(1, 1 / b) * sigmaRoot, sigma) : Math.min(1, 1 / b) * Math.min(sigmaRoot, 1 / theta);
      const phi = (1 - theta) / (1 + a * theta);
      taus.push(tau); phis.push(phi);
      const v = s.map((si, i) => rho * si - Hy[i] / yHy);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const want = (before[i * n + j] - (Hy[i] * Hy[j]) / yHy + phi * yHy * v[i] * v[j]) / tau + rho * s[i] * s[j];
          expect(Math.abs(H[i * n + j] - want) / Math.max(1, Math.abs(want))).toBeLessThan(1e-9);
        }
      }
      expectSecantSymmetricPositive(H, y, s);
    });
    expect(calls).toBeGreaterThan(10);
    expect(phis.some((p) => Math.abs(p - 1) > 1e-3)).toBe(true); // not BFGS in disguise
    expect(taus.some((v) => v < 1 - 1e-3)).toBe(true);
  });

  for (const update of ['ssbfgs', 'ssbroyden', 'bfgs'] as const) {
    it(`minimises 6-D Rosenbrock to 1e-8 of (1, …, 1) (update '${update}'), reporting each iteration`, () => {
      const its: number[] = [];
      const r = rosenbrockN(X0, { maxIter: 500, maxEval: 1000, toleranceGrad: 1e-12, toleranceChange: 1e-15, update, onIteration: (i) => its.push(i.totalIterations) });
      r.opt.step(r.closure);
      for (const v of r.x.data() as Float64Array) expect(Math.abs(v - 1)).toBeLessThan(1e-8);
      expect(its.length).toBeLessThan(200);
      expect(its).toEqual(its.map((_, k) => k + 1));
      expect(['toleranceGrad', 'toleranceChange', 'lossChange']).toContain(r.opt.lastStopReason);
      r.opt.dispose();
    });
  }

  it('resumes from a JSON state dict bit for bit', () => {
    const straight = rosenbrockN(X0, { maxIter: 6 });
    for (let k = 0; k < 3; k++) straight.opt.step(straight.closure);
    const first = rosenbrockN(X0, { maxIter: 6 });
    first.opt.step(first.closure);
    const saved = JSON.parse(JSON.stringify({ opt: first.opt.stateDict(), x: Array.from(first.x.data() as Float64Array) }));
    expect(saved.opt.state[0].H.shape).toEqual([6, 6]);
    const r = rosenbrockN(saved.x, { maxIter: 6 });
    r.opt.loadStateDict(saved.opt);
    for (let k = 1; k < 3; k++) r.opt.step(r.closure);
    expect(Array.from(r.x.data() as Float64Array)).toEqual(Array.from(straight.x.data() as Float64Array));
    const bad = JSON.parse(JSON.stringify(saved.opt));
    bad.state[0].H.shape = [5, 5];
    expect(() => r.opt.loadStateDict(bad)).toThrow(/BFGS.loadStateDict: state '0'.H must be a 6 × 6 tensor \(one row and column per parameter\), got shape \[5,5\]/);
    for (const o of [straight.opt, first.opt, r.opt]) o.dispose();
  });

  it('keeps H when the objective changes, and starts again from the scaled identity when H leads uphill', () => {
    const r = rosenbrockN(X0, { maxIter: 5 });
    r.opt.step(r.closure);
    const state = () => r.opt.state.get(r.x)!;
    const H = state().H as Tensor;
    r.opt.objectiveChanged();
    expect(state().H).toBe(H);
    expect(state().prevFlatGrad).toBeUndefined();
    expect(state().nIter).toBe(5);
    // An H that points uphill (−I): restarting from −g instead of stopping at 'directionalDerivative'.
    H.fill_(0).add_(tensor(Array.from({ length: 36 }, (_, k) => (k % 7 === 0 ? -1 : 0)), { dtype: 'float64', shape: [6, 6] }));
    const before = r.opt.step(r.closure);
    expect(r.closure().item() as number).toBeLessThan(before);
    expect(r.opt.lastStopReason).not.toBe('directionalDerivative');
    expect((state().H as Tensor).data()[0]).toBeGreaterThan(0); // rebuilt from the first new pair
    r.opt.dispose();
  });

  it('holds a constant number of live tensors across steps and frees everything on dispose', () => {
    const live = memory().tensors;
    const r = rosenbrockN(X0, { maxIter: 4 });
    r.opt.step(r.closure);
    const counts: number[] = [];
    for (let k = 0; k < 5; k++) { r.opt.step(r.closure); counts.push(memory().tensors); }
    expect(new Set(counts).size).toBe(1);
    r.opt.dispose();
    r.x.grad = null;
    r.x.dispose();
    expect(memory().tensors).toBe(live);
  });

  it('refuses an H larger than maxHessianBytes and bad options, saying what to do', () => {
    const x = tensor(new Array(2000).fill(0), { dtype: 'float64' }).requiresGrad_();
    expect(() => new optim.BFGS([x], { maxHessianBytes: 2 ** 20 })).toThrow(/2000 parameters need a 2000 × 2000 inverse-Hessian estimate \(31 MiB\), more than maxHessianBytes 1048576; use LBFGS/);
    expect(() => new optim.BFGS([x], { update: 'sr1' as any })).toThrow(/update must be one of 'bfgs', 'ssbfgs', 'ssbroyden', got "sr1"/);
    expect(() => new optim.BFGS([x], { selfScaling: false } as any)).toThrow(/selfScaling was replaced by update: 'ssbfgs' \(true\) or 'bfgs' \(false\)/);
    expect(() => new optim.BFGS([x], { maxIter: 0 })).toThrow(/maxIter must be a positive integer/);
    expect(() => new optim.BFGS([x]).step()).toThrow(/BFGS: step needs a closure/);
    x.dispose();
  });
});

describe('optimizer state saved alongside a scheduler', () => {
  it('loads into a fresh optimizer before its scheduler exists (initialLr on either side)', () => {
    const make = () => new optim.SGD([tensor([1], { dtype: 'float64' }).requiresGrad_()], { lr: 0.1 });
    const a = make();
    new optim.StepLR(a, { stepSize: 2 }); // adds initialLr to the group
    a.paramGroups[0].lr = 0.05;
    const b = make();
    b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
    expect(b.paramGroups[0].lr).toBe(0.05);
    expect((b.paramGroups[0] as any).initialLr).toBe(0.1);
    const c = make();
    new optim.StepLR(c, { stepSize: 2 });
    c.loadStateDict(JSON.parse(JSON.stringify(make().stateDict()))); // saved without a scheduler
    expect(c.paramGroups[0].lr).toBe(0.1);
  });
});

describe('optimizer argument checks', () => {
  it('rejects bad parameters and options with clear errors', () => {
    const p = tensor([1, 2]).requiresGrad_();
    expect(() => new optim.Adam([p], { lr: -1 })).toThrow(/Adam: lr must be in \[0, Infinity\], got -1/);
    expect(() => new optim.Adam([p], { betas: [1, 0.9] })).toThrow(/betas\[0\] must be in \[0, 1\)/);
    expect(() => new optim.SGD([p], { lr: 0.1, nesterov: true })).toThrow(/nesterov needs momentum > 0/);
    expect(() => new optim.SGD([p.mul(2)], { lr: 0.1 })).toThrow(/not a leaf tensor/);
    expect(() => new optim.SGD([tensor([1], { dtype: 'int64' })], { lr: 0.1 })).toThrow(/int64; optimizers need float32\/float64/);
    expect(() => new optim.SGD([p, p], { lr: 0.1 })).toThrow(/more than one parameter group/);
    expect(() => new optim.SGD([], { lr: 0.1 })).toThrow(/non-empty/);
  });

  it('supports per-group options', () => {
    const a = tensor([1], { dtype: 'float64' }).requiresGrad_();
    const b = tensor([1], { dtype: 'float64' }).requiresGrad_();
    const opt = new optim.SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    a.grad = tensor([1], { dtype: 'float64' });
    b.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    expect(a.item()).toBeCloseTo(0.9, 15);
    expect(b.item()).toBeCloseTo(0.5, 15);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });
});

// Optimizers against torch.optim trajectories (fixtures from test/fixtures/gen_optim.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DType, Tensor, memory, optim, tensor, tidy } from '../src/index.js';

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

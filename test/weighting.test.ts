// Loss-weighting schemes against their formulas.
import { describe, expect, it } from 'vitest';
import { Tensor, grad, keep, memory, nn, noGrad, pinn, scalar, tensor, tidy } from '../src/index.js';

const ctx = (step: number, raw: Record<string, Tensor>, params: Tensor[] = [], base: Record<string, number> = {}) =>
  ({ step, raw, params, base: { ...Object.fromEntries(Object.keys(raw).map((k) => [k, 1])), ...base } });

describe('WarmupWeighting (the elastography seed schedule)', () => {
  it('is 0 during warm-up, then init · factor^⌊(step − warmup)/every⌋ up to the cap', () => {
    const w = new pinn.WarmupWeighting({ terms: ['pde'], warmup: 100, init: 1e-8, factor: 10, every: 50, max: 1e-5 });
    const at = (s: number) => w.weights(ctx(s, { pde: scalar(1), data: scalar(1) })).pde;
    expect(at(0)).toBe(0);
    expect(at(99)).toBe(0);
    expect(at(100)).toBe(1e-8);
    expect(at(149)).toBe(1e-8);
    expect(at(150)).toBeCloseTo(1e-7, 20);
    expect(at(250)).toBeCloseTo(1e-5, 18);
    expect(at(10_000)).toBe(1e-5);
    expect(w.weights(ctx(5, { pde: scalar(1), data: scalar(1) }, [], { data: 3 })).data).toBe(3);
  });
});

describe('GradNormWeighting', () => {
  it('weights terms by Σ‖∇L‖ / ‖∇Lᵢ‖ with an EMA, on update steps only', () => {
    const theta = tensor([1, 2], { dtype: 'float64' }).requiresGrad_();
    const w = new pinn.GradNormWeighting({ every: 10, alpha: 0.5 });
    const make = () => ({ a: theta.mul(3).sum(), b: theta.square().sum() }); // ∇a = (3,3), ∇b = (2,4)
    const na = Math.sqrt(18), nb = Math.sqrt(20), total = na + nb;
    const w0 = tidy(() => w.weights(ctx(0, make(), [theta])));
    expect(w0.a).toBeCloseTo(0.5 * 1 + 0.5 * (total / na), 12);
    expect(w0.b).toBeCloseTo(0.5 * 1 + 0.5 * (total / nb), 12);
    const w5 = tidy(() => w.weights(ctx(5, make(), [theta])));
    expect(w5).toEqual(w0); // not an update step
    const w10 = tidy(() => w.weights(ctx(10, make(), [theta])));
    expect(w10.a).toBeCloseTo(0.5 * w0.a + 0.5 * (total / na), 12);
    const fresh = new pinn.GradNormWeighting({ every: 10, alpha: 0.5 });
    fresh.loadStateDict(JSON.parse(JSON.stringify(w.stateDict())));
    expect(tidy(() => fresh.weights(ctx(20, make(), [theta])))).toEqual(tidy(() => w.weights(ctx(20, make(), [theta]))));
  });
});

describe('ReLoBRaLoWeighting', () => {
  it('with α = 0 uses the softmax of loss ratios to the previous step', () => {
    const w = new pinn.ReLoBRaLoWeighting({ alpha: 0, temperature: 0.5 });
    w.weights(ctx(0, { a: scalar(1), b: scalar(2) }));
    const got = w.weights(ctx(1, { a: scalar(0.5), b: scalar(2) }));
    const ea = Math.exp(0.5 / (0.5 * 1)), eb = Math.exp(2 / (0.5 * 2));
    expect(got.a).toBeCloseTo((2 * ea) / (ea + eb), 12);
    expect(got.b).toBeCloseTo((2 * eb) / (ea + eb), 12);
    expect(got.a + got.b).toBeCloseTo(2, 12);
  });
  it('resumes exactly from its state dict (including the random lookback)', () => {
    const seq = [[1, 2], [0.8, 1.9], [0.7, 1.5], [0.5, 1.4], [0.45, 1.2], [0.3, 1.1]];
    const run = (w: pinn.ReLoBRaLoWeighting, from: number, to: number) =>
      seq.slice(from, to).map(([a, b], i) => w.weights(ctx(from + i, { a: scalar(a), b: scalar(b) })));
    const straight = run(new pinn.ReLoBRaLoWeighting({ alpha: 0.9, expectedRho: 0.5, seed: 3 }), 0, 6);
    const first = new pinn.ReLoBRaLoWeighting({ alpha: 0.9, expectedRho: 0.5, seed: 3 });
    run(first, 0, 3);
    const second = new pinn.ReLoBRaLoWeighting({ alpha: 0.9, expectedRho: 0.5, seed: 99 });
    second.loadStateDict(JSON.parse(JSON.stringify(first.stateDict())));
    expect(run(second, 3, 6)).toEqual(straight.slice(3));
    expect(() => second.loadStateDict({ first: null })).toThrow(/missing key 'previous'/);
  });
});

describe('CausalPDE', () => {
  it('weights time chunks by exp(−ε Σ earlier chunk losses) and averages', () => {
    // residual r = t (the network is ignored), points at t = 0.1 … 0.4, two chunks
    const pts = tensor([[0, 0.4], [0, 0.1], [0, 0.3], [0, 0.2]], { dtype: 'float64' });
    const term = new pinn.CausalPDE('pde', pts, (d) => d.x.narrow(1, 1, 1), { timeColumn: 1, chunks: 2, epsilon: 10 });
    const problem = new pinn.Problem({ inputs: ['x', 't'], outputs: ['u'], conditions: [term] });
    const loss = tidy(() => problem.losses(new nn.MLP([2, 3, 1], { dtype: 'float64' })).pde.item() as number);
    const L0 = (0.1 ** 2 + 0.2 ** 2) / 2, L1 = (0.3 ** 2 + 0.4 ** 2) / 2;
    expect(term.lastWeights[0]).toBe(1);
    expect(term.lastWeights[1]).toBeCloseTo(Math.exp(-10 * L0), 14);
    expect(loss).toBeCloseTo((L0 + Math.exp(-10 * L0) * L1) / 2, 14);
    expect(() => new pinn.CausalPDE('c', pts, (d) => d.x, { timeColumn: 1, chunks: 9, epsilon: 1 })).toThrow(/chunks must be at most its 4 points, got 9/);
  });

  it('chunks by time interval: an empty chunk adds nothing, and new or batched rows are chunked by their times', () => {
    // timeRange [0, 1] in 4 chunks; t = 0.1, 0.2 (chunk 0), 0.6 (chunk 2), 0.9 (chunk 3): chunk 1 is empty
    const pts = tensor([[0, 0.9], [0, 0.1], [0, 0.6], [0, 0.2]], { dtype: 'float64' });
    const causal = new pinn.Causality({ timeColumn: 1, chunks: 4, epsilon: 3, timeRange: [0, 1] });
    const term = new pinn.PDE('pde', pts, (d) => d.x.narrow(1, 1, 1), { causal });
    const problem = new pinn.Problem({ inputs: ['x', 't'], outputs: ['u'], conditions: [term] });
    const model = new nn.MLP([2, 3, 1], { dtype: 'float64' });
    const loss = () => tidy(() => problem.losses(model).pde.item() as number);
    const expected = (chunks: number[][], eps: number) => {
      const L = chunks.map((ts) => (ts.length ? ts.reduce((a, t) => a + t * t, 0) / ts.length : null));
      let acc = 0, sum = 0;
      const w = L.map((l) => { const wk = Math.exp(-eps * acc); if (l !== null) { acc += l; sum += wk * l; } return wk; });
      return { w, loss: sum / L.filter((l) => l !== null).length };
    };
    let e = expected([[0.1, 0.2], [], [0.6], [0.9]], 3);
    expect(loss()).toBeCloseTo(e.loss, 14);
    causal.lastWeights.forEach((w, k) => expect(w).toBeCloseTo(e.w[k], 14));
    expect(causal.lastMinWeight).toBeCloseTo(e.w[3], 14);
    // New points (as RAD draws them), in another order: chunked by their own times.
    term.setPoints(tensor([[0, 0.3], [0, 0.05], [0, 0.8]], { dtype: 'float64' }));
    e = expected([[0.05], [0.3], [], [0.8]], 3);
    expect(loss()).toBeCloseTo(e.loss, 14);
    // A mini-batch of those rows (rows 2 and 0), and ε changed between steps.
    term.setBatch(tensor([2, 0], { dtype: 'int64' }));
    causal.epsilon = 0.5;
    e = expected([[], [0.3], [], [0.8]], 0.5);
    expect(loss()).toBeCloseTo(e.loss, 14);
    expect(() => { causal.epsilon = -1; }).toThrow(/Causality: epsilon must be a finite number ≥ 0, got -1/);
    expect(causal.epsilon).toBe(0.5);
    // Cleared: the plain mean of r² over the batch rows.
    term.causal = null;
    expect(loss()).toBeCloseTo((0.3 ** 2 + 0.8 ** 2) / 2, 14);
    expect(() => { term.causal = { chunks: 2 } as any; }).toThrow(/PDE 'pde': causal must be a pinn.Causality/);
    expect(() => { term.causal = new pinn.Causality({ timeColumn: 2, chunks: 2, epsilon: 1 }); }).toThrow(/PDE 'pde': causality's timeColumn must be in \[0, 1\], got 2/);
    expect(term.causal).toBe(null);
    const l1Points = tensor([[0, 0.1], [0, 0.9]], { dtype: 'float64' });
    const l1 = () => new pinn.PDE('l1', l1Points, (d) => d.u, { loss: 'l1', causal: new pinn.Causality({ timeColumn: 1, chunks: 2, epsilon: 1 }) });
    expect(l1).toThrow(/PDE 'l1': causal weighting averages \|r\|² per time chunk, so it cannot take loss 'l1'/);
    l1Points.dispose();
    // A residual with other rows than the points (pairs, a reduction) cannot be chunked by time.
    const pairs = new pinn.OperatorBC('pairs', tensor([[0, 0.1], [0, 0.9]], { dtype: 'float64' }), (d) => d.u.narrow(0, 0, 1), { causal: new pinn.Causality({ timeColumn: 1, chunks: 2, epsilon: 1 }) });
    const other = new pinn.Problem({ inputs: ['x', 't'], outputs: ['u'], conditions: [pairs] });
    expect(() => tidy(() => other.losses(model))).toThrow(/OperatorBC 'pairs': causal weighting needs one residual row per point \(2 points\), got a residual of shape \[1, 1\]/);
    other.dispose();
    problem.dispose();
    model.dispose();
  });

  it('its gradient is the weighted chunk losses\' gradient, the weights held constant', () => {
    // u = MLP(x, t); residual r = u. Compare ∂loss/∂θ with the gradient of Σ wₖ Lₖ / M built by hand.
    const pts = tensor([[0.2, 0.1], [0.5, 0.7], [0.9, 0.4], [0.3, 0.95]], { dtype: 'float64' });
    const term = new pinn.CausalPDE('pde', pts.clone(), (d) => d.u, { timeColumn: 1, chunks: 2, epsilon: 2, timeRange: [0, 1] });
    const problem = new pinn.Problem({ inputs: ['x', 't'], outputs: ['u'], conditions: [term] });
    const model = new nn.MLP([2, 4, 1], { dtype: 'float64' });
    const [g1] = tidy(() => grad(problem.losses(model).pde, [model.parameters()[0]]).map((g) => keep(g)));
    const [g2] = tidy(() => {
      const u = model.forward(pts).reshape(4);
      const rows = (r: number[]) => u.indexSelect(0, tensor(r, { dtype: 'int64' }));
      const L0 = rows([0, 2]).square().mean(), L1 = rows([1, 3]).square().mean();
      const w1 = Math.exp(-2 * (L0.item() as number));
      return grad(L0.add(L1.mul(w1)).div(2), [model.parameters()[0]]).map((g) => keep(g));
    });
    expect(g1.sub(g2).abs().max().item()).toBeLessThan(1e-14);
    for (const t of [g1, g2, pts]) t.dispose();
    problem.dispose();
    model.dispose();
  });

  it('a refused CausalPDE holds no tensor, whichever option is wrong', () => {
    const pts = tensor([[0, 0.4], [0, 0.1], [0, 0.3], [0, 0.2]], { dtype: 'float64' });
    const r = (d: any) => d.x;
    const before = memory().tensors;
    const cases: [unknown, RegExp][] = [
      [{ timeColumn: 1, chunks: 9, epsilon: 1 }, /CausalPDE 'c': causality's chunks must be at most its 4 points, got 9/],
      [{ timeColumn: 1, chunks: 0.5, epsilon: 1 }, /CausalPDE 'c': chunks must be an integer ≥ 1, got 0.5/],
      [{ timeColumn: 2, chunks: 2, epsilon: 1 }, /CausalPDE 'c': causality's timeColumn must be in \[0, 1\], got 2/],
      [{ timeColumn: 1, chunks: 2, epsilon: NaN }, /CausalPDE 'c': epsilon must be a finite number ≥ 0, got NaN/],
      [{ timeColumn: 1, chunks: 2, epsilon: 1, weight: -1 }, /CausalPDE 'c': weight must be a finite number ≥ 0/],
      [{ timeColumn: 1, chunks: 2, epsilon: 1, chunk: 3 }, /CausalPDE 'c'.*chunk.*chunks/],
      [{ timeColumn: 1, chunks: 2, epsilon: 1, timeRange: [1, 1] }, /CausalPDE 'c': timeRange must be \[t0, t1\] with finite t0 < t1, got \[1,1\]/],
      [null, /CausalPDE 'c': options must be an object/],
    ];
    for (const [o, message] of cases) expect(() => new pinn.CausalPDE('c', pts, r, o as any)).toThrow(message);
    expect(() => new pinn.CausalPDE('c', pts, 'r' as any, { timeColumn: 1, chunks: 2, epsilon: 1 })).toThrow(/residual must be a function/);
    const still = tensor([[0, 0.5], [1, 0.5]], { dtype: 'float64' });
    expect(() => new pinn.CausalPDE('c', still, r, { timeColumn: 1, chunks: 2, epsilon: 1 })).toThrow(/CausalPDE 'c': every point has the time 0.5; give the causality a timeRange/);
    still.dispose();
    expect(memory().tensors).toBe(before);
    expect(pts.isDisposed).toBe(false);
    pts.dispose();
  });
});

describe('bounds and smoothing shared by the adaptive schemes', () => {
  it('GradNormWeighting: a term whose gradient all but vanishes is held at max, not sent to 1e10', () => {
    const theta = tensor([1, 2], { dtype: 'float64' }).requiresGrad_();
    const w = new pinn.GradNormWeighting({ every: 1, alpha: 0 });
    const got = tidy(() => w.weights(ctx(0, { pde: theta.sum(), bc: theta.mul(1e-12).sum() }, [theta])));
    expect(got.bc).toBe(pinn.SMOOTHING_DEFAULTS.max);
    expect(got.pde).toBeCloseTo(1 + 1e-12, 12);
    const capped = new pinn.GradNormWeighting({ every: 1, alpha: 0, max: 50 });
    expect(tidy(() => capped.weights(ctx(0, { pde: theta.sum(), bc: theta.mul(1e-12).sum() }, [theta]))).bc).toBe(50);
  });
  it('refuses every: 0, negative or fractional values, and alpha outside [0, 1)', () => {
    expect(() => new pinn.GradNormWeighting({ every: 0 })).toThrow(/GradNormWeighting: every must be a positive integer, got 0/);
    expect(() => new pinn.GradNormWeighting({ every: -5 })).toThrow(/every must be a positive integer, got -5/);
    expect(() => new pinn.GradNormWeighting({ every: 2.5 })).toThrow(/every must be a positive integer, got 2.5/);
    expect(() => new pinn.GradNormWeighting({ alpha: 1 })).toThrow(/alpha must be in \[0, 1\), got 1/);
    expect(() => new pinn.LRAWeighting({ max: -1 })).toThrow(/LRAWeighting: max must be a number > 0 and ≥ min \(0.001\), got -1/);
    expect(() => new pinn.NTKWeighting({ points: 0 })).toThrow(/NTKWeighting: points must be a positive integer, got 0/);
    expect(() => new pinn.GradNormWeighting().loadStateDict({ current: { a: 'x' } })).toThrow(/GradNormWeighting.loadStateDict: state.current must be null or an object of finite numbers, got an object/);
    // The shared argument checks (src/checks.ts): unknown keys, a non-object, NaN and fractional counts are refused by name.
    expect(() => new pinn.GradNormWeighting({ evry: 5 } as never)).toThrow("GradNormWeighting: unknown option 'evry'; did you mean 'every'?");
    expect(() => new pinn.LRAWeighting(null as never)).toThrow('LRAWeighting: options must be an object, got null');
    expect(() => new pinn.NTKWeighting({ points: 2.5 })).toThrow('NTKWeighting: points must be a positive integer, got 2.5');
    expect(() => new pinn.ReLoBRaLoWeighting({ temperature: NaN })).toThrow('ReLoBRaLoWeighting: temperature must be a positive number, got NaN');
    expect(() => new pinn.ReLoBRaLoWeighting({ seed: 0.5 })).toThrow('ReLoBRaLoWeighting: seed must be an integer, got number 0.5');
    expect(() => new pinn.WarmupWeighting({ terms: ['pde'], warmup: 10, init: NaN })).toThrow('WarmupWeighting: init must be a non-negative number, got NaN');
    expect(() => new pinn.WarmupWeighting({ terms: [], warmup: 10, init: 1 })).toThrow('WarmupWeighting: terms must be a non-empty array of non-empty strings, got []');
    expect(() => new pinn.LRAWeighting({ residualTerms: [''] })).toThrow('LRAWeighting: residualTerms must be a non-empty array of non-empty strings, got [""]');
    expect(() => new pinn.LRAWeighting().loadStateDict({ current: null, extra: 1 })).toThrow("LRAWeighting.loadStateDict: unknown key 'extra' (keys: current)");
    expect(() => new pinn.StaticWeighting().loadStateDict(null as never)).toThrow('StaticWeighting.loadStateDict: state must be an object, got null');
  });
});

describe('StaticWeighting', () => {
  it('uses the given weights and the conditions’ own for the rest; refuses unknown terms and bad values', () => {
    const w = new pinn.StaticWeighting({ bc: 10 });
    expect(w.weights(ctx(0, { pde: scalar(1), bc: scalar(1) }, [], { pde: 2 }))).toEqual({ pde: 2, bc: 10 });
    expect(() => new pinn.StaticWeighting({ bc: 10 }).weights(ctx(0, { pde: scalar(1) }))).toThrow(/no loss term named 'bc' \(terms: pde\)/);
    expect(() => new pinn.StaticWeighting({ bc: -1 })).toThrow(/StaticWeighting: weights.bc must be a non-negative number, got -1/);
  });
});

describe('LRAWeighting (Wang, Teng & Perdikaris 2021)', () => {
  it('weights each non-residual term by max|∇L_r| / mean|∇Lᵢ|, smoothed, on update steps', () => {
    const theta = tensor([1, 2], { dtype: 'float64' }).requiresGrad_();
    // ∇pde = (3, 2θ₁) = (3, 4): max 4.  ∇bc = (2θ₀, 1) = (2, 1): mean 1.5.  ∇ic = (0, 0.5): mean 0.25.
    const make = () => ({ pde: theta.select(0, 0).mul(3).add(theta.select(0, 1).square()), bc: theta.select(0, 0).square().add(theta.select(0, 1)), ic: theta.select(0, 1).mul(0.5) });
    const w = new pinn.LRAWeighting({ every: 2, alpha: 0.5 });
    const w0 = tidy(() => w.weights({ ...ctx(0, make(), [theta]), residualTerms: ['pde'] }));
    expect(w0.pde).toBe(1);
    expect(w0.bc).toBeCloseTo(0.5 + 0.5 * (4 / 1.5), 12);
    expect(w0.ic).toBeCloseTo(0.5 + 0.5 * (4 / 0.25), 12);
    expect(tidy(() => w.weights({ ...ctx(1, make(), [theta]), residualTerms: ['pde'] }))).toEqual(w0);
    const w2 = tidy(() => w.weights({ ...ctx(2, make(), [theta]), residualTerms: ['pde'] }));
    expect(w2.bc).toBeCloseTo(0.5 * w0.bc + 0.5 * (4 / 1.5), 12);
    expect(() => tidy(() => new pinn.LRAWeighting().weights(ctx(0, make(), [theta])))).toThrow(/no PDE residual term/);
  });
  it('fixed terms keep their given weight (0: out of the objective) while the others are balanced as without them', () => {
    const theta = tensor([1, 2], { dtype: 'float64' }).requiresGrad_();
    const make = () => ({ pde: theta.select(0, 0).mul(3).add(theta.select(0, 1).square()), bc: theta.select(0, 0).square().add(theta.select(0, 1)), ic: theta.select(0, 1).mul(0.5) });
    const w = new pinn.LRAWeighting({ every: 2, alpha: 0.5, fixed: { ic: 0 } });
    for (const step of [0, 1, 2]) {
      const got = tidy(() => w.weights({ ...ctx(step, make(), [theta]), residualTerms: ['pde'] }));
      expect(got.ic).toBe(0);
      expect(got.bc).toBeCloseTo(step < 2 ? 0.5 + 0.5 * (4 / 1.5) : 0.5 * (0.5 + 0.5 * (4 / 1.5)) + 0.5 * (4 / 1.5), 12);
    }
    expect(() => tidy(() => new pinn.LRAWeighting({ fixed: { nope: 0 } }).weights({ ...ctx(0, make(), [theta]), residualTerms: ['pde'] }))).toThrow(/no loss term named 'nope'/);
    expect(() => new pinn.LRAWeighting({ fixed: { ic: -1 } })).toThrow(/LRAWeighting: fixed\.ic/);
  });
  it("numerator 'mean': mean|∇L_r| / mean|∇Lᵢ|; other statistics are refused", () => {
    const theta = tensor([1, 2], { dtype: 'float64' }).requiresGrad_();
    // ∇pde = (3, 4): mean 3.5.  ∇bc = (2, 1): mean 1.5.  ∇ic = (0, 0.5): mean 0.25.
    const make = () => ({ pde: theta.select(0, 0).mul(3).add(theta.select(0, 1).square()), bc: theta.select(0, 0).square().add(theta.select(0, 1)), ic: theta.select(0, 1).mul(0.5) });
    const w0 = tidy(() => new pinn.LRAWeighting({ alpha: 0, numerator: 'mean' }).weights({ ...ctx(0, make(), [theta]), residualTerms: ['pde'] }));
    expect(w0.bc).toBeCloseTo(3.5 / 1.5, 12);
    expect(w0.ic).toBeCloseTo(3.5 / 0.25, 12);
    expect(() => new pinn.LRAWeighting({ numerator: 'median' as 'mean' })).toThrow(/numerator must be 'max'/);
  });
  it('stallGuard: a flat loss with a weight at ≥ 10× its base switches to the mean numerator, restarting from its targets; a moving loss or light weights do not', () => {
    const theta = tensor([1, 2], { dtype: 'float64' }).requiresGrad_();
    // ∇pde = (3, 4): max 4, mean 3.5.  bc = 0.001 θ₁: ∇bc = (0, 0.001), mean 5e-4.  Both scaled by s.
    const make = (s = 1) => ({ pde: theta.select(0, 0).mul(3).add(theta.select(0, 1).square()).mul(s), bc: theta.select(0, 1).mul(0.001 * s) });
    const run = (w: pinn.LRAWeighting, steps: number, scale: (step: number) => number) => {
      const out: number[] = [];
      for (let step = 0; step < steps; step++) out.push(tidy(() => w.weights({ ...ctx(step, make(scale(step)), [theta]), residualTerms: ['pde'] })).bc);
      return out;
    };
    const flat = new pinn.LRAWeighting({ every: 1, stallGuard: 2 });
    const bc = run(flat, 4, () => 1);
    expect(bc[0]).toBeCloseTo(0.9 + 0.1 * 8000, 9); // max numerator: 4 / 5e-4
    expect(bc[1]).toBeCloseTo(0.9 * bc[0] + 0.1 * 8000, 9);
    expect(bc[2]).toBeCloseTo(7000, 9); // fired at the third update: 3.5 / 5e-4, unsmoothed
    expect(bc[3]).toBeCloseTo(7000, 9); // and stays on the mean
    const state = flat.stateDict();
    expect(state.numerator).toBe('mean');
    const resumed = new pinn.LRAWeighting({ every: 1, stallGuard: 2 });
    resumed.loadStateDict(JSON.parse(JSON.stringify(state)));
    expect(run(resumed, 1, () => 1)[0]).toBeCloseTo(7000, 9);
    // The same weights, but the residual loss falls 10 % per update: the fit moves, the max stays.
    const moving = new pinn.LRAWeighting({ every: 1, stallGuard: 2 });
    run(moving, 4, (step) => 0.9 ** step);
    expect(moving.stateDict().numerator).toBe('max');
    // Flat loss, light weights (∇bc = (2, 1)·10⁻³·10³: target 4 / 1.5 < 10): nothing to blame on the weights.
    const light = new pinn.LRAWeighting({ every: 1, stallGuard: 2 });
    for (let step = 0; step < 4; step++) tidy(() => light.weights({ ...ctx(step, { pde: make().pde, bc: theta.select(0, 0).mul(theta.select(0, 1)) }, [theta]), residualTerms: ['pde'] }));
    expect(light.stateDict().numerator).toBe('max');
    // Off by default; checked; an old state (current alone) still loads.
    expect(new pinn.LRAWeighting().stateDict().totals).toEqual([]);
    expect(() => new pinn.LRAWeighting({ stallGuard: 1.5 })).toThrow(/stallGuard must be a whole number/);
    expect(() => new pinn.LRAWeighting().loadStateDict({ current: null, numerator: 'median', totals: [] })).toThrow(/numerator must be 'max' or 'mean'/);
    new pinn.LRAWeighting().loadStateDict({ current: { bc: 2 } });
  });
});

describe('NTKWeighting (Wang, Yu & Perdikaris 2022)', () => {
  // u = w x + b: the PDE residual u_x − 1 = w − 1 has ∇θr = (1, 0), ‖·‖² = 1 at every point;
  // the boundary residual u − 0 has ∇θr = (x, 1), ‖·‖² = x² + 1: mean over x = ½, 2 is 3.125.
  const build = () => {
    const model = new nn.Linear(1, 1, { dtype: 'float64' });
    const problem = new pinn.Problem({
      inputs: ['x'], outputs: ['u'],
      conditions: [
        new pinn.PDE('pde', tensor([[0.1], [0.3], [0.7]], { dtype: 'float64' }), (d) => d.d('u', 'x').sub(1)),
        new pinn.DirichletBC('bc', tensor([[0.5], [2]], { dtype: 'float64' }), 0, { output: 'u' }),
      ],
    });
    return { model, problem, params: model.parameters() };
  };
  it('the mean NTK diagonal of each term equals the closed form', () => {
    const { model, problem, params } = build();
    const [pde, bc] = problem.conditions;
    expect(pinn.NTKWeighting.meanKernelDiagonal(problem, model, pde, params, [0, 1, 2])).toBeCloseTo(1, 12);
    expect(pinn.NTKWeighting.meanKernelDiagonal(problem, model, bc, params, [0, 1])).toBeCloseTo(3.125, 12);
    expect(pinn.NTKWeighting.meanKernelDiagonal(problem, model, bc, params, [1])).toBeCloseTo(5, 12);
  });
  it('a periodic term: its kernel is that of u(a) − u(b), over its pairs (not over both sides\' points)', () => {
    // u = w x + b: ∇θ(u(a) − u(b)) = (a − b, 0); pairs (0, 2) and (1, 4): diagonals 4 and 9.
    const model = new nn.Linear(1, 1, { dtype: 'float64' });
    const problem = new pinn.Problem({
      inputs: ['x'], outputs: ['u'],
      conditions: [
        new pinn.PDE('pde', tensor([[0.1], [0.3], [0.7]], { dtype: 'float64' }), (d) => d.d('u', 'x').sub(1)),
        new pinn.PeriodicBC('periodic', tensor([[0], [1]], { dtype: 'float64' }), tensor([[2], [4]], { dtype: 'float64' }), { output: 'u' }),
      ],
    });
    const params = model.parameters();
    expect(pinn.NTKWeighting.meanKernelDiagonal(problem, model, problem.conditions[1], params, [0, 1])).toBeCloseTo(6.5, 12);
    const w = new pinn.NTKWeighting({ every: 1, alpha: 0, reduction: 'sum' });
    const got = tidy(() => w.weights({ ...ctx(0, tidy(() => problem.losses(model)), params), problem, model }));
    // traces: pde 3 × 1 = 3, periodic 2 pairs × 6.5 = 13
    expect(got.pde).toBeCloseTo(16 / 3, 12);
    expect(got.periodic).toBeCloseTo(16 / 13, 12);
    problem.dispose();
    model.dispose();
  });
  it('weights ŵᵢ = Σ tⱼ / tᵢ, and a subsample draw resumes exactly from the state dict', () => {
    const { model, problem, params } = build();
    const w = new pinn.NTKWeighting({ every: 1, alpha: 0 });
    const at = (step: number, ww = w) => tidy(() => ww.weights({ ...ctx(step, tidy(() => problem.losses(model)), params), problem, model }));
    const got = at(0);
    expect(got.pde).toBeCloseTo(4.125, 12);
    expect(got.bc).toBeCloseTo(4.125 / 3.125, 12);
    const sub = new pinn.NTKWeighting({ every: 1, alpha: 0, points: 1, seed: 4 });
    const seq = [0, 1, 2, 3, 4, 5].map((s) => at(s, sub).bc);
    expect(new Set(seq.map((v) => v.toFixed(9))).size).toBeGreaterThan(1); // it does draw different rows
    for (const v of seq) expect([(1 + 1.25) / 1.25, (1 + 5) / 5].some((e) => Math.abs(v - e) < 1e-12)).toBe(true);
    const a = new pinn.NTKWeighting({ every: 1, alpha: 0, points: 1, seed: 4 });
    [0, 1, 2].forEach((s) => at(s, a));
    const b = new pinn.NTKWeighting({ every: 1, alpha: 0, points: 1, seed: 99 });
    b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
    expect([3, 4, 5].map((s) => at(s, b).bc)).toEqual(seq.slice(3));
  });
  it("reduction 'sum' balances the traces (the paper's): each term's mean diagonal times its point count", () => {
    const { model, problem, params } = build();
    const w = new pinn.NTKWeighting({ every: 1, alpha: 0, reduction: 'sum' });
    const got = tidy(() => w.weights({ ...ctx(0, tidy(() => problem.losses(model)), params), problem, model }));
    // traces: pde 3 points × 1 = 3, bc 2 points × 3.125 = 6.25
    expect(got.pde).toBeCloseTo(9.25 / 3, 12);
    expect(got.bc).toBeCloseTo(9.25 / 6.25, 12);
    expect(() => new pinn.NTKWeighting({ reduction: 'max' as never })).toThrow(/NTKWeighting: reduction must be 'mean' or 'sum'/);
  });
  it('`fixed` holds a term at its weight and leaves it out of the sum; unknown or negative ones are refused', () => {
    const { model, problem, params } = build();
    const at = (w: InstanceType<typeof pinn.NTKWeighting>) => tidy(() => w.weights({ ...ctx(0, tidy(() => problem.losses(model)), params), problem, model }));
    // Σ over the balanced terms alone: the pde's own t over itself.
    expect(at(new pinn.NTKWeighting({ every: 1, alpha: 0, fixed: { bc: 0 } }))).toEqual({ pde: 1, bc: 0 });
    expect(at(new pinn.NTKWeighting({ every: 1, alpha: 0, fixed: { bc: 7 } })).bc).toBe(7);
    expect(() => at(new pinn.NTKWeighting({ fixed: { ic: 0 } }))).toThrow("NTKWeighting: no loss term named 'ic' (terms: pde, bc)");
    expect(() => new pinn.NTKWeighting({ fixed: { bc: -1 } })).toThrow(/NTKWeighting: fixed\.bc must be/);
  });
  it('a term its data already meet keeps a bounded weight (where LRA\'s runs to the cap): its kernel does not vanish with its loss', () => {
    // bc: u = 0 at x = 0.5 and 2 with u ≡ 0 (w = b = 0): the loss and its gradient are 0, ‖∇θ u‖² is not.
    const { model, problem, params } = build();
    noGrad(() => { for (const p of params) p.zero_(); });
    const raw = tidy(() => problem.losses(model));
    const ntk = tidy(() => new pinn.NTKWeighting({ every: 1, alpha: 0 }).weights({ ...ctx(0, raw, params), problem, model }));
    expect(ntk.bc).toBeCloseTo(4.125 / 3.125, 12);
    const lra = tidy(() => new pinn.LRAWeighting({ every: 1, alpha: 0 }).weights({ ...ctx(0, raw, params), residualTerms: ['pde'] }));
    expect(lra.bc).toBe(1); // LRA's target is max|∇L_pde| / 0: not finite, so the weight stays where it was
  });
});

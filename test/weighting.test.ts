// Loss-weighting schemes against their formulas.
import { describe, expect, it } from 'vitest';
import { Tensor, nn, pinn, scalar, tensor, tidy } from '../src/index.js';

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
    expect(() => new pinn.CausalPDE('c', pts, (d) => d.x, { timeColumn: 1, chunks: 9, epsilon: 1 })).toThrow(/chunks must be an integer in \[1, 4\]/);
  });
});

// Residual-based attention against its update rule, its bound, and what it does to a loss.
import { describe, expect, it } from 'vitest';
import { memory, nn, pinn, tensor, tidy } from '../src/index.js';

const dtype = 'float64';
// The residual r = x ignores the network, so λ follows the closed form exactly.
const setup = (o: pinn.AttentionOptions) => {
  const attention = new pinn.ResidualAttention(o);
  const term = new pinn.PDE('pde', tensor([[1], [2], [4]], { dtype }), (d) => d.x.narrow(1, 0, 1), { attention });
  const problem = new pinn.Problem({ inputs: ['x'], outputs: ['u'], conditions: [term] });
  const model = new nn.MLP([1, 4, 1], { dtype, seed: 0 });
  const step = () => tidy(() => problem.losses(model).pde.item() as number);
  const lambda = () => Array.from(attention.multipliers!.data() as Float64Array);
  return { attention, term, problem, model, step, lambda };
};

describe('ResidualAttention (RBA)', () => {
  it('moves λ by γλ + η|r|/max|r| each step and weights the loss by it', () => {
    const { step, lambda } = setup({ gamma: 0.9, eta: 0.1 });
    const profile = [0.25, 0.5, 1];
    const l1 = step();
    expect(lambda()).toEqual(profile.map((p) => 0.1 * p));
    expect(l1).toBeCloseTo([1, 2, 4].reduce((s, x, i) => s + (0.1 * profile[i] * x) ** 2, 0) / 3, 14);
    step();
    lambda().forEach((v, i) => expect(v).toBeCloseTo(0.9 * 0.1 * profile[i] + 0.1 * profile[i], 14));
  });
  it('stays below η / (1 − γ) and tends to it times the residual profile', () => {
    const { step, lambda } = setup({ gamma: 0.9, eta: 0.1 });
    for (let i = 0; i < 300; i++) step();
    const bound = 0.1 / (1 - 0.9);
    lambda().forEach((v, i) => { expect(v).toBeLessThan(bound + 1e-12); expect(v).toBeCloseTo(bound * [0.25, 0.5, 1][i], 10); });
  });
  it('normalize: λ / rms(λ) weights the residuals', () => {
    const { step, lambda } = setup({ gamma: 0.9, eta: 0.1, normalize: true });
    const loss = step();
    const l = lambda(), rms = Math.sqrt(l.reduce((s, v) => s + v * v, 0) / 3);
    expect(loss).toBeCloseTo([1, 2, 4].reduce((s, x, i) => s + ((l[i] / rms) * x) ** 2, 0) / 3, 12);
  });
  it('restarts from 0 on new points, refuses mini-batching, frees its multipliers with the term', () => {
    const before = memory().tensors;
    const { term, step, attention, problem, model } = setup({});
    step();
    expect(attention.multipliers).not.toBeNull();
    tidy(() => term.setPoints(tensor([[3], [5]], { dtype })));
    expect(attention.multipliers).toBeNull();
    step();
    expect(attention.multipliers!.shape).toEqual([2, 1]);
    expect(() => tidy(() => term.setBatch(tensor([0], { dtype: 'int64' })))).toThrow(/residual attention keeps a multiplier per point, so the term cannot be mini-batched/);
    problem.dispose();
    model.dispose();
    expect(attention.multipliers).toBeNull();
    expect(memory().tensors).toBe(before);
  });
  it('refuses bad options, naming them', () => {
    expect(() => new pinn.ResidualAttention({ gamma: 1 })).toThrow(/gamma must be in \[0, 1\), got 1/);
    expect(() => new pinn.ResidualAttention({ eta: 0 })).toThrow(/eta must be a finite number > 0, got 0/);
    expect(() => new pinn.PDE('p', tensor([[1]], { dtype }), (d) => d.x, { attention: {} as never })).toThrow(/PDE 'p': attention must be a pinn.ResidualAttention/);
  });
  it('a condition whose options are bad holds nothing afterwards', () => {
    const before = memory().tensors;
    expect(() => tidy(() => new pinn.PDE('p', tensor([[1], [2]], { dtype }), (d) => d.x, { weight: -1 }))).toThrow(/weight must be a finite number ≥ 0/);
    expect(memory().tensors).toBe(before);
  });
});

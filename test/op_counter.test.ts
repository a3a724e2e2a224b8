// countOps (native/op_counter.cc): the ATen op calls a function makes, nested calls included.
import { describe, expect, it } from 'vitest';
import { countOps, nn, optim, pinn, rand, tidy } from '../src/index.js';

describe('countOps', () => {
  it('counts each op call with the calls nested in it, and nothing outside the function', () => {
    const a = rand([4]), b = rand([4]);
    a.add(b); // before the count: not counted
    const c = countOps(() => { a.add(b); a.add(b); a.narrow(0, 1, 2); });
    // narrow is narrow → slice → as_strided in LibTorch 1.13 and 2.x alike
    expect(c.byName).toEqual({ 'aten::add': 2, 'aten::narrow': 1, 'aten::slice': 1, 'aten::as_strided': 1 });
    expect(c.calls).toBe(5);
    expect(countOps(() => {}).calls).toBe(0);
  });

  it('gives the same count for every step of a training loop', () => {
    const problem = pinn.problems.elasticWave2D({ rho: 1, lambda: 1, mu: 0.5, interior: 64, boundary: 16, initial: 16, loss: 'mse' });
    const net = new nn.MLP([3, 16, 16, 2], { seed: 0 });
    const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
    const step = () => tidy(() => { opt.zeroGrad(); problem.total(problem.losses(net)).backward(); opt.step(); });
    step();
    const first = countOps(step), second = countOps(step);
    expect(first.calls).toBeGreaterThan(50);
    expect(second).toEqual(first);
    opt.dispose(); net.dispose(); problem.dispose();
  });

  it('refuses to nest, stops counting when the function throws, and then counts again', () => {
    expect(() => countOps(() => { countOps(() => {}); })).toThrow(/countOps: a count is already running/);
    const a = rand([2]);
    expect(() => countOps(() => { a.add(a); throw new Error('inside'); })).toThrow('inside');
    expect(countOps(() => { a.mul(a); }).byName).toEqual({ 'aten::mul': 1 });
    expect(() => countOps(42 as never)).toThrow(/expected a function/);
  });
});

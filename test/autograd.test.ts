// Derivatives of any order: closed forms, finite differences, and PyTorch.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Tensor, complex, enableGrad, grad, linear, linspace, manualSeed, noGrad, onesLike, rand, randn, tensor, tidy } from '../src/index.js';

const PY = '/usr/bin/python3';
const hasTorch = (() => { try { execFileSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }); return true; } catch { return false; } })();
const arr = (t: Tensor) => Array.from(t.data() as Float64Array);
const d = (y: Tensor, x: Tensor) => grad(y, x, { gradOutputs: onesLike(y), createGraph: true })[0]!;

function close(a: number[], b: number[], tol: number) {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i]), `index ${i}: ${v} vs ${b[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]))));
}

describe('higher-order derivatives against closed forms', () => {
  it('d/dx, d²/dx², d³/dx³ of sin x are cos x, −sin x, −cos x', () => tidy(() => {
    const x = linspace(-3, 3, 41, { dtype: 'float64' }).requiresGrad_();
    const d1 = d(x.sin(), x), d2 = d(d1, x), d3 = d(d2, x);
    close(arr(d1), arr(x.cos()), 1e-14);
    close(arr(d2), arr(x.sin().neg()), 1e-14);
    close(arr(d3), arr(x.cos().neg()), 1e-14);
  }));
  it('d²/dx² of x³ is 6x and of exp(2x) is 4 exp(2x)', () => tidy(() => {
    const x = linspace(-2, 2, 9, { dtype: 'float64' }).requiresGrad_();
    close(arr(d(d(x.pow(3), x), x)), arr(x.mul(6)), 1e-13);
    close(arr(d(d(x.mul(2).exp(), x), x)), arr(x.mul(2).exp().mul(4)), 1e-13);
  }));
  it('mixed partial ∂²/∂x∂y of sin(x)·y² is 2y cos x, with x, y as separate tensors and as columns', () => tidy(() => {
    const x = tensor([0.3, 1.1, -0.7], { dtype: 'float64' }).requiresGrad_();
    const y = tensor([0.5, -2, 1.5], { dtype: 'float64' }).requiresGrad_();
    const f = x.sin().mul(y.square());
    const fxy = d(d(f, x), y);
    close(arr(fxy), arr(y.mul(2).mul(x.cos())), 1e-14);
    const X = tensor([[0.3, 0.5], [1.1, -2], [-0.7, 1.5]], { dtype: 'float64' }).requiresGrad_();
    const g = X.select(1, 0).sin().mul(X.select(1, 1).square());
    const gx = d(g, X).select(1, 0);
    const gxy = d(gx, X).select(1, 1);
    close(arr(gxy), arr(fxy), 1e-14);
  }));
});

describe('a tanh MLP against central finite differences', () => {
  it('u_x and u_xx to 1e-6', () => tidy(() => {
    manualSeed(3);
    const W1 = randn([16, 1], { dtype: 'float64' }), b1 = randn([16], { dtype: 'float64' });
    const W2 = randn([16, 16], { dtype: 'float64' }).mul(0.3), b2 = randn([16], { dtype: 'float64' });
    const W3 = randn([1, 16], { dtype: 'float64' }), b3 = randn([1], { dtype: 'float64' });
    const u = (x: Tensor) => linear(linear(linear(x, W1, b1).tanh(), W2, b2).tanh(), W3, b3);
    const xs = linspace(-1, 1, 11, { dtype: 'float64' }).reshape(-1, 1);
    const x = xs.detach().requiresGrad_();
    const ux = d(u(x), x), uxx = d(ux, x);
    const h = 1e-4;
    const f = (t: Tensor) => arr(noGrad(() => u(t)));
    const [up, um, u0] = [f(xs.add(h)), f(xs.sub(h)), f(xs)];
    close(arr(ux), up.map((v, i) => (v - um[i]) / (2 * h)), 1e-6);
    close(arr(uxx), up.map((v, i) => (v - 2 * u0[i] + um[i]) / (h * h)), 1e-5);
  }));
});

describe('autograd API', () => {
  it('backward accumulates into .grad; retainGraph allows a second pass', () => tidy(() => {
    const x = tensor([1, 2], { dtype: 'float64' }).requiresGrad_();
    const y = x.square().sum();
    y.backward(null, { retainGraph: true });
    y.backward();
    expect(x.grad!.toArray()).toEqual([4, 8]); // 2 · 2x
    expect(x.isLeaf).toBe(true);
    expect(y.gradFn).toMatch(/SumBackward/);
  }));
  it('allowUnused gives null for an input the output does not use', () => tidy(() => {
    const x = tensor([1], { dtype: 'float64' }).requiresGrad_();
    const z = tensor([1], { dtype: 'float64' }).requiresGrad_();
    const [gx, gz] = grad(x.mul(3).sum(), [x, z], { allowUnused: true });
    expect(gx!.item()).toBe(3);
    expect(gz).toBeNull();
  }));
  it('noGrad stops recording; enableGrad restores it inside; detach cuts the graph', () => tidy(() => {
    const x = tensor([1]).requiresGrad_();
    expect(noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    expect(noGrad(() => enableGrad(() => x.mul(2))).requiresGrad).toBe(true);
    expect(x.mul(2).detach().requiresGrad).toBe(false);
  }));
  it('ops on tensors that need no grad record nothing; a view of one still carries in-place history', () => tidy(() => {
    // The native layer skips autograd dispatch when no input requires grad, except for views.
    const k = tensor([[1, 2], [3, 4]], { dtype: 'float64' });
    const w = tensor([[0.5, -1], [2, 3]], { dtype: 'float64' }).requiresGrad_();
    expect([k.mul(k), k.mul(3), k.tanh(), k.matmul(k)].map((t) => t.requiresGrad)).toEqual([false, false, false, false]);
    expect([k.add(w), w.mul(3), w.tanh(), k.matmul(w)].map((t) => t.requiresGrad)).toEqual([true, true, true, true]);
    const base = k.clone();
    base.t().mul_(w); // base[j][i] *= w[i][j]: base gains history through its view
    expect(base.requiresGrad).toBe(true);
    expect(arr(base)).toEqual([0.5, 4, -3, 12]);
    expect(arr(grad(base.sum(), w)[0]!)).toEqual([1, 3, 2, 4]); // ∂/∂w Σ kᵀ∘w = kᵀ
  }));
  it('gradients flow through complex ops: L = mean |(a + ib)·c|² gives ∂L/∂a = 2a|c|²/N', () => tidy(() => {
    const a = tensor([0.5, -1, 2], { dtype: 'float64' }).requiresGrad_();
    const b = tensor([1, 0.25, -0.5], { dtype: 'float64' }).requiresGrad_();
    const c = complex(tensor([0.3], { dtype: 'float64' }), tensor([-0.4], { dtype: 'float64' })); // |c|² = 0.25
    const L = complex(a, b).mul(c).abs().square().mean();
    L.backward();
    close(arr(a.grad!), [0.5, -1, 2].map((v) => (2 * v * 0.25) / 3), 1e-14);
    close(arr(b.grad!), [1, 0.25, -0.5].map((v) => (2 * v * 0.25) / 3), 1e-14);
  }));
});

describe.skipIf(!hasTorch)('against PyTorch (needs /usr/bin/python3 with torch)', () => {
  it('manualSeed gives the same rand/randn streams as torch.manual_seed', () => {
    manualSeed(42);
    const mine = tidy(() => [Array.from(rand([5]).data() as Float32Array), Array.from(randn([5]).data() as Float32Array)]);
    const ref = JSON.parse(execFileSync(PY, ['-c', 'import torch, json; torch.manual_seed(42); print(json.dumps([torch.rand(5).tolist(), torch.randn(5).tolist()]))'], { encoding: 'utf8' }));
    expect(mine[0]).toEqual(ref[0].map(Math.fround));
    expect(mine[1]).toEqual(ref[1].map(Math.fround));
  });
  it('values and third derivatives of a composite function match torch.autograd', () => {
    const xs = [-1.3, -0.2, 0.4, 1.7];
    const mine = tidy(() => {
      const x = tensor(xs, { dtype: 'float64' }).requiresGrad_();
      const f = x.tanh().mul(x.sin()).add(x.mul(0.5).exp().div(x.square().add(1)));
      const d1 = d(f, x), d2 = d(d1, x), d3 = d(d2, x);
      return [arr(f), arr(d1), arr(d2), arr(d3)];
    });
    const ref = JSON.parse(execFileSync(PY, ['-c', `
import torch, json
x = torch.tensor(${JSON.stringify(xs)}, dtype=torch.float64, requires_grad=True)
f = torch.tanh(x) * torch.sin(x) + torch.exp(0.5 * x) / (x**2 + 1)
out = [f]
for _ in range(3):
    out.append(torch.autograd.grad(out[-1], x, torch.ones_like(x), create_graph=True)[0])
print(json.dumps([o.tolist() for o in out]))`], { encoding: 'utf8' }));
    mine.forEach((m, k) => close(m, ref[k], 1e-13));
  });
});

// SIREN (Sitzmann et al. 2020) as an MLP option: weight distributions per layer, the reference
// implementation's draws and outputs in PyTorch, forward-mode derivatives, seeding.
import { describe, expect, it } from 'vitest';
import { Tensor, cat, nn, pinn, rand, tidy, zeros } from '../src/index.js';
import { expectClose, flat, hasTorch, runTorch } from './helpers/compare.js';



/** Kolmogorov–Smirnov distance between the samples and U(−b, b). */
function ksUniform(samples: number[], b: number): number {
  const s = [...samples].sort((p, q) => p - q), n = s.length;
  let d = 0;
  s.forEach((v, i) => {
    const F = Math.min(1, Math.max(0, (v + b) / (2 * b)));
    d = Math.max(d, Math.abs(F - i / n), Math.abs(F - (i + 1) / n));
  });
  return d;
}

describe('SIREN initialisation', () => {
  for (const [omega0First, omega0] of [[30, 30], [10, 2], [1, 1]]) {
    it(`ω₀ first ${omega0First}, hidden ${omega0}: every layer's weights and biases follow their uniform law (KS test, α = 0.001)`, () => {
      const sizes = [3, 256, 256, 256, 2];
      const net = new nn.MLP(sizes, { init: 'siren', omega0, omega0First, seed: 12, dtype: 'float64' });
      expect(net.omega0).toEqual([omega0First, omega0, omega0]);
      net.layers.forEach((l, i) => {
        const nIn = sizes[i];
        const b = i === 0 ? 1 / nIn : Math.sqrt(6 / nIn) / omega0; // the last, linear layer too
        expect(nn.sirenBound(nIn, { first: i === 0, omega0 })).toBe(b);
        const w = flat(l.weight), bias = flat(l.bias!);
        expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(b);
        expect(ksUniform(w, b), `layer ${i} weights`).toBeLessThan(1.95 / Math.sqrt(w.length));
        // Biases keep nn.Linear's U(±1/√n_in), as SIREN's reference code leaves them.
        expect(ksUniform(bias, 1 / Math.sqrt(nIn)), `layer ${i} biases`).toBeLessThan(1.95 / Math.sqrt(bias.length));
      });
    });
  }

  it('defaults: sin activation and ω₀ = 30; the same seed gives the same network, without touching the global stream', () => {
    const a = new nn.MLP([2, 16, 16, 1], { init: 'siren', seed: 5 });
    expect(a.act).toBeInstanceOf(nn.Sin);
    expect(a.omega0).toEqual([30, 30]);
    expect(a.parameters()).toHaveLength(6); // ω₀ is fixed: not a parameter
    const b = new nn.MLP([2, 16, 16, 1], { init: 'siren', seed: 5 });
    const c = new nn.MLP([2, 16, 16, 1], { init: 'siren', seed: 6 });
    const sd = (m: nn.Module) => Object.values(m.stateDict()).map((t) => Array.from(t.data() as Float32Array));
    expect(sd(b)).toEqual(sd(a));
    expect(sd(c)).not.toEqual(sd(a));
    const x = tidy(() => zeros([4]).uniform_());
    const y = tidy(() => { new nn.MLP([2, 4, 1], { init: 'siren', seed: 3 }); return zeros([4]).uniform_(); });
    expect(Array.from(y.data() as Float32Array)).not.toEqual(Array.from(x.data() as Float32Array));
  });

  it('bad input names MLP and the argument', () => {
    expect(() => new nn.MLP([2, 4, 1], { init: 'siren', activation: 'tanh' })).toThrow(/MLP: init 'siren' needs activation 'sin', got 'tanh'/);
    expect(() => new nn.MLP([2, 4, 1], { init: 'siren', omega0: 0 })).toThrow(/MLP: omega0 must be a positive number, got 0/);
    expect(() => new nn.MLP([2, 4, 1], { activation: 'sin', omega0First: -1 })).toThrow(/MLP: omega0First must be a positive number, got -1/);
    expect(() => new nn.MLP([2, 4, 1], { omega0: NaN })).toThrow(/omega0 must be/);
  });
});

describe('SIREN forward', () => {
  it('equals sin(ω₀(W x + b)) layer by layer, written out', () => {
    const net = new nn.MLP([2, 20, 20, 3], { init: 'siren', omega0First: 15, omega0: 30, seed: 1, dtype: 'float64' });
    tidy(() => {
      const x = rand([10, 2], { dtype: 'float64' }).mul(2).sub(1);
      const [l0, l1, l2] = net.layers;
      const h1 = x.matmul(l0.weight.t()).add(l0.bias!).mul(15).sin();
      const h2 = h1.matmul(l1.weight.t()).add(l1.bias!).mul(30).sin();
      expectClose(flat(net.forward(x)), flat(h2.matmul(l2.weight.t()).add(l2.bias!)), 1e-13, 'y');
    });
  });
});

describe.skipIf(!hasTorch)('against the reference implementation in PyTorch (needs /usr/bin/python3 with torch)', () => {
  // As SIREN's explore_siren.ipynb builds it (SineLayer, outermost_linear=True): nn.Linear's
  // own init, then the weight redrawn; ω₀ multiplies the whole pre-activation.
  const SCRIPT = `
import json, math, sys, torch
inp = json.load(sys.stdin)
torch.set_default_dtype(torch.float64)
torch.manual_seed(inp['seed'])
sizes, first, hidden = inp['sizes'], inp['omega0First'], inp['omega0']
layers = []
for i in range(len(sizes) - 1):
    lin = torch.nn.Linear(sizes[i], sizes[i + 1])
    bound = 1 / sizes[i] if i == 0 else math.sqrt(6 / sizes[i]) / hidden
    with torch.no_grad(): lin.weight.uniform_(-bound, bound)
    layers.append(lin)
h = torch.tensor(inp['x']).reshape(-1, sizes[0])
for i, lin in enumerate(layers):
    h = lin(h)
    if i < len(layers) - 1: h = torch.sin((first if i == 0 else hidden) * h)
h.square().sum().backward()
print(json.dumps({
  'state': {f'{2 * i}.{k}': p.detach().flatten().tolist() for i, l in enumerate(layers) for k, p in l.named_parameters()},
  'grads': {f'{2 * i}.{k}': p.grad.flatten().tolist() for i, l in enumerate(layers) for k, p in l.named_parameters()},
  'y': h.flatten().tolist()}))
`;
  it('same seed, same weights draw for draw; same output and weight gradients (1e-12)', () => {
    const sizes = [2, 24, 24, 24, 2], seed = 7, omega0First = 30, omega0 = 20;
    const net = new nn.MLP(sizes, { init: 'siren', omega0First, omega0, seed, dtype: 'float64' });
    const x = tidy(() => rand([12, 2], { dtype: 'float64' }).mul(2).sub(1));
    const ref = runTorch(SCRIPT, { sizes, seed, omega0First, omega0, x: flat(x) });
    for (const [k, p] of net.namedParameters()) expect(flat(p), k).toEqual(ref.state[k]);
    net.zeroGrad();
    tidy(() => {
      const y = net.forward(x);
      expectClose(flat(y), ref.y, 1e-12, 'y');
      y.square().sum().backward();
    });
    // ω₀ is applied to the pre-activation, not folded into the parameters: the gradients match.
    for (const [k, p] of net.namedParameters()) expectClose(flat(p.grad!), ref.grads[k], 1e-12, `∂/∂${k}`);
  });
});

describe('forward-mode derivatives (pinn.taylor) of a SIREN equal nested autograd', () => {
  for (const fused of [true, false]) {
    it(`${fused ? 'fused' : 'composite'} path: every first and second derivative and every weight gradient to 1e-10`, () => {
      const net = new nn.MLP([2, 24, 24, 1], { init: 'siren', omega0: 30, seed: 3, dtype: 'float64' });
      expect(pinn.supportsTaylor(net)).toBe(true);
      const x = tidy(() => rand([15, 2], { dtype: 'float64' }).mul(2).sub(1));
      const pairs: [number, number][] = [[0, 0], [0, 1], [1, 1]];
      const run = (mode: 'taylor' | 'autograd') => tidy(() => {
        net.zeroGrad();
        let cols: Tensor[];
        if (mode === 'taylor') {
          const r = pinn.taylor(net, x, { first: [0, 1], second: pairs });
          cols = [r.u, r.first.get(0)!, r.first.get(1)!, ...pairs.map(([i, j]) => r.second.get(`${i},${j}`)!)];
        } else {
          const xg = x.detach().requiresGrad_();
          const d = new pinn.Derivatives(xg, net.forward(xg), ['x', 'y'], ['u']);
          cols = [d.u, d.d('u', 'x'), d.d('u', 'y'), d.d('u', 'x', 'x'), d.d('u', 'x', 'y'), d.d('u', 'y', 'y')];
        }
        cat(cols, 1).square().sum().backward();
        return { values: cols.map(flat), grads: net.parameters().map((p) => flat(p.grad!)) };
      });
      if (!fused) pinn.setFusedKernels(false);
      try {
        const fwd = run('taylor'), ref = run('autograd');
        fwd.values.forEach((v, k) => expectClose(v, ref.values[k], 1e-10, `channel ${k}`));
        fwd.grads.forEach((g, k) => expectClose(g, ref.grads[k], 1e-10, `grad ${k}`));
        // With ω₀ = 30 the derivatives are large: second ones scale like ω₀² times the value.
        expect(Math.max(...fwd.values[3].map(Math.abs))).toBeGreaterThan(10 * Math.max(...fwd.values[0].map(Math.abs)));
      } finally {
        pinn.setFusedKernels(true);
      }
    });
  }
});

// Adaptive activations (GAAF, L-LAAF, N-LAAF; src/nn/adaptive.ts): parameters, forward and
// gradients against PyTorch, the slope recovery term's closed form, forward-mode derivatives
// against nested autograd, and training of the slopes.
import { describe, expect, it } from 'vitest';
import { Tensor, cat, keep, manualSeed, memory, mse, nn, noGrad, optim, pinn, rand, tidy } from '../src/index.js';
import { expectClose, flat, hasTorch, runTorch } from './helpers/compare.js';



/** Sets every slope a to a random value in [0.05, 0.2] (n·a in [0.5, 2] for n = 10), so n·a ≠ 1. */
function perturbSlopes(net: nn.MLP, seed: number) {
  manualSeed(seed);
  for (const s of new Set(net.slopes)) tidy(() => noGrad(() => s.a.copy_(rand(s.a.shape, { dtype: s.a.dtype }).mul(0.15).add(0.05))));
}
const names = (m: nn.Module) => [...m.namedParameters()].map(([n, p]) => `${n}${JSON.stringify(p.shape)}`);

describe('adaptive slopes are parameters', () => {
  it('named like a PyTorch Sequential (Linear, activation with parameter a, …), shaped per kind, starting at n·a = 1', () => {
    const o = { seed: 1, dtype: 'float64' as const };
    expect(names(new nn.MLP([2, 8, 6, 1], { ...o, adaptive: { kind: 'layer', n: 10 } }))).toEqual(
      ['0.weight[8,2]', '0.bias[8]', '1.a[1]', '2.weight[6,8]', '2.bias[6]', '3.a[1]', '4.weight[1,6]', '4.bias[1]']);
    expect(names(new nn.MLP([2, 8, 6, 1], { ...o, adaptive: { kind: 'neuron', n: 10 } }))).toEqual(
      ['0.weight[8,2]', '0.bias[8]', '1.a[8]', '2.weight[6,8]', '2.bias[6]', '3.a[6]', '4.weight[1,6]', '4.bias[1]']);
    const global = new nn.MLP([2, 8, 6, 1], { ...o, adaptive: { kind: 'global', n: 5 } });
    expect(names(global)).toEqual(['a[1]', '0.weight[8,2]', '0.bias[8]', '2.weight[6,8]', '2.bias[6]', '4.weight[1,6]', '4.bias[1]']);
    expect(global.slopes).toHaveLength(2);
    expect(global.slopes[0]).toBe(global.slopes[1]); // one slope, shared
    expect(flat(global.slopes[0].a)).toEqual([0.2]);

    // The module on its own: forward(z) = n·a·z.
    tidy(() => {
      const z = rand([3, 8], { dtype: 'float64' });
      const slope = global.slopes[0];
      expectClose(flat(slope.forward(z)), flat(z).map((v) => 5 * 0.2 * v), 1e-15, 'AdaptiveSlope.forward');
    });
    // n·a = 1 at the start: the same function as the plain MLP with the same weights.
    const plain = new nn.MLP([2, 8, 6, 1], o);
    for (const kind of ['global', 'layer', 'neuron'] as const) {
      const net = new nn.MLP([2, 8, 6, 1], { ...o, adaptive: { kind, n: 7 } });
      tidy(() => {
        const x = rand([9, 2], { dtype: 'float64' });
        expectClose(flat(net.forward(x)), flat(plain.forward(x)), 1e-15, kind);
      });
    }
  });

  it('state dicts carry the slopes: a round trip reproduces the function; a plain state dict is refused', () => {
    const a = new nn.MLP([2, 5, 5, 1], { seed: 1, dtype: 'float64', adaptive: { kind: 'neuron' } });
    const b = new nn.MLP([2, 5, 5, 1], { seed: 2, dtype: 'float64', adaptive: { kind: 'neuron' } });
    perturbSlopes(a, 3);
    const x = tidy(() => rand([6, 2], { dtype: 'float64' }));
    const before = tidy(() => flat(b.forward(x)));
    b.loadStateDict(a.stateDict());
    tidy(() => expect(flat(b.forward(x))).toEqual(flat(a.forward(x))));
    expect(tidy(() => flat(a.forward(x)))).not.toEqual(before);
    const plain = new nn.MLP([2, 5, 5, 1], { seed: 1, dtype: 'float64' });
    expect(() => b.loadStateDict(plain.stateDict())).toThrow(/missing key\(s\) '1.a', '3.a'/);
  });
});

describe('slope recovery term S(a) = 1 / mean_k exp(mean aᵏ)', () => {
  it('equals the closed form, and so does its gradient, for every kind', () => {
    for (const kind of ['global', 'layer', 'neuron'] as const) {
      const net = new nn.MLP([2, 4, 3, 5, 1], { seed: 0, dtype: 'float64', adaptive: { kind, n: 10 } });
      perturbSlopes(net, 11);
      const layers = net.slopes.map((s) => flat(s.a)); // K = 3 hidden layers
      const K = layers.length;
      const e = layers.map((a) => Math.exp(a.reduce((p, q) => p + q, 0) / a.length));
      const S = K / e.reduce((p, q) => p + q, 0);
      net.zeroGrad();
      const got = tidy(() => { const s = net.slopeRecovery(); s.backward(); return s.item() as number; });
      expectClose([got], [S], 1e-15, `${kind} S`);
      if (kind === 'global') expectClose([got], [Math.exp(-layers[0][0])], 1e-15, 'global S = exp(−a)');
      // ∂S/∂aᵢᵏ = −S² · exp(āᵏ) / (K · Nₖ); a shared slope collects every layer's share.
      const grads = new Map<Tensor, number[]>();
      net.slopes.forEach((s, k) => {
        const g = layers[k].map(() => (-S * S * e[k]) / (K * layers[k].length));
        grads.set(s.a, (grads.get(s.a) ?? g.map(() => 0)).map((v, i) => v + g[i]));
      });
      for (const [a, g] of grads) expectClose(flat(a.grad!), g, 1e-14, `${kind} ∂S/∂a`);
    }
  });
});

describe.skipIf(!hasTorch)('against PyTorch (needs /usr/bin/python3 with torch)', () => {
  const SCRIPT = `
import json, sys, torch
inp = json.load(sys.stdin)
torch.set_default_dtype(torch.float64)
class Adaptive(torch.nn.Module):  # sigma(n * a * z), as in Jagtap et al.
    def __init__(self, act, n, size):
        super().__init__()
        self.act, self.n = act, n
        self.a = torch.nn.Parameter(torch.full((size,), 1.0 / n))
    def forward(self, z): return self.act(self.n * self.a * z)
sizes, n, act = inp['sizes'], inp['n'], getattr(torch, inp['act'])
layers = []
for i in range(len(sizes) - 1):
    layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
    if i < len(sizes) - 2: layers.append(Adaptive(act, n, sizes[i + 1] if inp['kind'] == 'neuron' else 1))
net = torch.nn.Sequential(*layers)
net.load_state_dict({k: torch.tensor(v).reshape(net.state_dict()[k].shape) for k, v in inp['state'].items()})
x = torch.tensor(inp['x']).reshape(-1, sizes[0])
y = net(x)
S = 1 / torch.stack([torch.exp(m.a.mean()) for m in net if isinstance(m, Adaptive)]).mean()
(y.square().sum() + S).backward()
print(json.dumps({'y': y.flatten().tolist(), 'S': S.item(), 'grads': {k: p.grad.flatten().tolist() for k, p in net.named_parameters()}}))
`;
  for (const [kind, act] of [['layer', 'tanh'], ['neuron', 'tanh'], ['neuron', 'sin'], ['layer', 'sigmoid']] as const) {
    it(`${kind}-wise ${act}: forward, S(a) and every gradient (slopes included) to 1e-12; the state dict loads into PyTorch strictly`, () => {
      const sizes = [3, 7, 6, 2], n = 10;
      const net = new nn.MLP(sizes, { activation: act, seed: 4, dtype: 'float64', adaptive: { kind, n } });
      perturbSlopes(net, 5);
      const x = tidy(() => rand([8, 3], { dtype: 'float64' }).mul(2).sub(1));
      const state = Object.fromEntries(Object.entries(net.stateDict()).map(([k, v]) => [k, flat(v)]));
      const ref = runTorch(SCRIPT, { sizes, n, act, kind, state, x: flat(x) });
      net.zeroGrad();
      tidy(() => {
        const y = net.forward(x), S = net.slopeRecovery();
        expectClose(flat(y), ref.y, 1e-12, 'y');
        expectClose([S.item() as number], [ref.S], 1e-14, 'S');
        y.square().sum().add(S).backward();
      });
      for (const [name, p] of net.namedParameters()) expectClose(flat(p.grad!), ref.grads[name], 1e-12, `∂/∂${name}`);
    });
  }
});

const NAMES = ['x', 'y', 't'];

describe('forward-mode derivatives (pinn.taylor) of adaptive MLPs equal nested autograd', () => {
  const cases: [nn.AdaptiveKind, nn.ActivationName, boolean, number?][] = [
    ['global', 'tanh', true], ['layer', 'tanh', true], ['neuron', 'tanh', true], ['neuron', 'tanh', false],
    ['layer', 'sin', true], ['neuron', 'sin', false], ['neuron', 'sigmoid', false], ['layer', 'sin', true, 3],
  ];
  for (const [kind, act, fused, omega0] of cases) {
    it(`${kind}-wise ${act}${omega0 ? `, ω₀ = ${omega0}` : ''} (${fused ? 'fused' : 'composite'} path): values, derivatives and every parameter gradient, slopes included, to 1e-10`, () => {
      const sizes = [3, 10, 9, 2];
      const net = new nn.MLP(sizes, { activation: act, seed: 6, dtype: 'float64', adaptive: { kind, n: 10 }, omega0 });
      expect(pinn.supportsTaylor(net)).toBe(true);
      perturbSlopes(net, 7);
      const x = tidy(() => rand([17, 3], { dtype: 'float64' }).mul(2).sub(1));
      const inputs = NAMES, outputs = ['u0', 'u1'];
      const pairs: [number, number][] = [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]];
      /** Values of u, every ∂u and ∂²u, and the gradients of Σ (u + Σ∂u² + Σ∂²u²) for every parameter. */
      const run = (mode: 'taylor' | 'autograd') => tidy(() => {
        net.zeroGrad();
        let cols: Tensor[];
        if (mode === 'taylor') {
          const r = pinn.taylor(net, x, { first: [0, 1, 2], second: pairs });
          cols = [r.u, ...[0, 1, 2].map((i) => r.first.get(i)!), ...pairs.map(([i, j]) => r.second.get(`${i},${j}`)!)];
        } else {
          const xg = x.detach().requiresGrad_();
          const ref = new pinn.Derivatives(xg, net.forward(xg), inputs, outputs);
          const both = (f: (o: string) => Tensor) => cat(outputs.map(f), 1);
          cols = [ref.u, ...inputs.map((a) => both((o) => ref.d(o, a))), ...pairs.map(([i, j]) => both((o) => ref.d(o, inputs[i], inputs[j])))];
        }
        cols.reduce((acc: Tensor | null, c, k) => { const t = (k === 0 ? c : c.square()).sum(); return acc ? acc.add(t) : t; }, null)!.backward();
        return { values: cols.map(flat), grads: [...net.namedParameters()].map(([n, p]) => [n, flat(p.grad!)] as const) };
      });
      if (!fused) pinn.setFusedKernels(false);
      try {
        const fwd = run('taylor'), ref = run('autograd');
        fwd.values.forEach((v, k) => expectClose(v, ref.values[k], 1e-10, `channel ${k}`));
        fwd.grads.forEach(([n, g], k) => expectClose(g, ref.grads[k][1], 1e-10, `∂loss/∂${n}`));
        expect(fwd.grads.filter(([n]) => n === 'a' || n.endsWith('.a')).length).toBe(kind === 'global' ? 1 : 2);
      } finally {
        pinn.setFusedKernels(true);
      }
    });
  }

  it('pinn.Problem uses the forward engine for an adaptive MLP; loss + S(a) and its gradients equal the autograd path', () => {
    const net = new nn.MLP([2, 12, 12, 1], { seed: 9, dtype: 'float64', adaptive: { kind: 'neuron', n: 10 } });
    perturbSlopes(net, 10);
    const pts = tidy(() => rand([30, 2], { dtype: 'float64' }));
    const make = (mode: 'forward' | 'autograd', p: Tensor) => new pinn.Problem({
      inputs: ['x', 'y'], outputs: ['u'], derivatives: mode,
      conditions: [new pinn.PDE('pde', p, (d) => d.d('u', 'x', 'x').add(d.d('u', 'y', 'y')).add(d.d('u', 'x').mul(d.value('u'))))],
    });
    const fwd = make('forward', pts), ag = make('autograd', tidy(() => pts.clone()));
    const step = (p: pinn.Problem) => tidy(() => {
      net.zeroGrad();
      const loss = p.total(p.losses(net)).add(net.slopeRecovery());
      loss.backward();
      return [loss.item() as number, ...net.parameters().flatMap((q) => flat(q.grad!))];
    });
    step(fwd); // the first step learns which derivatives the residual needs
    expect(fwd.usesForward(net)).toBe(true);
    expectClose(step(fwd), step(ag), 1e-10, 'loss and gradients');
    fwd.dispose(); ag.dispose();
  });
});

describe('training', () => {
  it('one Adam step moves every slope by lr against the sign of its gradient (Adam\'s first step)', () => {
    for (const kind of ['global', 'layer', 'neuron'] as const) {
      const net = new nn.MLP([2, 6, 6, 1], { seed: 2, dtype: 'float64', adaptive: { kind, n: 10 } });
      const x = tidy(() => rand([20, 2], { dtype: 'float64' }));
      const target = tidy(() => x.narrow(1, 0, 1).mul(3).sin());
      const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
      const slopes = [...new Set(net.slopes)].map((s) => s.a);
      const before = slopes.map(flat);
      tidy(() => { opt.zeroGrad(); mse(net.forward(x), target).add(net.slopeRecovery()).backward(); });
      const grads = slopes.map((a) => flat(a.grad!));
      opt.step();
      slopes.forEach((a, k) => {
        const moved = flat(a).map((v, i) => v - before[k][i]);
        // m̂/(√v̂ + ε) = g/(|g| + ε) on the first step
        expectClose(moved, grads[k].map((g) => (-1e-3 * g) / (Math.abs(g) + 1e-8)), 1e-9, `${kind} slope step`);
        expect(moved.every((m) => m !== 0)).toBe(true);
      });
    }
  });

  it('training with forward-mode derivatives: slopes change, the loss falls and the live tensor count stays flat', () => {
    const net = new nn.MLP([2, 16, 16, 1], { seed: 4, dtype: 'float64', adaptive: { kind: 'layer', n: 10 } });
    const pts = keep(rand([40, 2], { dtype: 'float64' }));
    const problem = new pinn.Problem({
      inputs: ['x', 'y'], outputs: ['u'], derivatives: 'forward',
      conditions: [new pinn.PDE('pde', pts, (d) => d.d('u', 'x', 'x').add(d.d('u', 'y', 'y')).add(d.value('u').sub(1)))],
    });
    const opt = new optim.Adam(net.parameters(), { lr: 1e-2 });
    const step = () => tidy(() => {
      opt.zeroGrad();
      const loss = problem.total(problem.losses(net)).add(net.slopeRecovery().mul(1e-3));
      loss.backward(); opt.step();
      return loss.item() as number;
    });
    step(); step();
    const a0 = tidy(() => net.slopes.map((s) => flat(s.a)[0]));
    const base = memory().tensors;
    const losses = Array.from({ length: 30 }, () => { const l = step(); expect(memory().tensors).toBe(base); return l; });
    expect(losses[29]).toBeLessThan(losses[0]);
    net.slopes.forEach((s, k) => expect(flat(s.a)[0]).not.toBe(a0[k]));
    problem.dispose();
  });
});

describe('bad input', () => {
  it('names MLP and the argument', () => {
    expect(() => new nn.MLP([2, 4, 1], { adaptive: { kind: 'cell' as 'layer' } })).toThrow(/MLP: adaptive.kind must be 'global' or 'layer' or 'neuron', got "cell"/);
    expect(() => new nn.MLP([2, 4, 1], { adaptive: { kind: 'layer', n: 0.5 } })).toThrow(/MLP: adaptive.n must be a finite number ≥ 1, got 0.5/);
    expect(() => new nn.MLP([2, 4, 1], { adaptive: { kind: 'layer', n: NaN } })).toThrow(/adaptive.n must be/);
    expect(() => new nn.MLP([2, 4, 1], { adaptive: 'layer' as unknown as nn.AdaptiveOptions })).toThrow(/MLP: adaptive must be an object, got "layer"/);
    expect(() => new nn.MLP([2, 4, 1], { adaptive: { kind: 'layer', m: 2 } as never })).toThrow("MLP: unknown adaptive option 'm'; did you mean 'n'? (adaptive options: kind, n)");
    expect(() => new nn.MLP([2, 1], { adaptive: { kind: 'layer' } })).toThrow(/MLP: adaptive needs at least one hidden layer/);
    expect(() => new nn.MLP([2, 4, 1]).slopeRecovery()).toThrow(/MLP.slopeRecovery: this MLP has no adaptive slopes/);
    expect(() => new nn.MLP([2, 4, 1]).effectiveLinear(2)).toThrow(/MLP.effectiveLinear: i must be in \[0, 1\], got 2/);
  });
});

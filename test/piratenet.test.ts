// PirateNet (src/nn/piratenet.ts): its α = 0 start is the shallow model u = Φ W + b, and its
// forward and gradients equal the paper's equations written in PyTorch.
import { describe, expect, it } from 'vitest';
import { grad, nn, noGrad, pinn, rand, tidy } from '../src/index.js';
import { expectClose, flat, hasTorch, runTorch } from './helpers/compare.js';

describe('PirateNet', () => {
  it('starts as the shallow model u = Φ(x) W + b (every α = 0), whatever its blocks hold', () => {
    const net = new nn.PirateNet(2, 16, 3, 2, { seed: 1, dtype: 'float64' });
    expect(net.blocks.map((b) => b.alpha.item())).toEqual([0, 0, 0]);
    tidy(() => {
      const x = rand([12, 2], { dtype: 'float64' }).mul(2).sub(1).requiresGrad_();
      const u = net.forward(x), shallow = net.output.forward(net.embedding.forward(x));
      expectClose(flat(u), flat(shallow), 1e-15, 'u');
      // the blocks' weights move nothing yet, but α has a gradient: ∂u/∂α = (h − x) W
      const loss = u.square().sum();
      const [gw, ga] = grad([loss], [net.blocks[1].layers[0].weight, net.blocks[1].alpha], { allowUnused: true });
      expect(gw === null || flat(gw).every((v) => v === 0)).toBe(true);
      expect(Math.abs(ga!.item() as number)).toBeGreaterThan(1e-6);
    });
    expect(net.parameters()).toHaveLength(2 * 3 + 3 * (3 * 2 + 1)); // encoders + output, 3 blocks of 3 layers and α
    expect(Object.keys(net.stateDict())).toContain('block2.alpha');
    net.dispose();
  });

  it('refuses bad sizes and options', () => {
    expect(() => new nn.PirateNet(2, 15, 2, 1)).toThrow(/PirateNet: width must be even/);
    expect(() => new nn.PirateNet(2, 16, 0, 1)).toThrow(/PirateNet: blocks must be a positive integer, got 0/);
    expect(() => new nn.PirateNet(2, 16, 1.5, 1)).toThrow(/PirateNet: blocks/);
    expect(() => new nn.PirateNet(2, 16, 2, 1, { scale: -1 })).toThrow(/PirateNet: scale/);
    expect(() => new nn.PirateNet(2, 16, 2, 1, { width: 3 } as never)).toThrow(/PirateNet/);
    const net = new nn.PirateNet(2, 8, 1, 1);
    expect(() => tidy(() => net.forward(rand([4, 3])))).toThrow();
    net.dispose();
  });

  it('trains through a Problem: derivatives by nested autograd reach every parameter', () => {
    const net = new nn.PirateNet(2, 8, 2, 1, { seed: 3, dtype: 'float64' });
    noGrad(() => { for (const b of net.blocks) b.alpha.fill_(0.5); }); // past the shallow start
    expect(pinn.supportsTaylor(net)).toBe(false);
    const pts = tidy(() => rand([20, 2], { dtype: 'float64' }));
    const problem = new pinn.Problem({ inputs: ['x', 't'], outputs: ['u'], conditions: [new pinn.PDE('pde', pts, (d) => d.d('u', 't').sub(d.d('u', 'x', 'x')))] });
    tidy(() => {
      net.zeroGrad();
      problem.total(problem.losses(net)).backward();
      for (const [name, p] of net.namedParameters()) {
        if (name === 'output.bias') continue; // no derivative depends on it
        expect(p.grad, name).not.toBeNull();
        expect(flat(p.grad!).some((v) => v !== 0), name).toBe(true);
      }
    });
    problem.dispose(); net.dispose();
  });
});

describe.skipIf(!hasTorch)('PirateNet against the paper\'s equations in PyTorch (needs /usr/bin/python3 with torch)', () => {
  it('forward and the gradient of Σu² for every parameter, with α ≠ 0, to 1e-12', () => {
    const net = new nn.PirateNet(3, 10, 2, 2, { seed: 7, dtype: 'float64', scale: 1.5 });
    noGrad(() => { net.blocks[0].alpha.fill_(0.3); net.blocks[1].alpha.fill_(-0.7); });
    const x = tidy(() => rand([9, 3], { dtype: 'float64' }));
    const state = Object.fromEntries(Object.entries(net.stateDict()).map(([k, t]) => [k, { shape: t.shape, data: flat(t) }]));
    const ref = runTorch(`
import json, sys, math, torch
torch.set_default_dtype(torch.float64)
inp = json.load(sys.stdin)
S = {k: torch.tensor(v['data'], dtype=torch.float64).reshape(v['shape']).requires_grad_() for k, v in inp['state'].items()}
x = torch.tensor(inp['x'], dtype=torch.float64).reshape(-1, 3)
dense = lambda h, n: h @ S[n + '.weight'].T + S[n + '.bias']
p = 2 * math.pi * x @ S['embedding.B']
phi = torch.cat([torch.cos(p), torch.sin(p)], -1)
U, V = torch.tanh(dense(phi, 'encoderU')), torch.tanh(dense(phi, 'encoderV'))
h = phi
for b in range(2):
    f = torch.tanh(dense(h, f'block{b}.fc1')); z1 = f * U + (1 - f) * V
    g = torch.tanh(dense(z1, f'block{b}.fc2')); z2 = g * U + (1 - g) * V
    y = torch.tanh(dense(z2, f'block{b}.fc3'))
    a = S[f'block{b}.alpha']
    h = a * y + (1 - a) * h
u = dense(h, 'output')
names = [k for k in S if k != 'embedding.B']
gs = torch.autograd.grad((u ** 2).sum(), [S[k] for k in names])
print(json.dumps({'u': u.detach().reshape(-1).tolist(), 'grads': {k: g.reshape(-1).tolist() for k, g in zip(names, gs)}}))
`, { state, x: flat(x) });
    tidy(() => {
      net.zeroGrad();
      const u = net.forward(x);
      expectClose(flat(u), ref.u, 1e-12, 'u');
      u.square().sum().backward();
      for (const [name, p] of net.namedParameters()) expectClose(flat(p.grad!), ref.grads[name], 1e-12, `∂/∂${name}`);
    });
    net.dispose(); x.dispose();
  });
});

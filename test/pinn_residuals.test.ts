// PDE residuals and their gradients w.r.t. every weight, against PyTorch on the same MLP.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Tensor, complex, manualSeed, memory, msae, nn, optim, pinn, rand, tensor, tidy } from '../src/index.js';

const PY = '/usr/bin/python3';
const hasTorch = (() => { try { execFileSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }); return true; } catch { return false; } })();

function runTorch(script: string, input: unknown): any {
  return JSON.parse(execFileSync(PY, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 26 }));
}

const flat = (t: Tensor) => Array.from(t.data() as Float64Array);
function expectClose(a: number[], b: number[], rel: number, what: string) {
  expect(a.length, what).toBe(b.length);
  const scale = Math.max(...b.map(Math.abs), 1e-300);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= rel * Math.max(Math.abs(b[i]), scale * 1e-3))) throw new Error(`${what}[${i}]: ${a[i]} vs PyTorch ${b[i]}`);
  }
}

const TORCH_MLP = `
import json, sys, torch
inp = json.load(sys.stdin)
torch.set_default_dtype(torch.float64)
def mlp(state, sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i+1]))
        if i < len(sizes) - 2: layers.append(torch.nn.Tanh())
    net = torch.nn.Sequential(*layers)
    net.load_state_dict({k: torch.tensor(v).reshape(net.state_dict()[k].shape) for k, v in state.items()})
    return net
def d(f, x, col):
    return torch.autograd.grad(f, x, torch.ones_like(f), create_graph=True)[0][:, col:col+1]
`;

describe.skipIf(!hasTorch)('PINN residuals against PyTorch (needs /usr/bin/python3 with torch)', () => {
  it('2-D elastic wave with ρ ≠ 1: residuals and gradients w.r.t. every weight to 1e-10', () => {
    const sizes = [3, 12, 12, 2];
    const net = new nn.MLP(sizes, { seed: 11, dtype: 'float64' });
    const pts = tidy(() => rand([40, 3], { dtype: 'float64' }).mul(2).sub(1));
    const consts = { rho: 2.7, lambda: 1.3, mu: 0.45 };
    const problem = new pinn.Problem({
      inputs: ['x', 'y', 't'], outputs: ['ux', 'uy'], constants: consts,
      conditions: [new pinn.PDE('pde', pts, pinn.pdes.elasticWave2D(), { loss: 'mse' })],
    });
    const mine = tidy(() => {
      const ds = problem.derivatives(net).get(problem.conditions[0].evaluationPoints)!;
      const [r1, r2] = pinn.pdes.elasticWave2D()(ds, problem.coefficients) as Tensor[];
      const loss = problem.total(problem.losses(net));
      net.zeroGrad();
      loss.backward();
      // A loss made only of derivatives does not depend on the output bias: no gradient, as in PyTorch.
      return { r1: flat(r1), r2: flat(r2), loss: loss.item() as number, grads: Object.fromEntries([...net.namedParameters()].map(([n, p]) => [n, p.grad ? flat(p.grad) : null])) };
    });
    const ref = runTorch(TORCH_MLP + `
net = mlp(inp["state"], inp["sizes"])
X = torch.tensor(inp["x"]).reshape(-1, 3).requires_grad_()
u = net(X); ux, uy = u[:, 0:1], u[:, 1:2]
rho, lam, mu = inp["rho"], inp["lambda"], inp["mu"]
ux_x, ux_y, ux_t = d(ux, X, 0), d(ux, X, 1), d(ux, X, 2)
uy_x, uy_y, uy_t = d(uy, X, 0), d(uy, X, 1), d(uy, X, 2)
r1 = rho*d(ux_t, X, 2) - (lam+2*mu)*d(ux_x, X, 0) - (lam+mu)*d(uy_x, X, 1) - mu*d(ux_y, X, 1)
r2 = rho*d(uy_t, X, 2) - (lam+2*mu)*d(uy_y, X, 1) - (lam+mu)*d(ux_x, X, 1) - mu*d(uy_x, X, 0)
loss = (r1**2).mean() + (r2**2).mean()
loss.backward()
print(json.dumps({"r1": r1.reshape(-1).tolist(), "r2": r2.reshape(-1).tolist(), "loss": loss.item(),
  "grads": {k: (p.grad.reshape(-1).tolist() if p.grad is not None else None) for k, p in net.named_parameters()}}))
`, { sizes, x: flat(pts), ...consts, state: Object.fromEntries(Object.entries(net.stateDict()).map(([k, v]) => [k, flat(v)])) });
    expectClose(mine.r1, ref.r1, 1e-10, 'r1');
    expectClose(mine.r2, ref.r2, 1e-10, 'r2');
    expect(Math.abs(mine.loss - ref.loss) / ref.loss).toBeLessThan(1e-10);
    expect(ref.grads['4.bias']).toBeNull();
    expect(mine.grads['4.bias']).toBeNull();
    for (const k of Object.keys(ref.grads)) if (ref.grads[k]) expectClose(mine.grads[k], ref.grads[k], 1e-10, `∂L/∂${k}`);
  });

  it('complex Helmholtz μ∇²u + ρω²u with a learned μ field: residual, msae and gradients to 1e-10', () => {
    const sizes = [2, 10, 10, 3]; // outputs u_re, u_im, mu
    const net = new nn.MLP(sizes, { seed: 5, dtype: 'float64' });
    const pts = tidy(() => rand([30, 2], { dtype: 'float64' }));
    const problem = new pinn.Problem({
      inputs: ['x', 'y'], outputs: ['u_re', 'u_im', 'mu'], constants: { rho: 1.1, omega: 3.0 },
      conditions: [new pinn.PDE('helmholtz', pts, pinn.pdes.helmholtz({ muOutput: 'mu' }))],
    });
    const mine = tidy(() => {
      const raw = problem.losses(net);
      const r = (pinn.pdes.helmholtz({ muOutput: 'mu' })(problem.derivatives(net).get(problem.conditions[0].evaluationPoints)!, problem.coefficients) as Tensor[])[0];
      expect(r.dtype).toBe('complex128');
      const loss = problem.total(raw);
      expect(loss.item()).toBeCloseTo(msae(r).item() as number, 12);
      net.zeroGrad();
      loss.backward();
      return { re: flat(r.real()), im: flat(r.imag()), loss: loss.item() as number, grads: Object.fromEntries([...net.namedParameters()].map(([n, p]) => [n, flat(p.grad!)])) };
    });
    const ref = runTorch(TORCH_MLP + `
net = mlp(inp["state"], inp["sizes"])
X = torch.tensor(inp["x"]).reshape(-1, 2).requires_grad_()
out = net(X)
u = torch.complex(out[:, 0:1], out[:, 1:2]); mu = out[:, 2:3]
def lap(f):
    return d(d(f, X, 0), X, 0) + d(d(f, X, 1), X, 1)
lap_u = torch.complex(lap(out[:, 0:1]), lap(out[:, 1:2]))
r = mu * lap_u + inp["rho"] * inp["omega"]**2 * u
loss = torch.mean(torch.abs(r)**2)
loss.backward()
print(json.dumps({"re": r.real.reshape(-1).tolist(), "im": r.imag.reshape(-1).tolist(), "loss": loss.item(),
  "grads": {k: p.grad.reshape(-1).tolist() for k, p in net.named_parameters()}}))
`, { sizes, x: flat(pts), rho: 1.1, omega: 3.0, state: Object.fromEntries(Object.entries(net.stateDict()).map(([k, v]) => [k, flat(v)])) });
    expectClose(mine.re, ref.re, 1e-10, 'Re r');
    expectClose(mine.im, ref.im, 1e-10, 'Im r');
    expect(Math.abs(mine.loss - ref.loss) / ref.loss).toBeLessThan(1e-10);
    for (const k of Object.keys(ref.grads)) expectClose(mine.grads[k], ref.grads[k], 1e-10, `∂L/∂${k}`);
  });
});

describe.skipIf(!hasTorch)('Navier–Cauchy ∇·[μ(∇u+∇uᵀ)] + ρω²u against PyTorch (needs /usr/bin/python3 with torch)', () => {
  // Component i: Σⱼ ∂ⱼ[μ(∂ⱼuᵢ + ∂ᵢuⱼ)] + ρω²uᵢ, written in PyTorch as the divergence of the stress
  // (differentiating the product), not in the expanded form the library uses, so the two agree only
  // if the expansion is right.
  const TORCH_NC = TORCH_MLP + `
net = mlp(inp["state"], inp["sizes"])
dim = inp["dim"]
X = torch.tensor(inp["x"]).reshape(-1, dim).requires_grad_()
out = net(X)
mu = out[:, 2*dim:2*dim+1]
rw2 = inp["rho"] * inp["omega"]**2
res, loss = [], 0
for part in (0, 1):
    u = [out[:, 2*i+part:2*i+part+1] for i in range(dim)]
    g = [[d(u[i], X, j) for j in range(dim)] for i in range(dim)]
    res.append([sum(d(mu * (g[i][j] + g[j][i]), X, j) for j in range(dim)) + rw2 * u[i] for i in range(dim)])
rs = [torch.complex(res[0][i], res[1][i]) for i in range(dim)]
loss = sum(torch.mean(torch.abs(r)**2) for r in rs)
loss.backward()
print(json.dumps({"re": [r.real.reshape(-1).tolist() for r in rs], "im": [r.imag.reshape(-1).tolist() for r in rs], "loss": loss.item(),
  "grads": {k: (p.grad.reshape(-1).tolist() if p.grad is not None else None) for k, p in net.named_parameters()}}))
`;
  for (const [dim, derivatives] of [[2, 'forward'], [2, 'autograd'], [3, 'forward']] as const) {
    it(`${dim}-D, ${derivatives} derivatives: residuals, msae loss and gradients w.r.t. every weight to 1e-10`, () => {
      const spatial = ['x', 'y', 'z'].slice(0, dim);
      const components = spatial.map((s) => [`u${s}_re`, `u${s}_im`] as [string, string]);
      const sizes = [dim, 10, 10, 2 * dim + 1]; // outputs: every component's (re, im), then mu
      const net = new nn.MLP(sizes, { seed: 7 + dim, dtype: 'float64' });
      const pts = tidy(() => rand([25, dim], { dtype: 'float64' }).mul(2).sub(1));
      const consts = { rho: 1.3, omega: 2.5 };
      const residual = pinn.pdes.navierCauchy({ spatial, components, muOutput: 'mu' });
      const problem = new pinn.Problem({
        inputs: spatial, outputs: [...components.flat(), 'mu'], constants: consts, derivatives,
        conditions: [new pinn.PDE('navier-cauchy', pts, residual)],
      });
      const mine = tidy(() => {
        const rs = residual(problem.derivatives(net).get(problem.conditions[0].evaluationPoints)!, problem.coefficients) as Tensor[];
        expect(rs.map((r) => r.dtype)).toEqual(Array(dim).fill('complex128'));
        const loss = problem.total(problem.losses(net));
        net.zeroGrad();
        loss.backward();
        return { re: rs.map((r) => flat(r.real())), im: rs.map((r) => flat(r.imag())), loss: loss.item() as number,
          grads: Object.fromEntries([...net.namedParameters()].map(([n, p]) => [n, p.grad ? flat(p.grad) : null])) };
      });
      const ref = runTorch(TORCH_NC, { sizes, dim, x: flat(pts), ...consts, state: Object.fromEntries(Object.entries(net.stateDict()).map(([k, v]) => [k, flat(v)])) });
      for (let i = 0; i < dim; i++) {
        expectClose(mine.re[i], ref.re[i], 1e-10, `Re r${i}`);
        expectClose(mine.im[i], ref.im[i], 1e-10, `Im r${i}`);
      }
      expect(Math.abs(mine.loss - ref.loss) / ref.loss).toBeLessThan(1e-10);
      for (const k of Object.keys(ref.grads)) {
        if (ref.grads[k] === null) expect(mine.grads[k], k).toBeNull();
        else expectClose(mine.grads[k], ref.grads[k], 1e-10, `∂L/∂${k}`);
      }
    }, 60_000); // PyTorch starts in a child process: seconds on a loaded machine
  }

  it('a wrong component count is refused when the residual is made', () => {
    expect(() => pinn.pdes.navierCauchy({ spatial: ['x', 'y', 'z'] })).toThrow(/navierCauchy: 2 components for 3 spatial inputs/);
  });
});

describe('problem definitions are checked, naming the term', () => {
  const pts = tensor([[0, 0], [1, 1]], { dtype: 'float64' });
  const base = { inputs: ['x', 't'], outputs: ['u'] };
  it('errors', () => {
    expect(() => new pinn.DirichletBC('left', tensor([[]], { dtype: 'float64', shape: [0, 2] }), 0, { output: 'u' })).toThrow(/DirichletBC 'left': has no points/);
    expect(() => new pinn.Problem({ ...base, conditions: [new pinn.DirichletBC('left', pts, 0, { output: 'v' })] })).toThrow(/DirichletBC 'left': unknown output 'v' \(outputs: u\)/);
    expect(() => new pinn.Problem({ ...base, conditions: [new pinn.InitialVelocity('iv', pts, 0, { output: 'u', time: 'tau' })] })).toThrow(/InitialVelocity 'iv': derivative with respect to unknown input 'tau'/);
    expect(() => new pinn.PointSetData('obs', pts, tensor([[1], [NaN]], { dtype: 'float64' }), { outputs: ['u'] })).toThrow(/PointSetData 'obs': values contain NaN or Inf \(row 1\)/);
    expect(() => new pinn.DirichletBC('wall', pts, tensor([[NaN], [1]], { dtype: 'float64' }), { output: 'u' })).toThrow(/DirichletBC 'wall': value rows contain NaN or Inf \(row 0\)/);
    expect(() => new pinn.InitialVelocity('ut', pts, tensor([1, 2, 3], { dtype: 'float64' }), { output: 'u' })).toThrow(/InitialVelocity 'ut': a tensor value needs one row per point \(\[2\] or \[2, k\]\), got \[3\]/);
    expect(() => new pinn.Problem({ ...base, conditions: [new pinn.DirichletBC('a', tensor([[0, 0, 0]]), 0, { output: 'u' })] })).toThrow(/DirichletBC 'a': points have 3 columns, the problem has 2 inputs/);
    const pde = new pinn.Problem({ ...base, conditions: [new pinn.PDE('pde', pts, (d) => d.d('u', 'y'))] });
    expect(() => tidy(() => pde.losses(new nn.MLP([2, 4, 1], { dtype: 'float64' })))).toThrow(/PDE 'pde': derivative with respect to unknown input 'y'/);
    const wrongOut = new pinn.Problem({ ...base, conditions: [new pinn.DirichletBC('a', pts, 0, { output: 'u' })] });
    expect(() => tidy(() => wrongOut.losses(new nn.MLP([2, 4, 2], { dtype: 'float64' })))).toThrow(/model returns shape \[2, 2\] but the problem names 1 outputs/);
  });
});

describe('an inverse problem learns a coefficient', () => {
  it('recovers the diffusivity of the heat equation from data within 1 %, for every one of 3 point sets', () => {
    // u = exp(−α π² t) sin(πx) with α = 0.3 solves u_t = α u_xx; learn α (from 1.0) with 200 samples.
    const alpha = 0.3;
    for (const seed of [0, 1, 2]) {
      manualSeed(seed);
      const x = tidy(() => rand([200, 2], { dtype: 'float64' }));
      const exact = (p: Tensor) => p.narrow(1, 1, 1).mul(-alpha * Math.PI ** 2).exp().mul(p.narrow(1, 0, 1).mul(Math.PI).sin());
      const problem = new pinn.Problem({
        inputs: ['x', 't'], outputs: ['u'], coefficients: { alpha: 1.0 },
        conditions: [
          new pinn.PDE('heat', x, pinn.pdes.heat()),
          new pinn.PointSetData('data', x, tidy(() => exact(x)), { outputs: ['u'] }),
        ],
      });
      const net = new nn.MLP([2, 20, 20, 1], { seed: 0, dtype: 'float64' });
      // The coefficient gets its own, larger learning rate: Adam moves each parameter ~lr per step.
      const opt = new optim.Adam([{ params: net.parameters() }, { params: problem.parameters(), lr: 1e-2 }], { lr: 5e-3 });
      for (let i = 0; i < 1500; i++) tidy(() => { opt.zeroGrad(); problem.total(problem.losses(net)).backward(); opt.step(); });
      const lbfgs = new optim.LBFGS([...net.parameters(), ...problem.parameters()], { maxIter: 400, lineSearchFn: 'strong_wolfe', toleranceChange: 0 });
      lbfgs.step(() => { lbfgs.zeroGrad(); const l = problem.total(problem.losses(net)); l.backward(); return l; });
      expect(Math.abs(problem.coefficientValues().alpha - alpha) / alpha, `point set ${seed}`).toBeLessThan(0.01);
    }
  }, 120_000);
});

describe('terms on the same points share one forward pass', () => {
  it('evaluates the network once per distinct point set', () => {
    let calls = 0;
    class Counting extends nn.MLP { override forward(x: Tensor) { calls++; return super.forward(x); } }
    const pts = tensor([[0.1, 0.2], [0.3, 0.4]], { dtype: 'float64' });
    const other = tensor([[0.5, 0.6]], { dtype: 'float64' });
    const problem = new pinn.Problem({
      inputs: ['x', 't'], outputs: ['u'], constants: { alpha: 1 },
      conditions: [
        new pinn.PDE('heat', pts, pinn.pdes.heat()),
        new pinn.DirichletBC('same-points', pts, 0, { output: 'u' }),
        new pinn.DirichletBC('other-points', other, 1, { output: 'u' }),
      ],
    });
    tidy(() => problem.losses(new Counting([2, 4, 1], { dtype: 'float64' })));
    expect(calls).toBe(2);
  });
});

describe('Problem.to(dtype)', () => {
  it('casts points, data, normals and coefficients in place: shared points stay shared, coefficients stay trainable, losses agree', () => {
    const pts = tensor([[0.1, 0.2], [0.3, 0.4], [0.7, 0.9]], { dtype: 'float32' });
    const data = tensor([[0.5], [0.25], [0.125]], { dtype: 'float32' });
    const problem = new pinn.Problem({
      inputs: ['x', 't'], outputs: ['u'], coefficients: { alpha: 0.3 },
      conditions: [
        new pinn.PDE('heat', pts, pinn.pdes.heat()),
        new pinn.PointSetData('data', pts, data, { outputs: ['u'] }),
        new pinn.NeumannBC('flux', tensor([[0, 0.5]], { dtype: 'float32' }), tensor([[-1]], { dtype: 'float32' }), 0, { output: 'u', spatial: ['x'] }),
      ],
    });
    const net32 = new nn.MLP([2, 8, 1], { seed: 1, dtype: 'float32' });
    const before = tidy(() => Object.fromEntries(Object.entries(problem.losses(net32)).map(([k, v]) => [k, v.item() as number])));
    const alpha = problem.coefficients.alpha;
    problem.to('float64');
    net32.to('float64');
    expect(problem.conditions[0].points).toBe(problem.conditions[1].points); // still one tensor, one forward
    expect(problem.conditions[0].points.dtype).toBe('float64');
    expect(problem.conditions.flatMap((c) => c.tensors()).every((t) => t.dtype === 'float64')).toBe(true);
    expect(problem.coefficients.alpha).toBe(alpha);
    expect(alpha.dtype).toBe('float64');
    expect(alpha.requiresGrad).toBe(true);
    const after = tidy(() => Object.fromEntries(Object.entries(problem.losses(net32)).map(([k, v]) => [k, v.item() as number])));
    for (const k of Object.keys(before)) expect(after[k]).toBeCloseTo(before[k], 5); // same numbers, computed in float64
    expect(after.heat).not.toBe(before.heat);
    expect(() => problem.to('int64' as never)).toThrow(/floating/);
    problem.dispose();
  });
  it('casts a tensor value of a boundary or initial term with the problem; the caller\'s tensor stays theirs', () => {
    const live = memory().tensors;
    const pts = tensor([[0, 0.5], [1, 0.5]], { dtype: 'float32' });
    const g = tensor([[0.1], [0.7]], { dtype: 'float32' }); // the caller's
    const normals = tensor([[-1], [1]], { dtype: 'float32' });
    const problem = new pinn.Problem({
      inputs: ['x', 't'], outputs: ['u'],
      conditions: [
        new pinn.DirichletBC('wall', pts, g, { output: 'u' }),
        new pinn.NeumannBC('flux', pts, normals, g, { output: 'u', spatial: ['x'] }),
        new pinn.InitialVelocity('ut', pts, g, { output: 'u' }),
      ],
    });
    const values = problem.conditions.map((c) => (c as pinn.DirichletBC).value as Tensor);
    expect(values.every((v) => v !== g)).toBe(true);
    problem.to('float64');
    expect(values.map((v) => v.dtype)).toEqual(['float64', 'float64', 'float64']);
    expect(Array.from(values[0].data() as Float64Array)).toEqual([Math.fround(0.1), Math.fround(0.7)]);
    expect(g.dtype).toBe('float32');
    const net = new nn.MLP([2, 4, 1], { seed: 0, dtype: 'float64' });
    tidy(() => Object.values(problem.losses(net)).forEach((l) => expect(l.dtype).toBe('float64')));
    problem.dispose(); net.dispose();
    expect(Array.from(g.data() as Float32Array)).toEqual([Math.fround(0.1), Math.fround(0.7)]); // still usable
    g.dispose(); pts.dispose(); normals.dispose();
    expect(memory().tensors).toBe(live); // the terms freed their own handles, nothing more
  });
  it('casts complex data at the matching precision (complex64 ↔ complex128), values kept', () => {
    const pts = tensor([[0.1, 0.2], [0.3, 0.4]], { dtype: 'float32' });
    const obs = complex(tensor([[0.5], [-0.25]], { dtype: 'float32' }), tensor([[1.5], [0.125]], { dtype: 'float32' }));
    const problem = new pinn.Problem({ inputs: ['x', 'y'], outputs: ['u'], conditions: [new pinn.PointSetData('data', pts, obs, { outputs: ['u'] })] });
    const values = (problem.conditions[0] as pinn.PointSetData).values;
    problem.to('float64');
    expect([values.dtype, pts.dtype]).toEqual(['complex128', 'float64']);
    expect(Array.from(values.real().data() as Float64Array)).toEqual([0.5, -0.25]);
    expect(Array.from(values.imag().data() as Float64Array)).toEqual([1.5, 0.125]);
    problem.to('float32');
    expect([values.dtype, pts.dtype]).toEqual(['complex64', 'float32']);
    problem.dispose();
  });
});

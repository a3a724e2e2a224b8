// dirichletTransform: u = g + φ·N holds g exactly on the boundary parts chosen, whatever the
// network returns; a short training run with it is exact there and accurate inside.
import { describe, expect, it } from 'vitest';
import { type Tensor, geometry as G, nn, optim, pinn, relativeL2, tensor, tidy } from '../src/index.js';

const dtype = 'float64';
const col = (x: Tensor, i: number) => x.narrow(1, i, 1);
const values = (t: Tensor) => Array.from(t.data() as Float64Array);

describe('dirichletTransform', () => {
  it('gives g exactly on the boundary and g + φ·u elsewhere, on the chosen output only', () => {
    const r = new G.Rectangle([0, 0], [2, 1]);
    tidy(() => {
      const b = G.toTensor(r.boundary(200, { seed: 1, sampler: 'sobol' }).points, 2, { dtype });
      const u = tensor(Array.from({ length: 200 }, (_, i) => [Math.sin(i), 10 + i]), { dtype });
      const g = (x: Tensor) => col(x, 0).add(col(x, 1).square());
      const all = pinn.dirichletTransform(r, g)(b, u);
      expect(values(all.sub(g(b).expand(200, 2)))).toEqual(new Array(400).fill(0));
      const second = pinn.dirichletTransform(r, 3, { output: 'v', outputs: ['u', 'v'] })(b, u);
      expect(values(col(second, 0))).toEqual(values(col(u, 0)));
      expect(values(col(second, 1))).toEqual(new Array(200).fill(3));
      // inside: 3 + φ·u with φ the rectangle's distance function
      const x = G.toTensor(r.interior(50, { seed: 2 }), 2, { dtype }), ux = tensor(Array.from({ length: 50 }, () => [1, 2]), { dtype });
      const want = values(r.distance(x).mul(2).add(3));
      values(col(pinn.dirichletTransform(r, 3, { output: 1 })(x, ux), 1)).forEach((v, i) => expect(v).toBeCloseTo(want[i], 14));
      // only the top: zero there, not on the bottom
      const top = pinn.dirichletTransform(r, 0, { where: 'top' })(b, tensor(Array.from({ length: 200 }, () => [1]), { dtype }));
      const pts = b.data() as Float64Array;
      values(top).forEach((v, i) => { if (pts[2 * i + 1] === 1) expect(v).toBe(0); else if (pts[2 * i + 1] === 0) expect(v).toBe(1); });
    });
  });

  it('rejects bad arguments, naming them', () => {
    const r = new G.Rectangle([0, 0], [1, 1]);
    expect(() => pinn.dirichletTransform({} as G.Geometry, 0)).toThrow('dirichletTransform: geometry must be a geometry.Geometry, got object');
    expect(() => pinn.dirichletTransform(r, NaN)).toThrow('dirichletTransform: g must be a finite number or a function of x, got NaN');
    expect(() => pinn.dirichletTransform(r, 0, { where: 'lid' })).toThrow("dirichletTransform: unknown boundary part 'lid' (known: left, right, bottom, top)");
    expect(() => pinn.dirichletTransform(r, 0, { output: 'v' })).toThrow("dirichletTransform: output 'v' is a name, so pass outputs");
    expect(() => pinn.dirichletTransform(r, 0, { output: 'w', outputs: ['u', 'v'] })).toThrow("dirichletTransform: unknown output 'w' (outputs: u, v)");
    tidy(() => {
      const x = tensor([[0.5, 0.5]], { dtype });
      expect(() => pinn.dirichletTransform(r, 0, { output: 2 })(x, tensor([[1, 2]], { dtype }))).toThrow('dirichletTransform: output 2 is out of range for a model with 2 outputs');
      expect(() => pinn.dirichletTransform(r, () => tensor([[1, 2, 3]], { dtype }))(x, tensor([[1, 2]], { dtype }))).toThrow('dirichletTransform: g(x) must return a [1, 1] or [1, 2] tensor, got [1, 3]');
      expect(() => pinn.dirichletTransform(r, 0)(tensor([[0.5, 0.5, 0]], { dtype }), tensor([[1]], { dtype }))).toThrow('Rectangle.distance: x must be of shape [N, 2], got [1, 3]');
    });
  });

  it('trains Laplace on the unit square, hard u = 1 + x on the left and right, soft on the bottom and top: exact on the hard sides, small error inside', () => {
    // u = sin(πx)·sinh(πy)/sinh(π) + 1 + x is harmonic
    const exact = (x: Tensor) => col(x, 0).mul(Math.PI).sin().mul(col(x, 1).mul(Math.PI).sinh()).div(Math.sinh(Math.PI)).add(col(x, 0)).add(1);
    const square = new G.Rectangle([0, 0], [1, 1]);
    const soft = G.toTensor(square.boundary(64, { seed: 1, sampler: 'sobol', where: ['bottom', 'top'] }).points, 2, { dtype });
    const problem = new pinn.Problem({
      inputs: ['x', 'y'], outputs: ['u'],
      conditions: [
        new pinn.PDE('pde', G.toTensor(square.interior(256, { sampler: 'sobol', seed: 1 }), 2, { dtype }), pinn.pdes.poisson((x) => col(x, 0).mul(0))),
        new pinn.DirichletBC('sides', soft, exact, { output: 'u' }),
      ],
      outputTransform: pinn.dirichletTransform(square, (x) => col(x, 0).add(1), { where: ['left', 'right'] }),
    });
    const net = new nn.MLP([2, 20, 20, 1], { seed: 0, dtype });
    const adam = new optim.Adam(net.parameters(), { lr: 1e-2 });
    for (let i = 0; i < 200; i++) tidy(() => { adam.zeroGrad(); problem.total(problem.losses(net)).backward(); adam.step(); });
    const lbfgs = new optim.LBFGS(net.parameters(), { maxIter: 800, lineSearchFn: 'strong_wolfe', toleranceChange: 0, toleranceGrad: 1e-12, historySize: 50 });
    lbfgs.step(() => { lbfgs.zeroGrad(); const l = problem.total(problem.losses(net)); l.backward(); return l; });
    tidy(() => {
      const sides = G.toTensor(square.boundary(200, { seed: 5, where: ['left', 'right'] }).points, 2, { dtype });
      expect(values(problem.predict(net, sides).sub(col(sides, 0).add(1)))).toEqual(new Array(200).fill(0)); // u = g to the last bit
      const test = G.toTensor(square.interior(2000, { seed: 9 }), 2, { dtype });
      expect(relativeL2(problem.predict(net, test), exact(test))).toBeLessThan(1e-3); // 2.2e-4 on this CPU
    });
  }, 60_000);
});

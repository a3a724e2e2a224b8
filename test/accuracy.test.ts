// Trained accuracy on this CPU (short runs; settings in each test). Longer runs live in examples/.
import { describe, expect, it } from 'vitest';
import { Tensor, geometry as G, nn, optim, pinn, relativeL2, tidy } from '../src/index.js';

const dtype = 'float64';
const col = (x: Tensor, i: number) => x.narrow(1, i, 1);

/** Adam for `adamSteps`, then one L-BFGS call of up to `lbfgsIters` iterations; returns the test error. */
function train(problem: pinn.Problem, net: nn.Module, test: Tensor, reference: (x: Tensor) => Tensor, adamSteps: number, lbfgsIters: number) {
  const params = [...net.parameters(), ...problem.parameters()];
  const adam = new optim.Adam(params, { lr: 1e-3 });
  for (let i = 0; i < adamSteps; i++) tidy(() => { adam.zeroGrad(); problem.total(problem.losses(net)).backward(); adam.step(); });
  const lbfgs = new optim.LBFGS(params, { maxIter: lbfgsIters, lineSearchFn: 'strong_wolfe', toleranceChange: 0, toleranceGrad: 1e-12, historySize: 50 });
  lbfgs.step(() => { lbfgs.zeroGrad(); const l = problem.total(problem.losses(net)); l.backward(); return l; });
  return tidy(() => relativeL2(problem.predict(net, test), reference(test)));
}

describe('accuracy (relative L2 against the exact solution)', () => {
  it('Poisson 2D, −∇²u = 2π² sin πx sin πy, hard Dirichlet: ≤ 1e-3 (MLP 2-32-32-32-1, 600 Sobol points, Adam 300 + L-BFGS 300)', () => {
    const square = new G.Rectangle([0, 0], [1, 1]);
    const ref = pinn.references.poisson2D;
    const problem = new pinn.Problem({
      inputs: ['x', 'y'], outputs: ['u'],
      conditions: [new pinn.PDE('pde', G.toTensor(square.interior(600, { sampler: 'sobol', seed: 1 }), 2, { dtype }), pinn.pdes.poisson(ref.source))],
      outputTransform: (x, u) => col(x, 0).mul(col(x, 0).rsub(1)).mul(col(x, 1)).mul(col(x, 1).rsub(1)).mul(u),
    });
    const err = train(problem, new nn.MLP([2, 32, 32, 32, 1], { seed: 0, dtype }), G.toTensor(square.interior(2000, { seed: 9 }), 2, { dtype }), ref.solution, 300, 300);
    expect(err).toBeLessThan(1e-3);
  }, 120_000);

  it('heat 1D, u_t = 0.1 u_xx, u(x,0) = sin πx, zero ends (hard constraints): ≤ 1e-3', () => {
    const alpha = 0.1;
    const domain = new G.GeometryXTime(new G.Interval(0, 1), new G.TimeDomain(0, 1));
    const ref = pinn.references.heat1D(alpha);
    const problem = new pinn.Problem({
      inputs: ['x', 't'], outputs: ['u'], constants: { alpha },
      conditions: [new pinn.PDE('pde', G.toTensor(domain.interior(600, { sampler: 'sobol', seed: 2 }), 2, { dtype }), pinn.pdes.heat())],
      // u = sin πx + t·x(1 − x)·N: the initial and boundary values hold exactly
      outputTransform: (x, u) => col(x, 0).mul(Math.PI).sin().add(col(x, 1).mul(col(x, 0)).mul(col(x, 0).rsub(1)).mul(u)),
    });
    const err = train(problem, new nn.MLP([2, 32, 32, 32, 1], { seed: 0, dtype }), G.toTensor(domain.interior(2000, { seed: 8 }), 2, { dtype }), ref, 300, 300);
    expect(err).toBeLessThan(1e-3);
  }, 120_000);

  it('wave 1D, u_tt = u_xx, u(x,0) = sin πx, u_t(x,0) = 0, fixed ends: ≤ 1e-2 (sine activation, MLP 2-32-32-1, Adam 300 + L-BFGS 800)', () => {
    const domain = new G.GeometryXTime(new G.Interval(0, 1), new G.TimeDomain(0, 1));
    const ref = pinn.references.wave1D(1);
    const problem = new pinn.Problem({
      inputs: ['x', 't'], outputs: ['u'], constants: { c: 1 },
      conditions: [new pinn.PDE('pde', G.toTensor(domain.interior(800, { sampler: 'sobol', seed: 3 }), 2, { dtype }), pinn.pdes.wave1D())],
      // u = sin πx + t²·x(1 − x)·N: u(x,0), u_t(x,0) and the ends hold exactly
      outputTransform: (x, u) => col(x, 0).mul(Math.PI).sin().add(col(x, 1).square().mul(col(x, 0)).mul(col(x, 0).rsub(1)).mul(u)),
    });
    const err = train(problem, new nn.MLP([2, 32, 32, 1], { seed: 0, dtype, activation: 'sin' }), G.toTensor(domain.interior(2000, { seed: 7 }), 2, { dtype }), ref, 300, 800);
    expect(err).toBeLessThan(1e-2);
  }, 120_000);
});

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

describe('elastography (MRE-style) inverse problem: μ∇²u + ρω²u = 0 with complex u', () => {
  // Data: u = exp(i k x), k = ω √(ρ/μ) with μ = 1, ρ = 1, ω = 2π (one wavelength across [0, 1]²).
  const rho = 1, omega = 2 * Math.PI;
  const square = new G.Rectangle([0, 0], [1, 1]);
  const X = G.toTensor(square.interior(800, { sampler: 'sobol', seed: 1 }), 2, { dtype });
  const wave = pinn.references.helmholtzPlaneWave({ rho, omega, mu: 1 });

  function fit(problem: pinn.Problem, net: nn.Module, adamGroups: optim.ParamsInput<optim.AdamOptions>) {
    const params = [...net.parameters(), ...problem.parameters()];
    // The seed's schedule: data only at first, then the PDE weight ramps ×10 every 200 steps.
    const warm = new pinn.WarmupWeighting({ terms: ['pde'], warmup: 300, init: 1e-3, factor: 10, every: 200, max: 1e-1 });
    const adam = new optim.Adam(adamGroups, { lr: 2e-3 });
    for (let step = 0; step < 1200; step++) tidy(() => {
      adam.zeroGrad();
      const raw = problem.losses(net);
      problem.total(raw, warm.weights({ step, raw, params, base: { wave: 1, pde: 1 } })).backward();
      adam.step();
    });
    const lbfgs = new optim.LBFGS(params, { maxIter: 250, lineSearchFn: 'strong_wolfe', toleranceChange: 0, historySize: 50 });
    lbfgs.step(() => { lbfgs.zeroGrad(); const l = problem.total(problem.losses(net), { wave: 1, pde: 0.1 }); l.backward(); return l; });
  }

  it('recovers a trainable stiffness coefficient (start 2.0) within 1 %', () => {
    const problem = new pinn.Problem({
      inputs: ['x', 'y'], outputs: ['u_re', 'u_im'], constants: { rho, omega }, coefficients: { mu: 2.0 },
      conditions: [
        new pinn.PointSetData('wave', X, tidy(() => wave(X)), { outputs: ['u_re', 'u_im'] }),
        new pinn.PDE('pde', X, pinn.pdes.helmholtz()),
      ],
    });
    const net = new nn.MLP([2, 32, 32, 32, 2], { seed: 0, dtype });
    fit(problem, net, [{ params: net.parameters() }, { params: problem.parameters(), lr: 2e-2 }]);
    expect(Math.abs(problem.coefficientValues().mu - 1)).toBeLessThan(0.01);
  }, 120_000);

  it('recovers a constant stiffness learned as a second network output within 2 % (separate u and μ networks, as MREPINN)', () => {
    const problem = new pinn.Problem({
      inputs: ['x', 'y'], outputs: ['u_re', 'u_im', 'mu'], constants: { rho, omega },
      conditions: [
        new pinn.PointSetData('wave', X, tidy(() => wave(X)), { outputs: ['u_re', 'u_im'] }),
        new pinn.PDE('pde', X, pinn.pdes.helmholtz({ muOutput: 'mu' })),
      ],
    });
    const net = new nn.Concat(new nn.MLP([2, 32, 32, 32, 2], { seed: 0, dtype }), new nn.MLP([2, 16, 16, 1], { seed: 1, dtype }));
    fit(problem, net, net.parameters());
    const mu = tidy(() => problem.predict(net, X).select(1, 2));
    expect(Math.abs((mu.mean().item() as number) - 1)).toBeLessThan(0.02);
    expect(mu.std().item() as number).toBeLessThan(0.05); // and nearly constant, not just right on average
  }, 120_000);
});

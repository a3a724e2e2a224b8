// Reference solutions satisfy their PDEs; Burgers matches a published benchmark value.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor, nn, pinn, rand, tensor, tidy } from '../src/index.js';

/** A "model" that returns a reference solution, so the residual machinery can check it. */
class Exact extends nn.Module {
  constructor(readonly f: (x: Tensor) => Tensor) { super(); }
  forward(x: Tensor) { return this.f(x); }
}

function maxResidual(inputs: string[], outputs: string[], residual: pinn.ResidualFn, f: (x: Tensor) => Tensor, constants: Record<string, number>, pts: Tensor) {
  const problem = new pinn.Problem({ inputs, outputs, constants, conditions: [new pinn.PDE('pde', pts, residual)] });
  return tidy(() => {
    const d = problem.derivatives(new Exact(f)).get(problem.conditions[0].evaluationPoints)!;
    const rs = residual(d, problem.coefficients);
    return Math.max(...(Array.isArray(rs) ? rs : [rs]).map((r) => r.abs().max().item() as number));
  });
}

describe('closed-form references solve their PDEs', () => {
  const pts2 = tidy(() => rand([50, 2], { dtype: 'float64' }));
  const pts3 = tidy(() => rand([50, 3], { dtype: 'float64' }));
  it('heat, wave, Poisson', () => {
    expect(maxResidual(['x', 't'], ['u'], pinn.pdes.heat(), pinn.references.heat1D(0.4), { alpha: 0.4 }, pts2)).toBeLessThan(1e-12);
    expect(maxResidual(['x', 't'], ['u'], pinn.pdes.wave1D(), pinn.references.wave1D(1.7), { c: 1.7 }, pts2)).toBeLessThan(1e-11);
    expect(maxResidual(['x', 'y'], ['u'], pinn.pdes.poisson(pinn.references.poisson2D.source), pinn.references.poisson2D.solution, {}, pts2)).toBeLessThan(1e-11);
  });
  it('elastic plane P and S waves, with ρ ≠ 1', () => {
    const c = { rho: 2.5, lambda: 1.2, mu: 0.7 };
    expect(maxResidual(['x', 'y', 't'], ['ux', 'uy'], pinn.pdes.elasticWave2D(), pinn.references.elasticPlaneWaves(c), c, pts3)).toBeLessThan(1e-11);
  });
  it('time-harmonic plane wave for the elastography Helmholtz equation', () => {
    const c = { rho: 1000, omega: 2 * Math.PI * 60, mu: 3000 };
    const r = maxResidual(['x', 'y'], ['u_re', 'u_im'], pinn.pdes.helmholtz({ muOutput: undefined }), pinn.references.helmholtzPlaneWave(c), c, pts2);
    expect(r / (c.rho * c.omega ** 2)).toBeLessThan(1e-12); // relative to the equation's scale
  });
});

describe('Burgers by Cole–Hopf', () => {
  const nu = 0.01 / Math.PI;
  const u = pinn.references.burgers(nu);
  const at = (x: number, t: number) => tidy(() => u(tensor([[x, t]], { dtype: 'float64' })).item() as number);
  it('meets its initial and boundary conditions and is odd in x', () => {
    expect(at(0.3, 0)).toBeCloseTo(-Math.sin(0.3 * Math.PI), 14);
    expect(Math.abs(at(1, 0.5))).toBeLessThan(1e-10);
    expect(Math.abs(at(-1, 0.9))).toBeLessThan(1e-10);
    expect(at(-0.4, 0.6)).toBeCloseTo(-at(0.4, 0.6), 12);
  });
  it('reproduces Basdevant et al. (1986): max |∂u/∂x| = 152.00516 at x = 0, t = 0.5105 (to 0.05 %)', () => {
    const h = 1e-5;
    const slope = Math.abs((at(h, 0.5105) - at(-h, 0.5105)) / (2 * h));
    expect(Math.abs(slope - 152.00516) / 152.00516).toBeLessThan(5e-4);
  });
  it('satisfies the PDE away from the shock (finite differences)', () => {
    for (const [x, t] of [[-0.6, 0.3], [0.5, 0.7], [0.8, 0.2]]) {
      const h = 1e-4;
      const ut = (at(x, t + h) - at(x, t - h)) / (2 * h);
      const ux = (at(x + h, t) - at(x - h, t)) / (2 * h);
      const uxx = (at(x + h, t) - 2 * at(x, t) + at(x - h, t)) / (h * h);
      expect(Math.abs(ut + at(x, t) * ux - nu * uxx)).toBeLessThan(1e-5);
    }
  });
});

describe('Allen–Cahn by finite differences + RK4', () => {
  const PY = '/usr/bin/python3';
  const hasTorch = spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!hasTorch)('agrees with an independent Fourier-spectral ETDRK4 solution (PyTorch FFT) at t = 1 to 1e-6', () => {
    const ref = JSON.parse(execFileSync(PY, [join(__dirname, 'fixtures', 'allen_cahn_spectral.py')], { encoding: 'utf8', maxBuffer: 1 << 24 }));
    const u = pinn.references.allenCahn()(tensor(ref.x.map((x: number) => [x, 1]), { dtype: 'float64' })).data() as Float64Array;
    const err = Math.sqrt(u.reduce((s, v, i) => s + (v - ref.u[i]) ** 2, 0) / ref.u.reduce((s: number, v: number) => s + v * v, 0));
    expect(err).toBeLessThan(1e-6);
    expect(err).toBeGreaterThan(0); // two different methods
  }, 60_000);

  it('starts from x² cos πx, is periodic, and stays within [−1, 1]', () => {
    const x = Array.from({ length: 41 }, (_, i) => -1 + i / 20);
    const f = pinn.references.allenCahn();
    const u0 = f(tensor(x.map((v) => [v, 0]), { dtype: 'float64' })).data() as Float64Array;
    x.forEach((v, i) => expect(u0[i]).toBeCloseTo(v * v * Math.cos(Math.PI * v), 8)); // cubic interpolation between nodes
    const u1 = f(tensor([[-1, 0.5], [1, 0.5], [0.3, 1], [-0.3, 1]], { dtype: 'float64' })).data() as Float64Array;
    expect(u1[0]).toBeCloseTo(u1[1], 8); // x = −1 and x = 1 are the same point
    expect(u1[2]).toBeCloseTo(u1[3], 10); // the initial condition is even, so is the solution
    for (const v of u1) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });
});

// Data-driven discovery of Burgers' equation (Raissi et al. 2019, §4.1.1): learn λ₁ and ν in
// u_t + λ₁ u u_x − ν u_xx = 0 from 2000 scattered observations of the Cole–Hopf solution.
import { geometry as G, pinn } from '../../dist/index.js';
import { gridRows, toT } from '../lib/common.mjs';
import { NU, coleHopf } from '../lib/burgers.mjs';

export default {
  name: 'inverse-burgers',
  kind: 'inverse, coefficient identification',
  referenceType: 'Cole–Hopf (quadrature)',
  description: 'Learn λ₁ (true 1) and ν (true 0.01/π ≈ 3.183e-3) in u_t + λ₁ u u_x − ν u_xx = 0 on [−1, 1] × [0, 1] from 2000 noise-free observations of u at uniform random points (the PDE residual at the same points), starting from λ₁ = 0, ν = e⁻⁶ ≈ 2.5e-3 as Raissi\'s code does (there through log ν). Reported: relative L2 of u on a 200 × 50 grid (Cole–Hopf reference) and the coefficients\' errors.',
  source: 'Raissi, Perdikaris & Karniadakis 2019, "Physics-informed neural networks" (JCP 378), §4.1.1',
  published: {
    metric: 'coefficient error (λ₁, ν)',
    vanilla: null, best: null, bestMethod: null,
    source: 'Raissi et al. 2019 (JCP 378), §4.1.1 and its table of identified coefficients',
    note: 'The paper identifies λ₁ and ν to within about 0.1 % from 2000 clean samples (and to within a few tenths of a percent with 1 % noise); exact digits not re-checked here, so left null.',
  },
  exact: (x) => coleHopf(x),
  checkTolerance: 1e-4,
  trueCoefficients: { lambda1: 1, nu: NU },
  build({ dtype = 'float64', seed = 0, trueCoefficients = false } = {}) {
    const domain = new G.GeometryXTime(new G.Interval(-1, 1), new G.TimeDomain(0, 1));
    const x = toT(domain.interior(2000, { seed }), 2, dtype);
    const observed = pinn.references.burgers(NU)(x.to('float64')).to(dtype);
    const evalPoints = toT(gridRows([[-1, 1, 200], [0, 1, 50]]), 2, dtype);
    const values = pinn.references.burgers(NU)(evalPoints.to('float64')).to(dtype);
    const problem = new pinn.Problem({
      inputs: ['x', 't'], outputs: ['u'],
      coefficients: trueCoefficients ? { lambda1: 1, nu: NU } : { lambda1: 0, nu: Math.exp(-6) },
      conditions: [
        new pinn.PDE('pde', x, (d, c) => {
          const u = d.value('u');
          return d.d('u', 't').add(u.mul(d.d('u', 'x')).mul(c.lambda1)).sub(d.d('u', 'x', 'x').mul(c.nu));
        }),
        new pinn.PointSetData('data', x, observed, { outputs: ['u'] }),
      ],
      reference: { points: evalPoints, values },
    });
    return { problem, domain, evalPoints };
  },
  /** The coefficients' errors, from the fit's final coefficients. */
  metrics({ coefficients }) {
    return {
      lambda1: coefficients.lambda1, nu: coefficients.nu,
      'λ₁ rel. error': Math.abs(coefficients.lambda1 - 1),
      'ν rel. error': Math.abs(coefficients.nu - NU) / NU,
    };
  },
};

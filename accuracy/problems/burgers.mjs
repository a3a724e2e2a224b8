// Burgers' equation, Raissi, Perdikaris & Karniadakis 2019's setup (DeepXDE's example).
import { geometry as G, pinn } from '../../dist/index.js';
import { col, gridRows, toT } from '../lib/common.mjs';
import { NU, coleHopf } from '../lib/burgers.mjs';

export default {
  name: 'burgers',
  kind: 'nonlinear, viscous shock',
  referenceType: 'Cole–Hopf (quadrature)',
  description: 'u_t + u u_x = (0.01/π) u_xx on [−1, 1] × [0, 1], u(x, 0) = −sin πx, u(±1, t) = 0. Reference: the Cole–Hopf solution (pinn.references.burgers, quadrature), precomputed at the evaluation points. 2540 interior, 80 boundary, 160 initial points (DeepXDE\'s counts for Raissi\'s N_f = 10 000 / N_u = 100 setup); error on a 200 × 50 grid.',
  source: 'Raissi, Perdikaris & Karniadakis 2019, "Physics-informed neural networks" (JCP 378), §3.1.1',
  published: {
    vanilla: 6.7e-4, best: null, bestMethod: null,
    source: 'Raissi et al. 2019 (JCP 378, 686–707), §3.1.1, Fig. 1 (N_u = 100, N_f = 10 000, 9 layers × 20 tanh neurons, L-BFGS)',
    note: 'Vanilla figure: the paper\'s Fig. 1 run (relative L2 6.7·10⁻⁴). No best-method figure for this exact setup is given here: later methods (SA-PINN, RAD sampling, self-scaled BFGS) report lower errors under different point counts and budgets.',
  },
  exact: (x) => coleHopf(x),
  checkTolerance: 1e-4,
  // The shock: |x| ≤ 0.02 for t ∈ [0.4, 1], where u_x reaches −150 and ν u_xx is O(10).
  checkPoints: (dtype) => toT(gridRows([[-0.02, 0.02, 21], [0.4, 1, 10]]), 2, dtype),
  checkPointsLabel: 'points across the shock (|x| ≤ 0.02, t ∈ [0.4, 1])',
  checkPointsTolerance: 1e-3,
  build({ dtype = 'float64', seed = 0 } = {}) {
    const domain = new G.GeometryXTime(new G.Interval(-1, 1), new G.TimeDomain(0, 1));
    const evalPoints = toT(gridRows([[-1, 1, 200], [0, 1, 50]]), 2, dtype);
    const values = pinn.references.burgers(NU)(evalPoints.to('float64')).to(dtype);
    const problem = new pinn.Problem({
      inputs: ['x', 't'], outputs: ['u'], constants: { nu: NU },
      conditions: [
        new pinn.PDE('pde', toT(domain.interior(2540, { seed }), 2, dtype), pinn.pdes.burgers()),
        new pinn.DirichletBC('bc', toT(domain.boundary(80, { seed: seed + 1 }).points, 2, dtype), 0, { output: 'u' }),
        new pinn.InitialCondition('ic', toT(domain.initial(160, { seed: seed + 2 }), 2, dtype), (x) => col(x, 0).mul(Math.PI).sin().neg(), { output: 'u' }),
      ],
      reference: { points: evalPoints, values },
    });
    return { problem, domain, evalPoints };
  },
};

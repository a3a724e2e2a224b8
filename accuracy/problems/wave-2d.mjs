// 2-D wave with anisotropic speed (PINNacle's "Wave 2d-MS" equation and mode numbers), standing
// waves in closed form on t ∈ [0, 1].
import { geometry as G, pinn } from '../../dist/index.js';
import { col, toT } from '../lib/common.mjs';

const PI = Math.PI;
const mode = (x, m, n) => col(x, 0).mul(m * PI).sin().mul(col(x, 1).mul(n * PI).sin());
// ω² = π²(m² + 2n²): (1, 1) → 3π², (3, 2) → 17π²
const exact = (x) => mode(x, 1, 1).mul(col(x, 2).mul(Math.sqrt(3) * PI).cos())
  .add(mode(x, 3, 2).mul(col(x, 2).mul(Math.sqrt(17) * PI).cos()));
const initial = (x) => mode(x, 1, 1).add(mode(x, 3, 2));

export default {
  name: 'wave-2d',
  kind: 'hyperbolic, 2-D',
  referenceType: 'closed form',
  description: 'u_tt = u_xx + 2 u_yy on [0, 1]² × [0, 1], u = 0 on the boundary, u(x, y, 0) = sin πx sin πy + sin 3πx sin 2πy, u_t = 0; closed form u = sin πx sin πy cos √3πt + sin 3πx sin 2πy cos √17πt. PINNacle\'s "Wave 2d-MS" (Wave2D_LongTime) has this equation (a = √2) and mode numbers, but on t ∈ [0, 100] and with sinh factors: as written in PINNacle\'s src/pde/wave.py (i207M/PINNacle, WaveEquation2D_Long; the same in its forks) that ref_sol does not satisfy the PDE (its residual is −2π²u), so sine modes and a short time interval are used here. 4000 interior, 800 boundary, 800 initial points; error on 5000 interior points.',
  source: 'Hao et al. 2024, PINNacle (arXiv:2306.08827), WaveEquation2D_Long / Wave2D_LongTime in src/pde/wave.py (equation and modes only)',
  published: {
    vanilla: null, best: null, bestMethod: null,
    source: 'PINNacle (arXiv:2306.08827), row "Wave 2d-MS"',
    note: 'Not comparable: PINNacle\'s row is t ∈ [0, 100] (every method near order-1 error there, recalled); no published figure for this short-time variant.',
  },
  exact,
  build({ dtype = 'float64', seed = 0 } = {}) {
    const domain = new G.GeometryXTime(new G.Rectangle([0, 0], [1, 1]), new G.TimeDomain(0, 1));
    const init = toT(domain.initial(800, { seed: seed + 2 }), 3, dtype);
    const problem = new pinn.Problem({
      inputs: ['x', 'y', 't'], outputs: ['u'], constants: { a2: 2 },
      conditions: [
        new pinn.PDE('pde', toT(domain.interior(4000, { seed }), 3, dtype),
          (d, c) => d.d('u', 't', 't').sub(d.d('u', 'x', 'x')).sub(d.d('u', 'y', 'y').mul(c.a2))),
        new pinn.DirichletBC('bc', toT(domain.boundary(800, { seed: seed + 1 }).points, 3, dtype), 0, { output: 'u' }),
        new pinn.InitialCondition('ic', init, initial, { output: 'u' }),
        new pinn.InitialVelocity('ic_t', init, 0, { output: 'u' }),
      ],
      reference: exact,
    });
    return { problem, domain, evalPoints: toT(domain.interior(5000, { seed: 424242 }), 3, dtype) };
  },
};

// Helmholtz benchmark of Wang, Teng & Perdikaris 2021 (gradient pathologies; learning-rate annealing).
import { geometry as G, pinn } from '../../dist/index.js';
import { col, gridRows, toT } from '../lib/common.mjs';

const A1 = 1, A2 = 4, K = 1;
const exact = (x) => col(x, 0).mul(A1 * Math.PI).sin().mul(col(x, 1).mul(A2 * Math.PI).sin());
// f = Δu + k²u = (k² − (a₁² + a₂²)π²) u
const source = (x) => exact(x).mul(K * K - (A1 * A1 + A2 * A2) * Math.PI ** 2);

export default {
  name: 'helmholtz',
  kind: 'elliptic, high wavenumber (stiff loss balance)',
  referenceType: 'closed form',
  description: 'Δu + k²u = f on [−1, 1]², k = 1, u = sin(πx) sin(4πy) (closed form, a₁ = 1, a₂ = 4), u = 0 on the boundary: the example whose boundary and residual gradients differ by orders of magnitude. 2000 interior, 400 boundary points (the paper draws batches of 128 per step); error on a 100 × 100 grid (as the paper\'s script).',
  source: 'Wang, Teng & Perdikaris 2021, "Understanding and mitigating gradient flow pathologies in physics-informed neural networks" (SIAM J. Sci. Comput. 43(5), A3055), §2.3 Helmholtz; code: PredictiveIntelligenceLab/GradientPathologiesPINNs',
  published: {
    vanilla: null, best: null, bestMethod: 'learning-rate annealing + improved fully-connected architecture (M4)',
    source: 'Wang, Teng & Perdikaris 2021 (SISC 43(5)), Helmholtz results table (models M1–M4)',
    note: 'The paper reports plain PINN (M1, 2-50-50-50-1 tanh, 40 000 Adam steps) at order 1e-1 and its annealing + modified architecture (M4) at order 1e-3, a 50–100× improvement as the repository README states; exact digits not re-checked here, so left null.',
  },
  exact,
  build({ dtype = 'float64', seed = 0 } = {}) {
    const domain = new G.Rectangle([-1, -1], [1, 1]);
    const problem = new pinn.Problem({
      inputs: ['x', 'y'], outputs: ['u'], constants: { k: K },
      conditions: [
        new pinn.PDE('pde', toT(domain.interior(2000, { seed }), 2, dtype),
          (d, c) => d.laplacian('u', ['x', 'y']).add(d.value('u').mul(c.k.square())).sub(source(d.x))),
        new pinn.DirichletBC('bc', toT(domain.boundary(400, { seed: seed + 1 }).points, 2, dtype), 0, { output: 'u' }),
      ],
      reference: exact,
    });
    return { problem, domain, evalPoints: toT(gridRows([[-1, 1, 100], [-1, 1, 100]]), 2, dtype) };
  },
};

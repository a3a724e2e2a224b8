// Heat equation with a spatially varying diffusivity in 2-D (PINNacle's "Heat 2d-VC" form
// u_t = a(x)Δu + f on [0, 1]² × [0, 5]), with a manufactured closed-form solution.
import { geometry as G, pinn } from '../../dist/index.js';
import { col, toT } from '../lib/common.mjs';

const PI = Math.PI;
/** a(x, y) = 0.01 (3 + 2 sin 2πx cos 3πy) ∈ [0.01, 0.05]. */
const diffusivity = (x) => col(x, 0).mul(2 * PI).sin().mul(col(x, 1).mul(3 * PI).cos()).mul(2).add(3).mul(0.01);
const S = (x) => col(x, 0).mul(PI).sin().mul(col(x, 1).mul(5 * PI).sin());
/** u = sin πx sin 5πy sin(πt/2): zero on the boundary and at t = 0, as PINNacle's. */
const exact = (x) => S(x).mul(col(x, 2).mul(PI / 2).sin());
// u_t − aΔu = S·[(π/2) cos(πt/2) + 26π² a sin(πt/2)]
const source = (x) => {
  const t = col(x, 2).mul(PI / 2);
  return S(x).mul(t.cos().mul(PI / 2).add(t.sin().mul(diffusivity(x)).mul(26 * PI ** 2)));
};

export default {
  name: 'heat-2d-vc',
  kind: 'parabolic, varying coefficient',
  referenceType: 'manufactured closed form',
  description: 'u_t = a(x, y) Δu + f on [0, 1]² × [0, 5], a = 0.01 (3 + 2 sin 2πx cos 3πy), u = 0 on the boundary and at t = 0. PINNacle\'s "Heat 2d-VC" has this form with a rough random coefficient field and a FEM reference; here a smooth coefficient and a manufactured closed form u = sin πx sin 5πy sin(πt/2) (its mode numbers (1, 5) are PINNacle\'s forcing\'s). 4000 interior, 1000 boundary, 1000 initial points; error on 5000 interior points.',
  source: 'Hao et al. 2024, PINNacle (arXiv:2306.08827), Heat2D_VaryingCoef in src/pde/heat.py',
  published: {
    vanilla: null, best: null, bestMethod: null,
    source: 'PINNacle (arXiv:2306.08827), main results table, row "Heat 2d-VC"',
    note: 'Not comparable (different coefficient field and a FEM reference). PINNacle lists vanilla PINN at order 1 for this row and loss-reweighting methods near 0.2 (recalled, not re-checked here, so left null).',
  },
  exact,
  build({ dtype = 'float64', seed = 0 } = {}) {
    const domain = new G.GeometryXTime(new G.Rectangle([0, 0], [1, 1]), new G.TimeDomain(0, 5));
    const problem = new pinn.Problem({
      inputs: ['x', 'y', 't'], outputs: ['u'],
      conditions: [
        new pinn.PDE('pde', toT(domain.interior(4000, { seed }), 3, dtype),
          (d) => d.d('u', 't').sub(d.laplacian('u', ['x', 'y']).mul(diffusivity(d.x))).sub(source(d.x))),
        new pinn.DirichletBC('bc', toT(domain.boundary(1000, { seed: seed + 1 }).points, 3, dtype), 0, { output: 'u' }),
        new pinn.InitialCondition('ic', toT(domain.initial(1000, { seed: seed + 2 }), 3, dtype), 0, { output: 'u' }),
      ],
      reference: exact,
    });
    return { problem, domain, evalPoints: toT(domain.interior(5000, { seed: 424242 }), 3, dtype) };
  },
};

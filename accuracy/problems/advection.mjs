// Krishnapriyan et al. 2021's convection failure mode at β = 30.
import { geometry as G, pinn } from '../../dist/index.js';
import { col, gridRows, periodicPairs, toT } from '../lib/common.mjs';

const BETA = 30;
const exact = (x) => col(x, 0).sub(col(x, 1).mul(BETA)).sin();

export default {
  name: 'advection',
  kind: 'hyperbolic, transport at high speed',
  referenceType: 'closed form',
  description: 'u_t + 30 u_x = 0 on x ∈ [0, 2π] periodic, t ∈ [0, 1], u(x, 0) = sin x; closed form u = sin(x − 30t). The paper\'s headline failure case (β = 30; it also shows 40). 2000 interior points, 256 initial points, 200 periodic pairs; error on a 100 × 100 grid.',
  source: 'Krishnapriyan, Gholami, Zhe, Kirby & Mahoney 2021, "Characterizing possible failure modes in physics-informed neural networks" (NeurIPS 34), §3.1 convection',
  published: {
    vanilla: null, best: null, bestMethod: 'curriculum regularization (β raised step by step)',
    source: 'Krishnapriyan et al. 2021 (NeurIPS), §3.1, Fig. 4 and its table of convection errors',
    note: 'The paper reports the vanilla PINN failing at β = 30 (relative error of order 1) and curriculum regularization doing almost two orders of magnitude better (its Fig. 4 caption); exact table values not re-checked here, so left null. jaxpi\'s advection example (c = 80–100 per its code/README, a harder speed) reports 6.88e-4 with its full recipe and 9.51e-1 with every component off.',
  },
  exact,
  build({ dtype = 'float64', seed = 0 } = {}) {
    const domain = new G.GeometryXTime(new G.Interval(0, 2 * Math.PI), new G.TimeDomain(0, 1));
    const [a, b] = periodicPairs(0, 2 * Math.PI, 0, 1, 200, seed + 1, dtype);
    const problem = new pinn.Problem({
      inputs: ['x', 't'], outputs: ['u'], constants: { beta: BETA },
      conditions: [
        new pinn.PDE('pde', toT(domain.interior(2000, { seed }), 2, dtype), (d, c) => d.d('u', 't').add(d.d('u', 'x').mul(c.beta))),
        new pinn.InitialCondition('ic', toT(domain.initial(256, { seed: seed + 2 }), 2, dtype), (x) => col(x, 0).sin(), { output: 'u' }),
        new pinn.PeriodicBC('periodic', a, b, { output: 'u' }),
      ],
      reference: exact,
    });
    return { problem, domain, evalPoints: toT(gridRows([[0, 2 * Math.PI, 100], [0, 1, 100]]), 2, dtype) };
  },
};

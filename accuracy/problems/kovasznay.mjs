// Kovasznay flow (steady Navier–Stokes, closed form), DeepXDE's example setup at Re = 20.
import { cat, geometry as G, pinn } from '../../dist/index.js';
import { col, gridRows, toT } from '../lib/common.mjs';

const RE = 20;
const LAMBDA = RE / 2 - Math.sqrt(RE * RE / 4 + 4 * Math.PI ** 2);
const U = (x) => col(x, 0).mul(LAMBDA).exp().mul(col(x, 1).mul(2 * Math.PI).cos()).rsub(1);
const V = (x) => col(x, 0).mul(LAMBDA).exp().mul(col(x, 1).mul(2 * Math.PI).sin()).mul(LAMBDA / (2 * Math.PI));
const P = (x) => col(x, 0).mul(2 * LAMBDA).exp().rsub(1).mul(0.5);
const exact = (x) => cat([U(x), V(x), P(x)], 1);

export default {
  name: 'kovasznay',
  kind: 'steady Navier–Stokes, 3 outputs',
  referenceType: 'closed form',
  description: `u·∇u + ∇p − Δu/Re = 0, ∇·u = 0 on [−0.5, 1] × [−0.5, 1.5], Re = 20 (λ = Re/2 − √(Re²/4 + 4π²) ≈ ${LAMBDA.toFixed(4)}); closed form u = 1 − e^{λx} cos 2πy, v = λ/(2π) e^{λx} sin 2πy, p = (1 − e^{2λx})/2. u, v prescribed on the whole boundary, p on the outlet x = 1 (as DeepXDE's example). 2601 interior, 400 boundary, 100 outlet points; error (u, v, p together) on an 81 × 101 grid.`,
  source: 'Kovasznay 1948 (Proc. Camb. Phil. Soc. 44); DeepXDE examples/pinn_forward/Kovasznay_flow.py; Jin, Cai, Li & Karniadakis 2021, "NSFnets" (JCP 426) at Re = 40',
  published: {
    vanilla: null, best: null, bestMethod: null,
    source: 'Jin et al. 2021, NSFnets (JCP 426, 109951), Kovasznay flow',
    note: 'NSFnets reports relative errors of order 1e-3 to 1e-4 for u, v, p, but at Re = 40 on the same domain (not re-checked here, so left null); DeepXDE\'s Re = 20 example publishes no figure.',
  },
  exact,
  build({ dtype = 'float64', seed = 0 } = {}) {
    const domain = new G.Rectangle([-0.5, -0.5], [1, 1.5]);
    const b = toT(domain.boundary(400, { seed: seed + 1 }).points, 2, dtype);
    const outlet = toT(Array.from(new G.Interval(-0.5, 1.5).interior(100, { seed: seed + 2 })).flatMap((y) => [1, y]), 2, dtype);
    const problem = new pinn.Problem({
      inputs: ['x', 'y'], outputs: ['u', 'v', 'p'], constants: { Re: RE },
      conditions: [
        new pinn.PDE('pde', toT(domain.interior(2601, { seed }), 2, dtype), (d, c) => {
          const u = d.value('u'), v = d.value('v'), nu = c.Re.reciprocal();
          const mom = (f, p, s) => u.mul(d.d(f, 'x')).add(v.mul(d.d(f, 'y'))).add(d.d(p, s)).sub(d.laplacian(f, ['x', 'y']).mul(nu));
          return [mom('u', 'p', 'x'), mom('v', 'p', 'y'), d.d('u', 'x').add(d.d('v', 'y'))];
        }),
        new pinn.DirichletBC('bc_u', b, U, { output: 'u' }),
        new pinn.DirichletBC('bc_v', b, V, { output: 'v' }),
        new pinn.DirichletBC('outlet_p', outlet, P, { output: 'p' }),
      ],
      reference: exact,
    });
    return { problem, domain, evalPoints: toT(gridRows([[-0.5, 1, 81], [-0.5, 1.5, 101]]), 2, dtype) };
  },
};

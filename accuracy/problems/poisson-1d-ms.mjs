// Multi-scale 1-D Poisson problem of Wang, Wang & Perdikaris (2021), the eigenvector-bias paper.
import { geometry as G, pinn } from '../../dist/index.js';
import { gridRows, toT } from '../lib/common.mjs';

const exact = (x) => x.mul(2 * Math.PI).sin().add(x.mul(50 * Math.PI).sin().mul(0.1));
// −u'' = 4π² sin 2πx + 0.1·(50π)² sin 50πx
const source = (x) => x.mul(2 * Math.PI).sin().mul(4 * Math.PI ** 2).add(x.mul(50 * Math.PI).sin().mul(0.1 * 2500 * Math.PI ** 2));

export default {
  name: 'poisson-1d-ms',
  kind: 'elliptic, multi-scale',
  referenceType: 'closed form',
  description: '−u″ = f on [0, 1], u(0) = u(1) = 0, u = sin 2πx + 0.1 sin 50πx (closed form): a low and a high frequency at 1:25, the spectral-bias test. 2000 interior points, error on 5000 grid points.',
  source: 'Wang, Wang & Perdikaris 2021, "On the eigenvector bias of Fourier feature networks" (CMAME 384, 113938), 1-D Poisson example',
  published: {
    vanilla: null, best: null, bestMethod: 'multi-scale Fourier features',
    source: 'Wang, Wang & Perdikaris 2021 (CMAME 384, 113938)',
    note: 'The paper reports that a plain PINN misses the high-frequency component (error of order 1) while multi-scale Fourier-feature networks reach about 1e-3; exact figures not re-checked here, so left null.',
  },
  exact,
  build({ dtype = 'float64', seed = 0 } = {}) {
    const domain = new G.Interval(0, 1);
    const problem = new pinn.Problem({
      inputs: ['x'], outputs: ['u'],
      conditions: [
        new pinn.PDE('pde', toT(domain.interior(2000, { seed }), 1, dtype), (d) => d.d('u', 'x', 'x').neg().sub(source(d.x))),
        new pinn.DirichletBC('bc', toT([[0], [1]], 1, dtype), 0, { output: 'u' }),
      ],
      reference: exact,
    });
    return { problem, domain, evalPoints: toT(gridRows([[0, 1, 5000]]), 1, dtype) };
  },
};

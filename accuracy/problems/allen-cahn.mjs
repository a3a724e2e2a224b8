// Allen–Cahn, jaxpi's benchmark (Wang et al. 2023, "An expert's guide to training PINNs").
import { geometry as G, pinn } from '../../dist/index.js';
import { col, gridSubset, loadGrid, periodicPairs, toT } from '../lib/common.mjs';

export default {
  name: 'allen-cahn',
  kind: 'nonlinear reaction–diffusion, stiff',
  referenceType: 'spectral ETDRK4 (cached grid)',
  description: 'u_t − 1e-4 u_xx + 5u³ − 5u = 0 on x ∈ [−1, 1] periodic (u and u_x), t ∈ [0, 1], u(x, 0) = x² cos πx (jaxpi\'s setup). No closed form: the reference is a Fourier-spectral ETDRK4 solution (2048 modes, dt 2e-4; accuracy/data/generate.mjs, cached as accuracy/data/allen-cahn.f32, 256 x × 101 t; max |Δu| against 4096 modes / dt 1e-4 below 1e-7). 3000 interior, 512 initial points, 200 periodic pairs; error on 128 × 51 grid points of the cached solution.',
  source: 'Wang, Sankaran, Wang & Perdikaris 2023, "An expert\'s guide to training physics-informed neural networks" (arXiv:2308.08468); jaxpi examples/allen_cahn',
  published: {
    vanilla: 5.17e-1, best: 5.37e-5, bestMethod: 'jaxpi: Fourier features + random weight factorization + grad-norm weighting + causal training, modified MLP',
    source: 'jaxpi (github.com/PredictiveIntelligenceLab/jaxpi): README "Examples" table (5.37e-5, the expert\'s guide\'s result) and examples/allen_cahn/README.md ablation, row with every component off (5.17e-1)',
    note: 'The "vanilla" figure is jaxpi\'s own ablation with Fourier features, RWF, grad-norm and causal weighting all off (same network size and steps), not a separately published plain PINN. examples/allen_cahn/README.md gives 9.55e-5 as its state of the art; the top-level README 5.37e-5.',
  },
  build({ dtype = 'float64', seed = 0 } = {}) {
    const domain = new G.GeometryXTime(new G.Interval(-1, 1), new G.TimeDomain(0, 1));
    const grid = loadGrid('allen-cahn');
    const { points: evalPoints, values } = gridSubset(grid, 2, 2, dtype);
    const [a, b] = periodicPairs(-1, 1, 0, 1, 200, seed + 1, dtype);
    const problem = new pinn.Problem({
      inputs: ['x', 't'], outputs: ['u'], constants: { D: 1e-4 },
      conditions: [
        new pinn.PDE('pde', toT(domain.interior(3000, { seed }), 2, dtype), pinn.pdes.allenCahn()),
        new pinn.InitialCondition('ic', toT(domain.initial(512, { seed: seed + 2 }), 2, dtype),
          (x) => col(x, 0).square().mul(col(x, 0).mul(Math.PI).cos()), { output: 'u' }),
        new pinn.PeriodicBC('periodic', a, b, { output: 'u' }),
        new pinn.PeriodicBC('periodic_x', a, b, { output: 'u', derivative: 'x' }),
      ],
      reference: { points: evalPoints, values },
    });
    return { problem, domain, evalPoints };
  },
};

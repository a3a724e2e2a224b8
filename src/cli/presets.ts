// The CLI's ready-made runs. Each is a complete config (docs/cli.md explains every field); the
// accuracy and time each reaches on the reference CPU are in the README.
import { MRE_PRESETS } from '../mre/presets.js';

const common = { seed: 0, logEvery: 10, evalEvery: 500, checkpointEvery: 500, keepLast: 3 };
const lbfgs = (iterations: number) => ({
  name: 'lbfgs',
  steps: Math.ceil(iterations / 50),
  optimizer: { type: 'lbfgs', lr: 1, maxIter: 50, historySize: 50, lineSearchFn: 'strong_wolfe', toleranceGrad: 0, toleranceChange: 0 },
});

export const PRESETS: Record<string, Record<string, unknown> & { description: string; problem: { type: string } & Record<string, unknown> }> = {
  'elastic-wave-2d': {
    description: "The Rust seed's problem: 2-D isotropic elastic waves on [0,1]² × [0,1], plane P and S waves as reference",
    problem: {
      type: 'elastic-wave-2d', rho: 1, lambda: 1, mu: 1, k: Math.PI, A: 1, B: 0.5,
      interior: 2000, boundary: 400, initial: 400, sampler: 'sobol', plotTime: 0.5,
    },
    model: { hidden: [64, 64, 64], activation: 'tanh', init: 'xavierNormal', dtype: 'float32' },
    phases: [
      { name: 'adam', steps: 1000, optimizer: { type: 'adam', lr: 1e-3 }, scheduler: { type: 'ExponentialLR', gamma: 0.999 } },
      lbfgs(2000),
    ],
    ...common,
  },
  'mre-helmholtz': {
    description: "The elastography seed's problem: complex displacement from μ∇²u + ρω²u = 0, stiffness μ(x) learned by a second network, PDE warm-up",
    problem: { type: 'mre-helmholtz', rho: 1, omega: 2 * Math.PI, stiffness: 1, points: 800, sampler: 'sobol', stiffnessHidden: [16, 16] },
    model: { hidden: [32, 32, 32], activation: 'tanh', init: 'xavierNormal', dtype: 'float64' },
    // Data only at first; then the PDE weight rises ×10 every 200 steps up to 0.1 (the seed's schedule).
    weighting: { type: 'warmup', terms: ['pde'], warmup: 300, init: 1e-3, factor: 10, every: 200, max: 0.1 },
    phases: [{ name: 'adam', steps: 1200, optimizer: { type: 'adam', lr: 2e-3 } }, lbfgs(250)],
    ...common,
    evalEvery: 300,
  },
  // The phantom as examples/mre_phantom.mjs trains it (accuracy/results/2026-12-04-mre-phantom-helmholtz.md).
  'mre-phantom': {
    description: 'MRE-PINN on the finite-difference phantom (41 × 41 voxels of 2 mm, 90 Hz, 3 kPa with a 6 kPa and a 1.5 kPa inclusion, 1 % noise), Helmholtz form; μ against the truth and AHI',
    problem: {
      type: 'mre-pinn', data: { phantom: { n: 41, noise: 0.01, seed: 1 } }, equation: 'helmholtz',
      // Data only for 300 steps, then the PDE at weight 0.1; SIREN u network 2→[64]×3, μ network 2→[32]×2.
      lossWeights: [1, 0, 0.1, 0], pdeWarmupIters: 300, nPoints: 1024, siren: true,
    },
    phases: [{ name: 'adam', steps: 1200, optimizer: { type: 'adam', lr: 1e-3 } }],
    ...common,
    evalEvery: 100,
    checkpointEvery: 300,
  },
  // The seed's two configurations on the same phantom; `"problem": { "data": "scan.npz" }` puts them on your data.
  ...Object.fromEntries(Object.entries(MRE_PRESETS).map(([name, p]) => [`mre-${name}`, {
    description: `${p.description}; on the phantom with 1 % noise`,
    problem: { type: 'mre-pinn', data: { phantom: { n: 41, noise: 0.01, seed: 1 } }, preset: name },
    ...common,
    evalEvery: 1000,
    checkpointEvery: 1000,
  }])),
  'poisson-2d': {
    description: '−∇²u = 2π² sin πx sin πy on the unit square, u = 0 on the boundary (imposed exactly)',
    problem: { type: 'poisson-2d', points: 600, sampler: 'sobol' },
    model: { hidden: [32, 32, 32], activation: 'tanh', init: 'xavierNormal', dtype: 'float64' },
    phases: [{ name: 'adam', steps: 300, optimizer: { type: 'adam', lr: 1e-3 } }, lbfgs(300)],
    ...common,
    evalEvery: 100,
  },
  burgers: {
    description: "Burgers' equation u_t + u u_x = ν u_xx, ν = 0.01/π, u(x,0) = −sin πx (Raissi et al.'s setup; Cole–Hopf reference)",
    problem: { type: 'burgers', nu: 0.01 / Math.PI, interior: 2540, boundary: 80, initial: 160, sampler: 'halton' },
    // Adam in float32 (fast; its noise exceeds float32 rounding), then self-scaled BFGS in float64
    // (a quasi-Newton line search cannot resolve the decrease of a small loss in float32), with
    // the PDE points redrawn by RAD after its 500th, 1000th and 1500th iteration: on fixed points
    // some initializations settle the shock wrongly at a tiny loss (README, Accuracy → Burgers).
    model: { hidden: [20, 20, 20], activation: 'tanh', init: 'xavierNormal', dtype: 'float32' },
    phases: [
      { name: 'adam', steps: 15000, optimizer: { type: 'adam', lr: 1e-3 } },
      {
        name: 'bfgs', steps: 40, dtype: 'float64',
        optimizer: { type: 'bfgs', lr: 1, maxIter: 50, maxEval: 100, lineSearchFn: 'strong_wolfe', toleranceGrad: 0, toleranceChange: 0 },
      },
    ],
    sampling: [{ type: 'rad', condition: 'pde', every: 10, from: 15010, until: 15030, candidates: 100000 }],
    // Between draws BFGS can fit the 2540 points better while the shock moves between them: the
    // run ends on the parameters with the lowest PDE residual on 20 000 held-out points.
    validation: { condition: 'pde', points: 20000, every: 2, restoreBest: true, from: 15010 },
    ...common,
    evalEvery: 1000,
    checkpointEvery: 1000,
  },
};

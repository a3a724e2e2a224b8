// The CLI's ready-made runs. Each is a complete config (docs/cli.md explains every field); the
// accuracy and time each reaches on the reference CPU are in the README.

const common = { seed: 0, logEvery: 10, evalEvery: 500, checkpointEvery: 500, keepLast: 3 };
const lbfgs = (iterations: number, historySize = 50, dtype?: 'float64') => ({
  name: 'lbfgs',
  steps: Math.ceil(iterations / 50),
  ...(dtype ? { dtype } : {}),
  optimizer: { type: 'lbfgs', lr: 1, maxIter: 50, historySize, lineSearchFn: 'strong_wolfe', toleranceGrad: 0, toleranceChange: 0 },
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
    // Adam in float32 (fast; its noise exceeds float32 rounding), L-BFGS in float64: in float32
    // its line search cannot resolve the decrease of a small loss and it stops early.
    model: { hidden: [20, 20, 20], activation: 'tanh', init: 'xavierNormal', dtype: 'float32' },
    phases: [{ name: 'adam', steps: 15000, optimizer: { type: 'adam', lr: 1e-3 } }, lbfgs(4000, 100, 'float64')],
    ...common,
    evalEvery: 1000,
    checkpointEvery: 1000,
  },
};

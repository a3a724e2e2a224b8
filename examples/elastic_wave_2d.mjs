// The elastic-wave seed's problem: 2-D isotropic elastic waves, ρ u_tt = (λ+2μ)∇(∇·u) − μ∇×∇×u,
// on (x, y, t) ∈ [0, 1]² × [0, 1] with ρ = λ = μ = 1. The reference is a superposed plane P wave
// (ux) and S wave (uy) (pinn.references.elasticPlaneWaves); it gives the boundary values, the
// initial displacement and the initial velocity. MLP 3 → [64]×3 → 2 tanh, float32; 2000
// interior (Sobol), 400 boundary, 400 initial points; Adam 1000 steps, then L-BFGS.
//
//   node examples/elastic_wave_2d.mjs [--adam 1000] [--lbfgs 2000] [--seed 0]
import { Trainer, allocatorSetByEnvironment, pinn, tuneAllocator } from '../dist/index.js';

// This script owns its process: keep each step's freed buffers in the heap (README, Performance).
if (!allocatorSetByEnvironment()) tuneAllocator();

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i < 0 ? fallback : process.argv[i + 1]; };
const adamSteps = Number(arg('adam', 1000)), lbfgsIters = Number(arg('lbfgs', 2000)), seed = Number(arg('seed', 0));
// The library's recipe (pinn.problems.elasticWave2D): its defaults are the setup above; the
// points are drawn with the seed, and its createModel is the MLP above, seeded likewise.
const problem = pinn.problems.elasticWave2D({ seed });
const model = problem.recipe.createModel();
const lbfgs = { type: 'lbfgs', lr: 1, maxIter: 50, historySize: 50, lineSearchFn: 'strong_wolfe', toleranceGrad: 0, toleranceChange: 0 };
const trainer = new Trainer({
  problem, model, evalPoints: problem.recipe.evalPoints(), evalEvery: 500, // 41 × 41 × 11 grid
  phases: [
    { optimizer: { type: 'adam', lr: 1e-3 }, scheduler: { type: 'ExponentialLR', gamma: 0.999 }, steps: adamSteps },
    { optimizer: lbfgs, steps: Math.ceil(lbfgsIters / 50) },
  ],
});
trainer.on('evaluation', (e) => console.log(`step ${e.step}: rel. L2 ${e.relL2.all.toExponential(2)}`));
let iterations = 0;
trainer.on('lbfgsIteration', () => iterations++);
const r = await trainer.fit();
console.log(`rel. L2 ${r.relL2.all.toExponential(2)} (ux ${r.relL2.ux.toExponential(2)}, uy ${r.relL2.uy.toExponential(2)}) in ${r.timing.total.toFixed(1)} s; ${iterations} L-BFGS iterations`);

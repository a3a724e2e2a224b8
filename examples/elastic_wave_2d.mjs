// The elastic-wave seed's problem: 2-D isotropic elastic waves, ρ u_tt = (λ+2μ)∇(∇·u) − μ∇×∇×u,
// on (x, y, t) ∈ [0, 1]² × [0, 1] with ρ = λ = μ = 1. The reference is a superposed plane P wave
// (ux) and S wave (uy) (pinn.references.elasticPlaneWaves); it gives the boundary values, the
// initial displacement and the initial velocity. MLP 3 → [64]×3 → 2 tanh, float32; 2000
// interior (Sobol), 400 boundary, 400 initial points; Adam 1000 steps, then L-BFGS.
//
//   node examples/elastic_wave_2d.mjs [--adam 1000] [--lbfgs 2000] [--seed 0]
import { Trainer, allocatorSetByEnvironment, geometry as G, nn, pinn, tensor, tuneAllocator } from '../dist/index.js';

// This script owns its process: keep each step's freed buffers in the heap (README, Performance).
if (!allocatorSetByEnvironment()) tuneAllocator();

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i < 0 ? fallback : process.argv[i + 1]; };
const adamSteps = Number(arg('adam', 1000)), lbfgsIters = Number(arg('lbfgs', 2000)), seed = Number(arg('seed', 0));
const dtype = 'float32';
const constants = { rho: 1, lambda: 1, mu: 1 };
const k = Math.PI, A = 1, B = 0.5;
const wp = k * Math.sqrt((constants.lambda + 2 * constants.mu) / constants.rho), ws = k * Math.sqrt(constants.mu / constants.rho);
const reference = pinn.references.elasticPlaneWaves({ ...constants, k, A, B });
const component = (i) => (x) => reference(x).narrow(1, i, 1);
// ∂u/∂t at t = 0 of A sin(kx − ωt): −Aω cos kx
const velocity = (amplitude, omega) => (x) => x.narrow(1, 0, 1).mul(k).cos().mul(-amplitude * omega);

const domain = new G.GeometryXTime(new G.Rectangle([0, 0], [1, 1]), new G.TimeDomain(0, 1));
const opts = { sampler: 'sobol', seed };
const interior = G.toTensor(domain.interior(2000, opts), 3, { dtype });
const boundary = G.toTensor(domain.boundary(400, opts).points, 3, { dtype });
const initial = G.toTensor(domain.initial(400, opts), 3, { dtype });
const grid = [];
for (let i = 0; i <= 40; i++) for (let j = 0; j <= 40; j++) for (let l = 0; l <= 10; l++) grid.push([i / 40, j / 40, l / 10]);

const problem = new pinn.Problem({
  inputs: ['x', 'y', 't'], outputs: ['ux', 'uy'], constants,
  conditions: [
    new pinn.PDE('pde', interior, pinn.pdes.elasticWave2D()),
    new pinn.DirichletBC('bc_ux', boundary, component(0), { output: 'ux' }),
    new pinn.DirichletBC('bc_uy', boundary, component(1), { output: 'uy' }),
    new pinn.InitialCondition('ic_ux', initial, component(0), { output: 'ux' }),
    new pinn.InitialCondition('ic_uy', initial, component(1), { output: 'uy' }),
    new pinn.InitialVelocity('iv_ux', initial, velocity(A, wp), { output: 'ux' }),
    new pinn.InitialVelocity('iv_uy', initial, velocity(B, ws), { output: 'uy' }),
  ],
  reference,
});
const model = new nn.MLP([3, 64, 64, 64, 2], { activation: 'tanh', seed, dtype });
const lbfgs = { type: 'lbfgs', lr: 1, maxIter: 50, historySize: 50, lineSearchFn: 'strong_wolfe', toleranceGrad: 0, toleranceChange: 0 };
const trainer = new Trainer({
  problem, model, evalPoints: tensor(grid, { dtype }), evalEvery: 500,
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

// Burgers' equation, the classic PINN benchmark (Raissi et al. 2019; DeepXDE's example), run for
// several seeds:  u_t + u u_x = ν u_xx, x ∈ [−1, 1], t ∈ [0, 1], ν = 0.01/π,
// u(x, 0) = −sin πx, u(±1, t) = 0. MLP [2] + [20]×3 + [1], tanh, Glorot normal; 2540 interior,
// 80 boundary, 160 initial points (Halton); Adam 15 000 steps at lr 1e-3, then L-BFGS (strong
// Wolfe, history 100). Error: relative L2 on a 256 × 100 grid against the Cole–Hopf solution.
//
// Adam runs in float32 (fast; its noise is larger than float32's rounding) and L-BFGS in float64:
// in float32 the line search cannot resolve the loss decrease once the loss is small, and
// L-BFGS reads a step below float32 resolution as convergence after a handful of iterations.
// The model is cast in place between the two Trainers; the points are the same numbers.
//
//   node examples/burgers_seeds.mjs [--seeds 0,1,2,3,4] [--adam 15000] [--lbfgs 4000]
//                                   [--adam-dtype float32] [--lbfgs-dtype float64]
import { Trainer, geometry as G, nn, pinn, tensor } from '../dist/index.js';

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i < 0 ? fallback : process.argv[i + 1]; };
const seeds = arg('seeds', '0,1,2,3,4').split(',').map(Number);
const adamSteps = Number(arg('adam', 15000));
const lbfgsIters = Number(arg('lbfgs', 4000));
const adamDtype = arg('adam-dtype', 'float32'), lbfgsDtype = arg('lbfgs-dtype', 'float64');
const nu = 0.01 / Math.PI;
const ITERS_PER_STEP = 50;

const domain = new G.GeometryXTime(new G.Interval(-1, 1), new G.TimeDomain(0, 1));
const grid = [];
for (let i = 0; i < 256; i++) for (let j = 0; j < 100; j++) grid.push([-1 + (2 * i) / 255, j / 99]);
const exact = pinn.references.burgers(nu)(tensor(grid, { dtype: 'float64' }));

/** The problem at these points in this dtype, and the evaluation grid to match. */
function problem(points, dtype) {
  const t = (p) => G.toTensor(p, 2, { dtype });
  const reference = exact.to(dtype);
  return {
    evalPoints: tensor(grid, { dtype }),
    problem: new pinn.Problem({
      inputs: ['x', 't'], outputs: ['u'], constants: { nu },
      conditions: [
        new pinn.PDE('pde', t(points.interior), pinn.pdes.burgers()),
        new pinn.DirichletBC('bc', t(points.boundary), 0, { output: 'u' }),
        new pinn.InitialCondition('ic', t(points.initial), (x) => x.narrow(1, 0, 1).mul(Math.PI).sin().neg(), { output: 'u' }),
      ],
      reference: () => reference,
    }),
  };
}

async function run(seed) {
  const opts = { sampler: 'halton', seed };
  const points = { interior: domain.interior(2540, opts), boundary: domain.boundary(80, opts).points, initial: domain.initial(160, opts) };
  const model = new nn.MLP([2, 20, 20, 20, 1], { activation: 'tanh', init: 'xavierNormal', seed, dtype: adamDtype });
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;

  const first = problem(points, adamDtype);
  const adam = new Trainer({ ...first, model, phases: [{ optimizer: { type: 'adam', lr: 1e-3 }, steps: adamSteps }] });
  const afterAdam = await adam.fit();
  const adamSeconds = seconds();
  adam.dispose(); first.problem.dispose();

  model.to(lbfgsDtype);
  const second = problem(points, lbfgsDtype);
  const lbfgs = { type: 'lbfgs', lr: 1, maxIter: ITERS_PER_STEP, historySize: 100, lineSearchFn: 'strong_wolfe', toleranceGrad: 0, toleranceChange: 0 };
  const trainer = new Trainer({ ...second, model, phases: [{ optimizer: lbfgs, steps: Math.ceil(lbfgsIters / ITERS_PER_STEP) }] });
  let lbfgsIterations = 0, lbfgsStop = '';
  trainer.on('lbfgsIteration', () => lbfgsIterations++);
  trainer.on('phaseEnd', (e) => { lbfgsStop = e.lbfgsStopReason ?? ''; });
  const r = await trainer.fit();
  const out = {
    seed, relL2: r.relL2.all, relL2AfterAdam: afterAdam.relL2.all, seconds: seconds(), adamSeconds,
    lbfgsSeconds: seconds() - adamSeconds, lbfgsIterations, lbfgsStop,
  };
  trainer.dispose(); second.problem.dispose(); model.dispose();
  return out;
}

const results = [];
for (const seed of seeds) {
  const r = await run(seed);
  results.push(r);
  console.log(JSON.stringify(r));
}
console.log(`worst rel. L2 ${Math.max(...results.map((r) => r.relL2)).toExponential(2)}, slowest ${Math.max(...results.map((r) => r.seconds)).toFixed(1)} s (Adam ${adamDtype}, L-BFGS ${lbfgsDtype})`);

// Burgers' equation, the classic PINN benchmark (Raissi et al. 2019; DeepXDE's example), run for
// several seeds:  u_t + u u_x = ν u_xx, x ∈ [−1, 1], t ∈ [0, 1], ν = 0.01/π,
// u(x, 0) = −sin πx, u(±1, t) = 0. MLP [2] + [20]×3 + [1], tanh, Glorot normal; 2540 interior,
// 80 boundary, 160 initial points (Halton); Adam 15 000 steps at lr 1e-3, then L-BFGS (strong
// Wolfe, history 100). Error: relative L2 on a 256 × 100 grid against the Cole–Hopf solution.
// `--second bfgs` runs self-scaled BFGS (optim.BFGS) in place of L-BFGS (README, Accuracy → Burgers).
//
// Adam runs in float32 (fast; its noise is larger than float32's rounding) and L-BFGS in float64
// (the phase's `dtype` casts model and points when it starts): in float32 the line search cannot
// resolve the loss decrease once the loss is small, and L-BFGS reads a step below float32
// resolution as convergence after a handful of iterations.
//
//   node examples/burgers_seeds.mjs [--seeds 0,1,2,3,4] [--adam 15000] [--second lbfgs|bfgs] [--lbfgs 4000]
//                                   [--adam-dtype float32] [--lbfgs-dtype float64]
//                                   [--sampler halton] [--points-seed <n>] [--ic-weight 1] [--history 100]
//                                   [--rad-second <every> …] [--validate <every>]   (see below)
// (--lbfgs and --lbfgs-dtype give the second phase's iterations and dtype, whichever optimizer runs it.)
import { Trainer, allocatorSetByEnvironment, geometry as G, pinn, tensor, tuneAllocator } from '../dist/index.js';

// This script owns its process: keep each step's freed buffers in the heap (README, Performance).
if (!allocatorSetByEnvironment()) tuneAllocator();

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i < 0 ? fallback : process.argv[i + 1]; };
const seeds = arg('seeds', '0,1,2,3,4').split(',').map(Number);
const adamSteps = Number(arg('adam', 15000));
const second = arg('second', 'lbfgs');
if (second !== 'lbfgs' && second !== 'bfgs') throw new Error(`--second must be lbfgs or bfgs, got ${second}`);
const lbfgsIters = Number(arg('lbfgs', 4000));
const adamDtype = arg('adam-dtype', 'float32'), lbfgsDtype = arg('lbfgs-dtype', 'float64');
const sampler = arg('sampler', 'halton');
const pointsSeed = arg('points-seed', null); // default: the run's seed
// --rad <every>: during Adam, redraw the 2540 PDE points every <every> steps from 100 000 uniform
// candidates with p ∝ |r| / mean|r| + 1 (RAD, Wu et al. 2023); the point count stays 2540.
const radEvery = arg('rad', null);
// --rad-second <every> [--rad-second-from <k>] [--rad-second-until <k>]: the same RAD draw during the
// second phase, every <every> of its steps (ITERS_PER_STEP iterations each) counted from its step k
// (default 0: the first draw is at its start), until its step k. Each draw restarts L-BFGS's
// history; BFGS keeps its Hessian estimate.
const radSecondEvery = arg('rad-second', null), radSecondFrom = Number(arg('rad-second-from', 0)), radSecondUntil = arg('rad-second-until', null);
// --validate <every>: the PDE's mean squared residual on 20 000 held-out uniform points every
// <every> second-phase steps from the first --rad-second draw on; the run ends on the parameters
// where it was lowest (Trainer option `validation`, restoreBest). The error is still measured
// against the reference only at the end.
const validateEvery = arg('validate', null);
const radC = Number(arg('rad-c', 1)); // RAD's c: the larger, the closer to uniform
const radK = Number(arg('rad-k', 1)); // RAD's k: p ∝ |r|^k, the larger, the more focused
const icWeight = Number(arg('ic-weight', 1)); // the classic setup weighs every term 1
const historySize = Number(arg('history', 100)); // L-BFGS curvature pairs kept
// --gradnorm <every>: balance the terms' weights by their gradient norms (jaxpi), EMA 0.9.
const gradNormEvery = arg('gradnorm', null);
const nu = 0.01 / Math.PI;
const ITERS_PER_STEP = 50;

const grid = [];
for (let i = 0; i < 256; i++) for (let j = 0; j < 100; j++) grid.push([-1 + (2 * i) / 255, j / 99]);

async function run(seed) {
  // The library's recipe (pinn.problems.burgers): the setup above, its points drawn with the seed.
  const problem = pinn.problems.burgers({
    nu, interior: 2540, boundary: 80, initial: 160, sampler, seed: pointsSeed === null ? seed : Number(pointsSeed), dtype: adamDtype, weights: { ic: icWeight },
  });
  const domain = problem.recipe.domain;
  const model = problem.recipe.createModel({ seed }); // 2 → [20]×3 → 1, tanh, Glorot normal
  const evalPoints = tensor(grid, { dtype: adamDtype });
  // The Cole–Hopf reference on the grid, computed now (the recipe keeps it), outside the timings.
  problem.reference(evalPoints).dispose();
  const quasiNewton = { lr: 1, maxIter: ITERS_PER_STEP, lineSearchFn: 'strong_wolfe', toleranceGrad: 0, toleranceChange: 0 };
  // BFGS's self-scaled steps need ~1.4 evaluations per iteration: room for that, so a step is ITERS_PER_STEP iterations.
  const secondOptimizer = second === 'lbfgs' ? { type: 'lbfgs', ...quasiNewton, historySize } : { type: 'bfgs', ...quasiNewton, maxEval: 2 * ITERS_PER_STEP };
  // The second-phase draws use their own stream (seed + 1000), so adding them leaves the Adam-phase draws as they were.
  const rad = (schedule, rngSeed) => new pinn.RAD({
    condition: 'pde', ...schedule, candidates: 100000, k: radK, c: radC, seed: rngSeed,
    source: (n, rng) => G.toTensor(domain.interior(n, { rng }), 2, { dtype: adamDtype }),
  });
  const sampling = [
    ...(radEvery === null ? [] : [rad({ every: Number(radEvery), until: adamSteps - 1 }, seed)]),
    ...(radSecondEvery === null ? [] : [rad({ every: Number(radSecondEvery), from: adamSteps + radSecondFrom, ...(radSecondUntil === null ? {} : { until: adamSteps + Number(radSecondUntil) }) }, seed + 1000)]),
  ];
  const trainer = new Trainer({
    problem, model, sampling, evalPoints, evalEvery: adamSteps,
    validation: validateEvery === null ? undefined : {
      condition: 'pde', every: Number(validateEvery), restoreBest: true, from: adamSteps + radSecondFrom,
      points: G.toTensor(domain.interior(20000, { seed: seed + 2000 }), 2, { dtype: 'float64' }),
    },
    weighting: gradNormEvery === null ? undefined : new pinn.GradNormWeighting({ every: Number(gradNormEvery), alpha: 0.9 }),
    phases: [
      { optimizer: { type: 'adam', lr: 1e-3 }, steps: adamSteps },
      { optimizer: secondOptimizer, steps: Math.ceil(lbfgsIters / ITERS_PER_STEP), dtype: lbfgsDtype },
    ],
  });
  let lbfgsIterations = 0, lbfgsStop = '', adamSeconds = 0, relL2AfterAdam = NaN;
  trainer.on('evaluation', (e) => { if (e.step === adamSteps) relL2AfterAdam = e.relL2.all; });
  trainer.on('phaseEnd', (e) => { if (e.phaseIndex === 0) adamSeconds = r0(); else lbfgsStop = e.lbfgsStopReason ?? ''; });
  trainer.on('lbfgsIteration', () => lbfgsIterations++);
  const t0 = performance.now();
  const r0 = () => (performance.now() - t0) / 1000;
  const r = await trainer.fit();
  const out = { seed, relL2: r.relL2.all, loss: r.total, losses: r.losses, relL2AfterAdam, seconds: r0(), adamSeconds, lbfgsSeconds: r0() - adamSeconds, lbfgsIterations, lbfgsStop, ...(r.validation ? { validation: r.validation } : {}) };
  trainer.dispose(); problem.dispose(); model.dispose(); evalPoints.dispose();
  return out;
}

const results = [];
for (const seed of seeds) {
  const r = await run(seed);
  results.push(r);
  console.log(JSON.stringify(r));
}
console.log(`worst rel. L2 ${Math.max(...results.map((r) => r.relL2)).toExponential(2)}, slowest ${Math.max(...results.map((r) => r.seconds)).toFixed(1)} s (Adam ${adamDtype}, ${second === 'lbfgs' ? 'L-BFGS' : 'BFGS'} ${lbfgsDtype})`);

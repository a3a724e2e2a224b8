// Burgers' equation, the classic PINN benchmark (Raissi et al. 2019; DeepXDE's example), run for
// several seeds:  u_t + u u_x = ν u_xx, x ∈ [−1, 1], t ∈ [0, 1], ν = 0.01/π,
// u(x, 0) = −sin πx, u(±1, t) = 0. MLP [2] + [20]×3 + [1], tanh, Glorot normal; 2540 interior,
// 80 boundary, 160 initial points; Adam 15 000 steps at lr 1e-3, then L-BFGS. Error: relative L2
// on a 256 × 100 grid against the Cole–Hopf solution.
//
//   node examples/burgers_seeds.mjs [--seeds 0,1,2,3,4] [--dtype float32|float64] [--adam 15000] [--lbfgs 1500]
import { Trainer, geometry as G, nn, pinn, tensor } from '../dist/index.js';

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i < 0 ? fallback : process.argv[i + 1]; };
const seeds = arg('seeds', '0,1,2,3,4').split(',').map(Number);
const dtype = arg('dtype', 'float64');
const adamSteps = Number(arg('adam', 15000));
const lbfgsIters = Number(arg('lbfgs', 1500));
const nu = 0.01 / Math.PI;

const domain = new G.GeometryXTime(new G.Interval(-1, 1), new G.TimeDomain(0, 1));
const reference = pinn.references.burgers(nu);
const grid = [];
for (let i = 0; i < 256; i++) for (let j = 0; j < 100; j++) grid.push([-1 + (2 * i) / 255, j / 99]);
const evalPoints = tensor(grid, { dtype });
const exact = reference(evalPoints);

function run(seed) {
  const opts = { sampler: 'halton', seed };
  const interior = G.toTensor(domain.interior(2540, opts), 2, { dtype });
  const boundary = G.toTensor(domain.boundary(80, opts).points, 2, { dtype });
  const initial = G.toTensor(domain.initial(160, opts), 2, { dtype });
  const problem = new pinn.Problem({
    inputs: ['x', 't'], outputs: ['u'], constants: { nu },
    conditions: [
      new pinn.PDE('pde', interior, pinn.pdes.burgers()),
      new pinn.DirichletBC('bc', boundary, 0, { output: 'u' }),
      new pinn.InitialCondition('ic', initial, (x) => x.narrow(1, 0, 1).mul(Math.PI).sin().neg(), { output: 'u' }),
    ],
    reference: () => exact,
  });
  const model = new nn.MLP([2, 20, 20, 20, 1], { activation: 'tanh', init: 'xavierNormal', seed, dtype });
  const lbfgs = { type: 'lbfgs', lr: 1, maxIter: 50, historySize: 50, lineSearchFn: 'strong_wolfe', toleranceGrad: 0, toleranceChange: 0 };
  const trainer = new Trainer({
    problem, model, evalPoints,
    phases: [{ optimizer: { type: 'adam', lr: 1e-3 }, steps: adamSteps }, { optimizer: lbfgs, steps: Math.ceil(lbfgsIters / 50) }],
  });
  let lbfgsIterations = 0;
  trainer.on('lbfgsIteration', () => lbfgsIterations++);
  let stop = '';
  trainer.on('phaseEnd', (e) => { if (e.lbfgsStopReason) stop = e.lbfgsStopReason; });
  trainer.on('phaseEnd', (e) => process.stderr.write(`  seed ${seed}: ${e.phase} done at step ${e.step}, ${(performance.now() / 1000 - t0).toFixed(1)} s, rel. L2 ${trainer.evaluate().relL2.all.toExponential(2)}\n`));
  const t0 = performance.now() / 1000;
  return trainer.fit().then((r) => {
    const out = { seed, relL2: r.relL2.all, seconds: r.timing.total, adamSeconds: undefined, lbfgsIterations, lbfgsStop: stop, timing: r.timing };
    trainer.dispose(); problem.dispose(); model.dispose();
    return out;
  });
}

const results = [];
for (const seed of seeds) {
  const r = await run(seed);
  results.push(r);
  console.log(JSON.stringify(r));
}
console.log(`worst rel. L2 ${Math.max(...results.map((r) => r.relL2)).toExponential(2)}, slowest ${Math.max(...results.map((r) => r.seconds)).toFixed(1)} s (${dtype})`);

#!/usr/bin/env node
// node bench/output_transform.mjs [--rounds 4] [--steps 200]
// The cost of a hard constraint: the reference step (MLP 3→64×3→2 tanh, float32, N 1000,
// elastic-wave residual, Adam) with no output transform, with one affine in u (T = t·u: the
// product-rule path of src/pinn/affine_transform.ts) and with one that is not (T = t·u + 10⁻³u²:
// reverse mode through the local quadratic model). One thread, the three cases alternated in one
// process; CPU time per step, median over rounds. Needs dist/.
import { keep, nn, optim, pinn, rand, setNumThreads, tidy } from '../dist/index.js';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const rounds = option('--rounds', 4), steps = option('--steps', 200);
setNumThreads(1);

const X = keep(rand([1000, 3]));
const t = (x) => x.narrow(1, 2, 1);
const cases = {
  'no transform': null,
  'T = t·u (affine)': (x, u) => u.mul(t(x)),
  'T = t·u + 1e-3·u² (not affine)': (x, u) => u.mul(t(x)).add(u.square().mul(1e-3)),
};
const runs = Object.entries(cases).map(([name, outputTransform]) => {
  const problem = new pinn.Problem({
    inputs: ['x', 'y', 't'], outputs: ['ux', 'uy'], constants: { rho: 1, lambda: 1, mu: 0.5 },
    conditions: [new pinn.PDE('pde', X, pinn.pdes.elasticWave2D(), { loss: 'mse' })], ...(outputTransform ? { outputTransform } : {}),
  });
  const net = new nn.MLP([3, 64, 64, 64, 2], { seed: 0 });
  const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
  const step = () => tidy(() => { opt.zeroGrad(); problem.total(problem.losses(net)).backward(); opt.step(); });
  for (let i = 0; i < 20; i++) step();
  return { name, step, times: [] };
});
for (let r = 0; r < rounds; r++) {
  for (const run of runs) {
    const c = process.cpuUsage();
    for (let i = 0; i < steps; i++) run.step();
    const u = process.cpuUsage(c);
    run.times.push((u.user + u.system) / 1000 / steps);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(runs[0].times);
for (const run of runs) {
  const m = median(run.times);
  console.log(`${run.name}: ${m.toFixed(2)} ms CPU per step (${(m / base).toFixed(2)}× no transform; rounds ${run.times.map((v) => v.toFixed(2)).join(', ')})`);
}

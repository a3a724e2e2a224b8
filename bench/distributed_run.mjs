// One process of the distributed bench (bench/distributed.mjs): the elastic-wave-2d preset's
// problem with N interior points (and its boundary and initial terms), its network and Adam,
// `steps` timed steps after `warmup`, alone (world 0) or as one rank; then the allreduce of the
// model's gradients alone, timed as often. argv[2]: JSON { world, rank, port, points, steps, warmup }.
// Prints one JSON line: per-step seconds (median), allreduce seconds (median), bytes, parameters.
import { Trainer, distributed, pinn, setNumThreads, tidy } from '../dist/index.js';
import { PRESETS } from '../dist/cli/presets.js';

const a = JSON.parse(process.argv[2]);
setNumThreads(1);
const group = a.world ? distributed.init({ rank: a.rank, worldSize: a.world, masterPort: a.port, timeoutMs: 120_000, backend: 'gloo' }) : undefined;
const { problem: p, phases } = PRESETS['elastic-wave-2d'];
const { type: _type, plotTime: _plot, ...options } = p;
const problem = pinn.problems.elasticWave2D({ ...options, interior: a.points, seed: 0 });
const model = problem.recipe.createModel();
const adam = { ...phases[0], steps: a.warmup + a.steps };
const times = [];
const record = { name: 'benchStepTimes', onStepEnd: (t, s) => { if (t.progress.step > a.warmup) times.push(s.stepTime); } };
const trainer = new Trainer({ problem, model, phases: [adam], distributed: group, callbacks: [record] });
await trainer.fit();
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const params = trainer.params;
const bytes = params.reduce((n, t) => n + t.numel * (t.dtype === 'float64' ? 8 : 4), 0);
let comm = null;
if (group) {
  const grads = tidy(() => params.map((t) => t.detach().clone()));
  const ts = [];
  for (let i = 0; i < a.warmup + a.steps; i++) {
    const t0 = performance.now();
    group.allreduce(grads);
    if (i >= a.warmup) ts.push((performance.now() - t0) / 1000);
  }
  comm = median(ts);
  for (const g of grads) g.dispose();
  group.barrier();
  group.destroy();
}
process.stdout.write(JSON.stringify({ rank: a.rank ?? 0, step: median(times), comm, bytes, parameters: params.reduce((n, t) => n + t.numel, 0) }) + '\n');

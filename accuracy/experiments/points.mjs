#!/usr/bin/env node
// node accuracy/experiments/points.mjs <problem> [seconds] [seed] [factor]
// The recipe's plan on the problem with `factor` times as many PDE points (drawn from the same
// domain and seed stream; the recipe's RAD redraws and held-out points as usual). The question:
// at a fixed budget, do more points (fewer, dearer steps) lower the error? The Burgers runs
// behind the recipe's BFGS choice found the points, not the loss, limiting the error there.
// factor 1 is the recipe as it is. Not part of `npm run accuracy`.
import { Trainer, geometry } from '../../dist/index.js';
import { autoOptions } from '../../dist/train/auto.js';
import { args, buildProblem } from './setup.mjs';

const [name, seconds = '120', seed = '0', factor = '4'] = args('node accuracy/experiments/points.mjs <problem> [seconds] [seed] [factor]');
const { problem, domain, evalPoints } = await buildProblem(name, Number(seed));
const pdes = problem.conditions.filter((c) => problem.residualTerms().includes(c.name));
for (const c of pdes) {
  const n = Math.round(c.points.shape[0] * Number(factor));
  c.setPoints(geometry.toTensor(domain.interior(n, { seed: Number(seed) }), domain.dim, { dtype: 'float64' }));
}
const { options, plan } = autoOptions(problem, { timeBudget: Number(seconds), domain, seed: Number(seed), evalPoints, logEvery: 100, evalEvery: 1000 });
const trainer = new Trainer(options);
trainer.on('evaluation', (e) => process.stderr.write(`  step ${e.step}: relative L2 ${e.relL2.all.toExponential(2)}\n`));
const r = await trainer.fit();
console.log(`${name} seed ${seed}, ${factor}× PDE points (${pdes.map((c) => c.points.shape[0]).join(', ')}; one evaluation ${(plan.evaluationSeconds * 1e3).toFixed(1)} ms): relative L2 ${r.relL2.all.toExponential(2)} in ${r.timing.total.toFixed(0)} s, ${r.steps} steps`);

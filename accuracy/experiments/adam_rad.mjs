#!/usr/bin/env node
// node accuracy/experiments/adam_rad.mjs <problem> [seconds] [seed] [plain]
// The recipe's plan for the suite's problem with RAD redraws of every PDE term during Adam as
// well (every tenth of Adam's steps, p ∝ |r|, 20 candidates per point), where the recipe redraws
// only during the quasi-Newton phase. The question it answers: does moving the points to where
// the residual is large while Adam finds the basin (the shock of Burgers, a front) make the
// basin it finds the right one more often? With 'plain', the recipe's plan unchanged in the same
// harness. Not part of `npm run accuracy`.
import { Trainer, geometry, pinn } from '../../dist/index.js';
import { autoOptions } from '../../dist/train/auto.js';
import { args, buildProblem } from './setup.mjs';

const [name, seconds = '120', seed = '0', mode = 'rad'] = args('node accuracy/experiments/adam_rad.mjs <problem> [seconds] [seed] [plain]');
const { problem, domain, evalPoints } = await buildProblem(name, Number(seed));
const { options, plan } = autoOptions(problem, { timeBudget: Number(seconds), domain, seed: Number(seed), evalPoints, logEvery: 100, evalEvery: 1000 });
const adamSteps = plan.phases[0].steps;
const every = Math.max(100, Math.floor(adamSteps / 10));
if (mode !== 'plain') {
  const draw = (n, rng) => geometry.toTensor(domain.interior(n, { rng }), domain.dim, { dtype: 'float64' });
  const extra = problem.residualTerms().map((condition, i) => new pinn.RAD({
    condition, every, from: every, phase: 'adam', candidates: Math.min(100_000, 20 * problem.conditions.find((c) => c.name === condition).points.shape[0]),
    source: draw, seed: Number(seed) + 500 + i,
  }));
  options.sampling = [...extra, ...(options.sampling ?? [])];
}
const trainer = new Trainer(options);
trainer.on('evaluation', (e) => process.stderr.write(`  step ${e.step}: relative L2 ${e.relL2.all.toExponential(2)}\n`));
const r = await trainer.fit();
console.log(`${name} seed ${seed}, ${mode === 'plain' ? 'the recipe' : `RAD during Adam too (every ${every} of ${adamSteps} steps)`}: relative L2 ${r.relL2.all.toExponential(2)} in ${r.timing.total.toFixed(0)} s, ${r.steps} steps`);

#!/usr/bin/env node
// node accuracy/experiments/qn_redraws.mjs <problem> [seconds] [seed] [every|3xevery|plain]
// The recipe's plan with the quasi-Newton phase's RAD redraws every `every` of its steps (default
// 10, i.e. 500 iterations) until the phase ends, where the recipe places 3 redraws by its
// estimate of the phase's length (which can run out early: Burgers at 600 s had 560 of 680 steps
// without one, and ended worse than at 120 s). The question: do redraws through the whole phase stop a
// long quasi-Newton phase from fitting the points instead of the PDE? With 'plain', the
// recipe's plan unchanged in the same harness. The redraws keep as many points as the recipe's
// (its points rule). Not part of `npm run accuracy`.
import { Trainer, geometry, pinn } from '../../dist/index.js';
import { autoOptions } from '../../dist/train/auto.js';
import { args, buildProblem } from './setup.mjs';

const [name, seconds = '120', seed = '0', mode = '10'] = args('node accuracy/experiments/qn_redraws.mjs <problem> [seconds] [seed] [every|3xevery|plain]');
const { problem, domain, evalPoints } = await buildProblem(name, Number(seed));
const { options, plan } = autoOptions(problem, { timeBudget: Number(seconds), domain, seed: Number(seed), evalPoints, logEvery: 100, evalEvery: 1000 });
const adamSteps = plan.phases[0].steps;
if (mode !== 'plain' && plan.sampling.length) {
  // 'N': every N quasi-Newton steps to the end; '3xN': the recipe's three redraws, N steps apart.
  const three = mode.startsWith('3x'), every = Number(three ? mode.slice(2) : mode);
  const draw = (n, rng) => geometry.toTensor(domain.interior(n, { rng }), domain.dim, { dtype: 'float64' });
  options.sampling = plan.sampling.map((s, i) => new pinn.RAD({
    condition: s.condition, every, from: every, ...(three ? { until: 3 * every } : {}), phase: s.phase, candidates: s.candidates, ...(s.points ? { points: s.points } : {}),
    source: draw, seed: Number(seed) + 1 + i,
  }));
}
const trainer = new Trainer(options);
trainer.on('evaluation', (e) => process.stderr.write(`  step ${e.step}: relative L2 ${e.relL2.all.toExponential(2)}\n`));
const r = await trainer.fit();
console.log(`${name} seed ${seed}, ${mode === 'plain' ? 'the recipe' : (mode.startsWith('3x') ? `3 RAD redraws ${mode.slice(2)} quasi-Newton steps apart` : `RAD every ${mode} quasi-Newton steps to the end`)}: relative L2 ${r.relL2.all.toExponential(2)} in ${r.timing.total.toFixed(0)} s, ${r.steps} steps (adam ${adamSteps})`);

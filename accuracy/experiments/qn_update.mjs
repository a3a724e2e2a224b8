#!/usr/bin/env node
// node accuracy/experiments/qn_update.mjs <problem> [seconds] [seed] [ssbfgs|ssbroyden|bfgs]
// The recipe's plan with its quasi-Newton phase's update formula replaced: the recipe uses
// self-scaled BFGS ('ssbfgs'); self-scaled Broyden ('ssbroyden', SSBroyden2 of Urbán et al.)
// chooses the family member per step and is the stronger in their PINN comparisons. The
// question: does it end lower here, in the same time? Not part of `npm run accuracy`.
import { Trainer } from '../../dist/index.js';
import { autoOptions } from '../../dist/train/auto.js';
import { args, buildProblem } from './setup.mjs';

const [name, seconds = '120', seed = '0', update = 'ssbroyden'] = args('node accuracy/experiments/qn_update.mjs <problem> [seconds] [seed] [ssbfgs|ssbroyden|bfgs]');
const { problem, domain, evalPoints } = await buildProblem(name, Number(seed));
const { options, plan } = autoOptions(problem, { timeBudget: Number(seconds), domain, seed: Number(seed), evalPoints, logEvery: 100, evalEvery: 1000 });
const qn = options.phases.find((ph) => ph.optimizer.type === 'bfgs');
if (!qn) throw new Error(`${name}: the plan has no BFGS phase (${options.phases.map((ph) => ph.optimizer.type).join(', ')})`);
qn.optimizer = { ...qn.optimizer, update };
const trainer = new Trainer(options);
trainer.on('evaluation', (e) => process.stderr.write(`  step ${e.step}: relative L2 ${e.relL2.all.toExponential(2)}\n`));
const r = await trainer.fit();
console.log(`${name} seed ${seed}, update '${update}': relative L2 ${r.relL2.all.toExponential(2)} in ${r.timing.total.toFixed(0)} s, ${r.steps} steps (adam planned ${plan.phases[0].steps})`);

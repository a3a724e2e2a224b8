#!/usr/bin/env node
// node accuracy/experiments/multi_adam.mjs <problem> [seconds] [seed] [multiadam|plain]
// The recipe's plan with MultiAdam (Adam's moments per loss term, each term normalised on its
// own; optim/multi_adam.ts) in place of Adam for the first phase, same learning rate and decay.
// The plan's NTK weighting stays (under MultiAdam it only holds the periodic terms at 0: a
// positive weight has no effect). 'plain' is the recipe's plan in the same harness. The
// question: does MultiAdam earn its place in the recipe? Not part of `npm run accuracy`.
import { Trainer } from '../../dist/index.js';
import { autoOptions } from '../../dist/train/auto.js';
import { args, buildProblem } from './setup.mjs';

const [name, seconds = '120', seed = '0', mode = 'multiadam'] = args('node accuracy/experiments/multi_adam.mjs <problem> [seconds] [seed] [multiadam|plain]');
const { problem, domain, evalPoints } = await buildProblem(name, Number(seed));
const { options } = autoOptions(problem, { timeBudget: Number(seconds), domain, seed: Number(seed), evalPoints, logEvery: 100, evalEvery: 1000 });
if (mode !== 'plain') options.phases = options.phases.map((p, i) => (i === 0 ? { ...p, optimizer: { ...p.optimizer, type: 'MultiAdam' } } : p));
const trainer = new Trainer(options);
trainer.on('evaluation', (e) => process.stderr.write(`  step ${e.step}: relative L2 ${e.relL2.all.toExponential(2)}\n`));
const r = await trainer.fit();
console.log(`${name} seed ${seed}, ${mode}: relative L2 ${r.relL2.all.toExponential(2)} in ${r.timing.total.toFixed(0)} s, ${r.steps} steps`);

#!/usr/bin/env node
// node accuracy/experiments/adam_share.mjs <problem> [seconds] [seed] [share]
// The recipe's plan with Adam's share of the time budget set to `share` (the recipe: 0.25; 0.5
// until 2026-12-07) and the quasi-Newton phase given the rest. Adam's planned steps and its
// learning-rate decay (1e-3 to 1e-4 over the phase) are rescaled with its time, as planAuto sizes them. The question:
// does a longer quasi-Newton phase, which converges in the basin Adam leaves, lower the error?
// Not part of `npm run accuracy`.
import { Trainer } from '../../dist/index.js';
import { autoOptions } from '../../dist/train/auto.js';
import { args, buildProblem } from './setup.mjs';

const [name, seconds = '120', seed = '0', shareArg = '0.5'] = args('node accuracy/experiments/adam_share.mjs <problem> [seconds] [seed] [share]');
const share = Number(shareArg);
if (!(share > 0 && share < 1)) throw new RangeError(`share must be in (0, 1), got ${shareArg}`);
const { problem, domain, evalPoints } = await buildProblem(name, Number(seed));
const { options } = autoOptions(problem, { timeBudget: Number(seconds), domain, seed: Number(seed), evalPoints, logEvery: 100, evalEvery: 1000 });
const adam = options.phases[0];
const steps = Math.max(1, Math.round((adam.steps * share * Number(seconds)) / adam.timeBudget));
options.phases[0] = { ...adam, steps, timeBudget: share * Number(seconds), scheduler: { ...adam.scheduler, gamma: 0.1 ** (1 / steps) } };
const trainer = new Trainer(options);
const r = await trainer.fit();
console.log(`${name} seed ${seed}, Adam share ${share}: relative L2 ${r.relL2.all.toExponential(2)} in ${r.timing.total.toFixed(0)} s, ${r.steps} steps`);
trainer.dispose();

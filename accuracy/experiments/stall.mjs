#!/usr/bin/env node
// node accuracy/experiments/stall.mjs <problem> [seconds] [seed]
// The recipe as it is, logging each term's raw loss relative to its loss at the first step and
// the relative L2 error, at fractions of the budget. The question: does a fit that is failing
// over the whole interval (advection) show in its losses early enough to switch to marching in
// time for the rest of the budget? (accuracy/results/2026-12-07-stall.md: no.)
// Not part of `npm run accuracy`.
import { Trainer } from '../../dist/index.js';
import { args, buildProblem } from './setup.mjs';

const [name, seconds = '120', seed = '0'] = args('node accuracy/experiments/stall.mjs <problem> [seconds] [seed]');
const budget = Number(seconds);
const { problem, domain, evalPoints } = await buildProblem(name, Number(seed));
const trainer = Trainer.auto(problem, { timeBudget: budget, domain, seed: Number(seed), evalPoints, logEvery: 5, evalEvery: 50 });
let first = null, error = NaN;
const marks = [0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1.01];
const rows = [];
trainer.on('evaluation', (e) => { error = e.relL2.all; });
trainer.on('step', (e) => {
  first ??= e.losses;
  while (marks.length && e.elapsed >= marks[0] * budget) {
    const ratio = Object.fromEntries(Object.entries(e.losses).map(([k, v]) => [k, v / first[k]]));
    rows.push({ at: marks.shift(), elapsed: e.elapsed, phase: e.phase, error, total: e.total, losses: e.losses, ratio });
  }
});
const r = await trainer.fit();
const fmt = (o) => Object.entries(o).map(([k, v]) => `${k} ${v.toExponential(1)}`).join(', ');
console.log(`${name} seed ${seed}, ${budget} s: relative L2 ${r.relL2.all.toExponential(2)}; first losses ${fmt(first)}`);
for (const x of rows) console.log(`  ${(x.at * 100).toFixed(0).padStart(3)} % (${x.elapsed.toFixed(0)} s, ${x.phase}): error ${x.error.toExponential(1)}; total ${x.total.toExponential(1)}; raw ${fmt(x.losses)}; loss / first: ${fmt(x.ratio)}`);
trainer.dispose();

#!/usr/bin/env node
// node accuracy/experiments/weighting.mjs <problem> [seconds] [weighting] [seed]
//   weighting: ntk | lra | none, optionally with options: "ntk,points=16", "lra,numerator=mean"
// One problem of the suite trained by Trainer.auto's plan with its weighting replaced (every
// 100 steps until the end of Adam, the plan's held terms kept held). The question it answers:
// which loss weighting should the recipe choose? Not part of `npm run accuracy`; its results
// are in accuracy/results/2026-12-06-ntk-weighting.md.
import { Trainer, pinn } from '../../dist/index.js';
import { args, buildProblem } from './setup.mjs';
import { autoOptions } from '../../dist/train/auto.js';

const [name, seconds = '60', spec = 'ntk', seed = '0'] = args('node accuracy/experiments/weighting.mjs <problem> [seconds] [ntk|lra|none[,key=value…]] [seed]');
const { problem, domain, evalPoints } = await buildProblem(name, Number(seed));
const { options, plan } = autoOptions(problem, { timeBudget: Number(seconds), domain, seed: Number(seed), evalPoints, logEvery: 100, evalEvery: 1000 });

const [kind, ...pairs] = spec.split(',');
const extra = Object.fromEntries(pairs.map((kv) => { const [k, v] = kv.split('='); return [k, Number.isNaN(Number(v)) ? v : Number(v)]; }));
const schedule = { every: 100, phase: 'adam', ...(plan.weighting?.fixed ? { fixed: plan.weighting.fixed } : {}) };
if (kind === 'none') delete options.weighting;
else if (kind === 'ntk') options.weighting = new pinn.NTKWeighting({ ...schedule, seed: Number(seed), ...extra });
else if (kind === 'lra') options.weighting = new pinn.LRAWeighting({ ...schedule, ...extra });
else throw new Error(`unknown weighting '${kind}' (ntk, lra, none)`);

const trainer = new Trainer(options);
trainer.on('step', (e) => {
  if (e.step % 500 === 0) process.stderr.write(`  ${e.phase} ${e.step}: ${Object.entries(e.losses).map(([k, v]) => `${k} ${v.toExponential(2)} (×${e.weights[k].toPrecision(3)})`).join(', ')}\n`);
});
trainer.on('evaluation', (e) => process.stderr.write(`  step ${e.step}: relative L2 ${e.relL2.all.toExponential(2)}\n`));
const r = await trainer.fit();
console.log(`${name}, ${spec}, seed ${seed}: relative L2 ${r.relL2.all.toExponential(2)} in ${r.timing.total.toFixed(0)} s, ${r.steps} steps`);

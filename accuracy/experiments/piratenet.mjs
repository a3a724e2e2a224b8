#!/usr/bin/env node
// node accuracy/experiments/piratenet.mjs <problem> [seconds] [seed] [width] [blocks]
// The recipe's plan (Trainer.auto: NTK weighting, Adam then a quasi-Newton phase, RAD, held-out
// restore) with nn.PirateNet (Fourier features σ = 1, `blocks` gated residual blocks of `width`,
// every α from 0) as the given model in place of the recipe's MLP; behind the recipe's periodic
// embedding when the problem's periodic conditions allow one (exactPeriodicity). Derivatives by
// nested autograd: the forward-mode engine takes plain MLPs only. The question: does PirateNet
// earn its place in the recipe at this budget? Not part of `npm run accuracy`.
import { Trainer, nn } from '../../dist/index.js';
import { autoOptions, autoPeriods } from '../../dist/train/auto.js';
import { exactPeriodicity } from '../../dist/train/exact_periodicity.js';
import { args, buildProblem } from './setup.mjs';

const [name, seconds = '120', seed = '0', width = '32', blocks = '2'] = args('node accuracy/experiments/piratenet.mjs <problem> [seconds] [seed] [width] [blocks]');
const { problem, domain, evalPoints } = await buildProblem(name, Number(seed));
const periods = autoPeriods(problem.inputs.length, exactPeriodicity(problem));
const embedding = periods ? new nn.PeriodicEmbedding(periods) : null;
const pirate = new nn.PirateNet(embedding ? embedding.outFeatures : problem.inputs.length, Number(width), Number(blocks), problem.outputs.length, { seed: Number(seed) });
const model = embedding ? new nn.Embedded(embedding, pirate) : pirate;
const { options, plan } = autoOptions(problem, { model, timeBudget: Number(seconds), domain, seed: Number(seed), evalPoints, logEvery: 100, evalEvery: 1000 });
const trainer = new Trainer(options);
trainer.on('evaluation', (e) => process.stderr.write(`  step ${e.step}: relative L2 ${e.relL2.all.toExponential(2)}\n`));
const r = await trainer.fit();
console.log(`${name} seed ${seed}, PirateNet ${width}×${blocks}${embedding ? ' behind the periodic embedding' : ''} (${plan.model.parameters} parameters, ${plan.phases[1].name}): relative L2 ${r.relL2.all.toExponential(2)} in ${r.timing.total.toFixed(0)} s, ${r.steps} steps`);

#!/usr/bin/env node
// node accuracy/experiments/fourier.mjs <problem> [seconds] [features] [scale] [seed] [raw|box]
// One problem of the suite trained by Trainer.auto's plan on the recipe's network behind random
// Fourier features, Embedded(FourierFeatures(d, features, { scale }), MLP): B ~ N(0, scale²) on
// the raw inputs, or (box) with row k of B divided by the half-width of the domain's bounding
// box in input k: the features of the inputs mapped onto [−1, 1] (a shift of the inputs only
// shifts the features' phases, which the first layer absorbs). The model is given, so the recipe trains it as it is (no periodic embedding,
// every term in the objective). The question it answers: do Fourier features let the recipe
// train the problems whose solutions have high frequencies or sharp layers? Not part of
// `npm run accuracy`.
import { Trainer, nn, tensor } from '../../dist/index.js';
import { args, buildProblem } from './setup.mjs';
import { autoHidden, autoOptions } from '../../dist/train/auto.js';

const [name, seconds = '60', features = '64', scale = '1', seed = '0', inputs = 'raw'] = args('node accuracy/experiments/fourier.mjs <problem> [seconds] [features] [scale] [seed] [raw|box]');
const { problem, domain, evalPoints } = await buildProblem(name, Number(seed));
const d = problem.inputs.length, m = Number(features);
const embedding = new nn.FourierFeatures(d, m, { scale: Number(scale), seed: Number(seed) + 7 });
if (inputs === 'box') {
  const [lo, hi] = domain.bbox;
  embedding.B.mul_(tensor(lo.map((l, k) => [2 / (hi[k] - l)]), { dtype: embedding.B.dtype }));
} else if (inputs !== 'raw') throw new Error(`inputs must be raw or box, got '${inputs}'`);
const model = new nn.Embedded(embedding, new nn.MLP([2 * m, ...autoHidden(d, problem.outputs.length), problem.outputs.length], { seed: Number(seed), init: 'xavierNormal' }));

const { options } = autoOptions(problem, { timeBudget: Number(seconds), domain, seed: Number(seed), evalPoints, model, logEvery: 100, evalEvery: 1000 });
const trainer = new Trainer(options);
trainer.on('step', (e) => {
  if (e.step % 500 === 0) process.stderr.write(`  ${e.phase} ${e.step}: ${Object.entries(e.losses).map(([k, v]) => `${k} ${v.toExponential(2)} (×${e.weights[k].toPrecision(3)})`).join(', ')}\n`);
});
trainer.on('evaluation', (e) => process.stderr.write(`  step ${e.step}: relative L2 ${e.relL2.all.toExponential(2)}\n`));
const r = await trainer.fit();
console.log(`${name}, Fourier features ${m} (scale ${scale}, ${inputs} inputs), seed ${seed}: relative L2 ${r.relL2.all.toExponential(2)} in ${r.timing.total.toFixed(0)} s, ${r.steps} steps; forward-mode ${problem.usesForward(model)}`);

#!/usr/bin/env node
// node accuracy/experiments/hard_dirichlet.mjs <heat-2d-vc | poisson-1d-ms> [seconds]
// The suite's problem with its zero Dirichlet (and, for heat, initial) values enforced exactly
// through the output, u = φ(x)·(t/T)·N(x, t) with φ the spatial geometry's distance function,
// and its PDE term alone, trained by Trainer.auto as the suite trains the original. The question
// it answers: would the recipe gain by choosing exact enforcement where the data allow it?
// Not part of `npm run accuracy`; its results are in accuracy/results/2026-12-06-hard-dirichlet.md.
import { Trainer, pinn } from '../../dist/index.js';
import { buildProblem } from './setup.mjs';

const [name, seconds = '60'] = process.argv.slice(2);
if (!['heat-2d-vc', 'poisson-1d-ms'].includes(name)) {
  console.error('usage: node accuracy/experiments/hard_dirichlet.mjs <heat-2d-vc | poisson-1d-ms> [seconds]');
  process.exit(2);
}
const { p, problem: soft, domain, evalPoints } = await buildProblem(name);
const timeSpan = name === 'heat-2d-vc' ? 5 : null; // heat: t ∈ [0, 5], u = 0 at t = 0 as well
const phi = pinn.dirichletTransform(timeSpan ? domain.geometry : domain, 0);
const outputTransform = timeSpan
  ? (x, u) => phi(x.narrow(1, 0, 2), u.mul(x.narrow(1, 2, 1).mul(1 / timeSpan)))
  : phi;
const problem = new pinn.Problem({
  inputs: soft.inputs, outputs: soft.outputs, reference: p.exact, outputTransform,
  conditions: [soft.conditions.find((c) => c.name === 'pde')],
});
const trainer = Trainer.auto(problem, { timeBudget: Number(seconds), domain, seed: 0, evalPoints, logEvery: 100, evalEvery: 1000 });
trainer.on('evaluation', (e) => process.stderr.write(`  step ${e.step}: relative L2 ${e.relL2.all.toExponential(2)}\n`));
const r = await trainer.fit();
console.log(`${name}, exact boundary values: relative L2 ${r.relL2.all.toExponential(2)} in ${r.timing.total.toFixed(0)} s, ${r.steps} steps`);

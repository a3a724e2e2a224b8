#!/usr/bin/env node
// node accuracy/experiments/causal.mjs <problem> [seconds] [epsilon] [seed] [chunks] [after]
//   after: keep (the quasi-Newton phase trains causally too) | off (ε = 0 from the quasi-Newton
//   phase on, so the line search sees a fixed objective)
// One time-dependent problem of the suite trained by Trainer.auto's plan, with every PDE term
// weighted causally in time (pinn.Causality; ε = 0 is the recipe as it is). The question it
// answers: should the recipe train time-dependent problems causally? Not part of
// `npm run accuracy`.
import { Trainer, geometry as G, pinn } from '../../dist/index.js';
import { args, buildProblem } from './setup.mjs';
import { autoOptions } from '../../dist/train/auto.js';

const [name, seconds = '60', epsilon = '1', seed = '0', chunks = '32', after = 'off'] = args('node accuracy/experiments/causal.mjs <problem> [seconds] [epsilon] [seed] [chunks] [keep|off]');
const { problem, domain, evalPoints } = await buildProblem(name, Number(seed));
if (!(domain instanceof G.GeometryXTime)) throw new Error(`${name} is not time-dependent (its domain is no GeometryXTime)`);
const timeColumn = problem.inputs.length - 1;
const { time } = domain;
const terms = problem.residualTerms().map((name) => problem.conditions.find((c) => c.name === name));
// One Causality per PDE term (each keeps its own chunk weights).
const causal = terms.map((term) => (term.causal = new pinn.Causality({ timeColumn, chunks: Number(chunks), epsilon: Number(epsilon), timeRange: [time.t0, time.t1] })));
const minWeight = () => Math.min(...causal.map((c) => c.lastMinWeight));

const { options } = autoOptions(problem, { timeBudget: Number(seconds), domain, seed: Number(seed), evalPoints, logEvery: 100, evalEvery: 1000 });
const trainer = new Trainer(options);
trainer.on('phaseStart', (e) => { if (e.phaseIndex > 0 && after === 'off') for (const c of causal) c.epsilon = 0; });
trainer.on('step', (e) => {
  if (e.step % 500 === 0) process.stderr.write(`  ${e.phase} ${e.step}: ${Object.entries(e.losses).map(([k, v]) => `${k} ${v.toExponential(2)}`).join(', ')}; min causal weight ${minWeight().toFixed(3)}\n`);
});
trainer.on('evaluation', (e) => process.stderr.write(`  step ${e.step}: relative L2 ${e.relL2.all.toExponential(2)}\n`));
const r = await trainer.fit();
console.log(`${name}, causal ε ${epsilon} (${chunks} chunks, ${after} after Adam), seed ${seed}: relative L2 ${r.relL2.all.toExponential(2)} in ${r.timing.total.toFixed(0)} s, ${r.steps} steps`);

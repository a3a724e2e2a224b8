#!/usr/bin/env node
// node accuracy/experiments/rba.mjs <problem> [seconds] [seed] [plain|rba|rba-n]
// The recipe's plan with residual-based attention (pinn.ResidualAttention: a multiplier per PDE
// point, λ ← γλ + η|r|/max|r|, γ 0.999, η 0.01; 'rba-n' the normalised form) on every PDE term
// during the Adam phase. It is taken off when the quasi-Newton phase starts: a multiplier that
// moves with every evaluation changes the objective under a line search, and the phase's
// redraws replace the points it belongs to. The question: does attention in Adam leave the
// quasi-Newton phase a better basin (Burgers' seeds differ by where Adam leaves them)?
// 'plain' is the recipe's plan in the same harness. Not part of `npm run accuracy`.
import { Trainer, pinn } from '../../dist/index.js';
import { autoOptions } from '../../dist/train/auto.js';
import { args, buildProblem } from './setup.mjs';

const [name, seconds = '120', seed = '0', mode = 'rba'] = args('node accuracy/experiments/rba.mjs <problem> [seconds] [seed] [plain|rba|rba-n]');
const { problem, domain, evalPoints } = await buildProblem(name, Number(seed));
const { options } = autoOptions(problem, { timeBudget: Number(seconds), domain, seed: Number(seed), evalPoints, logEvery: 100, evalEvery: 1000 });
const terms = problem.conditions.filter((c) => problem.residualTerms().includes(c.name));
if (mode !== 'plain') {
  // `attention` is set at construction in the library; the experiment attaches it afterwards.
  for (const c of terms) c.attention = new pinn.ResidualAttention({ normalize: mode === 'rba-n' });
  options.callbacks = [{
    name: 'attention-in-adam',
    onPhaseStart(_trainer, phase) {
      if (phase.phaseIndex === 0) return;
      for (const c of terms) { c.attention?.reset(); c.attention = null; }
    },
  }];
}
const trainer = new Trainer(options);
trainer.on('evaluation', (e) => process.stderr.write(`  step ${e.step}: relative L2 ${e.relL2.all.toExponential(2)}\n`));
const r = await trainer.fit();
console.log(`${name} seed ${seed}, ${mode}: relative L2 ${r.relL2.all.toExponential(2)} in ${r.timing.total.toFixed(0)} s, ${r.steps} steps`);

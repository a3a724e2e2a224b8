#!/usr/bin/env node
// node accuracy/experiments/march.mjs <problem> [seconds] [seed] [windows]
// A time-dependent problem of the suite trained in time windows (marchInTime: the default
// recipe window by window, each window's network from the previous one's weights, initial
// conditions as continuity with it), for `seconds` in all. Relative L2 over the suite's
// evaluation points, as `npm run accuracy` measures it. The question: which of the suite's
// time-dependent problems does marching in time train better than the recipe over the whole
// interval? Not part of `npm run accuracy`.
import { marchInTime, noGrad, relativeL2, tidy } from '../../dist/index.js';
import { args, buildProblem } from './setup.mjs';

const [name, seconds = '120', seed = '0', windows = '5'] = args('node accuracy/experiments/march.mjs <problem> [seconds] [seed] [windows]');
const { p, problem, domain, evalPoints } = await buildProblem(name, Number(seed));
const t0 = performance.now();
const r = await marchInTime(problem, { domain, windows: Number(windows), timeBudget: Number(seconds), seed: Number(seed) });
for (const [k, w] of r.windows.entries()) process.stderr.write(`  window ${k} [${w.t0.toFixed(3)}, ${w.t1.toFixed(3)}]: ${w.result.steps} steps, ${w.result.stopReason}\n`);
const error = tidy(() => {
  const want = problem.reference(evalPoints);
  const got = noGrad(() => r.model.forward(evalPoints.to(r.model.parameters()[0].dtype)).to(want.dtype));
  return relativeL2(got, want);
});
console.log(`${name} seed ${seed}, ${windows} time window${Number(windows) > 1 ? 's' : ''}: relative L2 ${error.toExponential(2)} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

#!/usr/bin/env node
// node bench/small_gemm_ab.mjs [reference | epoch | <accuracy problem>] [float64]
// One training step (Adam) timed with the derivative engine's tall-by-small products on libxsmm
// and on ATen's mm (setSmallGemm), alternated in blocks within one process, 24 rounds: the
// median of the paired differences is the measure (the VM drifts more between processes than
// within one). 'reference': the reference step (3→64×3→2, N 1000, elastic-wave residual);
// 'epoch': with 100 boundary and 100 initial points; a problem of accuracy/problems: the
// recipe's network on its points (float32 as in Adam, or float64 as in the quasi-Newton phase).
import { keep, nn, optim, pinn, rand, tidy, setNumThreads, setSmallGemm } from '../dist/index.js';
import { autoOptions } from '../dist/train/auto.js';
import { alternate } from './lib/alternate.mjs';
import { quantile } from './lib/stats.mjs';
setNumThreads(1);
if (!setSmallGemm(true)) throw new Error('this build has no libxsmm: nothing to compare');
const which = process.argv[2] ?? 'reference';
let step;
if (which === 'reference' || which === 'epoch') {
  const e = which === 'epoch' ? 100 : 0;
  const problem = pinn.problems.elasticWave2D({ rho: 1, lambda: 1, mu: 0.5, interior: keep(rand([1000, 3])), boundary: e, initial: e, loss: 'mse' });
  const net = new nn.MLP([3, 64, 64, 64, 2], { seed: 0, init: 'default' });
  const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
  step = () => tidy(() => { opt.zeroGrad(); problem.total(problem.losses(net)).backward(); opt.step(); });
} else {
  const p = (await import(`../accuracy/problems/${which}.mjs`)).default;
  const { problem, domain } = p.build({ dtype: 'float64', seed: 0 });
  const { options } = autoOptions(problem, { timeBudget: 60, domain, seed: 0 });
  const model = options.model;
  if (process.argv[3] === 'float64') { model.to('float64'); problem.to('float64'); }
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  step = () => tidy(() => { opt.zeroGrad(); problem.total(problem.losses(model)).backward(); opt.step(); });
}
for (let i = 0; i < 10; i++) step();
const inner = which === 'reference' || which === 'epoch' ? 20 : 5;
const { a: off, b: on } = alternate({ a: false, b: true, use: setSmallGemm, step, rounds: 24, inner });
const med = (xs) => quantile(xs, 0.5), p10 = (xs) => quantile(xs, 0.1);
const diffs = on.map((v, i) => v - off[i]);
console.log(`${which}: libxsmm p10 ${p10(on).toFixed(2)} med ${med(on).toFixed(2)} | ATen p10 ${p10(off).toFixed(2)} med ${med(off).toFixed(2)} | median paired diff ${med(diffs).toFixed(2)} ms (${(100 * med(diffs) / med(off)).toFixed(1)} %)`);

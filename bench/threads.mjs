#!/usr/bin/env node
// node bench/threads.mjs [N] [threads | ab]
// The reference step's network and residual (MLP 3→64×3→2 tanh, float32, elastic-wave residual,
// Adam) on N points with `threads` intra-op threads (LibTorch's and OpenBLAS's): prints the
// median and p10 of 15 steps after 3 as JSON. Run it with 1 and 2 threads, alternating, to see
// whether a second core pays off at that N. With 'ab', one process alternates 1 and 2 threads in
// blocks of 5 steps, 16 rounds, and prints both medians and the median of the paired ratios
// (the VM drifts more between processes than within one).
import { getNumThreads, keep, manualSeed, nn, optim, pinn, rand, setNumThreads, tidy } from '../dist/index.js';
import { alternate } from './lib/alternate.mjs';
import { quantile } from './lib/stats.mjs';

const N = Number(process.argv[2] ?? 8000), ab = process.argv[3] === 'ab', T = ab ? 1 : Number(process.argv[3] ?? 1);
setNumThreads(T);
manualSeed(0);
const problem = pinn.problems.elasticWave2D({ rho: 1, lambda: 1, mu: 0.5, interior: keep(rand([N, 3])), boundary: 0, initial: 0, loss: 'mse' });
const net = new nn.MLP([3, 64, 64, 64, 2], { seed: 0, init: 'default' });
const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
const step = () => tidy(() => { opt.zeroGrad(); problem.total(problem.losses(net)).backward(); opt.step(); });
for (let i = 0; i < 3; i++) step();
if (ab) {
  const { a: one, b: two } = alternate({ a: 1, b: 2, use: setNumThreads, step, rounds: 16, inner: 5 });
  const med = (xs) => quantile(xs, 0.5);
  console.log(JSON.stringify({ N, oneMs: +med(one).toFixed(2), twoMs: +med(two).toFixed(2), pairedRatio: +med(two.map((v, i) => v / one[i])).toFixed(3) }));
  process.exit(0);
}
const ts = [];
for (let i = 0; i < 15; i++) { const t0 = performance.now(); step(); ts.push(performance.now() - t0); }
ts.sort((a, b) => a - b);
console.log(JSON.stringify({ N, threads: getNumThreads(), medianMs: +ts[7].toFixed(2), p10Ms: +ts[1].toFixed(2) }));

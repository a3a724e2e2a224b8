#!/usr/bin/env node
// node bench/tree_ab.mjs <treeA> <treeB> [--rounds 60] [--steps 10]
// Two builds of the library (each a checkout with its dist/ and build/Release addon) in ONE
// process, their steps interleaved block by block: the reference step (MLP 3→64×3→2 tanh,
// float32, elastic-wave residual on 1000 points, Adam), the pinn suite's epoch (the same plus
// 100 boundary points with ux = uy = 0 and 100 initial points with ux and ∂ux/∂t = 0) and the
// same network's plain forward pass on 2048 points without gradients. Reports
// each side's p10 / p25 / median per step and, per case, the median over rounds of B − A
// measured back to back, which a VM whose speed drifts by ±30 % over seconds leaves far less
// noisy than runs in separate processes. One thread (OMP_NUM_THREADS=1 is set here).
//
// Each tree's addon is loaded from a private copy: the same file loaded twice is one module, and
// the second tree's loader would find the first tree's registrations in it.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const option = (name, d) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const trees = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (trees.length !== 2) { console.error('usage: node bench/tree_ab.mjs <treeA> <treeB> [--rounds N] [--steps N]'); process.exit(2); }
const rounds = option('--rounds', 60), block = option('--steps', 10);
process.env.OMP_NUM_THREADS = '1';

const scratch = mkdtempSync(join(tmpdir(), 'tree-ab-'));
const libs = [];
for (const [k, tree] of trees.entries()) {
  const addon = join(scratch, `side${k}.node`);
  copyFileSync(resolve(tree, 'build/Release/pinn_torch.node'), addon);
  process.env.PINN_TORCH_BINARY = addon;
  libs.push(await import(pathToFileURL(resolve(tree, 'dist/index.js')).href));
}

function stepOf(L, name) {
  const { keep, manualSeed, nn, noGrad, optim, pinn, rand, setNumThreads, tidy } = L;
  setNumThreads(1); manualSeed(0);
  if (name === 'forward, batch 2048') {
    const net = new nn.MLP([3, 64, 64, 64, 2], { seed: 0, init: 'default' }), x = keep(rand([2048, 3]));
    return () => noGrad(() => tidy(() => { net.forward(x); }));
  }
  const withConditions = name === 'epoch';
  const conditions = [new pinn.PDE('pde', keep(rand([1000, 3])), pinn.pdes.elasticWave2D(), { loss: 'mse' })];
  if (withConditions) {
    const b = keep(rand([100, 3])), ic = keep(rand([100, 3]));
    conditions.push(new pinn.DirichletBC('bc_ux', b, 0, { output: 'ux', loss: 'mse' }), new pinn.DirichletBC('bc_uy', b, 0, { output: 'uy', loss: 'mse' }));
    conditions.push(new pinn.InitialCondition('ic_ux', ic, 0, { output: 'ux', loss: 'mse' }), new pinn.InitialVelocity('iv_ux', ic, 0, { output: 'ux', loss: 'mse' }));
  }
  const problem = new pinn.Problem({ inputs: ['x', 'y', 't'], outputs: ['ux', 'uy'], constants: { rho: 1, lambda: 1, mu: 0.5 }, conditions });
  const net = new nn.MLP([3, 64, 64, 64, 2], { seed: 0, init: 'default' });
  const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
  return () => tidy(() => { opt.zeroGrad(); problem.total(problem.losses(net)).backward(); opt.step(); });
}

const cases = ['reference step', 'epoch', 'forward, batch 2048'];
const steps = libs.map((L) => cases.map((c) => stepOf(L, c)));
for (const side of steps) for (const f of side) for (let i = 0; i < 20; i++) f();
const times = steps.map((side) => side.map(() => []));
for (let r = 0; r < rounds; r++) {
  for (let c = 0; c < cases.length; c++) {
    for (const s of r % 2 ? [1, 0] : [0, 1]) { // which side goes first alternates
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < block; i++) steps[s][c]();
      times[s][c].push(Number(process.hrtime.bigint() - t0) / block / 1e6);
    }
  }
}
const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))];
console.log(`A = ${resolve(trees[0])}\nB = ${resolve(trees[1])}\n${rounds} rounds of ${block} steps per side and case, ms per step\n`);
console.log('| case | A p10 / p25 / median | B p10 / p25 / median | B − A, median of rounds (quartiles) |\n|---|---|---|---|');
cases.forEach((name, c) => {
  const [a, b] = [times[0][c], times[1][c]];
  const d = b.map((v, r) => v - a[r]);
  const f = (xs) => [0.1, 0.25, 0.5].map((p) => q(xs, p).toFixed(3)).join(' / ');
  console.log(`| ${name} | ${f(a)} | ${f(b)} | ${q(d, 0.5).toFixed(3)} (${q(d, 0.25).toFixed(3)} … ${q(d, 0.75).toFixed(3)}) |`);
});

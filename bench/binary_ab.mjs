#!/usr/bin/env node
// node bench/binary_ab.mjs <before.node> [after.node] [--rounds 6]
// Two builds of the addon on the same machine, alternated in fresh processes: the reference step
// (MLP 3→64×3→2 tanh, float32, N 1000, elastic-wave residual, Adam; 300 steps) and the fused
// activation jet alone (forward + backward at the reference step's shapes, 200 calls). Reports
// wall and CPU time per step/call, median over rounds: CPU time is what a loaded machine
// disturbs least. `after` defaults to build/Release/pinn_torch.node. Needs dist/.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { loadavg } from 'node:os';

const args = process.argv.slice(2);
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 6;
const [before, after = resolve('build/Release/pinn_torch.node')] = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds');
if (!before) { console.error('usage: node bench/binary_ab.mjs <before.node> [after.node] [--rounds N]'); process.exit(2); }
const dist = resolve('dist/index.js'), functional = resolve('dist/functional.js');

const child = `
import { keep, nn, optim, pinn, rand, randn, tidy, setNumThreads, manualSeed } from ${JSON.stringify(dist)};
import * as F from ${JSON.stringify(functional)};
setNumThreads(1); manualSeed(0);
const time = (n, f) => { for (let i = 0; i < 10; i++) f(); const t = performance.now(), c = process.cpuUsage(); for (let i = 0; i < n; i++) f();
  const u = process.cpuUsage(c); return { wall: (performance.now() - t) / n, cpu: (u.user + u.system) / 1000 / n }; };
const problem = pinn.problems.elasticWave2D({ rho: 1, lambda: 1, mu: 0.5, interior: keep(rand([1000, 3])), boundary: 0, initial: 0, loss: 'mse' });
const net = new nn.MLP([3, 64, 64, 64, 2], { seed: 0, init: 'default' });
const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
const step = time(300, () => tidy(() => { opt.zeroGrad(); problem.total(problem.losses(net)).backward(); opt.step(); }));
const pairs = [[0, 0], [1, 1], [0, 1], [2, 2]];
const z = randn([1000, 64]).requiresGrad_(), d1 = randn([1000, 3, 64]).requiresGrad_(), d2 = randn([1000, 4, 64]).requiresGrad_();
const w = [randn([1000, 64]), randn([1000, 3, 64]), randn([1000, 4, 64])];
const jet = time(200, () => tidy(() => { const [a, e1, e2] = F.activationJet('tanh', z, d1, d2, pairs); a.mul(w[0]).sum().add(e1.mul(w[1]).sum()).add(e2.mul(w[2]).sum()).backward(); }));
console.log(JSON.stringify({ step, jet }));`;

const run = (binary) => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', child], { env: { ...process.env, PINN_TORCH_BINARY: binary }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${binary}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { before: [], after: [] };
for (let i = 0; i < rounds; i++) {
  const order = i % 2 ? ['after', 'before'] : ['before', 'after'];
  for (const side of order) results[side].push(run(side === 'before' ? before : after));
  console.log(`round ${i + 1} (load ${loadavg()[0].toFixed(1)}): ` + order.map((s) => `${s} step ${results[s].at(-1).step.cpu.toFixed(2)} ms CPU, jet ${results[s].at(-1).jet.cpu.toFixed(3)} ms CPU`).join('; '));
}
for (const key of ['step', 'jet']) {
  const m = (side, k) => median(results[side].map((r) => r[key][k]));
  console.log(`${key === 'step' ? 'reference step' : 'activation jet fwd+bwd'}: CPU ${m('before', 'cpu').toFixed(3)} → ${m('after', 'cpu').toFixed(3)} ms (${(m('after', 'cpu') / m('before', 'cpu')).toFixed(3)}×), wall ${m('before', 'wall').toFixed(3)} → ${m('after', 'wall').toFixed(3)} ms (${(m('after', 'wall') / m('before', 'wall')).toFixed(3)}×)`);
}

// Peak memory of a training run: the reference step (MLP 3→64×3→2 tanh, float32, N = 1000,
// elastic-wave residual, Adam) `steps` times; prints {"maxRSS": bytes, "seconds": s} as JSON.
//   node bench/memory_run.mjs <steps>
import { readFileSync } from 'node:fs';
import { keep, nn, optim, pinn, rand, tidy } from '../dist/index.js';

// This process's own peak (VmHWM): getrusage's maxRSS keeps the parent's peak across fork and
// exec on Linux, so a child of a large bench process would report the parent's size.
function peakRSS() {
  try { return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024; } catch { return process.resourceUsage().maxRSS * 1024; }
}

const steps = Number(process.argv[2] ?? 5000);
const problem = new pinn.Problem({
  inputs: ['x', 'y', 't'], outputs: ['ux', 'uy'], constants: { rho: 1, lambda: 1, mu: 0.5 },
  conditions: [new pinn.PDE('pde', keep(rand([1000, 3])), pinn.pdes.elasticWave2D(), { loss: 'mse' })],
});
const net = new nn.MLP([3, 64, 64, 64, 2], { seed: 0, init: 'default' });
const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
const t0 = performance.now();
for (let i = 0; i < steps; i++) tidy(() => { opt.zeroGrad(); problem.total(problem.losses(net)).backward(); opt.step(); });
console.log(JSON.stringify({ maxRSS: peakRSS(), seconds: (performance.now() - t0) / 1000 }));

// The seed's convergence-rate benchmark: loss against wall time on the elastic-wave-2d preset
// (its problem, network and Adam phase with the exponential LR decay), pinn-torch and each
// PyTorch from the same points and the same initial weights, one side after another (never
// sharing the CPU), each for the same wall-time budget; plotted with the CLI's plotting.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinn, Trainer } from '../dist/index.js';
import { PRESETS } from '../dist/cli/presets.js';
import { render } from '../dist/cli/plots.js';

const here = dirname(fileURLToPath(import.meta.url));
const LABEL = { js: 'pinn-torch', torch1: 'PyTorch 1.x eager', torch2: 'PyTorch 2.x eager' };

/** The preset's problem and model, its Adam phase with a wall-time budget instead of a step count. */
function preset(seconds) {
  const { problem: p, model: m, phases } = PRESETS['elastic-wave-2d'];
  const { type: _type, plotTime: _plot, ...options } = p;
  const problem = pinn.problems.elasticWave2D({ ...options, seed: 0 });
  const model = problem.recipe.createModel(); // the recipe's network: the preset's (3→[64]×3→2 tanh, Xavier normal)
  const adam = phases[0];
  return { problem, model, options, sizes: [3, ...m.hidden, 2], lr: adam.optimizer.lr, gamma: adam.scheduler.gamma, phase: { ...adam, steps: 1e9, timeBudget: seconds } };
}

async function runPinnTorch(problem, model, phase) {
  const seconds = [], loss = [];
  let t0 = null;
  const record = { name: 'benchConvergence', onStepEnd: (_t, s) => { seconds.push((performance.now() - t0) / 1000); loss.push(s.total); } };
  const trainer = new Trainer({ problem, model, phases: [phase], callbacks: [record] });
  trainer.on('start', () => { t0 = performance.now(); });
  await trainer.fit();
  return { seconds, loss };
}

function runPeer(peer, specPath, threads) {
  return new Promise((done) => {
    const child = spawn(peer.python, [join(here, 'convergence_run.py'), specPath, String(threads)], { stdio: ['ignore', 'pipe', 'inherit'], env: peer.env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => { try { done(code === 0 ? JSON.parse(out) : null); } catch { done(null); } });
  });
}

/** Seconds until a curve first reaches `level` (null if never). */
const timeTo = (curve, level) => { const i = curve.loss.findIndex((l) => l <= level); return i < 0 ? null : curve.seconds[i]; };

export async function convergence({ seconds, peers, threads, base }) {
  console.log(`\nconvergence: the elastic-wave-2d preset's Adam phase, ${seconds} s per side, one side at a time…`);
  const { problem, model, options, sizes, lr, gamma, phase } = preset(seconds);
  const scratch = mkdtempSync(join(tmpdir(), 'pinn-bench-conv-'));
  try {
    const points = (name) => problem.conditions.find((c) => c.name === name).points.toArray();
    // PyTorch gets the points and the initial weights; its loss is the same sum of terms (the PDE
    // term being the sum of each residual's mean square), which the equal first losses show.
    const spec = {
      constants: { rho: options.rho, lambda: options.lambda, mu: options.mu, k: options.k, A: options.A, B: options.B },
      interior: points('pde'), boundary: points('bc_ux'), initial: points('ic_ux'),
      parameters: model.parameters().map((p) => p.toArray()), sizes, lr, gamma, seconds,
    };
    const curves = { js: await runPinnTorch(problem, model, phase) };
    const specPath = join(scratch, 'problem.json');
    writeFileSync(specPath, JSON.stringify(spec));
    for (const p of peers.filter((x) => x.python)) {
      const curve = await runPeer(p, specPath, threads);
      if (curve) curves[p.id] = curve; else console.error(`convergence: ${p.id} failed`);
    }
    const rows = Object.entries(curves).flatMap(([side, c]) => c.seconds.map((s, i) => ({ seconds: s, loss: c.loss[i], side: LABEL[side] })))
      .filter((_, i, all) => all.length < 6000 || i % Math.ceil(all.length / 6000) === 0);
    const files = await render({
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json', title: 'elastic-wave-2d preset, Adam: loss against wall time', width: 640, height: 360,
      data: { values: rows }, mark: { type: 'line', strokeWidth: 1.2 },
      encoding: {
        x: { field: 'seconds', type: 'quantitative', title: 'wall time (s)' },
        y: { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: 'total loss' },
        color: { field: 'side', type: 'nominal', title: '' },
      },
    }, base);
    const level = Math.max(...Object.values(curves).map((c) => Math.min(...c.loss)));
    const lines = Object.entries(curves).map(([side, c]) => `| ${LABEL[side]} | ${c.loss.length} | ${(c.loss.length / seconds).toFixed(1)} | ${c.loss[0].toExponential(4)} | ${Math.min(...c.loss).toExponential(3)} | ${timeTo(c, level)?.toFixed(1) ?? '—'} s |`);
    const text = [`Convergence on the elastic-wave-2d preset (its ${options.interior}/${options.boundary}/${options.initial} points, 3→[64]×3→2 tanh, Adam lr ${lr} with ×${gamma} per step), ` +
      `${seconds} s of wall time per side, the same points and initial weights on every side (the first losses agree when the sides compute the same loss); plot: ${files.map((f) => f.split('/').at(-1)).join(', ')}.\n`,
    `| side | steps | steps/s | first loss | lowest loss | time to ${level.toExponential(2)} (the highest side's lowest) |`, '|---|---|---|---|---|---|', ...lines].join('\n');
    console.log(text);
    return { text, files, curves: Object.fromEntries(Object.entries(curves).map(([k, c]) => [k, { steps: c.loss.length, first: c.loss[0], lowest: Math.min(...c.loss), timeToLevel: timeTo(c, level) }])), level };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    model.dispose();
    problem.dispose();
  }
}

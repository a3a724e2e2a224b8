#!/usr/bin/env node
// node bench/tensorboard_overhead.mjs [rounds]
// What the TensorBoard callback costs a run: the same small fit (cheap steps, a step event and
// its ~15 scalars every step: the worst case) with and without `tensorboard`, alternated round by
// round; prints the median wall and CPU (user + system: less swayed by other processes on a
// shared machine) milliseconds per step of each and their ratios, and writes
// bench/results/<date>-tensorboard-overhead.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Trainer, io, nn, pinn, tensor } from '../dist/index.js';

// Time spent encoding, framing and buffering each step's scalars, measured where it is spent
// (a shared machine's wall-clock A/B swings by more than the difference).
const inside = [];
const scalars = io.EventFileWriter.prototype.scalars;
io.EventFileWriter.prototype.scalars = function (...a) {
  const t0 = process.hrtime.bigint();
  try { return scalars.apply(this, a); } finally { inside.push(Number(process.hrtime.bigint() - t0) / 1e3); }
};

const rounds = Number(process.argv[2] ?? 7);
const steps = 400;
const dtype = 'float64';
const logdir = mkdtempSync(join(tmpdir(), 'pinn-tb-bench-'));

async function fit(withTensorboard) {
  const x = tensor(Array.from({ length: 64 }, (_, i) => [(i + 0.5) / 64]), { dtype });
  const problem = new pinn.Problem({
    inputs: ['x'], outputs: ['u'], coefficients: { k: 1 },
    conditions: [
      new pinn.PDE('pde', x, (d, c) => d.d('u', 'x', 'x').add(d.value('u').mul(c.k))),
      new pinn.DirichletBC('bc', tensor([[0], [1]], { dtype }), tensor([[0], [0.5]], { dtype }), { output: 'u' }),
    ],
  });
  const model = new nn.MLP([1, 32, 32, 1], { seed: 0, dtype });
  const trainer = new Trainer({
    problem, model, logEvery: 1, phases: [{ optimizer: { type: 'adam', lr: 1e-3 }, steps }],
    ...(withTensorboard ? { tensorboard: { logdir } } : {}),
  });
  const t0 = process.hrtime.bigint(), c0 = process.cpuUsage();
  await trainer.fit();
  const cpu = process.cpuUsage(c0);
  const perStep = { wall: Number(process.hrtime.bigint() - t0) / 1e9 / steps, cpu: (cpu.user + cpu.system) / 1e6 / steps };
  trainer.dispose(); problem.dispose(); model.dispose();
  return perStep;
}

const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
await fit(false); await fit(true); // warm-up
inside.length = 0;
const times = { without: [], with: [] };
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? ['with', 'without'] : ['without', 'with'];
  for (const side of order) times[side].push(await fit(side === 'with'));
}
rmSync(logdir, { recursive: true, force: true });
const ms = (s) => (s * 1e3).toFixed(3);
const row = (name, side, kind) => `| ${name} | ${kind} | ${ms(median(times[side].map((t) => t[kind])))} | ${times[side].map((t) => ms(t[kind])).join(', ')} |`;
const ratio = (kind) => (median(times.with.map((t) => t[kind])) / median(times.without.map((t) => t[kind]))).toFixed(3);
const date = new Date().toISOString().slice(0, 10);
const report = `# TensorBoard overhead, ${date}

\`node bench/tensorboard_overhead.mjs ${rounds}\` on ${hostname()} (${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average ${loadavg()[0].toFixed(1)} at the end: shared with other work).
A 1-D problem, MLP 1→32→32→1 float64, 64 points, Adam ${steps} steps, a step event every step; ${rounds} rounds, alternated.

| | | median ms/step | all rounds (ms/step) |
|---|---|---|---|
${row('without tensorboard', 'without', 'wall')}
${row('with tensorboard', 'with', 'wall')}
${row('without tensorboard', 'without', 'cpu')}
${row('with tensorboard', 'with', 'cpu')}

Ratio with / without: wall **${ratio('wall')}**, CPU **${ratio('cpu')}**

Inside \`EventFileWriter.scalars\` (encode, frame, buffer; the writes happen on a timer): median **${median(inside).toFixed(1)} µs** per step event, 90th percentile ${[...inside].sort((p, q) => p - q)[Math.floor(inside.length * 0.9)].toFixed(1)} µs, over ${inside.length} events.
`;
const out = join(dirname(fileURLToPath(import.meta.url)), 'results', `${date}-tensorboard-overhead.md`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, report);
process.stdout.write(report + `\nwritten: ${out}\n`);

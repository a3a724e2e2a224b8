#!/usr/bin/env node
// node bench/dashboard_overhead.mjs [--rounds 4] [--steps 600]
// Does a live dashboard slow training? Runs the same small CLI training (same config and seed)
// without and with `--dashboard`, alternating which goes first, with a page's event stream
// connected to the dashboard for the whole run. Time per step is the fit's wall time over its
// steps (metrics.json: result.timing.total / result.steps), so the work the dashboard does
// between steps counts; the median of the steps' own times (history.stepTime) is printed beside
// it, and the process's CPU seconds (GNU time, when /usr/bin/time exists). Prints each pair,
// the load average (the machine may be shared), the median of the with/without ratios (target
// ≤ 1.02) and the extra CPU time per step; then the same A/B inside one process with a small
// Trainer (inProcess: no start-up to dilute it), and the dashboard's own work per step, timed
// in this process (workPerStep), which the load disturbs least.
// Needs dist/ (npm run build).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const ROUNDS = opt('--rounds', 4);
const STEPS = opt('--steps', 600);
const TIME = '/usr/bin/time';
const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'pinn-dashboard-bench-'));
const config = join(dir, 'burgers.json');
writeFileSync(config, JSON.stringify({
  extends: 'burgers', seed: 0, threads: 1, problem: { interior: 200, boundary: 40, initial: 40 }, model: { hidden: [16, 16] },
  phases: [{ steps: STEPS, optimizer: { type: 'adam', lr: 1e-3 } }], evalEvery: 200, checkpointEvery: 0, logEvery: 1,
}));

let lastEvents = [];

/**
 * The dashboard's own work per step, in this process and so hardly disturbed by the machine's
 * load: a run's events (from its events.jsonl) into a RunView, with an update (delta and its
 * JSON) every `every` steps; the server sends one at most every 250 ms, i.e. every few hundred
 * steps at this run's speed, so every 40 overstates it. Sockets and the plot stat are left out.
 */
async function workPerStep(events, every = 40, repeat = 30) {
  const { RunView } = await import('../dist/dashboard/view.js');
  const steps = events.filter((e) => e.type === 'step').length;
  const once = () => {
    const view = new RunView();
    JSON.stringify(view.snapshot());
    let n = 0;
    for (const e of events) { view.apply(e); if (e.type === 'step' && ++n % every === 0) JSON.stringify(view.delta()); }
    JSON.stringify(view.delta());
  };
  for (let i = 0; i < 5; i++) once(); // warm up the JIT
  const t0 = process.cpuUsage();
  for (let i = 0; i < repeat; i++) once();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1e6 / (repeat * steps);
}

/** The same for events.jsonl's lines (cli/event_log.ts; writing them, twice a second, left out). */
async function logPerStep(events, repeat = 30) {
  const { jsonLine } = await import('../dist/cli/progress.js');
  const steps = events.filter((e) => e.type === 'step').length;
  const once = () => { let bytes = 0; for (const e of events) bytes += jsonLine(e.type, e.data).length; return bytes; };
  for (let i = 0; i < 5; i++) once();
  const t0 = process.cpuUsage();
  for (let i = 0; i < repeat; i++) once();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1e6 / (repeat * steps);
}

/**
 * The same A/B inside one process, where start-up does not dilute it: a small Trainer (1-D
 * Poisson, 800 Adam steps, one thread) fitted without and with dashboard(trainer) and a page's
 * stream read in this same process (so the page's reading counts against the dashboard).
 * Returns the median process CPU and wall ms per step of each arm.
 */
async function inProcess(rounds) {
  const { Trainer, dashboard, nn, pinn, tensor, setNumThreads } = await import('../dist/index.js');
  setNumThreads(1);
  const steps = 800;
  const make = () => {
    const dtype = 'float64';
    const x = tensor(Array.from({ length: 64 }, (_, i) => [(i + 0.5) / 64]), { dtype });
    const pde = pinn.pdes.poisson((p) => p.mul(Math.PI).sin().mul(Math.PI ** 2), { spatial: ['x'] });
    const problem = new pinn.Problem({
      inputs: ['x'], outputs: ['u'], reference: (p) => p.mul(Math.PI).sin(),
      conditions: [new pinn.PDE('pde', x, (d, c) => pde(d, c)), new pinn.DirichletBC('bc', tensor([[0], [1]], { dtype }), 0, { output: 'u' })],
    });
    return new Trainer({ problem, model: new nn.MLP([1, 32, 32, 1], { seed: 0, dtype }), phases: [{ optimizer: { type: 'adam', lr: 1e-3 }, steps }] });
  };
  const once = async (withBoard) => {
    const t = make();
    const board = withBoard ? await dashboard(t, { port: 0 }) : null;
    const page = board ? watch(board.url) : null;
    const c0 = process.cpuUsage(), w0 = performance.now();
    await t.fit();
    const c = process.cpuUsage(c0), wall = performance.now() - w0;
    await board?.close();
    await page;
    t.dispose();
    return { cpu: (c.user + c.system) / 1e3 / steps, wall: wall / steps };
  };
  const arms = { with: [], without: [] };
  for (let r = 0; r < rounds; r++) for (const b of r % 2 ? [true, false] : [false, true]) arms[b ? 'with' : 'without'].push(await once(b));
  const pick = (arm, k) => median(arms[arm].map((x) => x[k]));
  return { cpu: [pick('without', 'cpu'), pick('with', 'cpu')], wall: [pick('without', 'wall'), pick('with', 'wall')] };
}

/** A page's event stream: reads every update until the server ends it. */
async function watch(url) {
  const res = await fetch(url + 'events');
  let bytes = 0;
  for await (const chunk of res.body) {
    bytes += chunk.length;
    if (new TextDecoder().decode(chunk).includes('event: done')) break;
  }
  return bytes;
}

/** One training run; resolves with seconds per step (and the bytes a page received, with the dashboard). */
function run(name, dashboard) {
  const out = join(dir, name);
  // GNU time reports the process's CPU seconds: on a shared machine, wall time mostly measures
  // the neighbours, CPU time what this process did.
  const cpuFile = join(dir, `${name}.cpu`);
  const command = [CLI, 'train', config, '--out', out, '--quiet', ...(dashboard ? ['--dashboard', '0'] : [])];
  const child = existsSync(TIME)
    ? spawn(TIME, ['-f', '%U %S', '-o', cpuFile, process.execPath, ...command], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(process.execPath, command, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let page = Promise.resolve(0);
  child.stderr.on('data', (c) => {
    const before = stderr;
    stderr += c;
    const url = /dashboard on (http:\/\/\S+)/.exec(stderr)?.[1];
    if (url && !/dashboard on /.test(before)) page = watch(url);
  });
  return new Promise((ok, fail) => child.on('exit', async (code) => {
    if (code !== 0) return fail(new Error(`${name}: exit ${code}: ${stderr}`));
    const bytes = await page;
    if (dashboard && bytes === 0) return fail(new Error(`${name}: no page was connected: ${stderr}`));
    const { result } = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    if (!dashboard) lastEvents = readFileSync(join(out, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    rmSync(out, { recursive: true, force: true });
    const cpu = existsSync(cpuFile) ? readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0) : NaN;
    ok({ perStep: result.timing.total / result.steps, stepMedian: median(result.history.stepTime), cpu, bytes });
  }));
}

const median = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const ms = (s) => (s * 1e3).toFixed(3);

try {
  console.log(`dashboard overhead: ${STEPS} Adam steps of a small Burgers run, ${ROUNDS} rounds, ${new Date().toISOString()}, ${cpus().length}× ${cpus()[0]?.model ?? '?'}, node ${process.version}`);
  const ratios = [], stepRatios = [], cpuPerStep = [], stepMedians = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? [false, true] : [true, false];
    const t = {};
    for (const withBoard of order) t[withBoard] = await run(`r${r}-${withBoard ? 'with' : 'without'}`, withBoard);
    ratios.push(t.true.perStep / t.false.perStep);
    stepRatios.push(t.true.stepMedian / t.false.stepMedian);
    stepMedians.push(t.false.stepMedian);
    cpuPerStep.push((t.true.cpu - t.false.cpu) / STEPS);
    console.log(`round ${r + 1} (${order[0] ? 'with' : 'without'} first, load ${loadavg()[0].toFixed(1)}): fit time per step without ${ms(t.false.perStep)} ms, with ${ms(t.true.perStep)} ms, ratio ${ratios.at(-1).toFixed(3)}; `
      + `median step time without ${ms(t.false.stepMedian)} ms, with ${ms(t.true.stepMedian)} ms, ratio ${stepRatios.at(-1).toFixed(3)}; process CPU without ${t.false.cpu.toFixed(2)} s, with ${t.true.cpu.toFixed(2)} s (page received ${(t.true.bytes / 1024).toFixed(0)} KiB)`);
  }
  const summary = (a) => `${median(a).toFixed(3)} (range ${Math.min(...a).toFixed(3)}–${Math.max(...a).toFixed(3)})`;
  console.log(`median ratio with/without: fit time per step ${summary(ratios)}, median step time ${summary(stepRatios)}; target ≤ 1.02`);
  const ip = await inProcess(2 * ROUNDS);
  console.log(`in one process (${2 * ROUNDS} alternations): process CPU per step without ${ip.cpu[0].toFixed(3)} ms, with ${ip.cpu[1].toFixed(3)} ms, ratio ${(ip.cpu[1] / ip.cpu[0]).toFixed(3)}; `
    + `wall per step without ${ip.wall[0].toFixed(3)} ms, with ${ip.wall[1].toFixed(3)} ms, ratio ${(ip.wall[1] / ip.wall[0]).toFixed(3)}`);
  const work = await workPerStep(lastEvents);
  const log = await logPerStep(lastEvents);
  console.log(`events.jsonl, which every CLI run now writes (both arms above): ${(log * 1e6).toFixed(1)} µs per step event to make its lines = ${(100 * log / median(stepMedians)).toFixed(2)} % of the median step time`);
  console.log(`the dashboard's own work (RunView and updates, in process): ${(work * 1e6).toFixed(1)} µs per step event = ${(100 * work / median(stepMedians)).toFixed(2)} % of the median step time without it (${ms(median(stepMedians))} ms)`);
  if (existsSync(TIME)) console.log(`extra process CPU with the dashboard, per training step: median ${ms(median(cpuPerStep))} ms (range ${ms(Math.min(...cpuPerStep))}–${ms(Math.max(...cpuPerStep))} ms)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

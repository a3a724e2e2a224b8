#!/usr/bin/env node
// npm run bench [-- --quick] [--suite NAME[,NAME…] | --suite memory] [--no-torch]
//               [--save-baseline NAME] [--baseline NAME] [--rounds N] [--max-time S] [--out DIR]
//               [--baselines DIR] [--convergence-seconds S]
// (--suite distributed: the data-parallel suite alone, bench/distributed.mjs.)
// Runs every suite in bench/suites/ in pinn-torch and beside it in PyTorch (bench/lib/peers.mjs:
// Debian's 1.x on the same LibTorch and BLAS, and a 2.x when one is found, with its torch.func and
// torch.compile variants where a case names them), alternating the sides case by case, round by
// round, and reports medians, spread, ratios and the total run time.
//
// A suite is a module bench/suites/<name>.mjs exporting { name, cases: [{ name, inner, js, torch }] }:
// js() (may be async) builds the inputs once and returns a function that makes `inner` calls;
// torch is { suite, params }, handed to the builder CASES[suite](params) in bench/torch_bench.py.
// Optional on a case: `maxTime` (seconds per side per round; also on a suite), `selfTimed` (the
// function returns the nanoseconds of its `inner` calls itself, its set-up untimed), `points`
// (points per call: the report adds throughput), `variants` (PyTorch 2.x ways to run the case:
// 'func', 'compile', 'func+compile'). The function may carry facts() (sizes reported beside the
// times), and dispose(). A suite may export report(rows) → Markdown added to the report.
// `samplePerCall` on a suite: each JS sample is one call of the function (`inner` calls), timed
// as the Python side times its samples, instead of Benchmark.js's samples of ≥ 50 ms. On a
// loaded machine a 50 ms sample nearly always holds a time slice lost to another process while
// a 1 ms one often holds none, which inflated µs-scale JS medians against Python's
// (bench/results/2026-12-05-ops.md).
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Benchmark from 'benchmark';
import { config, distributed } from '../dist/index.js';
import { writeFileAtomic } from '../dist/io/atomic.js';
import { BASELINE_DIR, compareRuns, loadBaseline, saveBaseline } from './lib/baseline.mjs';
import { freshStem } from './lib/fresh_stem.mjs';
import { convergence } from './convergence.mjs';
import { distributedBench } from './distributed.mjs';
import { findPeers } from './lib/peers.mjs';
import { fmtNs, mib, quantile, summarize } from './lib/stats.mjs';
import { renderReport } from './lib/report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
// A wrong option or baseline name is the user's to fix: its message alone (exit 2); anything else with its stack.
const usage = (message) => Object.assign(new Error(message), { usage: true });
const fail = (e) => {
  console.error(e.usage ? `npm run bench: ${e.message}` : e.stack ?? String(e));
  process.exit(e.usage ? 2 : 1);
};
process.on('uncaughtException', fail); // the options below are read as the module loads
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return null;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw usage(`${name} needs a value`);
  return v;
};
const positive = (name, fallback) => {
  const v = option(name);
  if (v === null) return fallback;
  const x = Number(v);
  if (!(x > 0)) throw usage(`${name} must be a positive number, got ${v}`);
  return x;
};

const quick = flag('--quick');
const only = option('--suite')?.split(',') ?? null;
// A full run of every suite, three sides and the 5 000-step memory run takes about 20 min on the
// 2-vCPU build machine when quiet (a quick run's medians scaled to a quiet machine): keep it
// under 25 when adding cases.
const ROUNDS = Math.round(positive('--rounds', quick ? 2 : 3));
const MAX_TIME = positive('--max-time', quick ? 0.3 : 0.75); // seconds per side per case per round
const MIN_SAMPLES = quick ? 3 : 4;
const OUT = resolve(option('--out') ?? join(here, 'results'));
const BASELINES = resolve(option('--baselines') ?? BASELINE_DIR);
/** PyTorch 2.x variants that compile take minutes each (and fail on double backward today): full runs only. */
const variantAllowed = (v) => !(quick && v.includes('compile'));

async function loadSuites() {
  const files = readdirSync(join(here, 'suites')).filter((f) => f.endsWith('.mjs')).sort();
  const suites = [];
  for (const f of files) suites.push((await import(pathToFileURL(join(here, 'suites', f)).href)).default);
  if (!only) return suites;
  const known = [...suites.map((s) => s.name), 'memory', 'convergence', 'distributed'];
  for (const name of only) if (!known.includes(name)) throw usage(`--suite ${name}: no such suite (have: ${known.join(', ')})`);
  return suites.filter((s) => only.includes(s.name));
}

/** Samples (ns per call) of one round on the JS side. */
async function jsSamples(c, fn, maxTime, samplePerCall) {
  if (c.selfTimed || samplePerCall) {
    const timed = c.selfTimed ? fn : () => { const t0 = process.hrtime.bigint(); fn(); return Number(process.hrtime.bigint() - t0); };
    await timed(); // warm-up
    const samples = [];
    const deadline = performance.now() + maxTime * 1000;
    while (samples.length < MIN_SAMPLES || (performance.now() < deadline && samples.length < 200)) samples.push((await timed()) / c.inner);
    return samples;
  }
  fn(); // one warm-up call per round, as the Python side makes (it rebuilds the case each round)
  const b = new Benchmark(c.name, fn, { maxTime, minSamples: MIN_SAMPLES, initCount: 1 });
  b.run({ async: false });
  if (b.error) throw b.error;
  return b.stats.sample.map((s) => (s * 1e9) / c.inner);
}

function cpuModel() {
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m) return m[1].trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** The lanes a case runs in: each found peer's eager PyTorch, then PyTorch 2.x's variants. */
function lanesOf(c, peers) {
  const lanes = peers.filter((p) => p.worker).map((p) => ({ key: p.id, peer: p, variant: 'eager' }));
  const t2 = peers.find((p) => p.id === 'torch2' && p.worker);
  if (t2) for (const v of (c.variants ?? []).filter(variantAllowed)) lanes.push({ key: `torch2:${v}`, peer: t2, variant: v });
  return lanes;
}

async function runCase(suite, c, peers, threads, blasThreads) {
  const fn = await c.js();
  const maxTime = Math.min(MAX_TIME, c.maxTime ?? suite.maxTime ?? MAX_TIME);
  const js = [], jsRounds = [];
  const lanes = lanesOf(c, peers).map((l) => ({ ...l, samples: [], rounds: [], error: null, facts: null }));
  for (let r = 0; r < ROUNDS; r++) {
    const round = await jsSamples(c, fn, maxTime, suite.samplePerCall === true);
    js.push(...round);
    jsRounds.push(quantile(round, 0.5));
    for (const lane of lanes) {
      if (lane.error || !lane.peer.worker) continue;
      try {
        const params = lane.variant === 'eager' ? c.torch.params : { ...c.torch.params, variant: lane.variant };
        const cmd = { suite: c.torch.suite, params, inner: c.inner, threads, blasThreads, maxTime, minSamples: MIN_SAMPLES, maxSamples: 200 };
        const out = await lane.peer.worker.ask(cmd);
        lane.samples.push(...out.samples);
        lane.rounds[r] = quantile(out.samples, 0.5);
        lane.facts = out.facts ?? lane.facts;
      } catch (e) {
        lane.error = e.message;
        console.error(`${lane.key} failed on ${suite.name} / ${c.name}: ${e.message.split('\n')[0]}`);
        if (!e.caseOnly) {
          lane.peer.worker.close();
          lane.peer.worker = null;
          lane.peer.note = `its worker died at ${suite.name} / ${c.name}: later cases omit it`;
        }
      }
    }
  }
  const facts = fn.facts?.() ?? null;
  await fn.dispose?.(); // free the case's tensors before the next one, as the Python worker does
  // Each round's medians too: the sides of one round ran minutes apart at most, so their ratio
  // sees the same stretch of a shared machine (report.mjs's paired ratios).
  const row = { suite: suite.name, case: c.name, inner: c.inner, points: c.points ?? null, js: summarize(js), jsRounds, facts, peers: {} };
  for (const l of lanes) {
    row.peers[l.key] = { variant: l.variant, summary: l.error ? null : summarize(l.samples), rounds: l.error ? [] : l.rounds, error: l.error, facts: l.facts };
  }
  return row;
}

/** Runs bench/memory_run.{mjs,py} side by side (peak RSS does not mind sharing the CPU) and reads their JSON. */
async function peakMemory(steps, threads, blasThreads, peers) {
  const launch = (cmd, argv, env) => new Promise((done) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...env, OPENBLAS_NUM_THREADS: String(blasThreads ?? threads) } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => { try { done(code === 0 ? JSON.parse(out) : null); } catch { done(null); } });
  });
  console.log(`\nmemory: ${steps} reference steps in a fresh process each, pinn-torch and each PyTorch side by side…`);
  const found = peers.filter((p) => p.python);
  const [js, ...rest] = await Promise.all([
    launch(process.execPath, [join(here, 'memory_run.mjs'), String(steps)], process.env),
    ...found.map((p) => launch(p.python, [join(here, 'memory_run.py'), String(steps), String(threads), String(blasThreads)], p.env)),
  ]);
  if (!js) { console.error('memory: the pinn-torch run failed'); return null; }
  const row = { steps, js, peers: Object.fromEntries(found.map((p, i) => [p.id, rest[i]])) };
  console.log(`memory: peak RSS pinn-torch ${mib(js.maxRSS)}` +
    found.map((p) => (row.peers[p.id] ? `, ${p.id} ${mib(row.peers[p.id].maxRSS)} → ${(js.maxRSS / row.peers[p.id].maxRSS).toFixed(2)}×` : `, ${p.id} failed`)).join(''));
  return row;
}

async function main() {
  const t0 = Date.now();
  const baseline = option('--baseline') ? loadBaseline(option('--baseline'), BASELINES) : null; // refuse early, not after the run
  const saveAs = option('--save-baseline');
  const suites = await loadSuites();
  const cfg = config();
  const threads = cfg.threads.intraOp, blasThreads = cfg.threads.blas;
  const peers = await findPeers({ noTorch: flag('--no-torch') });
  for (const p of peers) {
    if (p.worker) p.facts = await p.worker.ask({ facts: true, threads, blasThreads });
  }
  const machine = {
    cpu: cpuModel(), cores: cpus().length, node: process.version,
    libtorch: cfg.libtorch.version, blas: `${cfg.blas.name}${cfg.blas.detail ? ` (${cfg.blas.detail})` : ''}${cfg.blas.smallGemm ? `; the derivative engine's tall-by-small products on ${cfg.blas.smallGemm}` : ''}`,
    blasLibraries: cfg.blas.libraries, threads, blasThreads,
    // Each PyTorch is set to the same intra-op (and OpenBLAS) thread counts, then asked what it runs with.
    peers: Object.fromEntries(peers.map((p) => [p.id, p.facts ? { ...p.facts, source: p.source ?? p.python } : { note: p.note }])),
  };
  console.log(`machine: ${machine.cpu}, ${machine.cores} logical cores, Node ${machine.node}`);
  console.log(`pinn-torch: LibTorch ${machine.libtorch}, BLAS ${machine.blas}, ${threads} intra-op thread(s), BLAS threads ${blasThreads ?? 'n/a'}`);
  for (const p of peers) {
    const f = p.facts;
    console.log(f ? `PyTorch ${f.torch} (Python ${f.python}): BLAS ${f.blasInfo ?? '?'} (${f.blas.join(', ') || 'linked in'}), ${f.threads} intra-op thread(s), BLAS threads ${f.blasThreads ?? 'n/a'}` : `note: ${p.note}`);
  }
  console.log(`mode: ${quick ? 'quick' : 'full'} (${ROUNDS} alternating rounds, up to ${MAX_TIME} s per side per round)\n`);

  const results = [];
  for (const suite of suites) {
    for (const c of suite.cases) {
      const row = await runCase(suite, c, peers, threads, blasThreads);
      results.push(row);
      console.log(`${suite.name} / ${c.name}: ${fmtNs(row.js.median)} ±${row.js.rme.toFixed(1)}%` +
        Object.entries(row.peers).map(([k, p]) => (p.summary ? ` | ${k} ${fmtNs(p.summary.median)}` : ` | ${k} failed`)).join(''));
    }
  }
  for (const p of peers) p.worker?.close();
  const wantMemory = !only || only.includes('memory');
  const memory = wantMemory ? await peakMemory(quick ? 300 : 5000, threads, blasThreads, peers) : null;
  mkdirSync(OUT, { recursive: true });
  const stem = freshStem(OUT, `${new Date().toISOString().slice(0, 10)}${quick ? '-quick' : ''}${only ? `-${only.join('-')}` : ''}`);
  const converged = !only || only.includes('convergence')
    ? await convergence({ seconds: positive('--convergence-seconds', quick ? 5 : 30), peers, threads, base: join(OUT, `${stem}-convergence`) })
    : null;
  const spread = !only || only.includes('distributed')
    ? await distributedBench({ points: 8000, steps: quick ? 10 : 40, rounds: quick ? 1 : 3, available: distributed.isAvailable() })
    : null;
  const extras = {};
  if (spread) extras.distributed = spread.text;
  for (const suite of suites) if (suite.report) extras[suite.name] = suite.report(results.filter((r) => r.suite === suite.name));
  if (converged) extras.convergence = converged.text;
  const seconds = (Date.now() - t0) / 1000;

  const run = {
    date: new Date().toISOString(), quick, rounds: ROUNDS, maxTime: MAX_TIME, seconds,
    notes: peers.filter((p) => p.note).map((p) => p.note), machine, results, memory, extras,
    convergence: converged ? { level: converged.level, sides: converged.curves } : null,
    distributed: spread?.rows ?? null,
  };
  const comparison = baseline ? { name: option('--baseline'), rows: compareRuns(baseline, run) } : null;
  const report = renderReport(run, comparison);

  // A full run of every suite is the day's record; quick or single-suite runs never overwrite it,
  // and no run overwrites an earlier one of the same day (freshStem).
  writeFileAtomic(join(OUT, `${stem}.json`), Buffer.from(JSON.stringify({ ...run, comparison }, null, 2) + '\n'));
  writeFileAtomic(join(OUT, `${stem}.md`), Buffer.from(report));
  console.log(`\n${report}`);
  if (saveAs) console.log(`saved baseline '${saveAs}' to ${saveBaseline(saveAs, run, BASELINES)}`);
  console.log(`wrote ${join(OUT, stem)}.json and .md`);
  console.log(`total run time: ${seconds.toFixed(0)} s (${(seconds / 60).toFixed(1)} min)`);
}

main().catch(fail);

#!/usr/bin/env node
// npm run bench [-- --quick] [--suite NAME | --suite memory] [--no-torch]
// Runs every suite in bench/suites/ in pinn-torch and in PyTorch eager (same LibTorch, BLAS and
// threads), alternating JS and Python samples case by case, and reports medians, spread and ratios.
//
// A suite is a module bench/suites/<name>.mjs exporting { name, cases: [{ name, inner, js, torch }] }:
// js() builds the inputs once and returns a function that makes `inner` calls; torch is
// { suite, params }, handed to the builder CASES[suite](params) in bench/torch_bench.py.
// Optional `maxTime` (seconds per side per round) on a suite or a case caps the default.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Benchmark from 'benchmark';
import { config } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--suite') ? args[args.indexOf('--suite') + 1] : null;
const ROUNDS = quick ? 2 : 4;
const MAX_TIME = quick ? 0.4 : 1.5; // seconds per side per case per round
const MIN_SAMPLES = quick ? 3 : 5;
const PY = '/usr/bin/python3';

async function loadSuites() {
  const files = readdirSync(join(here, 'suites')).filter((f) => f.endsWith('.mjs')).sort();
  const suites = [];
  for (const f of files) suites.push((await import(pathToFileURL(join(here, 'suites', f)).href)).default);
  if (!only) return suites;
  if (only === 'memory') return []; // the peak-RSS comparison below is not a timed suite
  const picked = suites.filter((s) => s.name === only);
  if (!picked.length) throw new Error(`--suite ${only}: no such suite (have: ${suites.map((s) => s.name).join(', ')})`);
  return picked;
}

/** A persistent PyTorch worker (importing torch takes ~1 s: once per run, not per case). */
function startTorch() {
  if (args.includes('--no-torch')) return { note: 'PyTorch column skipped (--no-torch)' };
  if (spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) {
    return { note: `PyTorch not found at ${PY}: ratios omitted` };
  }
  const child = spawn(PY, [join(here, 'torch_bench.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.on('error', () => {}); // a dead worker surfaces as end of output below
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async ask(cmd) {
      child.stdin.write(JSON.stringify(cmd) + '\n');
      const { value, done } = await lines.next();
      if (done) throw new Error('PyTorch worker exited');
      const out = JSON.parse(value);
      if (out.error) throw Object.assign(new Error(out.error), { caseOnly: true }); // worker still alive
      return out;
    },
    close: () => child.stdin.end(),
  };
}

function jsSamples(c, fn, maxTime) {
  fn(); // one warm-up call per round, as the Python side makes (it rebuilds the case each round)
  const b = new Benchmark(c.name, fn, { maxTime, minSamples: MIN_SAMPLES, initCount: 1 });
  b.run({ async: false });
  if (b.error) throw b.error;
  return b.stats.sample.map((s) => (s * 1e9) / c.inner); // ns per call
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const quantile = (xs, q) => { const s = sorted(xs); const i = q * (s.length - 1); const lo = Math.floor(i); return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo); };
/** Median, p10/p90, interquartile range and relative margin of error (95 %, as benchmark.js reports it). */
function summarize(xs) {
  if (!xs.length) return null;
  const n = xs.length, mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, n - 1));
  const t = n > 1 ? tCritical(n - 1) : 0;
  return {
    median: quantile(xs, 0.5), p10: quantile(xs, 0.1), p25: quantile(xs, 0.25), p75: quantile(xs, 0.75), p90: quantile(xs, 0.9),
    mean, rme: mean ? (100 * t * sd) / Math.sqrt(n) / mean : 0, n,
  };
}
// Student's t, two-sided 95 %, the table benchmark.js uses (df > 30 → 1.96).
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
const tCritical = (df) => T95[df - 1] ?? 1.96;
const fmtNs = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);

function cpuModel() {
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m) return m[1].trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** Runs bench/memory_run.{mjs,py} side by side (peak RSS does not mind sharing the CPU) and reads their JSON. */
async function peakMemory(steps, threads, blasThreads, noTorch) {
  const launch = (cmd, argv) => new Promise((resolve) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, OPENBLAS_NUM_THREADS: String(blasThreads ?? threads) } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => { try { resolve(code === 0 ? JSON.parse(out) : null); } catch { resolve(null); } });
  });
  console.log(`\nmemory: ${steps} reference steps in a fresh process each, pinn-torch and PyTorch side by side…`);
  const [js, torch] = await Promise.all([
    launch(process.execPath, [join(here, 'memory_run.mjs'), String(steps)]),
    noTorch ? null : launch(PY, [join(here, 'memory_run.py'), String(steps), String(threads), String(blasThreads)]),
  ]);
  if (!js) { console.error('memory: the pinn-torch run failed'); return null; }
  const row = { steps, js, torch, ratio: torch ? js.maxRSS / torch.maxRSS : null };
  console.log(`memory: peak RSS pinn-torch ${mib(js.maxRSS)}` + (torch ? `, PyTorch ${mib(torch.maxRSS)} → ${row.ratio.toFixed(2)}×` : ''));
  return row;
}

async function main() {
  const t0 = Date.now();
  const suites = await loadSuites();
  const cfg = config();
  const threads = cfg.threads.intraOp, blasThreads = cfg.threads.blas;
  let torch = startTorch();
  const machine = {
    cpu: cpuModel(), cores: cpus().length, node: process.version,
    libtorch: cfg.libtorch.version, blas: `${cfg.blas.name}${cfg.blas.detail ? ` (${cfg.blas.detail})` : ''}`,
    blasLibraries: cfg.blas.libraries, threads, blasThreads,
    // PyTorch is set to the same intra-op (and OpenBLAS) thread counts, then asked what it runs with.
    pytorch: torch.ask ? await torch.ask({ facts: true, threads, blasThreads }) : null,
  };
  console.log(`machine: ${machine.cpu}, ${machine.cores} logical cores, Node ${machine.node}`);
  console.log(`pinn-torch: LibTorch ${machine.libtorch}, BLAS ${machine.blas}, ${threads} intra-op thread(s), BLAS threads ${blasThreads ?? 'n/a'}`);
  const py = machine.pytorch;
  console.log(py
    ? `PyTorch ${py.torch} (Python ${py.python}): BLAS ${py.blas.join(', ') || 'none mapped'}, ${py.threads} intra-op thread(s), BLAS threads ${py.blasThreads ?? 'n/a'} (set to match)`
    : torch.note);
  console.log(`mode: ${quick ? 'quick' : 'full'} (${ROUNDS} alternating rounds, up to ${MAX_TIME} s per side per round)\n`);

  const results = [];
  for (const suite of suites) {
    for (const c of suite.cases) {
      const fn = c.js();
      // A suite of cheap cases may ask for less time per round (full runs only; quick is already short).
      const maxTime = Math.min(MAX_TIME, c.maxTime ?? suite.maxTime ?? MAX_TIME);
      const js = [], pySamples = [];
      let torchError = null;
      for (let r = 0; r < ROUNDS; r++) {
        js.push(...jsSamples(c, fn, maxTime));
        if (!torch.ask || torchError) continue;
        try {
          const cmd = { ...c.torch, inner: c.inner, threads, blasThreads, maxTime, minSamples: MIN_SAMPLES, maxSamples: 200 };
          pySamples.push(...(await torch.ask(cmd)).samples);
        } catch (e) {
          torchError = e.message;
          console.error(`PyTorch side failed on ${suite.name} / ${c.name}: ${e.message}`);
          if (!e.caseOnly) {
            torch.close?.();
            torch = { note: `PyTorch worker died at ${suite.name} / ${c.name}: later ratios omitted` };
          }
        }
      }
      fn.dispose?.(); // free the case's tensors before the next one, as the Python worker does
      if (torchError) pySamples.length = 0;
      const row = { suite: suite.name, case: c.name, inner: c.inner, js: summarize(js), torch: summarize(pySamples), torchError };
      row.ratio = row.torch ? row.js.median / row.torch.median : null;
      results.push(row);
      console.log(`${suite.name} / ${c.name}: ${fmtNs(row.js.median)} ±${row.js.rme.toFixed(1)}%` +
        (row.torch ? ` vs ${fmtNs(row.torch.median)} ±${row.torch.rme.toFixed(1)}% PyTorch → ${row.ratio.toFixed(2)}×` : ''));
    }
  }
  torch.close?.();
  const memoryRow = only && only !== 'memory' ? null : await peakMemory(quick ? 300 : 5000, threads, blasThreads, !!torch.note);
  const seconds = (Date.now() - t0) / 1000;

  const table = ['| suite | case | pinn-torch (median, p10–p90) | PyTorch eager (median, p10–p90) | ratio |', '|---|---|---|---|---|',
    ...results.map((r) => `| ${r.suite} | ${r.case} | ${fmtNs(r.js.median)} (${fmtNs(r.js.p10)}–${fmtNs(r.js.p90)}) | ` +
      (r.torch ? `${fmtNs(r.torch.median)} (${fmtNs(r.torch.p10)}–${fmtNs(r.torch.p90)}) | ${r.ratio.toFixed(2)}×` : `— | —`) + ' |')].join('\n');
  const memoryTable = memoryRow ? `\n\nPeak RSS of a ${memoryRow.steps}-step run of the reference step (a fresh process each): ` +
    `pinn-torch ${mib(memoryRow.js.maxRSS)} (${memoryRow.js.seconds.toFixed(1)} s)` +
    (memoryRow.torch ? `, PyTorch eager ${mib(memoryRow.torch.maxRSS)} (${memoryRow.torch.seconds.toFixed(1)} s) → ${memoryRow.ratio.toFixed(2)}×` : ', PyTorch not run') : '';
  const notes = torch.note ? `\nNote: ${torch.note}.\n` : '';
  const header = `Machine: ${machine.cpu}, ${machine.cores} cores; LibTorch ${machine.libtorch}; BLAS ${machine.blas}; ` +
    `${threads} intra-op thread(s)${py ? `; PyTorch ${py.torch}` : ''}; ${quick ? 'quick' : 'full'} run, ${seconds.toFixed(0)} s.\n` +
    `Per-call times; ratio = pinn-torch / PyTorch (below 1 is faster).\n${notes}`;
  const summary = results.map((r) => `${r.case}: ${fmtNs(r.js.median)}` +
    (r.torch ? ` vs ${fmtNs(r.torch.median)} PyTorch → ${r.ratio.toFixed(2)}×` : '')).join('\n');

  // A full run of every suite is the day's record; quick or single-suite runs never overwrite it.
  const date = new Date().toISOString().slice(0, 10);
  const stem = `${date}${quick ? '-quick' : ''}${only ? `-${only}` : ''}`;
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', `${stem}.json`),
    JSON.stringify({ date: new Date().toISOString(), quick, rounds: ROUNDS, seconds, note: torch.note ?? null, machine, results, memory: memoryRow }, null, 2) + '\n');
  writeFileSync(join(here, 'results', `${stem}.md`), `${header}\n${table}${memoryTable}\n`);
  console.log(`\n${header}\n${table}${memoryTable}\n\n${summary}\n\nwrote bench/results/${stem}.json and .md (${seconds.toFixed(0)} s)`);
}

main().catch((e) => { console.error(e.stack ?? String(e)); process.exit(1); });

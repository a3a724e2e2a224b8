#!/usr/bin/env node
// npm run bench [-- --quick] [--suite NAME] [--no-torch]
// Runs every suite in pinn-torch and in PyTorch eager (same LibTorch, BLAS and threads),
// alternating JS and Python samples case by case, and reports medians, spread and ratios.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Benchmark from 'benchmark';
import { config, getNumThreads } from '../dist/index.js';
import ops from './suites/ops.mjs';
import optimSuite from './suites/optim.mjs';
import pinnSuite from './suites/pinn.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--suite') ? args[args.indexOf('--suite') + 1] : null;
const SUITES = [ops, optimSuite, pinnSuite].filter((s) => !only || s.name === only);
const ROUNDS = quick ? 2 : 4;
const MAX_TIME = quick ? 0.4 : 1.5; // seconds per side per case per round
const PY = '/usr/bin/python3';

/** A persistent PyTorch worker (importing torch takes ~1 s: once per run, not per case). */
function startTorch() {
  if (args.includes('--no-torch')) return { note: 'PyTorch column skipped (--no-torch)' };
  if (spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) {
    return { note: `PyTorch not found at ${PY}: ratios omitted` };
  }
  const child = spawn(PY, [join(here, 'torch_bench.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async ask(cmd) {
      child.stdin.write(JSON.stringify(cmd) + '\n');
      const { value } = await lines.next();
      const out = JSON.parse(value);
      if (out.error) throw new Error(`PyTorch side: ${out.error}`);
      return out;
    },
    close: () => child.stdin.end(),
  };
}

function jsSamples(c, fn) {
  const b = new Benchmark(c.name, fn, { maxTime: MAX_TIME, minSamples: 5, initCount: 1 });
  b.run({ async: false });
  if (b.error) throw b.error;
  return b.stats.sample.map((s) => (s * 1e9) / c.inner); // ns per call
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const fmtNs = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);

async function main() {
  const cfg = config();
  const threads = getNumThreads();
  const torch = startTorch();
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version,
    libtorch: cfg.libtorch.version, blas: `${cfg.blas.name}${cfg.blas.detail ? ` (${cfg.blas.detail})` : ''}`, threads,
    pytorch: torch.ask ? await torch.ask({ facts: true }) : null,
  };
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`);
  console.log(`pinn-torch: LibTorch ${machine.libtorch}, BLAS ${machine.blas}, ${threads} intra-op thread(s)`);
  console.log(machine.pytorch ? `PyTorch: ${machine.pytorch.torch}, BLAS ${machine.pytorch.blas.join(', ')}, ${threads} thread(s) (set to match)` : torch.note);
  console.log(`mode: ${quick ? 'quick' : 'full'} (${ROUNDS} alternating rounds)\n`);

  const results = [];
  for (const suite of SUITES) {
    for (const c of suite.cases) {
      const fn = c.js();
      const js = [], py = [];
      for (let r = 0; r < ROUNDS; r++) {
        js.push(...jsSamples(c, fn));
        if (torch.ask) py.push(...(await torch.ask({ ...c.torch, inner: c.inner, threads, maxTime: MAX_TIME, minSamples: 5, maxSamples: 200 })).samples);
      }
      const row = {
        suite: suite.name, case: c.name,
        js: { median: median(js), p10: quantile(js, 0.1), p90: quantile(js, 0.9), n: js.length },
        torch: py.length ? { median: median(py), p10: quantile(py, 0.1), p90: quantile(py, 0.9), n: py.length } : null,
      };
      row.ratio = row.torch ? row.js.median / row.torch.median : null;
      results.push(row);
      console.log(`${suite.name} / ${c.name}: ${fmtNs(row.js.median)}${row.torch ? ` vs ${fmtNs(row.torch.median)} PyTorch → ${row.ratio.toFixed(2)}×` : ''}`);
    }
  }
  torch.close?.();

  const table = ['| suite | case | pinn-torch (median, p10–p90) | PyTorch eager (median, p10–p90) | ratio |', '|---|---|---|---|---|',
    ...results.map((r) => `| ${r.suite} | ${r.case} | ${fmtNs(r.js.median)} (${fmtNs(r.js.p10)}–${fmtNs(r.js.p90)}) | ` +
      (r.torch ? `${fmtNs(r.torch.median)} (${fmtNs(r.torch.p10)}–${fmtNs(r.torch.p90)}) | ${r.ratio.toFixed(2)}×` : `— | ${torch.note}`) + ' |')].join('\n');
  const header = `Machine: ${machine.cpu}, ${machine.cores} cores; LibTorch ${machine.libtorch}; BLAS ${machine.blas}; ${threads} thread(s); ${quick ? 'quick' : 'full'} run.\nRatio = pinn-torch / PyTorch (below 1 is faster).\n`;
  const date = new Date().toISOString().slice(0, 10);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', `${date}.json`), JSON.stringify({ date: new Date().toISOString(), quick, machine, results }, null, 2) + '\n');
  writeFileSync(join(here, 'results', `${date}.md`), `${header}\n${table}\n`);
  console.log(`\n${header}\n${table}\n\nwrote bench/results/${date}.json and .md`);
}

main().catch((e) => { console.error(e.stack ?? String(e)); process.exit(1); });

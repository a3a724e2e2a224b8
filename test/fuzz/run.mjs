#!/usr/bin/env node
// npm run fuzz -- [--runs N] [--seed S] [--survey] [vitest filters…]
// Runs the fuzz suite long: N generated calls per property (default 1000), from seed S. With
// --survey every failure is recorded and the run goes on (a summary by class is printed at the
// end) instead of stopping at the first one to shrink it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const take = (flag, fallback) => {
  const i = args.indexOf(flag);
  if (i < 0) return fallback;
  const [, value] = args.splice(i, 2);
  return value;
};
const runs = take('--runs', '1000');
const seed = take('--seed', String(Date.now() % 2 ** 31));
const surveyAt = args.indexOf('--survey');
const survey = surveyAt >= 0;
if (survey) args.splice(surveyAt, 1);
const report = join(tmpdir(), `pinn-torch-fuzz-${process.pid}.jsonl`);

console.log(`fuzz: ${runs} calls per property, FUZZ_SEED=${seed}${survey ? ', survey' : ''}`);
const root = fileURLToPath(new URL('../../', import.meta.url));
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', '--no-file-parallelism', ...(args.length ? args : ['test/fuzz'])], {
  cwd: root, stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed, FUZZ_REPORT: report, ...(survey ? { FUZZ_SURVEY: '1' } : {}) },
});

if (existsSync(report)) {
  const files = readFileSync(report, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const calls = files.reduce((n, f) => n + f.calls, 0);
  const failures = files.flatMap((f) => f.failures);
  console.log(`\nfuzz: ${calls} generated calls, FUZZ_SEED=${seed}: ${failures.length} failing${failures.length ? ` (every case as JSON: ${report})` : ''}`);
  if (!failures.length) rmSync(report);
  const byClass = Map.groupBy ? Map.groupBy(failures, (f) => f.cls) : new Map(failures.map((f) => [f.cls, failures.filter((g) => g.cls === f.cls)]));
  for (const [cls, list] of byClass) {
    console.log(`  ${cls}: ${list.length}`);
    const seen = new Set();
    for (const f of list) {
      const key = f.detail.replace(/-?\d[\d.e+-]*/g, '#').slice(0, 120);
      if (seen.has(key) || seen.size >= 15) continue;
      seen.add(key);
      const long = cls === 'crash' || cls === 'leak';
      console.log(`    ${long ? f.call : f.call.slice(0, 400)}\n      ${f.detail.slice(0, 300)}`);
    }
  }
}
process.exit(r.status ?? 1);

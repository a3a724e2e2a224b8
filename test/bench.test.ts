// The bench's own machinery, not its timings: the report's structure from a real (shortest) run,
// the baseline comparison on synthetic runs, and the PyTorch 2.x column's skip note.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ES modules of the bench, no types
import { compareRuns, loadBaseline, saveBaseline } from '../bench/lib/baseline.mjs';
// @ts-expect-error plain ES module of the bench, no types
import { findTorch2 } from '../bench/torch2.mjs';
// @ts-expect-error plain ES module of the bench, no types
import { freshStem } from '../bench/lib/fresh_stem.mjs';
// @ts-expect-error plain ES module of the bench, no types
import { pairedRatios } from '../bench/lib/report.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'pinn-bench-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A summary as bench/lib/stats.mjs makes one: only the fields the comparison reads. */
const summary = (median: number, halfIqr: number) => ({ median, p25: median - halfIqr, p75: median + halfIqr });
const run = (cases: Array<[string, number, number]>) => ({ results: cases.map(([name, median, halfIqr]) => ({ suite: 's', case: name, js: summary(median, halfIqr) })) });

describe('paired ratios', () => {
  it('divides each round by the fastest PyTorch 2.x way of that round, and takes the median over rounds', () => {
    const row = {
      jsRounds: [6, 5, 7],
      peers: {
        torch1: { rounds: [1, 1, 1] }, // 1.x is not a 2.x way
        torch2: { rounds: [24, 26, 28] },
        'torch2:func': { rounds: [25, 22, 30] },
        'torch2:compile': { rounds: [] }, // failed: no rounds
      },
    };
    const p = pairedRatios(row);
    expect(p.n).toBe(3);
    expect(p.median).toBeCloseTo(0.25, 12); // 6/24, 5/22, 7/28
    expect(p.min).toBeCloseTo(5 / 22, 12);
    expect(p.max).toBeCloseTo(0.25, 12);
    expect(pairedRatios({ jsRounds: [1, 2], peers: { torch1: { rounds: [3, 4] } } })).toBeNull();
  });
});

describe('report names', () => {
  it('a second report of the same name and day gets -2, then -3, whichever of its files exists', () => {
    const dir = mkdtempSync(join(scratch, 'stems-'));
    expect(freshStem(dir, '2026-12-06-quick')).toBe('2026-12-06-quick');
    writeFileSync(join(dir, '2026-12-06-quick.md'), '');
    expect(freshStem(dir, '2026-12-06-quick')).toBe('2026-12-06-quick-2');
    writeFileSync(join(dir, '2026-12-06-quick-2.json'), '');
    expect(freshStem(dir, '2026-12-06-quick')).toBe('2026-12-06-quick-3');
    expect(freshStem(dir, '2026-12-06-quick-heat')).toBe('2026-12-06-quick-heat');
  });
});

describe('baseline comparison', () => {
  it('flags a change beyond the larger relative interquartile range, and only that', () => {
    const before = run([['slower', 100, 2], ['faster', 100, 2], ['noisy', 100, 20], ['same', 100, 2], ['gone', 100, 2]]);
    const after = run([['slower', 110, 2], ['faster', 90, 2], ['noisy', 130, 20], ['same', 103, 2], ['new', 50, 1]]);
    const rows = Object.fromEntries(compareRuns(before, after).map((r: { case: string }) => [r.case, r]));
    expect(rows.slower.verdict).toBe('regressed'); // +10 % against 4 % noise
    expect(rows.slower.change).toBeCloseTo(0.1, 12);
    expect(rows.slower.noise).toBeCloseTo(0.04, 12);
    expect(rows.faster.verdict).toBe('improved');
    expect(rows.noisy.verdict).toBe('within noise'); // +30 % against 40 % noise
    expect(rows.same.verdict).toBe('within noise'); // +3 % against 4 % noise
    expect(rows.new.verdict).toBe('new');
    expect(rows.gone.verdict).toBe('gone');
  });

  it('saves and loads a baseline by name, and refuses a bad or unknown one with the name in the message', () => {
    const dir = join(scratch, 'baselines');
    const saved = run([['a', 1, 0.1]]);
    saveBaseline('main', saved, dir);
    expect(loadBaseline('main', dir)).toEqual(saved);
    expect(() => saveBaseline('../escape', saved, dir)).toThrow(/baseline name must be/);
    expect(() => loadBaseline('nope', dir)).toThrow(/--baseline nope: no saved baseline .*--save-baseline nope/);
  });
});

describe('npm run bench, command-line mistakes', () => {
  it('says what is wrong, without a stack, and exits 2 before running anything', () => {
    for (const [argv, message] of [
      [['--baseline', 'nope', '--baselines', join(scratch, 'none')], /npm run bench: --baseline nope: no saved baseline/],
      [['--rounds', 'x'], /npm run bench: --rounds must be a positive number, got x/],
      [['--suite', 'nosuch'], /npm run bench: --suite nosuch: no such suite \(have: .*memory, convergence, distributed\)/],
    ] as Array<[string[], RegExp]>) {
      const r = spawnSync(process.execPath, ['bench/index.mjs', ...argv], { encoding: 'utf8', env: { ...process.env, PINN_TORCH_BENCH_PYTHON: '/nonexistent/python' }, timeout: 60_000 });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  }, 120_000);
});

describe('PyTorch 2.x peer', () => {
  it('names a Python whose torch is not 2.x, and one that does not exist', async () => {
    const missing = await findTorch2({ env: { ...process.env, PINN_TORCH_BENCH_PYTHON: '/nonexistent/python' } });
    expect(missing.note).toMatch(/PINN_TORCH_BENCH_PYTHON=\/nonexistent\/python cannot import torch .*no such program/);
    if (spawnSync('/usr/bin/python3', ['-c', 'import torch; assert torch.__version__ < "2"']).status !== 0) return; // needs Debian's torch 1.x
    const old = await findTorch2({ env: { ...process.env, PINN_TORCH_BENCH_PYTHON: '/usr/bin/python3' } });
    expect(old.note).toMatch(/has torch 1\.\d+.*not 2\.x/);
  }, 60_000);
});

describe('the suites free what they make', () => {
  // The suites run one after another in one process: what a case leaves alive is the heap and
  // the tensor cache the next cases are timed in.
  it('every case of every suite ends with the live tensor count it started with', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
      import { readdirSync } from 'node:fs';
      import { memory } from './dist/index.js';
      const left = [];
      for (const f of readdirSync('bench/suites').filter((f) => f.endsWith('.mjs')).sort()) {
        const suite = (await import('./bench/suites/' + f)).default;
        for (const c of suite.cases) {
          const before = memory().tensors;
          const fn = await c.js();
          await fn();
          await fn.dispose?.();
          const n = memory().tensors - before;
          if (n !== 0) left.push(suite.name + ' / ' + c.name + ': ' + n);
        }
      }
      console.log(JSON.stringify(left));
    `], { encoding: 'utf8', cwd: join(__dirname, '..'), timeout: 240_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual([]);
  }, 300_000);
});

describe('npm run bench, shortest run', () => {
  it('reports every case of a suite, skips the 2.x column with a note, saves a baseline and prints the total time', () => {
    const out = join(scratch, 'results'), baselines = join(scratch, 'run-baselines');
    const r = spawnSync(process.execPath, ['bench/index.mjs', '--quick', '--suite', 'ops', '--rounds', '1', '--max-time', '0.02',
      '--out', out, '--baselines', baselines, '--save-baseline', 'smoke'], {
      encoding: 'utf8', env: { ...process.env, PINN_TORCH_BENCH_PYTHON: '/nonexistent/python' }, timeout: 240_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/total run time: \d+ s/);
    const date = new Date().toISOString().slice(0, 10);
    const json = JSON.parse(readFileSync(join(out, `${date}-quick-ops.json`), 'utf8'));
    const md = readFileSync(join(out, `${date}-quick-ops.md`), 'utf8');
    expect(json.results.map((x: { case: string }) => x.case)).toEqual([
      'add [1] (tidy)', 'add [1] (dispose each)', 'mul [1] (tidy)', 'tanh [1] (tidy)', 'matmul [64×64]·[64×64] (tidy)']);
    for (const x of json.results) {
      expect(x.js.median).toBeGreaterThan(0);
      expect(x.js.p10).toBeLessThanOrEqual(x.js.p90);
      expect(x.peers.torch2).toBeUndefined();
    }
    expect(json.notes.join('\n')).toMatch(/PyTorch 2\.x column skipped: PINN_TORCH_BENCH_PYTHON=\/nonexistent\/python cannot import torch/);
    expect(json.machine.peers.torch2.note).toBeDefined();
    expect(md).toMatch(/Note: PyTorch 2\.x column skipped/);
    expect(md).toMatch(/- PyTorch 2\.x: not run\./);
    expect(md).toMatch(/\| suite \| case \| pinn-torch \| PyTorch 1\.x eager \| PyTorch 2\.x eager \| best 2\.x \|/);
    expect(md.match(/^\| ops \|/gm)).toHaveLength(5);
    expect(md).toMatch(/total run time \d+ s/);
    // The saved baseline is the run itself: compared with itself, nothing moved.
    expect(existsSync(join(baselines, 'smoke.json'))).toBe(true);
    const rows = compareRuns(loadBaseline('smoke', baselines), json);
    expect(rows.map((x: { verdict: string }) => x.verdict)).toEqual(Array(5).fill('within noise'));
  }, 300_000);
});

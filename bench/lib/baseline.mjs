// Saved runs to compare against, as Criterion's --save-baseline / --baseline: a baseline is a
// run's JSON under bench/baselines/NAME.json (machine-specific, not committed). A case
// regressed when its pinn-torch median rose by more than the noise, and improved when it fell
// by more: the noise of a case is the larger of the two runs' interquartile ranges relative to
// their medians (the spread of the repeated samples), so a noisy case needs a larger change.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../dist/io/atomic.js';

/** A mistake in the command line (the bench prints its message alone). */
const usage = (message) => Object.assign(new Error(message), { usage: true });

export const BASELINE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'baselines');

function checkName(name) {
  if (typeof name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(name)) {
    throw usage(`baseline name must be letters, digits, '.', '_' or '-', got ${JSON.stringify(name)}`);
  }
  return name;
}

export const baselinePath = (name, dir = BASELINE_DIR) => join(dir, `${checkName(name)}.json`);

export function saveBaseline(name, run, dir = BASELINE_DIR) {
  const path = baselinePath(name, dir);
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, Buffer.from(JSON.stringify(run, null, 2) + '\n'));
  return path;
}

export function loadBaseline(name, dir = BASELINE_DIR) {
  const path = baselinePath(name, dir);
  if (!existsSync(path)) throw usage(`--baseline ${name}: no saved baseline at ${path} (save one with --save-baseline ${name})`);
  const run = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(run?.results)) throw usage(`--baseline ${name}: ${path} holds no bench results`);
  return run;
}

/** Relative interquartile range of a summary: the run's own noise. */
const spread = (s) => (s.p75 - s.p25) / s.median;

/**
 * One row per case present in both runs (matched by suite and case name): the change of the
 * pinn-torch median, the noise it is judged against and a verdict: 'regressed', 'improved' or
 * 'within noise'. Cases only in one run are listed as 'new' or 'gone'.
 */
export function compareRuns(baseline, current) {
  const key = (r) => `${r.suite}\0${r.case}`;
  const before = new Map(baseline.results.map((r) => [key(r), r]));
  const rows = [];
  for (const r of current.results) {
    const b = before.get(key(r));
    before.delete(key(r));
    if (!b?.js || !r.js) { rows.push({ suite: r.suite, case: r.case, verdict: 'new' }); continue; }
    const change = r.js.median / b.js.median - 1;
    const noise = Math.max(spread(b.js), spread(r.js));
    const verdict = change > noise ? 'regressed' : change < -noise ? 'improved' : 'within noise';
    rows.push({ suite: r.suite, case: r.case, before: b.js.median, after: r.js.median, change, noise, verdict });
  }
  for (const b of before.values()) rows.push({ suite: b.suite, case: b.case, verdict: 'gone' });
  return rows;
}

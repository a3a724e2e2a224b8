#!/usr/bin/env node
// Before/after of the ops suite on a shared, noisy machine: two checkouts (each with its dist/
// built and bench/), run alternately A B B A A B … for `pairs` pairs, each run a whole
// `bench/index.mjs --suite ops` (pinn-torch and the PyTorch sides it finds) then
// `bench/ops_layers.mjs`, each run's output kept under `out`. Prints Markdown: per case, the
// median over runs of each run's median (with the lowest and highest run median) and of each
// run's p10, and the median over runs of each run's ratio to PyTorch 2.x eager (both sides of a
// ratio ran minutes apart at most, alternated round by round, so load shifts both).
//   node bench/ops_ab.mjs BEFORE_DIR AFTER_DIR [pairs=4] [out=/tmp/ops-ab]
//   node bench/ops_ab.mjs --aggregate OUT     the tables again, from a finished run's `out`
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const runs = { before: [], after: [] };
const layers = { before: [], after: [] };
let PAIRS;
if (process.argv[2] === '--aggregate') {
  const OUT = resolve(process.argv[3]);
  const dirs = readdirSync(OUT).filter((d) => /^(before|after)-\d+$/.test(d)).sort((x, y) => Number(x.split('-')[1]) - Number(y.split('-')[1]));
  for (const d of dirs) {
    const side = d.split('-')[0];
    const json = readdirSync(join(OUT, d)).find((f) => f.endsWith('.json'));
    runs[side].push(JSON.parse(readFileSync(join(OUT, d, json), 'utf8')).results);
    if (existsSync(join(OUT, d, 'layers.md'))) layers[side].push(readFileSync(join(OUT, d, 'layers.md'), 'utf8'));
  }
  PAIRS = Math.min(runs.before.length, runs.after.length);
} else {
  const [before, after] = [process.argv[2], process.argv[3]].map((d) => {
    if (!d) { console.error('usage: node bench/ops_ab.mjs BEFORE_DIR AFTER_DIR [pairs] [out]'); process.exit(2); }
    return resolve(d);
  });
  PAIRS = Number(process.argv[4] ?? 4);
  const OUT = resolve(process.argv[5] ?? '/tmp/ops-ab');
  mkdirSync(OUT, { recursive: true });
  const sides = { before, after };
  for (let p = 0; p < PAIRS; p++) {
    for (const side of p % 2 === 0 ? ['before', 'after'] : ['after', 'before']) {
      const out = join(OUT, `${side}-${p}`);
      const bench = spawnSync(process.execPath, ['bench/index.mjs', '--suite', 'ops', '--out', out], { cwd: sides[side], encoding: 'utf8' });
      if (bench.status !== 0) throw new Error(`${side} bench failed: ${bench.stderr}`);
      const json = readdirSync(out).find((f) => f.endsWith('.json'));
      runs[side].push(JSON.parse(readFileSync(join(out, json), 'utf8')).results);
      const l = spawnSync(process.execPath, ['bench/ops_layers.mjs'], { cwd: sides[side], encoding: 'utf8' });
      if (l.status !== 0) throw new Error(`${side} layers failed: ${l.stderr}`);
      writeFileSync(join(out, 'layers.md'), l.stdout);
      layers[side].push(l.stdout);
      console.error(`pair ${p + 1}/${PAIRS}: ${side} done, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
    }
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const ns = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} µs` : `${x.toFixed(0)} ns`);
const summary = (values) => `${ns(median(values))} (${ns(Math.min(...values))}–${ns(Math.max(...values))})`;

const cases = runs.before[0].map((r) => r.case);
const pick = (side, c, f) => runs[side].map((rows) => f(rows.find((r) => r.case === c)));
const torch2 = (c) => [...pick('before', c, (r) => r.peers.torch2?.summary?.median), ...pick('after', c, (r) => r.peers.torch2?.summary?.median)].filter((x) => x !== undefined);
console.log(`${PAIRS} pairs of runs, alternated. Times: median over runs of the run's median (lowest–highest run), then the median of the runs' p10. Ratios to PyTorch 2.x eager: each run's pinn-torch median over the same run's PyTorch 2.x median, median over runs (lowest–highest).\n`);
console.log('| case | before: median | before: p10 | after: median | after: p10 | after / before | PyTorch 2.x eager | before / PyTorch 2.x | after / PyTorch 2.x |');
console.log('|---|---|---|---|---|---|---|---|---|');
const ratios = (side, c) => pick(side, c, (r) => (r.peers.torch2?.summary ? r.js.median / r.peers.torch2.summary.median : undefined)).filter((x) => x !== undefined);
const ratioCell = (xs) => (xs.length ? `${median(xs).toFixed(2)}× (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})` : '–');
for (const c of cases) {
  const b = pick('before', c, (r) => r.js.median), a = pick('after', c, (r) => r.js.median);
  const t2 = torch2(c);
  console.log(`| ${c} | ${summary(b)} | ${ns(median(pick('before', c, (r) => r.js.p10)))} | ${summary(a)} | ${ns(median(pick('after', c, (r) => r.js.p10)))} | ` +
    `${(median(a) / median(b)).toFixed(2)}× | ${t2.length ? summary(t2) : 'not run'} | ${ratioCell(ratios('before', c))} | ${ratioCell(ratios('after', c))} |`);
}

// Layers: the median over runs of each row's median and p10.
const parse = (text) => Object.fromEntries(text.trim().split('\n').slice(2).map((line) => {
  const [, name, med, p10] = line.split('|').map((s) => s.trim());
  return [name, [parseFloat(med), parseFloat(p10)]];
}));
const lb = layers.before.map(parse), la = layers.after.map(parse);
if (lb.length && la.length) console.log('\n| layer | before: median (p10) | after: median (p10) |\n|---|---|---|');
for (const name of lb.length && la.length ? Object.keys(lb[0]) : []) {
  const cell = (ls) => (ls.every((l) => l[name]) ? `${median(ls.map((l) => l[name][0])).toFixed(0)} ns (${median(ls.map((l) => l[name][1])).toFixed(0)} ns)` : '–');
  console.log(`| ${name} | ${cell(lb)} | ${cell(la)} |`);
}

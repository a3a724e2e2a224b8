#!/usr/bin/env node
// Before/after of the ops suite on a shared, noisy machine: two checkouts (each with its dist/
// built and bench/), run alternately A B B A A B … for `pairs` pairs, each run a whole
// `bench/index.mjs --suite ops` (pinn-torch and the PyTorch sides it finds) then
// `bench/ops_layers.mjs`. Prints Markdown: per case, the median over runs of each run's median
// (with the lowest and highest run median) and of each run's p10.
//   node bench/ops_ab.mjs BEFORE_DIR AFTER_DIR [pairs=4] [out=/tmp/ops-ab]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [before, after] = [process.argv[2], process.argv[3]].map((d) => {
  if (!d) { console.error('usage: node bench/ops_ab.mjs BEFORE_DIR AFTER_DIR [pairs] [out]'); process.exit(2); }
  return resolve(d);
});
const PAIRS = Number(process.argv[4] ?? 4);
const OUT = resolve(process.argv[5] ?? '/tmp/ops-ab');
mkdirSync(OUT, { recursive: true });

const sides = { before, after };
const runs = { before: [], after: [] };
const layers = { before: [], after: [] };
for (let p = 0; p < PAIRS; p++) {
  for (const side of p % 2 === 0 ? ['before', 'after'] : ['after', 'before']) {
    const out = join(OUT, `${side}-${p}`);
    const bench = spawnSync(process.execPath, ['bench/index.mjs', '--suite', 'ops', '--out', out], { cwd: sides[side], encoding: 'utf8' });
    if (bench.status !== 0) throw new Error(`${side} bench failed: ${bench.stderr}`);
    const json = readdirSync(out).find((f) => f.endsWith('.json'));
    runs[side].push(JSON.parse(readFileSync(join(out, json), 'utf8')).results);
    const l = spawnSync(process.execPath, ['bench/ops_layers.mjs'], { cwd: sides[side], encoding: 'utf8' });
    if (l.status !== 0) throw new Error(`${side} layers failed: ${l.stderr}`);
    layers[side].push(l.stdout);
    console.error(`pair ${p + 1}/${PAIRS}: ${side} done, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const ns = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} µs` : `${x.toFixed(0)} ns`);
const summary = (values) => `${ns(median(values))} (${ns(Math.min(...values))}–${ns(Math.max(...values))})`;

const cases = runs.before[0].map((r) => r.case);
const pick = (side, c, f) => runs[side].map((rows) => f(rows.find((r) => r.case === c)));
const torch2 = (c) => [...pick('before', c, (r) => r.peers.torch2?.summary?.median), ...pick('after', c, (r) => r.peers.torch2?.summary?.median)].filter((x) => x !== undefined);
console.log(`${PAIRS} pairs of runs, alternated; each cell: median over runs of the run's median (lowest–highest run), then the median of the runs' p10.\n`);
console.log('| case | before: median | before: p10 | after: median | after: p10 | after / before | PyTorch 2.x eager | after / PyTorch 2.x |');
console.log('|---|---|---|---|---|---|---|---|');
for (const c of cases) {
  const b = pick('before', c, (r) => r.js.median), a = pick('after', c, (r) => r.js.median);
  const t2 = torch2(c);
  console.log(`| ${c} | ${summary(b)} | ${ns(median(pick('before', c, (r) => r.js.p10)))} | ${summary(a)} | ${ns(median(pick('after', c, (r) => r.js.p10)))} | ` +
    `${(median(a) / median(b)).toFixed(2)}× | ${t2.length ? summary(t2) : 'not run'} | ${t2.length ? `${(median(a) / median(t2)).toFixed(2)}×` : '–'} |`);
}

// Layers: the median over runs of each row's median and p10.
const parse = (text) => Object.fromEntries(text.trim().split('\n').slice(2).map((line) => {
  const [, name, med, p10] = line.split('|').map((s) => s.trim());
  return [name, [parseFloat(med), parseFloat(p10)]];
}));
console.log('\n| layer | before: median (p10) | after: median (p10) |\n|---|---|---|');
const lb = layers.before.map(parse), la = layers.after.map(parse);
for (const name of Object.keys(lb[0])) {
  const cell = (ls) => `${median(ls.map((l) => l[name][0])).toFixed(0)} ns (${median(ls.map((l) => l[name][1])).toFixed(0)} ns)`;
  console.log(`| ${name} | ${cell(lb)} | ${cell(la)} |`);
}

#!/usr/bin/env node
// Where a tiny op's time goes: the same op on a [1] float32 tensor called layer by layer, from
// the raw binding (a handle in, a handle out, freed in one freeMany) up to the Tensor method
// inside tidy(), so that each layer's cost is the difference of two rows.
//   node bench/ops_layers.mjs [rounds=300] [calls=2000]
// The layers run alternated, round by round, in one process (a shared machine drifts); each
// sample is the mean of `calls` calls; the rows are the median and p10 over the rounds.
import { ones, tidy } from '../dist/index.js';
import { BINARY, UNARY, native } from '../dist/backend.js';
import { wrapLike } from '../dist/tensor/core.js';

const ROUNDS = Number(process.argv[2] ?? 300);
const CALLS = Number(process.argv[3] ?? 2000);
const a = ones([1]), b = ones([1]);
const ha = a.handle, hb = b.handle, ADD = BINARY.add, TANH = UNARY.tanh;
const handles = new Float64Array(CALLS);

const now = () => process.hrtime.bigint();
// A layer returning a number timed itself (ns per call); the others are timed whole.
const layers = {
  'N-API floor: native.free(-1) (a no-op call)': () => { for (let i = 0; i < CALLS; i++) native.free(-1); },
  'add: native.binary alone (freeing untimed)': () => {
    const t0 = now();
    for (let i = 0; i < CALLS; i++) handles[i] = native.binary(ADD, ha, hb);
    const ns = Number(now() - t0) / CALLS;
    native.freeMany(handles);
    return ns;
  },
  'free: native.freeMany, per handle (the ops untimed)': () => {
    for (let i = 0; i < CALLS; i++) handles[i] = native.binary(ADD, ha, hb);
    const t0 = now();
    native.freeMany(handles);
    return Number(now() - t0) / CALLS;
  },
  // What tidy did per scope until 2026-12-05: a fresh list of handles for freeMany.
  'a new Float64Array(calls) after the ops, per tensor': () => {
    for (let i = 0; i < CALLS; i++) handles[i] = native.binary(ADD, ha, hb);
    const t0 = now();
    const list = new Float64Array(CALLS);
    const ns = Number(now() - t0) / CALLS;
    list.set(handles);
    native.freeMany(list);
    return ns;
  },
  'add: native.binary, freeMany': () => { for (let i = 0; i < CALLS; i++) handles[i] = native.binary(ADD, ha, hb); native.freeMany(handles); },
  'add: native.binary + wrapLike, tidy': () => tidy(() => { for (let i = 0; i < CALLS; i++) wrapLike(native.binary(ADD, ha, hb), a.shape); }),
  'add: a.add(b), tidy': () => tidy(() => { for (let i = 0; i < CALLS; i++) a.add(b); }),
  'add: a.add(b).dispose()': () => { for (let i = 0; i < CALLS; i++) a.add(b).dispose(); },
  'mul: a.mul(b), tidy': () => tidy(() => { for (let i = 0; i < CALLS; i++) a.mul(b); }),
  'tanh: native.unary, freeMany': () => { for (let i = 0; i < CALLS; i++) handles[i] = native.unary(TANH, ha); native.freeMany(handles); },
  'tanh: a.tanh(), tidy': () => tidy(() => { for (let i = 0; i < CALLS; i++) a.tanh(); }),
};

const samples = Object.fromEntries(Object.keys(layers).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, run] of Object.entries(layers)) {
    const t0 = now();
    const self = run();
    samples[name].push(typeof self === 'number' ? self : Number(now() - t0) / CALLS);
  }
}
const quantile = (xs, p) => [...xs].sort((x, y) => x - y)[Math.floor(p * (xs.length - 1))];
console.log(`| layer | median | p10 |\n|---|---|---|`);
for (const [name, xs] of Object.entries(samples)) console.log(`| ${name} | ${quantile(xs, 0.5).toFixed(0)} ns | ${quantile(xs, 0.1).toFixed(0)} ns |`);
a.dispose();
b.dispose();

// Helpers shared by the problem files: points, grids, geometry, reference data.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { geometry as G, tensor } from '../../dist/index.js';

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');

/** Column i of x [N, k] as [N, 1]. */
export const col = (x, i) => x.narrow(1, i, 1);

/** Rows (Float64Array n × dim, or an array of points) as a [n, dim] tensor. */
export const toT = (rows, dim, dtype = 'float64') => G.toTensor(rows, dim, { dtype });

/** The Cartesian product of 1-D grids [[lo, hi, n], …] as a flat Float64Array (first axis slowest). */
export function gridRows(axes) {
  const lines = axes.map(([lo, hi, n]) => Float64Array.from({ length: n }, (_, i) => (n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1))));
  const dim = axes.length, total = lines.reduce((a, l) => a * l.length, 1), out = new Float64Array(total * dim);
  for (let r = 0; r < total; r++) {
    let rem = r;
    for (let d = dim - 1; d >= 0; d--) { const len = lines[d].length; out[r * dim + d] = lines[d][rem % len]; rem = Math.floor(rem / len); }
  }
  return out;
}

/**
 * a ∖ (b ∪ c ∪ …). The n-ary `new G.Difference(a, b, c, …)` when this build has it (its
 * constructor takes rest arguments, so its declared length is 0); nested binary Differences otherwise.
 */
export function difference(a, ...bs) {
  if (G.Difference.length !== 2) return new G.Difference(a, ...bs);
  return bs.reduce((acc, b) => new G.Difference(acc, b), a);
}

/** Paired points (lo, t) and (hi, t) for u(lo, t) = u(hi, t): n uniform times in [t0, t1], seeded. */
export function periodicPairs(lo, hi, t0, t1, n, seed, dtype = 'float64') {
  const ts = new G.Interval(t0, t1).interior(n, { seed });
  const a = new Float64Array(2 * n), b = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) { a[2 * i] = lo; b[2 * i] = hi; a[2 * i + 1] = b[2 * i + 1] = ts[i]; }
  return [toT(a, 2, dtype), toT(b, 2, dtype)];
}

/**
 * A cached reference grid written by accuracy/data/generate.mjs: meta (the .json) and u (the
 * .f32, little-endian float32, time-major: u[i·nx + j] = u(x_j, t_i)).
 */
export function loadGrid(name) {
  const meta = join(DATA_DIR, `${name}.json`), bin = join(DATA_DIR, `${name}.f32`);
  if (!existsSync(meta) || !existsSync(bin)) throw new Error(`reference data for '${name}' is missing: run node accuracy/data/generate.mjs`);
  const m = JSON.parse(readFileSync(meta, 'utf8'));
  const buf = readFileSync(bin);
  const u = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  if (u.length !== m.grid.x.length * m.grid.t.length) throw new Error(`${bin}: ${u.length} values for a ${m.grid.x.length} × ${m.grid.t.length} grid`);
  return { meta: m, x: m.grid.x, t: m.grid.t, u };
}

/**
 * Points (x, t) and values of a cached grid, every `sx`-th x and `st`-th t: evaluation points and
 * a reference given as data at exactly those points.
 */
export function gridSubset(g, sx, st, dtype = 'float64') {
  const rows = [], vals = [];
  for (let i = 0; i < g.t.length; i += st) for (let j = 0; j < g.x.length; j += sx) { rows.push(g.x[j], g.t[i]); vals.push(g.u[i * g.x.length + j]); }
  return { points: toT(Float64Array.from(rows), 2, dtype), values: tensor(Float64Array.from(vals), { shape: [vals.length, 1] }).to(dtype) };
}

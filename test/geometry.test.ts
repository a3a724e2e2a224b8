// Geometry and sampling: containment, outward normals, measures, sampler properties.
import { describe, expect, it } from 'vitest';
import { geometry as G, tidy } from '../src/index.js';

const rows = (a: Float64Array, d: number) => Array.from({ length: a.length / d }, (_, i) => Array.from(a.subarray(i * d, (i + 1) * d)));

function checkBoundary(g: G.Geometry, n = 400) {
  const { points, normals } = g.boundary(n, { seed: 1 });
  rows(points, g.dim).forEach((p, i) => {
    const nrm = rows(normals, g.dim)[i];
    expect(g.onBoundary(p), `point ${p} on boundary`).toBe(true);
    expect(Math.hypot(...nrm)).toBeCloseTo(1, 12);
    const eps = 1e-4;
    expect(g.inside(p.map((v, j) => v + eps * nrm[j])), `outside along +n at ${p}`).toBe(false);
    expect(g.inside(p.map((v, j) => v - eps * nrm[j])), `inside along −n at ${p}`).toBe(true);
  });
}

function monteCarloMeasure(g: G.Geometry, n = 40000) {
  const [lo, hi] = g.bbox;
  const box = lo.reduce((m, l, i) => m * (hi[i] - l), 1);
  const u = G.uniform(n, g.dim, new G.Random(5));
  let hits = 0;
  for (const p of rows(u, g.dim)) if (g.inside(p.map((v, j) => lo[j] + (hi[j] - lo[j]) * v))) hits++;
  return (box * hits) / n;
}

describe('shapes', () => {
  const rect = new G.Rectangle([0, 0], [2, 1]);
  const disk = new G.Disk([0.5, 0.5], 0.4);
  const tri = new G.Polygon([[0, 0], [1, 0], [0, 1]]);
  const cwSquare = new G.Polygon([[0, 0], [0, 1], [1, 1], [1, 0]]); // clockwise

  it('interior points are inside and not on the boundary', () => {
    for (const g of [rect, disk, tri, new G.Box([0, 0, 0], [1, 2, 3]), new G.Interval(-1, 1)]) {
      for (const p of rows(g.interior(300, { seed: 2, sampler: 'sobol' }), g.dim)) {
        expect(g.inside(p) && !g.onBoundary(p)).toBe(true);
      }
    }
  });
  it('boundary points lie on the boundary with unit outward normals', () => {
    for (const g of [rect, disk, tri, cwSquare, new G.Box([0, 0, 0], [1, 2, 3])]) checkBoundary(g);
  });
  it('Box boundary sampling is proportional to face measure', () => {
    const { normals } = new G.Rectangle([0, 0], [3, 1]).boundary(8000, { seed: 3 });
    const onVertical = rows(normals, 2).filter(([nx]) => nx !== 0).length / 8000;
    expect(onVertical).toBeCloseTo(2 / 8, 1); // faces x = 0, 3 have length 1 each out of perimeter 8
  });
  it('areas by Monte Carlo match closed forms (disk πr², polygon shoelace)', () => {
    expect(monteCarloMeasure(disk)).toBeCloseTo(Math.PI * 0.16, 2);
    expect(tri.measure).toBe(0.5);
    expect(monteCarloMeasure(tri)).toBeCloseTo(0.5, 1);
  });
  it('CSG: union, difference, intersection of a rectangle and a disk', () => {
    const a = new G.Rectangle([0, 0], [1, 1]), b = new G.Disk([1, 1], 0.5);
    const quarter = Math.PI * 0.25 / 4;
    expect(monteCarloMeasure(new G.Union(a, b))).toBeCloseTo(1 + Math.PI * 0.25 - quarter, 1);
    expect(monteCarloMeasure(new G.Difference(a, b))).toBeCloseTo(1 - quarter, 1);
    expect(monteCarloMeasure(new G.Intersection(a, b))).toBeCloseTo(quarter, 2);
    for (const g of [new G.Union(a, b), new G.Difference(a, b), new G.Intersection(a, b)]) checkBoundary(g, 300);
  });
  it('rejects bad definitions', () => {
    expect(() => new G.Rectangle([1, 0], [0, 1])).toThrow(/Rectangle: lower corner \[1, 0\] must be below upper corner \[0, 1\]/);
    expect(() => new G.Disk([0, 0], -1)).toThrow(/Disk: radius must be > 0/);
    expect(() => new G.Polygon([[0, 0], [1, 1]])).toThrow(/Polygon: needs at least 3 vertices/);
    expect(() => rect.interior(0)).toThrow(/number of points must be a positive integer, got 0/);
    expect(() => rect.interior(10, { sampler: 'random' as any })).toThrow(/unknown sampler 'random' \(known: uniform, lhs, sobol, halton, grid\)/);
    expect(() => new G.Union(rect, new G.Interval(0, 1))).toThrow(/Union: operands have dimensions 2 and 1/);
  });
});

describe('samplers', () => {
  it('Latin hypercube puts exactly one point in every stratum of every dimension', () => {
    const n = 50, d = 3, u = G.latinHypercube(n, d, new G.Random(9));
    for (let j = 0; j < d; j++) {
      const strata = new Set(rows(u, d).map((p) => Math.floor(p[j] * n)));
      expect(strata.size).toBe(n);
    }
  });
  it('unscrambled Sobol starts (0,0), (½,½), (¾,¼), (¼,¾) and its first 2^k points stratify every axis', () => {
    const u = rows(G.sobol(4, 2, null), 2);
    expect(u).toEqual([[0, 0], [0.5, 0.5], [0.75, 0.25], [0.25, 0.75]]);
    const d = G.SOBOL_MAX_DIM, pts = rows(G.sobol(64, d, null), d);
    for (let j = 0; j < d; j++) expect(new Set(pts.map((p) => Math.floor(p[j] * 64))).size).toBe(64);
  });
  it('scrambled sequences change with the seed, repeat with it, and integrate better than uniform', () => {
    const f = (p: number[]) => Math.exp(p[0]) * Math.cos(p[1]); // ∫₀¹∫₀¹ = (e − 1) sin 1
    const exact = (Math.E - 1) * Math.sin(1);
    const err = (pts: Float64Array) => Math.abs(rows(pts, 2).reduce((s, p) => s + f(p), 0) / (pts.length / 2) - exact);
    for (const name of ['sobol', 'halton'] as const) {
      const a = G.sample(name, 256, 2, new G.Random(1)), b = G.sample(name, 256, 2, new G.Random(2));
      expect(Array.from(a)).not.toEqual(Array.from(b)); // resampling really moves the points
      expect(Array.from(G.sample(name, 256, 2, new G.Random(1)))).toEqual(Array.from(a));
      let qmc = 0, mc = 0;
      for (let s = 0; s < 10; s++) { qmc += err(G.sample(name, 256, 2, new G.Random(s))); mc += err(G.uniform(256, 2, new G.Random(100 + s))); }
      expect(qmc).toBeLessThan(mc / 3);
    }
  });
  it('a generator resumes exactly from state()', () => {
    const r = new G.Random(42);
    r.next(); r.next();
    const saved = r.state();
    const a = [r.next(), r.nextUint32(), r.int(10)];
    const s = new G.Random(0);
    s.setState(saved);
    expect([s.next(), s.nextUint32(), s.int(10)]).toEqual(a);
    expect(() => s.setState([1, 2])).toThrow(/four unsigned 32-bit integers/);
  });
});

describe('space × time', () => {
  it('interior, boundary with spatial normals, and initial points at t0', () => {
    const gt = new G.GeometryXTime(new G.Interval(-1, 1), new G.TimeDomain(0, 0.99));
    for (const [x, t] of rows(gt.interior(200, { seed: 1 }), 2)) { expect(Math.abs(x)).toBeLessThan(1); expect(t).toBeGreaterThanOrEqual(0); expect(t).toBeLessThanOrEqual(0.99); }
    const b = gt.boundary(100, { seed: 2 });
    rows(b.points, 2).forEach(([x], i) => { expect(Math.abs(x)).toBe(1); expect(rows(b.normals, 2)[i]).toEqual([Math.sign(x), 0]); });
    expect(rows(gt.initial(50, { seed: 3 }), 2).every(([, t]) => t === 0)).toBe(true);
    const t = tidy(() => G.toTensor(gt.interior(10, { seed: 4 }), 2, { dtype: 'float64' }).shape);
    expect(t).toEqual([10, 2]);
  });
});

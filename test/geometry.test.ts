// Geometry and collocation sampling: generators, samplers, containment, outward normals,
// measures, CSG, space × time, tensors, and argument checking.
import { describe, expect, it } from 'vitest';
import { geometry as G, tidy } from '../src/index.js';

type Pt = number[];
const rows = (a: ArrayLike<number>, d: number): Pt[] => Array.from({ length: a.length / d }, (_, i) => Array.from(Array.prototype.slice.call(a, i * d, (i + 1) * d) as number[]));
const dist = (p: Pt, q: Pt) => Math.hypot(...p.map((v, j) => v - q[j]));

// Independent distance-to-boundary functions (not the library's).
const boxDistance = (p: Pt, lo: Pt, hi: Pt) => Math.min(...p.map((v, j) => Math.min(Math.abs(v - lo[j]), Math.abs(hi[j] - v))));
const inBox = (p: Pt, lo: Pt, hi: Pt, e = 1e-12) => p.every((v, j) => v >= lo[j] - e && v <= hi[j] + e);
function segmentDistance(p: Pt, a: Pt, b: Pt) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}
const polygonDistance = (p: Pt, v: Pt[]) => Math.min(...v.map((a, i) => segmentDistance(p, a, v[(i + 1) % v.length])));

/** Boundary points and normals: unit, outward (a step out leaves the domain, a step in stays), and equal to boundaryNormal(). */
function checkNormals(g: G.Geometry, s: Pick<G.BoundarySample, 'points' | 'normals'>, eps = 1e-6) {
  const pts = rows(s.points, g.dim), nrm = rows(s.normals, g.dim);
  expect(g.onBoundary(s.points).every(Boolean)).toBe(true);
  const out = pts.map((p, i) => p.map((v, j) => v + eps * nrm[i][j]));
  const inn = pts.map((p, i) => p.map((v, j) => v - eps * nrm[i][j]));
  expect(g.inside(out).filter(Boolean).length, 'points a step outside').toBe(0);
  expect(g.inside(inn).every(Boolean), 'points a step inside').toBe(true);
  for (const n of nrm) expect(Math.abs(Math.hypot(...n) - 1)).toBeLessThan(1e-12);
  const again = g.boundaryNormal(s.points);
  for (let i = 0; i < again.length; i++) expect(Math.abs(again[i] - s.normals[i])).toBeLessThan(1e-12);
}

/** Measure by Monte Carlo of inside() over the bounding box. */
function monteCarloMeasure(g: G.Geometry, n = 20000) {
  const [lo, hi] = g.bbox, d = g.dim;
  const box = lo.reduce((m, l, j) => m * (hi[j] - l), 1);
  const u = G.sobol(n, d, new G.Random(5));
  for (let i = 0; i < u.length; i++) u[i] = lo[i % d] + (hi[i % d] - lo[i % d]) * u[i];
  return (box * g.inside(u).filter(Boolean).length) / n;
}

describe('Random (xoshiro128**)', () => {
  it('matches the reference implementation from state [1, 2, 3, 4]', () => {
    const r = G.Random.fromState([1, 2, 3, 4]);
    expect(Array.from({ length: 10 }, () => r.nextUint32())).toEqual(
      [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804]);
  });
  it('same seed, same stream; different seeds, different streams; next() in [0, 1)', () => {
    const a = new G.Random(7), b = new G.Random(7), c = new G.Random(8);
    const xa = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 1000 }, () => c.next())).not.toEqual(xa);
    expect(xa.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(xa.reduce((s, x) => s + x, 0) / 1000 - 0.5)).toBeLessThan(0.04);
    expect(new G.Random(2 ** 40).state()).not.toEqual(new G.Random(0).state());
  });
  it('state() / setState() resume the exact stream', () => {
    const r = new G.Random(42);
    for (let i = 0; i < 5; i++) r.next();
    const saved = r.state(), copy = r.clone();
    const a = [r.next(), r.nextUint32(), r.int(10), ...G.uniform(3, 2, r)];
    const s = new G.Random(0);
    s.setState(saved);
    expect([s.next(), s.nextUint32(), s.int(10), ...G.uniform(3, 2, s)]).toEqual(a);
    expect([copy.next(), copy.nextUint32(), copy.int(10), ...G.uniform(3, 2, copy)]).toEqual(a);
    expect(() => s.setState([1, 2])).toThrow(/four unsigned 32-bit integers/);
    expect(() => s.setState([0, 0, 0, 0])).toThrow(/all-zero state/);
    expect(() => new G.Random(1.5)).toThrow(/Random: seed must be an integer, got number 1.5/);
  });
});

describe('samplers on [0, 1)^d', () => {
  const names = G.SAMPLERS;
  it('give n × d points in [0, 1)^d; a seed repeats them, another seed or a moved-on generator changes them', () => {
    for (const name of names) {
      const n = name === 'grid' ? 64 : 100;
      const a = G.sample(name, n, 3, 1);
      expect(a.length).toBe(n * 3);
      expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
      expect(Array.from(G.sample(name, n, 3, new G.Random(1)))).toEqual(Array.from(a));
      const rng = new G.Random(1), first = G.sample(name, n, 3, rng), second = G.sample(name, n, 3, rng);
      const other = G.sample(name, n, 3, 2);
      if (name === 'grid') { expect(Array.from(other)).toEqual(Array.from(a)); continue; } // deterministic by design
      expect(Array.from(first)).toEqual(Array.from(a));
      expect(Array.from(second), `${name}: resampling from the same generator`).not.toEqual(Array.from(first));
      expect(Array.from(other), `${name}: another seed`).not.toEqual(Array.from(a));
    }
  });
  it('Latin hypercube: exactly one point per stratum [k/n, (k+1)/n) in every dimension', () => {
    const n = 97, d = 4, u = rows(G.latinHypercube(n, d, 9), d);
    for (let j = 0; j < d; j++) expect(new Set(u.map((p) => Math.floor(p[j] * n))).size).toBe(n);
  });
  it('unscrambled Sobol: (0,0), (½,½), (¾,¼), (¼,¾), … and scipy\'s points in 21 dimensions', () => {
    expect(rows(G.sobol(8, 2, null), 2)).toEqual([[0, 0], [0.5, 0.5], [0.75, 0.25], [0.25, 0.75], [0.375, 0.375], [0.875, 0.875], [0.625, 0.125], [0.125, 0.625]]);
    expect(G.SOBOL_MAX_DIM).toBeGreaterThanOrEqual(10);
    // scipy.stats.qmc.Sobol(21, scramble=False).random(1024)[i] * 1024 (Joe–Kuo new-joe-kuo-6.21201)
    const at100 = [424, 264, 792, 744, 904, 760, 24, 488, 648, 712, 472, 696, 488, 872, 328, 504, 696, 760, 856, 344, 776];
    const at1000 = [225, 99, 531, 693, 287, 929, 47, 921, 513, 71, 87, 261, 165, 393, 147, 379, 737, 353, 1015, 743, 535];
    const u = rows(G.sobol(1001, 21, null), 21);
    expect(u[100].map((x) => x * 1024)).toEqual(at100);
    expect(u[1000].map((x) => x * 1024)).toEqual(at1000);
    expect(Array.from(G.sobol(1, 21, null, { skip: 1000 })).map((x) => x * 1024)).toEqual(at1000);
  });
  it('scrambled Sobol keeps the net structure: every elementary box of volume 2⁻ᵐ holds one of the first 2ᵐ points', () => {
    const m = 8, n = 2 ** m;
    for (const s of [0, 1, 2]) {
      const u = rows(G.sobol(n, 21, s), 21);
      for (let j = 0; j < 21; j++) expect(new Set(u.map((p) => Math.floor(p[j] * n))).size).toBe(n);
      for (let k = 0; k <= m; k++) expect(new Set(u.map((p) => `${Math.floor(p[0] * 2 ** k)},${Math.floor(p[1] * 2 ** (m - k))}`)).size).toBe(n);
    }
  });
  it('unscrambled Halton is the radical inverse in bases 2, 3, 5', () => {
    const want = [[0, 0, 0], [1 / 2, 1 / 3, 1 / 5], [1 / 4, 2 / 3, 2 / 5], [3 / 4, 1 / 9, 3 / 5], [1 / 8, 4 / 9, 4 / 5], [5 / 8, 7 / 9, 1 / 25]];
    const got = rows(G.halton(6, 3, null), 3);
    got.forEach((p, i) => p.forEach((x, j) => expect(Math.abs(x - want[i][j]), `point ${i}, coordinate ${j}`).toBeLessThan(1e-15)));
  });
  it('scrambled Sobol and Halton integrate a smooth function far better than uniform points', () => {
    const exact = (Math.E - 1) * Math.sin(1); // ∫₀¹∫₀¹ eˣ cos y
    const err = (u: Float64Array) => Math.abs(rows(u, 2).reduce((s, [x, y]) => s + Math.exp(x) * Math.cos(y), 0) / (u.length / 2) - exact);
    const mean = (name: G.SamplerName) => Array.from({ length: 16 }, (_, s) => err(G.sample(name, 256, 2, 100 + s))).reduce((a, b) => a + b) / 16;
    const mc = mean('uniform');
    expect(mean('sobol')).toBeLessThan(mc / 20);
    expect(mean('halton')).toBeLessThan(mc / 5);
  });
  it('grid: cell centres of a k^d grid; other counts and unknown names are refused', () => {
    expect(rows(G.grid(4, 2), 2)).toEqual([[0.25, 0.25], [0.25, 0.75], [0.75, 0.25], [0.75, 0.75]]);
    expect(() => G.grid(10, 2)).toThrow(/grid: n must be k\^2 for an integer k, to form a regular grid in 2 dimensions \(e.g. 9 or 16\), got 10/);
    expect(() => G.sample('random' as G.SamplerName, 4, 2, 0)).toThrow(/sample: sampler must be 'uniform' or 'lhs' or 'sobol' or 'halton' or 'grid', got "random"/);
    expect(() => G.sobol(4, 22, 0)).toThrow(/sobol: d must be at most 21 \(dimensions supported\), got 22/);
    expect(() => G.uniform(0, 2, 0)).toThrow(/uniform: n must be a positive integer, got 0/);
    expect(() => G.uniform(2.5, 2, 0)).toThrow(/uniform: n must be a positive integer, got 2.5/);
  });
});

describe('shapes', () => {
  const rect = new G.Rectangle([0, 0], [2, 1]);
  const disk = new G.Disk([0.5, 0.5], 0.4);
  const L = [[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2]] as [number, number][]; // L-shape, area 3, reflex vertex (1, 1)
  const lShape = new G.Polygon(L), lShapeCW = new G.Polygon([...L].reverse());
  const box3 = new G.Box([0, 0, 0], [1, 2, 3]);

  it('inside / onBoundary for points given flat or as arrays', () => {
    expect(rect.inside([[1, 0.5], [2, 1], [2.1, 0.5], [-1e-6, 0.5]])).toEqual([true, true, false, false]);
    expect(rect.onBoundary(new Float64Array([1, 0.5, 2, 0.3, 0, 0]))).toEqual([false, true, true]);
    expect(disk.inside([[0.5, 0.9], [0.5, 0.91], [0.3, 0.3], [0.2, 0.2]])).toEqual([true, false, true, false]);
    expect(lShape.inside([[0.5, 1.5], [1.5, 1.5], [1.5, 0.5], [1, 1.5]])).toEqual([true, false, true, true]);
    expect(lShapeCW.inside([[0.5, 1.5], [1.5, 1.5], [1.5, 0.5]])).toEqual([true, false, true]);
    expect(box3.onBoundary([[0.5, 1, 3], [0.5, 1, 1.5]])).toEqual([true, false]);
  });
  it('interior points are strictly inside, for every random sampler', () => {
    for (const g of [rect, disk, lShape, box3, new G.Interval(-1, 1)]) {
      for (const sampler of ['uniform', 'lhs', 'sobol', 'halton'] as const) {
        const x = g.samplePoints(200, { seed: 2, sampler });
        expect(x.length).toBe(200 * g.dim);
        expect(g.inside(x).every(Boolean) && !g.onBoundary(x).some(Boolean), `${g.constructor.name} ${sampler}`).toBe(true);
      }
    }
    expect(lShape.samplePoints(300, { seed: 1 }).length).toBe(600);
    const outsideL = rows(lShape.samplePoints(500, { seed: 3, sampler: 'sobol' }), 2).filter(([x, y]) => x > 1 && y > 1);
    expect(outsideL).toEqual([]);
  });
  it('boundary points lie on the boundary (within 1e-12) with unit outward normals', () => {
    for (const sampler of ['uniform', 'sobol'] as const) {
      const r = rect.sampleBoundary(300, { seed: 1, sampler });
      for (const p of rows(r.points, 2)) expect(inBox(p, [0, 0], [2, 1]) && boxDistance(p, [0, 0], [2, 1]) < 1e-12).toBe(true);
      checkNormals(rect, r);
      const c = disk.sampleBoundary(300, { seed: 1, sampler });
      for (const p of rows(c.points, 2)) expect(Math.abs(dist(p, [0.5, 0.5]) - 0.4)).toBeLessThan(1e-12);
      checkNormals(disk, c);
      for (const poly of [lShape, lShapeCW]) {
        const s = poly.sampleBoundary(300, { seed: 1, sampler });
        for (const p of rows(s.points, 2)) expect(polygonDistance(p, L)).toBeLessThan(1e-12);
        checkNormals(poly, s);
      }
      const b = box3.sampleBoundary(300, { seed: 1, sampler });
      for (const p of rows(b.points, 3)) expect(inBox(p, [0, 0, 0], [1, 2, 3]) && boxDistance(p, [0, 0, 0], [1, 2, 3]) < 1e-12).toBe(true);
      checkNormals(box3, b);
    }
    const ends = new G.Interval(-1, 3).sampleBoundary(100, { seed: 4 });
    expect(rows(ends.points, 1).every(([x], i) => (x === -1 && ends.normals[i] === -1) || (x === 3 && ends.normals[i] === 1))).toBe(true);
    expect(Array.from(ends.points).filter((x) => x === 3).length).toBeGreaterThan(30);
  });
  it('normals at corners and vertices: the normalised sum of the faces\' normals', () => {
    const h = Math.SQRT1_2;
    const corners = Array.from(rect.boundaryNormal([[0, 0], [2, 1], [1, 0]]));
    [-h, -h, h, h, 0, -1].forEach((v, i) => expect(corners[i]).toBeCloseTo(v, 15));
    const v = [lShape.boundaryNormal([[1, 1]]), lShapeCW.boundaryNormal([[1, 1]])].map((a) => Array.from(a));
    for (const n of v) { expect(n[0]).toBeCloseTo(h, 12); expect(n[1]).toBeCloseTo(h, 12); } // reflex vertex: outward is into the notch
    checkNormals(lShape, { points: new Float64Array([1, 1, 0, 0, 2, 1]), normals: lShape.boundaryNormal([[1, 1], [0, 0], [2, 1]]) });
    expect(() => rect.boundaryNormal([[1, 0.5]])).toThrow(/Rectangle.boundaryNormal: point 0 \(1, 0.5\) is not on the boundary/);
  });
  it('Box boundary points fall on faces in proportion to face measure', () => {
    // faces of [0,1]×[0,2]×[0,3]: x = const 6 each, y = const 3, z = const 2; total 22
    for (const [sampler, tol] of [['sobol', 0.005], ['uniform', 0.03]] as const) {
      const { normals } = box3.sampleBoundary(4096, { seed: 3, sampler });
      const share = [0, 1, 2].map((axis) => rows(normals, 3).filter((n) => Math.abs(n[axis]) === 1).length / 4096);
      expect(Math.abs(share[0] - 12 / 22)).toBeLessThan(tol);
      expect(Math.abs(share[1] - 6 / 22)).toBeLessThan(tol);
      expect(Math.abs(share[2] - 4 / 22)).toBeLessThan(tol);
    }
    // a 3 × 1 rectangle: the sides x = 0 and x = 3 are 2 of the perimeter's 8
    const { normals } = new G.Rectangle([0, 0], [3, 1]).sampleBoundary(8000, { seed: 3 });
    expect(Math.abs(rows(normals, 2).filter(([nx]) => nx !== 0).length / 8000 - 0.25)).toBeLessThan(0.015);
  });
  it("'grid' spaces boundary points evenly along the perimeter", () => {
    const { points } = new G.Rectangle([0, 0], [3, 1]).sampleBoundary(16, { sampler: 'grid' });
    const p = rows(points, 2);
    expect(p[0]).toEqual([0.25, 0]);
    expect(p.filter(([, y]) => y === 0).map(([x]) => x)).toEqual([0.25, 0.75, 1.25, 1.75, 2.25, 2.75]);
    expect(() => box3.sampleBoundary(16, { sampler: 'grid' })).toThrow(/'grid' sampler spaces points evenly only along one-parameter boundaries/);
  });
  it('areas by Monte Carlo of inside() match the closed forms (πr², shoelace)', () => {
    expect(disk.measure).toBeCloseTo(Math.PI * 0.16, 14);
    expect(Math.abs(monteCarloMeasure(disk) - Math.PI * 0.16)).toBeLessThan(0.003);
    expect(lShape.measure).toBe(3);
    expect(lShapeCW.measure).toBe(3);
    expect(Math.abs(monteCarloMeasure(lShape) - 3)).toBeLessThan(0.01);
    const tri = new G.Polygon([[0, 0], [4, 1], [1, 3]]); // shoelace: ½|4·3 − 1·1| = 5.5
    expect(tri.measure).toBe(5.5);
    expect(Math.abs(monteCarloMeasure(tri) - 5.5)).toBeLessThan(0.03);
  });
  it('uniformPoints: a regular grid of at least n points inside', () => {
    const g = rows(new G.Rectangle([0, 0], [2, 1]).uniformPoints(200), 2);
    expect(g.length).toBe(200); // 20 × 10 cells of side 0.1
    expect(new Set(g.map(([x]) => x.toFixed(9))).size).toBe(20);
    expect(g[0][0]).toBeCloseTo(0.05, 12);
    const d = disk.uniformPoints(500);
    expect(d.length / 2).toBeGreaterThanOrEqual(500);
    expect(d.length / 2).toBeLessThan(650);
    expect(disk.inside(d).every(Boolean)).toBe(true);
  });
});

describe('CSG', () => {
  const a = new G.Rectangle([0, 0], [1, 1]), b = new G.Disk([1, 1], 0.5);
  const quarter = (Math.PI * 0.25) / 4;
  const union = new G.Union(a, b), diff = new G.Difference(a, b), inter = new G.Intersection(a, b);

  it('areas by Monte Carlo: union, difference, intersection of a square and a disk', () => {
    expect(Math.abs(monteCarloMeasure(union) - (1 + Math.PI * 0.25 - quarter))).toBeLessThan(0.01);
    expect(Math.abs(monteCarloMeasure(diff) - (1 - quarter))).toBeLessThan(0.01);
    expect(Math.abs(monteCarloMeasure(inter) - quarter)).toBeLessThan(0.005);
    expect(union.inside([[1.4, 1], [0.2, 0.2], [1.5, 0.1]])).toEqual([true, true, false]);
    expect(diff.inside([[0.9, 0.9], [0.2, 0.2]])).toEqual([false, true]);
  });
  it('boundary points lie on the result\'s boundary with outward normals (flipped for the subtracted disk)', () => {
    const onSquare = (p: Pt) => inBox(p, [0, 0], [1, 1]) && boxDistance(p, [0, 0], [1, 1]) < 1e-12;
    const onCircle = (p: Pt) => Math.abs(dist(p, [1, 1]) - 0.5) < 1e-12;
    for (const [g, ok] of [
      [union, (p: Pt) => (onSquare(p) && dist(p, [1, 1]) >= 0.5 - 1e-12) || (onCircle(p) && !inBox(p, [0, 0], [1, 1], -1e-12))],
      [diff, (p: Pt) => (onSquare(p) && dist(p, [1, 1]) >= 0.5 - 1e-12) || (onCircle(p) && inBox(p, [0, 0], [1, 1]))],
      [inter, (p: Pt) => (onSquare(p) && dist(p, [1, 1]) <= 0.5 + 1e-12) || (onCircle(p) && inBox(p, [0, 0], [1, 1]))],
    ] as const) {
      const s = g.sampleBoundary(400, { seed: 1, sampler: 'sobol' });
      expect(rows(s.points, 2).every(ok)).toBe(true);
      checkNormals(g, s);
    }
    const s = diff.sampleBoundary(200, { seed: 2 });
    const onArc = rows(s.points, 2).map((p, i) => [p, rows(s.normals, 2)[i]]).filter(([p]) => onCircle(p));
    expect(onArc.length).toBeGreaterThan(20);
    for (const [p, n] of onArc) expect((n[0] * (1 - p[0]) + n[1] * (1 - p[1])) / 0.5).toBeCloseTo(1, 12); // towards the disk's centre
  });
  it('boundary points are uniform in arc length across the operands', () => {
    // ∂(square ∪ disk): 3 of the square's perimeter, ¾ of the circle (0.75π ≈ 2.356)
    const { points } = union.sampleBoundary(4000, { seed: 5, sampler: 'sobol' });
    const onArc = rows(points, 2).filter((p) => Math.abs(dist(p, [1, 1]) - 0.5) < 1e-12).length / 4000;
    expect(Math.abs(onArc - (0.75 * Math.PI) / (3 + 0.75 * Math.PI))).toBeLessThan(0.01);
  });
  it('a shared edge inside a union is not boundary', () => {
    const two = new G.Union(new G.Rectangle([0, 0], [1, 1]), new G.Rectangle([1, 0], [2, 1]));
    expect(two.onBoundary([[1, 0.5], [1, 1], [2, 0.5]])).toEqual([false, true, true]);
    const s = two.sampleBoundary(600, { seed: 1 });
    expect(rows(s.points, 2).filter(([x, y]) => x === 1 && y > 0 && y < 1)).toEqual([]);
    checkNormals(two, s);
    const top = rows(s.points, 2).filter(([, y]) => y === 1).length / 600; // top edge: 2 of the perimeter's 6
    expect(Math.abs(top - 1 / 3)).toBeLessThan(0.06);
  });
  it('nests: a square with two holes', () => {
    const g = new G.Difference(new G.Difference(new G.Rectangle([0, 0], [4, 2]), new G.Disk([1, 1], 0.5)), new G.Disk([3, 1], 0.5));
    expect(Math.abs(monteCarloMeasure(g) - (8 - 0.5 * Math.PI))).toBeLessThan(0.02);
    const x = g.samplePoints(300, { seed: 1, sampler: 'halton' });
    expect(rows(x, 2).every((p) => dist(p, [1, 1]) > 0.5 && dist(p, [3, 1]) > 0.5)).toBe(true);
    checkNormals(g, g.sampleBoundary(300, { seed: 2 }));
  });
});

describe('space × time', () => {
  const line = new G.GeometryXTime(new G.Interval(-1, 1), new G.TimeDomain(0, 2));

  it('interior (x, t) is sampled jointly: 256 Sobol points fill every cell of a 16 × 16 grid', () => {
    const p = rows(line.samplePoints(256, { seed: 1, sampler: 'sobol' }), 2);
    expect(p.every(([x, t]) => x >= -1 && x <= 1 && t >= 0 && t <= 2)).toBe(true);
    expect(new Set(p.map(([x, t]) => `${Math.floor((x + 1) * 8)},${Math.floor(t * 8)}`)).size).toBe(256);
  });
  it('boundary points are on ∂Ω × [t0, t1] with spatial normals, and times spread on every face', () => {
    const g = new G.GeometryXTime(new G.Rectangle([0, 0], [1, 1]), new G.TimeDomain(0, 1));
    const s = g.sampleBoundary(1024, { seed: 2, sampler: 'sobol' });
    const p = rows(s.points, 3), n = rows(s.normals, 3);
    expect(p.every((q) => boxDistance(q.slice(0, 2), [0, 0], [1, 1]) < 1e-12)).toBe(true);
    expect(n.every((v) => v[2] === 0 && Math.abs(Math.hypot(...v) - 1) < 1e-12)).toBe(true);
    checkNormals(g, s);
    for (const face of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
      const times = p.filter((_, i) => n[i][0] === face[0] && n[i][1] === face[1]).map((q) => q[2]);
      expect(times.length).toBeGreaterThan(200);
      for (let k = 0; k < 4; k++) {
        const share = times.filter((t) => t >= k / 4 && t < (k + 1) / 4).length / times.length;
        expect(Math.abs(share - 0.25), `face ${face}, t in quarter ${k}`).toBeLessThan(0.05);
      }
    }
  });
  it('initial points sit at t = t0 with x strictly inside; a disk × time samples by rejection', () => {
    const disk = new G.Disk([0, 0], 1), g = new G.GeometryXTime(disk, new G.TimeDomain(0.5, 1.5));
    const init = rows(g.initialPoints(100, { seed: 3 }), 3);
    expect(init.every((q) => q[2] === 0.5 && Math.hypot(q[0], q[1]) < 1)).toBe(true);
    const x = rows(g.samplePoints(300, { seed: 4, sampler: 'halton' }), 3);
    expect(x.every((q) => Math.hypot(q[0], q[1]) < 1 && q[2] >= 0.5 && q[2] <= 1.5)).toBe(true);
    expect(g.measure).toBeCloseTo(Math.PI, 14);
    expect(line.initial(5, { seed: 1 }).filter((_, i) => i % 2 === 1).every((t) => t === 0)).toBe(true);
  });
});

describe('reproducibility, tensors and bad input', () => {
  it('the same seed gives the same points; without a seed the shared generator moves on', () => {
    const disk = new G.Disk([0, 0], 1);
    for (const sampler of G.SAMPLERS.filter((s) => s !== 'grid')) {
      expect(Array.from(disk.samplePoints(50, { seed: 11, sampler }))).toEqual(Array.from(disk.samplePoints(50, { seed: 11, sampler })));
      expect(Array.from(disk.sampleBoundary(50, { seed: 11, sampler }).points)).toEqual(Array.from(disk.sampleBoundary(50, { seed: 11, sampler }).points));
    }
    G.seed(3);
    const a = disk.samplePoints(20), b = disk.samplePoints(20);
    expect(Array.from(b)).not.toEqual(Array.from(a));
    G.seed(3);
    expect(Array.from(disk.samplePoints(20))).toEqual(Array.from(a));
    const rng = new G.Random(8), saved = rng.state();
    const first = disk.samplePoints(40, { rng, sampler: 'sobol' });
    rng.setState(saved);
    expect(Array.from(disk.samplePoints(40, { rng, sampler: 'sobol' }))).toEqual(Array.from(first));
  });
  it('toTensor: [n, dim] float32 by default, float64 exact, optionally requiring grad', () => {
    const pts = new G.Rectangle([0, 0], [1, 1]).samplePoints(10, { seed: 4 });
    tidy(() => {
      const t32 = G.toTensor(pts, 2);
      expect([t32.shape, t32.dtype]).toEqual([[10, 2], 'float32']);
      expect(Array.from(t32.data())).toEqual(Array.from(Float32Array.from(pts)));
      const t64 = G.toTensor(pts, 2, { dtype: 'float64', requiresGrad: true });
      expect(Array.from(t64.data())).toEqual(Array.from(pts));
      expect(t64.requiresGrad).toBe(true);
    });
    expect(() => G.toTensor(new Float64Array(5), 2)).toThrow(/toTensor: points must be whole points of 2 coordinates \(a length divisible by 2\), got a Float64Array of 5/);
  });
  it('rejects bad definitions and arguments with clear errors', () => {
    const rect = new G.Rectangle([0, 0], [1, 1]);
    expect(() => new G.Rectangle([1, 0], [0, 1])).toThrow('Rectangle: lower corner [1, 0] must be below upper corner [0, 1] in every coordinate');
    expect(() => new G.Box([0, 0], [1, 1, 1])).toThrow(/Box: hi must be an array of 2 finite numbers, got \[1, 1, 1\]/);
    expect(() => new G.Interval(1, 1)).toThrow(/Interval: need a < b, got a = 1, b = 1/);
    expect(() => new G.TimeDomain(1, 0)).toThrow(/TimeDomain: need t0 < t1, got t0 = 1, t1 = 0/);
    expect(() => new G.Disk([0, 0], -1)).toThrow(/Disk: radius must be a positive number, got -1/);
    expect(() => new G.Polygon([[0, 0], [1, 1]])).toThrow(/Polygon: vertices must be an array of at least 3 points, got \[\[0, 0\], \[1, 1\]\]/);
    expect(() => new G.Polygon([[0, 0], [1, 1], [1, 0], [0, 1]])).toThrow(/Polygon: edges 0 and 2 cross/);
    expect(() => new G.Polygon([[0, 0], [1, 0], [1, 0], [0, 1]])).toThrow(/Polygon: vertices 1 and 2 coincide/);
    expect(() => new G.Polygon([[0, 0], [1, 0], [2, 0]])).toThrow(/Polygon: edges 1 and 2 overlap/);
    expect(() => rect.samplePoints(0)).toThrow(/Rectangle.samplePoints: n must be a positive integer, got 0/);
    expect(() => rect.sampleBoundary(-3)).toThrow(/Rectangle.sampleBoundary: n must be a positive integer, got -3/);
    expect(() => rect.samplePoints(10, { sampler: 'random' as G.SamplerName })).toThrow(/Rectangle.samplePoints: sampler must be 'uniform' or 'lhs' or 'sobol' or 'halton' or 'grid', got "random"/);
    expect(() => rect.samplePoints(10, { sampler: 'grid' })).toThrow(/grid: n must be k\^2 for an integer k, to form a regular grid in 2 dimensions/);
    expect(() => new G.Disk([0, 0], 1).samplePoints(9, { sampler: 'grid' })).toThrow(/use uniformPoints\(n\)/);
    expect(() => rect.samplePoints(10, { seed: 1, rng: new G.Random(1) })).toThrow(/pass either seed or rng, not both/);
    expect(() => new G.Union(rect, new G.Interval(0, 1))).toThrow(/Union: operands have dimensions 2 and 1/);
    expect(() => new G.Intersection(rect, new G.Disk([5, 5], 1))).toThrow(/Intersection: the operands' bounding boxes do not overlap/);
    expect(() => new G.Intersection(rect, new G.Disk([1.5, 1.5], 0.6)).samplePoints(10)).toThrow(/found only 0 of 10 points/);
    expect(() => rect.inside([[0, 0, 0]])).toThrow(/Rectangle.inside: points\[0\] must be a point of 2 coordinates, got \[0, 0, 0\]/);
    // The shared argument checks (src/checks.ts): unknown keys, a non-object, fractional seeds, NaN and ±Inf are refused by name.
    expect(() => rect.samplePoints(3, { sed: 1 } as never)).toThrow("Rectangle.samplePoints: unknown option 'sed'; did you mean 'seed'?");
    expect(() => rect.sampleBoundary(3, null as never)).toThrow('Rectangle.sampleBoundary: options must be an object, got null');
    expect(() => rect.samplePoints(3, { seed: 1.5 })).toThrow('Rectangle.samplePoints: seed must be an integer, got number 1.5');
    expect(() => rect.inside([[0, NaN]])).toThrow('Rectangle.inside: points (point 0, coordinate 1) must be a finite number, got NaN');
    expect(() => new G.Disk([0, 0], Infinity)).toThrow('Disk: radius must be a positive number, got Infinity');
    expect(() => new G.Interval(0, NaN)).toThrow('Interval: b must be a finite number, got number NaN');
    expect(() => new G.GeometryXTime(rect, 3 as never)).toThrow('GeometryXTime: time must be a TimeDomain, got number 3');
    expect(() => new G.Union(rect, rect, { nams: ['a'] } as never)).toThrow("Union: unknown option 'nams'; did you mean 'names'?");
    expect(() => G.toTensor([[1, 2]], 2, { requiresGrad: 1 as never })).toThrow('toTensor: requiresGrad must be a boolean, got number 1');
    expect(() => G.sobol(4, 2, 0, { skip: 0.5 })).toThrow('sobol: skip must be a non-negative integer, got 0.5');
  });
});

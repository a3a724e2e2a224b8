// n-ary CSG and named boundary parts: a rectangle minus 19 disks, in space and space × time,
// sampled with Halton and Sobol; `parts` per boundary point and `where` to sample some parts only.
import { describe, expect, it } from 'vitest';
import { geometry as G } from '../src/index.js';

type Pt = number[];
const rows = (a: ArrayLike<number>, d: number): Pt[] => Array.from({ length: a.length / d }, (_, i) => Array.from(Array.prototype.slice.call(a, i * d, (i + 1) * d) as number[]));

// 19 disjoint disks of radii 0.1 … 0.3 on a 5 × 4 grid (one cell left empty) inside [0, 4] × [0, 3].
const W = 4, H = 3;
const disks = Array.from({ length: 19 }, (_, k) => {
  const cell = k < 7 ? k : k + 1;
  return { c: [0.4 + 0.8 * (cell % 5), 0.375 + 0.75 * Math.floor(cell / 5)], r: 0.1 + (0.2 * ((7 * k) % 19)) / 18 };
});
const rect = new G.Rectangle([0, 0], [W, H]);
const holes = disks.map(({ c, r }) => new G.Disk([c[0], c[1]], r));
const perimeter = 2 * (W + H), circumferences = disks.map(({ r }) => 2 * Math.PI * r);
const total = perimeter + circumferences.reduce((a, b) => a + b);

const onRect = (p: Pt) => Math.min(Math.abs(p[0]), Math.abs(p[0] - W), Math.abs(p[1]), Math.abs(p[1] - H)) < 1e-12 && p[0] >= 0 && p[0] <= W && p[1] >= 0 && p[1] <= H;
/** Index of the circle p lies on (within 1e-12), or −1. */
const circleOf = (p: Pt) => disks.findIndex(({ c, r }) => Math.abs(Math.hypot(p[0] - c[0], p[1] - c[1]) - r) < 1e-12);

describe('n-ary CSG: a rectangle minus 19 disks', () => {
  const diff = new G.Difference(rect, ...holes);

  it('has 1 + max(operand parameters) boundary parameters however many operands, and the closed-form inside()', () => {
    expect(diff.operands.length).toBe(20);
    expect(diff.boundaryParams).toBe(2);
    expect(new G.GeometryXTime(diff, new G.TimeDomain(0, 1)).boundaryParams).toBe(3);
    expect(new G.Union(new G.Box([0, 0, 0], [1, 1, 1]), new G.Box([1, 0, 0], [2, 1, 1]), new G.Box([2, 0, 0], [3, 1, 1])).boundaryParams).toBe(4);
    const probes = [[0.4, 0.375], [0.4 + disks[0].r + 0.01, 0.375], [2.4, 2.9], [2, 1.125]]; // in disk 0, beside it, free, in the empty cell
    expect(diff.inside(probes)).toEqual([false, true, true, true]);
    const x = rows(diff.samplePoints(500, { seed: 1, sampler: 'halton' }), 2);
    expect(x.every((p) => disks.every(({ c, r }) => Math.hypot(p[0] - c[0], p[1] - c[1]) > r))).toBe(true);
  });

  for (const sampler of ['halton', 'sobol'] as const) {
    for (const spaceTime of [false, true]) {
      it(`${sampler}${spaceTime ? ', space × time' : ''}: points on the boundary, outward unit normals n = −(x − c)/r on the circles, counts ∝ circumference`, () => {
        const g = spaceTime ? new G.GeometryXTime(diff, new G.TimeDomain(0, 2)) : diff, d = g.dim, n = 4096;
        const s = g.boundary(n, { sampler, seed: 3 });
        const pts = rows(s.points, d), nrm = rows(s.normals, d);
        expect(pts.length).toBe(n);
        expect(g.onBoundary(s.points).every(Boolean)).toBe(true);
        const counts = new Array<number>(19).fill(0);
        let onEdges = 0;
        pts.forEach((p, i) => {
          const m = nrm[i];
          expect(Math.abs(Math.hypot(...m) - 1)).toBeLessThan(1e-12);
          if (spaceTime) { expect(m[2]).toBe(0); expect(p[2] >= 0 && p[2] <= 2).toBe(true); }
          const k = circleOf(p);
          if (k >= 0) {
            counts[k]++;
            const { c, r } = disks[k];
            expect(Math.abs(m[0] + (p[0] - c[0]) / r) + Math.abs(m[1] + (p[1] - c[1]) / r)).toBeLessThan(1e-12);
          } else {
            expect(onRect(p)).toBe(true);
            onEdges++;
            // outward on the rectangle: a step along n leaves [0, W] × [0, H]
            const q = [p[0] + 1e-6 * m[0], p[1] + 1e-6 * m[1]];
            expect(q[0] < 0 || q[0] > W || q[1] < 0 || q[1] > H).toBe(true);
          }
        });
        // A binomial count's standard deviation is below √expected: 3σ + 1.
        circumferences.forEach((len, k) => {
          const expected = (n * len) / total;
          expect(Math.abs(counts[k] - expected), `circle ${k}: ${counts[k]} points, expected ${expected.toFixed(1)}`).toBeLessThan(3 * Math.sqrt(expected) + 1);
        });
        expect(Math.abs(onEdges - (n * perimeter) / total)).toBeLessThan(3 * Math.sqrt((n * perimeter) / total) + 1);
      });
    }
  }

  it('equals the nested two-operand differences', () => {
    const nested = holes.reduce<G.Geometry>((acc, h) => new G.Difference(acc, h), rect);
    const u = G.sobol(2000, 2, new G.Random(4)).map((v, i) => (i % 2 === 0 ? v * W : v * H));
    expect(diff.inside(u)).toEqual(nested.inside(u));
    const b = diff.boundary(300, { seed: 1 }).points;
    expect(nested.onBoundary(b).every(Boolean)).toBe(true);
    expect(Array.from(nested.boundaryNormal(b))).toEqual(Array.from(diff.boundaryNormal(b)));
  });

  it('three-operand union and intersection: shared boundaries and the result decide as for two', () => {
    const row = new G.Union(new G.Rectangle([0, 0], [1, 1]), new G.Rectangle([1, 0], [2, 1]), new G.Rectangle([2, 0], [3, 1]));
    expect(row.onBoundary([[1, 0.5], [2, 0.5], [3, 0.5], [1.5, 1]])).toEqual([false, false, true, true]);
    const s = row.boundary(800, { seed: 2, sampler: 'sobol' });
    expect(rows(s.points, 2).filter(([x, y]) => (x === 1 || x === 2) && y > 0 && y < 1)).toEqual([]);
    expect(Math.abs(rows(s.points, 2).filter(([, y]) => y === 1).length / 800 - 3 / 8)).toBeLessThan(0.02); // top: 3 of the perimeter's 8
    // three unit disks around the origin: their common lens-shaped core
    const core = new G.Intersection(...[0, 1, 2].map((k) => new G.Disk([0.5 * Math.cos((2 * Math.PI * k) / 3), 0.5 * Math.sin((2 * Math.PI * k) / 3)], 1)));
    const b = rows(core.boundary(600, { seed: 1, sampler: 'halton' }).points, 2);
    for (const p of b) {
      const ds = [0, 1, 2].map((k) => Math.hypot(p[0] - 0.5 * Math.cos((2 * Math.PI * k) / 3), p[1] - 0.5 * Math.sin((2 * Math.PI * k) / 3)));
      expect(Math.min(...ds.map((v) => Math.abs(v - 1)))).toBeLessThan(1e-12); // on one circle
      expect(Math.max(...ds)).toBeLessThanOrEqual(1 + 1e-12); // inside all three
    }
  });

  it('rejects bad operands and names', () => {
    expect(() => new G.Union(rect)).toThrow('Union: operands must be at least 2 geometries, got 1');
    expect(() => new G.Difference(rect, holes[0], 3 as unknown as G.Geometry)).toThrow('Difference: operand 2 must be a Geometry, got number 3');
    expect(() => new G.Intersection(rect, holes[0], new G.Interval(0, 1))).toThrow('Intersection: operands have dimensions 2 and 1');
    expect(() => new G.Union(rect, holes[0], { names: ['a'] })).toThrow(/Union: names must be an array of 2 non-empty strings, got \["a"\]/);
    expect(() => new G.Union(rect, holes[0], holes[1], { names: ['a', 'b', 'b'] })).toThrow("Union: names give two boundary parts the name 'b.circle'");
  });
});

describe('boundary parts', () => {
  it('each shape names its parts; sampled points say which part they are on', () => {
    expect(new G.Interval(0, 1).boundaryParts).toEqual(['left', 'right']);
    expect(new G.Rectangle([0, 0], [1, 1]).boundaryParts).toEqual(['left', 'right', 'bottom', 'top']);
    expect(new G.Box([0, 0, 0], [1, 1, 1]).boundaryParts).toEqual(['lo0', 'hi0', 'lo1', 'hi1', 'lo2', 'hi2']);
    expect(new G.Disk([0, 0], 1).boundaryParts).toEqual(['circle']);
    expect(new G.Polygon([[0, 0], [1, 0], [0, 1]]).boundaryParts).toEqual(['edge0', 'edge1', 'edge2']);
    expect(new G.Difference(new G.Interval(0, 3), new G.Interval(1, 2)).boundaryParts).toEqual(['0.left', '0.right', '1.left', '1.right']);
    const st = new G.GeometryXTime(new G.Disk([0, 0], 1), new G.TimeDomain(0, 1));
    expect(st.boundaryParts).toEqual(['circle']);

    const r = new G.Rectangle([1, 2], [4, 3]), s = r.boundary(400, { seed: 1, sampler: 'sobol' });
    const onPart = [(p: Pt) => p[0] === 1, (p: Pt) => p[0] === 4, (p: Pt) => p[1] === 2, (p: Pt) => p[1] === 3];
    rows(s.points, 2).forEach((p, i) => expect(onPart[s.parts[i]](p), `point ${p} part ${s.parts[i]}`).toBe(true));
    const b = new G.Box([0, 0, 0], [1, 2, 3]), sb = b.boundary(300, { seed: 2 });
    rows(sb.points, 3).forEach((p, i) => {
      const f = sb.parts[i], j = f >> 1;
      expect(p[j]).toBe(f & 1 ? b.hi[j] : b.lo[j]);
    });
    const poly = new G.Polygon([[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2]]), sp = poly.boundary(300, { seed: 3, sampler: 'halton' });
    rows(sp.points, 2).forEach((p, i) => {
      const a = poly.vertices[sp.parts[i]], c = poly.vertices[(sp.parts[i] + 1) % 6];
      expect(Math.abs((c[0] - a[0]) * (p[1] - a[1]) - (c[1] - a[1]) * (p[0] - a[0]))).toBeLessThan(1e-12); // on edge i's line
    });
  });

  it("where: only the top edge gives y = y₁; two edges share the points ∝ their lengths; 'grid' works too", () => {
    const r = new G.Rectangle([1, 2], [4, 3]);
    for (const sampler of ['uniform', 'sobol', 'halton', 'grid'] as const) {
      const s = r.boundary(64, { sampler, seed: 5, where: 'top' });
      expect(rows(s.points, 2).every(([x, y]) => y === 3 && x >= 1 && x <= 4)).toBe(true);
      expect(Array.from(s.parts).every((k) => k === 3)).toBe(true);
      expect(rows(s.normals, 2).every(([nx, ny]) => (nx === 0 && ny === 1) || (x0OrX1(nx) && ny > 0))).toBe(true);
    }
    const g = rows(r.boundary(6, { sampler: 'grid', where: 'top' }).points, 2).map(([x]) => x);
    expect(g).toEqual([3.75, 3.25, 2.75, 2.25, 1.75, 1.25]); // evenly spaced, walked counter-clockwise (right to left)
    const s = r.boundary(3000, { seed: 1, sampler: 'sobol', where: ['left', 'bottom'] }); // lengths 1 and 3
    const left = Array.from(s.parts).filter((k) => k === 0).length;
    expect(Array.from(s.parts).every((k) => k === 0 || k === 2)).toBe(true);
    expect(Math.abs(left / 3000 - 0.25)).toBeLessThan(0.005);
    const ends = new G.Interval(-1, 3).boundary(10, { seed: 1, where: 'right' });
    expect(Array.from(ends.points)).toEqual(new Array(10).fill(3));
    const faces = new G.Box([0, 0, 0], [1, 2, 3]).boundary(200, { seed: 1, where: ['hi2', 'lo0'] });
    expect(rows(faces.points, 3).every((p, i) => (faces.parts[i] === 5 ? p[2] === 3 : p[0] === 0))).toBe(true);
    const edge = rows(new G.Polygon([[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2]]).boundary(50, { seed: 1, where: 'edge3' }).points, 2);
    expect(edge.every(([x, y]) => x === 1 && y >= 1 && y <= 2)).toBe(true);
  });

  it('the 19-disk difference: parts pick the right circle, by index or by group name, in space and space × time', () => {
    const diff = new G.Difference(rect, ...holes);
    expect(diff.boundaryParts.slice(0, 5)).toEqual(['0.left', '0.right', '0.bottom', '0.top', '1.circle']);
    const s = diff.boundary(2000, { seed: 1, sampler: 'halton' });
    const edge: Record<string, (p: Pt) => boolean> = { '0.left': (p) => p[0] === 0, '0.right': (p) => p[0] === W, '0.bottom': (p) => p[1] === 0, '0.top': (p) => p[1] === H };
    rows(s.points, 2).forEach((p, i) => {
      const name = diff.boundaryParts[s.parts[i]], k = circleOf(p);
      if (k >= 0) expect(name).toBe(`${k + 1}.circle`);
      else expect(edge[name]?.(p), `${p} on ${name}`).toBe(true);
    });
    for (const k of [0, 7, 18]) {
      const one = rows(diff.boundary(100, { seed: k, sampler: 'sobol', where: `${k + 1}.circle` }).points, 2);
      expect(one.every((p) => circleOf(p) === k)).toBe(true);
    }
    const named = new G.Difference(rect, ...holes, { names: ['box', ...holes.map((_, k) => `holes.${k}`)] });
    expect(named.boundaryParts[4]).toBe('holes.0.circle');
    const st = new G.GeometryXTime(named, new G.TimeDomain(0, 1));
    const circles = st.boundary(3000, { seed: 2, sampler: 'halton', where: 'holes' });
    const pts = rows(circles.points, 3);
    expect(pts.every((p) => circleOf(p) >= 0)).toBe(true);
    const counts = new Array<number>(19).fill(0);
    for (const p of pts) counts[circleOf(p)]++;
    const all = circumferences.reduce((a, b) => a + b);
    circumferences.forEach((len, k) => expect(Math.abs(counts[k] - (3000 * len) / all)).toBeLessThan(3 * Math.sqrt((3000 * len) / all) + 1));
    const box = rows(named.boundary(200, { seed: 3, where: 'box' }).points, 2);
    expect(box.every(onRect)).toBe(true);
    const top = rows(named.boundary(50, { seed: 3, where: ['box.top', 'holes.3'] }).points, 2);
    expect(top.every((p) => p[1] === H || circleOf(p) === 3)).toBe(true);
    expect(top.some((p) => p[1] === H) && top.some((p) => circleOf(p) === 3)).toBe(true);
  });

  it('unknown part names fail, listing the known ones', () => {
    const r = new G.Rectangle([0, 0], [1, 1]);
    expect(() => r.boundary(10, { where: 'up' })).toThrow("Rectangle.sampleBoundary: unknown boundary part 'up'; did you mean 'top'? (known: left, right, bottom, top)");
    expect(() => r.boundary(10, { where: [] })).toThrow(/Rectangle.sampleBoundary: where must be a part name or a non-empty array of part names, got \[\]/);
    expect(() => new G.Difference(r, new G.Disk([0.5, 0.5], 0.2)).boundary(10, { where: 'circle' }))
      .toThrow("Difference.sampleBoundary: unknown boundary part 'circle'; did you mean '1.circle'? (known: 0.left, 0.right, 0.bottom, 0.top, 1.circle)");
  });
});

/** A rectangle's corner normal component: ±1/√2. */
function x0OrX1(v: number) { return Math.abs(Math.abs(v) - Math.SQRT1_2) < 1e-15; }

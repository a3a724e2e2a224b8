// Approximate distance functions φ = geometry.distance(x): zero on the boundary (or the parts
// chosen), positive inside, |∇φ| = 1 and ∇φ = −n on smooth boundary points, differentiable twice
// inside; checked against closed forms and the shapes' own boundary samples.
import { describe, expect, it } from 'vitest';
import { type Tensor, geometry as G, grad, onesLike, tidy } from '../src/index.js';

type Pt = number[];
const rows = (a: ArrayLike<number>, d: number): Pt[] => Array.from({ length: a.length / d }, (_, i) => Array.from(Array.prototype.slice.call(a, i * d, (i + 1) * d) as number[]));

/** φ at the points, as numbers. */
function phi(g: G.Geometry, pts: Float64Array, o: { where?: string | string[]; dtype?: 'float32' | 'float64' } = {}): number[] {
  return tidy(() => Array.from(g.distance(G.toTensor(pts, g.dim, { dtype: o.dtype ?? 'float64' }), { where: o.where }).data() as Float64Array));
}
/** ∇φ at the points (n × dim rows) by autograd. */
function gradPhi(g: G.Geometry, pts: Float64Array, where?: string | string[]): Pt[] {
  return tidy(() => {
    const x = G.toTensor(pts, g.dim, { dtype: 'float64', requiresGrad: true });
    const f = g.distance(x, { where });
    return rows(grad(f, x, { gradOutputs: onesLike(f) })[0]!.data() as Float64Array, g.dim);
  });
}
/** Points of a grid over the bounding box, widened by 10 %. */
function gridAround(g: G.Geometry, k = 41): Float64Array {
  const [lo, hi] = g.bbox, u = G.grid(k ** g.dim, g.dim);
  return u.map((v, i) => { const j = i % g.dim, w = hi[j] - lo[j]; return lo[j] - 0.1 * w + 1.2 * w * v; });
}

const square = new G.Rectangle([0, 0], [1, 1]), disk = new G.Disk([1, 1], 0.5);
const L = [[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2]] as [number, number][];
// A U whose notch has a spike in it: a pocket with a pocket (two levels of the convex-hull tree).
const spiky = [[0, 0], [5, 0], [5, 4], [4, 4], [4, 1], [3, 1], [2.5, 3], [2, 1], [1, 1], [1, 4], [0, 4]] as [number, number][];
const holes = Array.from({ length: 19 }, (_, k) => {
  const cell = k < 7 ? k : k + 1;
  return new G.Disk([0.4 + 0.8 * (cell % 5), 0.375 + 0.75 * Math.floor(cell / 5)], 0.1 + (0.2 * ((7 * k) % 19)) / 18);
});
const swiss = new G.Difference(new G.Rectangle([0, 0], [4, 3]), ...holes, { names: ['box', ...holes.map((_, k) => `holes.${k}`)] });

const shapes: [string, G.Geometry][] = [
  ['interval', new G.Interval(-1, 2)],
  ['rectangle', new G.Rectangle([1, 2], [4, 3])],
  ['box', new G.Box([0, 0, 0], [1, 2, 3])],
  ['disk', new G.Disk([0.5, -0.5], 0.4)],
  ['triangle', new G.Polygon([[0, 0], [4, 1], [1, 3]])],
  ['L-shape', new G.Polygon(L)],
  ['L-shape, clockwise', new G.Polygon([...L].reverse())],
  ['spiky U', new G.Polygon(spiky)],
  ['union', new G.Union(square, disk)],
  ['intersection', new G.Intersection(square, disk)],
  ['difference', new G.Difference(square, disk)],
  ['three disks', new G.Union(new G.Disk([0, 0], 1), new G.Disk([1.2, 0], 0.8), new G.Disk([0.5, 1], 0.7))],
  ['19 holes', swiss],
  ['19 holes × time', new G.GeometryXTime(swiss, new G.TimeDomain(0, 1))],
  ['interval difference', new G.Difference(new G.Interval(0, 3), new G.Interval(1, 2))],
];

describe('distance: every shape', () => {
  for (const [name, g] of shapes) {
    it(`${name}: φ = 0 on boundary points, > 0 inside, sign of inside() around, ∇φ = −n on the boundary`, () => {
      const b = g.boundary(400, { seed: 1, sampler: 'sobol' });
      expect(Math.max(...phi(g, b.points).map(Math.abs))).toBeLessThan(1e-12);
      const x = g.interior(400, { seed: 2, sampler: 'halton' });
      expect(Math.min(...phi(g, x))).toBeGreaterThan(0);
      // signed: positive in, negative out, away from the boundary
      const around = gridAround(g, g.dim === 3 ? 15 : g.dim === 1 ? 401 : 61), values = phi(g, around);
      // space × time: φ is the spatial one, for any t
      const space = g instanceof G.GeometryXTime ? g.geometry : g;
      const spatial = g === space ? around : around.filter((_, i) => i % g.dim < space.dim);
      const inside = space.inside(spatial), onB = space.onBoundary(spatial);
      rows(around, g.dim).forEach((p, i) => { if (!onB[i]) expect(values[i] > 0, `φ(${p}) = ${values[i]}`).toBe(inside[i]); });
      // gradients: minus the outward normal, except exactly at corners (none is sampled)
      const n = rows(b.normals, g.dim), dphi = gradPhi(g, b.points);
      dphi.forEach((v, i) => {
        if (n[i].filter((c) => c !== 0).length > 1 && ['rectangle', 'box'].includes(name)) return; // corner normals are sums
        expect(Math.hypot(...v.map((c, j) => c + n[i][j])), `∇φ at ${rows(b.points, g.dim)[i]}`).toBeLessThan(1e-9);
      });
    });
  }

  it('closed forms: a disk is (r² − |x − c|²)/2r, an interval min-like, a rectangle face x − x₀ near it', () => {
    const d = new G.Disk([0.5, -0.5], 0.4), pts = new Float64Array([0.5, -0.5, 0.6, -0.4, 1, 1]);
    phi(d, pts).forEach((v, i) => {
      const [x, y] = [pts[2 * i], pts[2 * i + 1]];
      expect(v).toBeCloseTo((0.16 - (x - 0.5) ** 2 - (y + 0.5) ** 2) / 0.8, 15);
    });
    // R-conjunction of x + 1 and 2 − x: a + b − √(a² + b²)
    const [mid] = phi(new G.Interval(-1, 2), new Float64Array([0.5]));
    expect(mid).toBeCloseTo(3 - Math.hypot(1.5, 1.5), 15);
    // far from the other faces φ ≈ x − x₀ to second order
    const [near] = phi(new G.Rectangle([0, 0], [100, 100]), new Float64Array([1e-3, 50]));
    expect(Math.abs(near - 1e-3)).toBeLessThan(1e-7);
  });

  it('float32 gives float32 values close to float64; the time column is ignored', () => {
    const g = new G.Difference(square, disk), x = g.interior(50, { seed: 3 });
    const f64 = phi(g, x), f32 = phi(g, x, { dtype: 'float32' });
    tidy(() => expect(g.distance(G.toTensor(x, 2)).dtype).toBe('float32'));
    f64.forEach((v, i) => expect(Math.abs(v - f32[i])).toBeLessThan(1e-6));
    const st = new G.GeometryXTime(g, new G.TimeDomain(0, 5)), xt = new Float64Array(150);
    for (let i = 0; i < 50; i++) { xt[3 * i] = x[2 * i]; xt[3 * i + 1] = x[2 * i + 1]; xt[3 * i + 2] = i / 10; }
    expect(phi(st, xt)).toEqual(f64);
  });

  it('second derivatives exist inside: ∇²φ of a disk is −2/r; finite for the 19-hole domain', () => {
    const lap = (g: G.Geometry, pts: Float64Array) => tidy(() => {
      const x = G.toTensor(pts, 2, { dtype: 'float64', requiresGrad: true }), f = g.distance(x);
      const d1 = grad(f, x, { gradOutputs: onesLike(f), createGraph: true })[0]!;
      const col = (t: Tensor, j: number) => t.narrow(1, j, 1);
      const dxx = grad(col(d1, 0), x, { gradOutputs: onesLike(col(d1, 0)), createGraph: true })[0]!;
      const dyy = grad(col(d1, 1), x, { gradOutputs: onesLike(col(d1, 1)) })[0]!;
      return Array.from(col(dxx, 0).add(col(dyy, 1)).data() as Float64Array);
    });
    const d = new G.Disk([0.5, -0.5], 0.4);
    for (const v of lap(d, d.interior(20, { seed: 1 }))) expect(v).toBeCloseTo(-2 / 0.4, 12);
    expect(lap(swiss, swiss.interior(300, { seed: 1 })).every(Number.isFinite)).toBe(true);
  });
});

describe('distance: where', () => {
  it('a rectangle: φ is the face distance of the parts chosen (y₁ − y for the top), positive on the others', () => {
    const r = new G.Rectangle([1, 2], [4, 3]), x = r.interior(100, { seed: 1 });
    phi(r, x, { where: 'top' }).forEach((v, i) => expect(v).toBeCloseTo(3 - x[2 * i + 1], 15));
    const b = r.boundary(400, { seed: 2, sampler: 'sobol' }), v = phi(r, b.points, { where: ['top', 'left'] });
    rows(b.points, 2).forEach((p, i) => {
      if (p[1] === 3 || p[0] === 1) expect(v[i]).toBe(0);
      else expect(v[i]).toBeGreaterThan(0);
    });
    const box = new G.Box([0, 0, 0], [1, 2, 3]), xb = box.interior(50, { seed: 1 });
    phi(box, xb, { where: 'hi2' }).forEach((w, i) => expect(w).toBeCloseTo(3 - xb[3 * i + 2], 15));
  });

  it('the 19-hole domain: the circles only, the box only, one face, one hole', () => {
    const b = swiss.boundary(2000, { seed: 1, sampler: 'halton' }), pts = rows(b.points, 2);
    const isHole = Array.from(b.parts, (k) => swiss.boundaryParts[k].startsWith('holes.'));
    const circles = phi(swiss, b.points, { where: 'holes' }), box = phi(swiss, b.points, { where: 'box' });
    pts.forEach((p, i) => {
      if (isHole[i]) { expect(Math.abs(circles[i])).toBeLessThan(1e-12); expect(box[i]).toBeGreaterThan(0); }
      else { expect(circles[i]).toBeGreaterThan(0); expect(Math.abs(box[i])).toBeLessThan(1e-12); }
    });
    // ∇φ on the circles: (x − c)/r, into the domain
    const onCircles = b.points.filter((_, i) => isHole[i >> 1]), g = gradPhi(swiss, onCircles, 'holes');
    rows(onCircles, 2).forEach((p, i) => {
      const h = holes.find((d) => Math.abs(Math.hypot(p[0] - d.center[0], p[1] - d.center[1]) - d.radius) < 1e-12)!;
      expect(Math.abs(g[i][0] - (p[0] - h.center[0]) / h.radius) + Math.abs(g[i][1] - (p[1] - h.center[1]) / h.radius)).toBeLessThan(1e-9);
    });
    const x = swiss.interior(300, { seed: 4 });
    for (const where of ['holes', 'box', 'box.top', 'holes.5', ['box.left', 'holes.0']]) {
      expect(Math.min(...phi(swiss, x, { where })), String(where)).toBeGreaterThan(0);
    }
    phi(swiss, x, { where: 'box.top' }).forEach((v, i) => expect(v).toBeCloseTo(3 - x[2 * i + 1], 15));
    const h5 = holes[5];
    phi(swiss, x, { where: 'holes.5' }).forEach((v, i) => {
      const want = (Math.hypot(x[2 * i] - h5.center[0], x[2 * i + 1] - h5.center[1]) ** 2 - h5.radius ** 2) / (2 * h5.radius);
      expect(Math.abs(v - want)).toBeLessThan(1e-13 * Math.max(1, want));
    });
  });

  it('non-convex polygon: an edge whose line crosses the inside vanishes on the edge only', () => {
    const l = new G.Polygon(L);
    const onEdge2 = l.boundary(100, { seed: 1, where: 'edge2' }).points; // y = 1, 1 ≤ x ≤ 2
    expect(Math.max(...phi(l, onEdge2, { where: 'edge2' }).map(Math.abs))).toBeLessThan(1e-12);
    const line = new Float64Array([0.25, 1, 0.5, 1, 0.75, 1, 0.5, 1.5]); // on y = 1 but inside, left of the edge
    expect(Math.min(...phi(l, line, { where: 'edge2' }))).toBeGreaterThan(0.1);
    expect(Math.min(...phi(l, l.interior(300, { seed: 2 }), { where: ['edge2', 'edge3'] }))).toBeGreaterThan(0);
    const others = l.boundary(300, { seed: 3, where: ['edge0', 'edge4', 'edge5'] });
    const far = rows(others.points, 2).map((p, i) => (Math.hypot(p[0] - 1, p[1] - 1) > 1e-3 ? i : -1)).filter((i) => i >= 0);
    const v = phi(l, others.points, { where: ['edge2', 'edge3'] });
    for (const i of far) expect(v[i]).toBeGreaterThan(0);
    // a supporting edge (edge0, y = 0): the line distance itself
    const x = l.interior(50, { seed: 5 });
    phi(l, x, { where: 'edge0' }).forEach((w, i) => expect(w).toBeCloseTo(x[2 * i + 1], 14));
  });

  it('union: a part is trimmed to where it bounds the union, so its arc inside the other operand is not zero', () => {
    const u = new G.Union(square, disk); // disk centre (1, 1), r = 0.5
    const arc = u.boundary(200, { seed: 1, where: '1.circle' }).points;
    expect(Math.max(...phi(u, arc, { where: '1.circle' }).map(Math.abs))).toBeLessThan(1e-12);
    const hidden = [1, 2, 3].map((k) => [1 - 0.5 * Math.cos((k * Math.PI) / 8), 1 - 0.5 * Math.sin((k * Math.PI) / 8)]).flat(); // on the circle, inside the square
    expect(Math.min(...phi(u, Float64Array.from(hidden), { where: '1.circle' }))).toBeGreaterThan(0.01);
    expect(Math.min(...phi(u, u.interior(300, { seed: 2 }), { where: ['1.circle', '0.left'] }))).toBeGreaterThan(0);
    const rest = u.boundary(300, { seed: 3, where: ['0.left', '0.bottom'] }).points;
    expect(Math.min(...phi(u, rest, { where: '1.circle' }))).toBeGreaterThan(0);
    const inter = new G.Intersection(square, disk), quarter = inter.boundary(100, { seed: 1, where: '1.circle' }).points;
    expect(Math.max(...phi(inter, quarter, { where: '1.circle' }).map(Math.abs))).toBeLessThan(1e-12);
    expect(Math.min(...phi(inter, inter.interior(100, { seed: 1 }), { where: '1.circle' }))).toBeGreaterThan(0);
  });

  it('rejects bad input', () => {
    const d = new G.Disk([0, 0], 1);
    tidy(() => {
      expect(() => d.distance(G.toTensor(new Float64Array(6), 3))).toThrow('Disk.distance: x must be of shape [N, 2], got [2, 3]');
      expect(() => d.distance(G.toTensor(new Float64Array(4), 2), { where: 'edge' })).toThrow("Disk.distance: unknown boundary part 'edge' (known: circle)");
      expect(() => d.distance([[0, 0]] as unknown as Tensor)).toThrow(/Disk.distance: x must be a Tensor/);
    });
  });
});

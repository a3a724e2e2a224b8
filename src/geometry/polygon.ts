// Simple polygons, from their vertices in either orientation.
import { checkPoint, need } from '../checks.js';
import { type Tensor } from '../tensor.js';
import { line, rAndAll, segment } from './adf.js';
import { type BoundaryMap, Geometry, type Side, allRows } from './geometry.js';
import { type HullTree, hullTree, hullTreeDistance } from './hull_tree.js';
import { locate } from './parts.js';

/** Orientation of the triangle (a, b, c): > 0 counter-clockwise, < 0 clockwise, 0 collinear. */
function orient(a: readonly number[], b: readonly number[], c: readonly number[]): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}
/** Whether the closed segments ab and cd share a point. */
function segmentsMeet(a: readonly number[], b: readonly number[], c: readonly number[], d: readonly number[]): boolean {
  const o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return true;
  const onSegment = (p: readonly number[], q: readonly number[], r: readonly number[]) =>
    Math.min(p[0], q[0]) <= r[0] && r[0] <= Math.max(p[0], q[0]) && Math.min(p[1], q[1]) <= r[1] && r[1] <= Math.max(p[1], q[1]);
  return (o1 === 0 && onSegment(a, b, c)) || (o2 === 0 && onSegment(a, b, d)) || (o3 === 0 && onSegment(c, d, a)) || (o4 === 0 && onSegment(c, d, b));
}

/** The closed region bounded by a simple polygon (vertices in either orientation). */
export class Polygon extends Geometry {
  readonly vertices: readonly (readonly [number, number])[];
  /** Shoelace sum ½ Σ_i (x_i y_{i+1} − x_{i+1} y_i): positive for counter-clockwise vertices. */
  readonly signedArea: number;
  private readonly lengths: number[];
  private readonly edgeNormals: [number, number][];
  private readonly perimeter: number;
  /** Per edge, whether all other vertices lie strictly inside its line (so the line meets the closed polygon only on the edge). */
  private readonly supporting: boolean[];
  private tree?: HullTree;

  constructor(vertices: readonly (readonly [number, number])[]) {
    need(Array.isArray(vertices) && vertices.length >= 3, 'Polygon', 'vertices', 'an array of at least 3 points', vertices);
    vertices.forEach((v, i) => checkPoint('Polygon', `vertices[${i}]`, v, 2));
    const k = vertices.length, next = (i: number) => vertices[(i + 1) % k];
    for (let i = 0; i < k; i++) {
      const [a, b, c] = [vertices[i], next(i), next((i + 1) % k)];
      if (a[0] === b[0] && a[1] === b[1]) throw new RangeError(`Polygon: vertices ${i} and ${(i + 1) % k} coincide`);
      // consecutive edges folding back onto each other
      if (orient(a, b, c) === 0 && (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]) < 0) {
        throw new RangeError(`Polygon: edges ${i} and ${(i + 1) % k} overlap; the vertices must describe a simple polygon`);
      }
    }
    for (let i = 0; i < k; i++) {
      for (let j = i + 2; j < k; j++) {
        if (i === 0 && j === k - 1) continue; // adjacent through the closing edge
        if (segmentsMeet(vertices[i], next(i), vertices[j], next(j))) {
          throw new RangeError(`Polygon: edges ${i} and ${j} cross; the vertices must describe a simple polygon`);
        }
      }
    }
    const xs = vertices.map((v) => v[0]), ys = vertices.map((v) => v[1]);
    super(2, [[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]]);
    this.vertices = vertices.map((v) => [v[0], v[1]] as const);
    this.signedArea = vertices.reduce((s, v, i) => s + v[0] * next(i)[1] - next(i)[0] * v[1], 0) / 2;
    if (!(Math.abs(this.signedArea) > 0)) throw new RangeError('Polygon: the vertices enclose no area');
    this.lengths = vertices.map((v, i) => Math.hypot(next(i)[0] - v[0], next(i)[1] - v[1]));
    this.perimeter = this.lengths.reduce((a, b) => a + b, 0);
    // Outward normal of edge a → b: the direction turned clockwise for counter-clockwise polygons, n = (Δy, −Δx)/|Δ|.
    const sign = this.signedArea > 0 ? 1 : -1;
    this.edgeNormals = vertices.map((a, i) => {
      const b = next(i), len = this.lengths[i];
      return [(sign * (b[1] - a[1])) / len, (-sign * (b[0] - a[0])) / len];
    });
    const tol = 1e-12 * Math.hypot(...this.bbox[1].map((h, j) => h - this.bbox[0][j])) ** 2;
    this.supporting = this.vertices.map((a, i) => {
      const b = next(i);
      return this.vertices.every((v, j) => j === i || j === (i + 1) % k || sign * orient(a, b, v) > tol);
    });
    this.boundaryParts = this.vertices.map((_, i) => `edge${i}`);
  }

  /** One part per edge: 'edge0', 'edge1', …, edge i from vertex i to vertex i + 1. */
  readonly boundaryParts: readonly string[];
  get candidateMeasures(): readonly number[] { return this.lengths; }

  /** Area |signedArea| (shoelace formula). */
  override get measure(): number { return Math.abs(this.signedArea); }
  /** Perimeter Σ_i |v_{i+1} − v_i|. */
  override get boundaryMeasure(): number { return this.perimeter; }

  /** Distance from p to edge i: |p − (a + t(b − a))| with t = clamp(((p − a)·(b − a))/|b − a|², 0, 1). */
  private edgeDistance(p: ArrayLike<number>, i: number): number {
    const a = this.vertices[i], b = this.vertices[(i + 1) % this.vertices.length];
    const dx = b[0] - a[0], dy = b[1] - a[1];
    const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
  }
  onBoundaryPoint(p: ArrayLike<number>): boolean {
    for (let i = 0; i < this.vertices.length; i++) if (this.edgeDistance(p, i) <= this.tol) return true;
    return false;
  }
  /** Even–odd ray casting along +x (a crossing where the edge spans p's height, right of p); boundary points count as inside. */
  insidePoint(p: ArrayLike<number>): boolean {
    if (this.onBoundaryPoint(p)) return true;
    let inside = false;
    for (let i = 0, j = this.vertices.length - 1; i < this.vertices.length; j = i++) {
      const [xi, yi] = this.vertices[i], [xj, yj] = this.vertices[j];
      if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }
  /** The nearest edge's outward normal; at a vertex, the normalised sum of its two edges' normals. */
  normalAt(p: ArrayLike<number>): number[] {
    const k = this.vertices.length;
    for (let i = 0; i < k; i++) {
      const v = this.vertices[i];
      if (Math.hypot(p[0] - v[0], p[1] - v[1]) <= this.tol) {
        const a = this.edgeNormals[(i + k - 1) % k], b = this.edgeNormals[i];
        const len = Math.hypot(a[0] + b[0], a[1] + b[1]);
        return [(a[0] + b[0]) / len, (a[1] + b[1]) / len];
      }
    }
    let best = 0, bestDistance = Infinity;
    for (let i = 0; i < k; i++) {
      const dist = this.edgeDistance(p, i);
      if (dist < bestDistance) { best = i; bestDistance = dist; }
    }
    return [...this.edgeNormals[best]];
  }

  /** One parameter, the arc length s = u·perimeter from vertex 0 along the vertex order (along the chosen edges only, with `parts`). */
  readonly boundaryParams = 1;
  boundaryFromUnit(u: Float64Array, width: number, parts?: readonly number[]): BoundaryMap {
    const m = Math.floor(u.length / width), k = this.vertices.length;
    const order = parts ?? this.vertices.map((_, i) => i);
    const total = parts === undefined ? this.perimeter : parts.reduce((t, i) => t + this.lengths[i], 0);
    const points = new Float64Array(2 * m), normals = new Float64Array(2 * m), edges = new Int32Array(m);
    for (let r = 0; r < m; r++) {
      const [i, s] = locate(u[r * width] * total, order, (e) => this.lengths[e]);
      const a = this.vertices[i], b = this.vertices[(i + 1) % k], t = Math.min(s / this.lengths[i], 1);
      const p = points.subarray(2 * r, 2 * r + 2);
      p[0] = a[0] + t * (b[0] - a[0]);
      p[1] = a[1] + t * (b[1] - a[1]);
      edges[r] = i;
      normals.set(this.normalAt(p), 2 * r);
    }
    return { points, normals, parts: edges, rows: allRows(m) };
  }

  /** Edge i's endpoints, ordered so that the polygon is on the left (counter-clockwise). */
  private edge(i: number): [readonly number[], readonly number[]] {
    const a = this.vertices[i], b = this.vertices[(i + 1) % this.vertices.length];
    return this.signedArea > 0 ? [a, b] : [b, a];
  }
  /** The R-function of the polygon's convex-hull tree (hull_tree.ts): for a convex polygon, the conjunction of its edges' lines. */
  signedDistance(x: Tensor): Tensor {
    this.tree ??= hullTree(this.vertices);
    return hullTreeDistance(x, this.tree);
  }
  /**
   * Per chosen edge: inside, its line's distance when the line meets the closed polygon only
   * on that edge (every edge of a convex polygon); otherwise the trimmed segment ADF of
   * Sukumar & Srivastava, zero exactly on the edge (its gradient on the edge itself is undefined).
   */
  protected someParts(x: Tensor, parts: readonly number[], side: Side): Tensor {
    return rAndAll(parts.map((i) => {
      const [a, b] = this.edge(i);
      return side === 'inside' && this.supporting[i] ? line(x, a, b) : segment(x, a, b);
    }));
  }
}

import { Geometry, type BoundarySample, EPS, type SampleOptions, checkPoint, rngOf } from './geometry.js';
import { checkCount, sample } from './sampler.js';

/** A simple polygon from its vertices (either orientation). */
export class Polygon extends Geometry {
  readonly vertices: [number, number][];
  private readonly signedArea: number;
  private readonly lengths: number[];

  constructor(vertices: [number, number][]) {
    if (!Array.isArray(vertices) || vertices.length < 3) throw new Error(`Polygon: needs at least 3 vertices, got ${Array.isArray(vertices) ? vertices.length : typeof vertices}`);
    vertices.forEach((v, i) => checkPoint(`Polygon: vertex ${i}`, v, 2));
    const xs = vertices.map((v) => v[0]), ys = vertices.map((v) => v[1]);
    super(2, [[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]]);
    this.vertices = vertices.map((v) => [v[0], v[1]]);
    // Shoelace formula: positive for counter-clockwise vertices.
    this.signedArea = vertices.reduce((s, v, i) => { const w = vertices[(i + 1) % vertices.length]; return s + v[0] * w[1] - w[0] * v[1]; }, 0) / 2;
    if (Math.abs(this.signedArea) < EPS) throw new Error('Polygon: vertices enclose no area');
    this.lengths = vertices.map((v, i) => { const w = vertices[(i + 1) % vertices.length]; return Math.hypot(w[0] - v[0], w[1] - v[1]); });
  }
  override get measure(): number { return Math.abs(this.signedArea); }

  private edgeDistance(p: ArrayLike<number>, i: number): number {
    const [a, b] = [this.vertices[i], this.vertices[(i + 1) % this.vertices.length]];
    const dx = b[0] - a[0], dy = b[1] - a[1];
    const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
  }
  onBoundary(p: ArrayLike<number>): boolean { return this.vertices.some((_, i) => this.edgeDistance(p, i) < EPS); }
  /** Even-odd ray casting, with boundary points counted inside. */
  inside(p: ArrayLike<number>): boolean {
    if (this.onBoundary(p)) return true;
    let inside = false;
    for (let i = 0, j = this.vertices.length - 1; i < this.vertices.length; j = i++) {
      const [xi, yi] = this.vertices[i], [xj, yj] = this.vertices[j];
      if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }
  /** Outward normal of the nearest edge: the edge direction turned away from the interior. */
  normal(p: ArrayLike<number>): number[] {
    let best = 0;
    for (let i = 1; i < this.vertices.length; i++) if (this.edgeDistance(p, i) < this.edgeDistance(p, best)) best = i;
    return this.edgeNormal(best);
  }
  private edgeNormal(i: number): number[] {
    const [a, b] = [this.vertices[i], this.vertices[(i + 1) % this.vertices.length]];
    const len = this.lengths[i], sign = this.signedArea > 0 ? 1 : -1;
    return [(sign * (b[1] - a[1])) / len, (-sign * (b[0] - a[0])) / len];
  }
  /** Points spread over the perimeter by arc length. */
  boundary(n: number, o: SampleOptions = {}): BoundarySample {
    checkCount('Polygon.boundary', n, 2);
    const perimeter = this.lengths.reduce((a, b) => a + b, 0);
    const u = sample(o.sampler ?? 'uniform', n, 1, rngOf(o));
    const points = new Float64Array(2 * n), normals = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      let s = u[k] * perimeter, i = 0;
      while (i < this.lengths.length - 1 && s >= this.lengths[i]) { s -= this.lengths[i]; i++; }
      const [a, b] = [this.vertices[i], this.vertices[(i + 1) % this.vertices.length]];
      const t = Math.min(s / this.lengths[i], 1);
      points[2 * k] = a[0] + t * (b[0] - a[0]); points[2 * k + 1] = a[1] + t * (b[1] - a[1]);
      const nrm = this.edgeNormal(i);
      normals[2 * k] = nrm[0]; normals[2 * k + 1] = nrm[1];
    }
    return { points, normals };
  }
}

import { Geometry, type BoundarySample, EPS, type SampleOptions, checkPoint, rngOf } from './geometry.js';
import { checkCount, sample } from './sampler.js';

/** The axis-aligned box [lo, hi] in any dimension (an interval when d = 1, a rectangle when 2). */
export class Box extends Geometry {
  constructor(readonly lo: number[], readonly hi: number[]) {
    checkPoint('Box', lo);
    checkPoint('Box', hi, lo.length);
    if (!lo.every((l, i) => l < hi[i])) {
      throw new Error(`${new.target.name}: lower corner [${lo.join(', ')}] must be below upper corner [${hi.join(', ')}] in every coordinate`);
    }
    super(lo.length, [[...lo], [...hi]]);
  }
  override get measure(): number { return this.lo.reduce((m, l, i) => m * (this.hi[i] - l), 1); }
  inside(p: ArrayLike<number>): boolean {
    for (let j = 0; j < this.dim; j++) if (p[j] < this.lo[j] - EPS || p[j] > this.hi[j] + EPS) return false;
    return true;
  }
  onBoundary(p: ArrayLike<number>): boolean {
    if (!this.inside(p)) return false;
    for (let j = 0; j < this.dim; j++) if (Math.abs(p[j] - this.lo[j]) < EPS || Math.abs(p[j] - this.hi[j]) < EPS) return true;
    return false;
  }
  normal(p: ArrayLike<number>): number[] {
    const n = new Array(this.dim).fill(0);
    for (let j = 0; j < this.dim; j++) {
      if (Math.abs(p[j] - this.lo[j]) < EPS) { n[j] = -1; break; }
      if (Math.abs(p[j] - this.hi[j]) < EPS) { n[j] = 1; break; }
    }
    return n;
  }
  /** Interior points map the sampler straight into the box (no rejection). */
  override interior(n: number, o: SampleOptions = {}): Float64Array {
    checkCount(`${this.constructor.name}.interior`, n, this.dim);
    const u = sample(o.sampler ?? 'uniform', n, this.dim, rngOf(o));
    for (let i = 0; i < n; i++) for (let j = 0; j < this.dim; j++) u[i * this.dim + j] = this.lo[j] + (this.hi[j] - this.lo[j]) * u[i * this.dim + j];
    return u;
  }
  /**
   * Boundary points on the 2d faces with probability proportional to face measure; each
   * point's normal is its face's. (In 1-D: the two end points, alternating.)
   */
  boundary(n: number, o: SampleOptions = {}): BoundarySample {
    checkCount(`${this.constructor.name}.boundary`, n, this.dim);
    const d = this.dim, points = new Float64Array(n * d), normals = new Float64Array(n * d);
    if (d === 1) {
      for (let i = 0; i < n; i++) { const hi = i % 2 === 1; points[i] = hi ? this.hi[0] : this.lo[0]; normals[i] = hi ? 1 : -1; }
      return { points, normals };
    }
    const faceMeasure = Array.from({ length: d }, (_, axis) => this.measure / (this.hi[axis] - this.lo[axis]));
    const total = 2 * faceMeasure.reduce((a, b) => a + b, 0);
    const u = sample(o.sampler ?? 'uniform', n, d, rngOf(o));
    for (let i = 0; i < n; i++) {
      // The first coordinate picks the face (by cumulative measure); the others place the point on it.
      let r = u[i * d] * total, face = 0;
      while (face < 2 * d - 1 && r >= faceMeasure[face >> 1]) { r -= faceMeasure[face >> 1]; face++; }
      const axis = face >> 1, upper = face & 1;
      let k = 1;
      for (let j = 0; j < d; j++) {
        const at = i * d + j;
        if (j === axis) { points[at] = upper ? this.hi[j] : this.lo[j]; normals[at] = upper ? 1 : -1; }
        else { points[at] = this.lo[j] + (this.hi[j] - this.lo[j]) * u[i * d + k++]; normals[at] = 0; }
      }
    }
    return { points, normals };
  }
}

export class Interval extends Box {
  constructor(a: number, b: number) { super([a], [b]); }
}
export class Rectangle extends Box {
  constructor(lo: [number, number], hi: [number, number]) {
    if (lo?.length !== 2 || hi?.length !== 2) throw new TypeError(`Rectangle: corners must have 2 coordinates, got ${JSON.stringify(lo)} and ${JSON.stringify(hi)}`);
    super(lo, hi);
  }
}

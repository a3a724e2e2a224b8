// Axis-aligned boxes: Box [lo, hi] in any dimension, Interval (d = 1), Rectangle (d = 2).
import { type BoundaryMap, Geometry, allRows, checkPoint } from './geometry.js';
import { type Sampler, grid } from './sampler.js';
import { type Random } from './random.js';

/** The closed axis-aligned box [lo₁, hi₁] × … × [lo_d, hi_d]. */
export class Box extends Geometry {
  readonly lo: readonly number[];
  readonly hi: readonly number[];

  constructor(lo: readonly number[], hi: readonly number[]) {
    const op = new.target.name;
    checkPoint(op, lo);
    checkPoint(op, hi, lo.length);
    if (!lo.every((l, i) => l < hi[i])) {
      throw new RangeError(`${op}: lower corner [${lo.join(', ')}] must be below upper corner [${hi.join(', ')}] in every coordinate`);
    }
    super(lo.length, [lo, hi]);
    [this.lo, this.hi] = this.bbox;
  }

  /** Volume ∏_j (hi_j − lo_j). */
  override get measure(): number { return this.lo.reduce((m, l, j) => m * (this.hi[j] - l), 1); }
  /** Σ of the 2d face measures, 2·Σ_j ∏_{k≠j}(hi_k − lo_k); in 1-D the two end points count 1 each. */
  override get boundaryMeasure(): number {
    return this.dim === 1 ? 2 : 2 * this.lo.reduce((s, _, j) => s + this.faceMeasure(j), 0);
  }
  /** Measure of either face normal to axis j: ∏_{k≠j}(hi_k − lo_k). */
  faceMeasure(axis: number): number {
    return this.lo.reduce((m, l, k) => (k === axis ? m : m * (this.hi[k] - l)), 1);
  }

  insidePoint(p: ArrayLike<number>): boolean {
    for (let j = 0; j < this.dim; j++) if (!(p[j] >= this.lo[j] - this.tol && p[j] <= this.hi[j] + this.tol)) return false;
    return true;
  }
  onBoundaryPoint(p: ArrayLike<number>): boolean {
    if (!this.insidePoint(p)) return false;
    for (let j = 0; j < this.dim; j++) if (Math.abs(p[j] - this.lo[j]) <= this.tol || Math.abs(p[j] - this.hi[j]) <= this.tol) return true;
    return false;
  }
  /** n = Σ_j (−e_j if x_j = lo_j, +e_j if x_j = hi_j), normalised: a face's normal, or at edges and corners the normalised sum. */
  normalAt(p: ArrayLike<number>): number[] {
    const n = new Array<number>(this.dim).fill(0);
    let count = 0;
    for (let j = 0; j < this.dim; j++) {
      if (Math.abs(p[j] - this.lo[j]) <= this.tol) { n[j] = -1; count++; }
      else if (Math.abs(p[j] - this.hi[j]) <= this.tol) { n[j] = 1; count++; }
    }
    return count > 1 ? n.map((v) => v / Math.sqrt(count)) : n;
  }

  /** Interior points map straight onto the box: x = lo + (hi − lo)·u (no rejection). */
  protected override rejectInterior(_op: string, n: number, sampler: Sampler, rng: Random): Float64Array {
    return this.fromUnit(sampler(n, this.dim, rng));
  }
  protected override gridPoints(_op: string, n: number): Float64Array { return this.fromUnit(grid(n, this.dim)); }
  private fromUnit(u: Float64Array): Float64Array {
    const d = this.dim;
    for (let i = 0; i < u.length; i++) { const j = i % d; u[i] = this.lo[j] + (this.hi[j] - this.lo[j]) * u[i]; }
    return u;
  }
  /**
   * 1 parameter in 1-D (u < ½: the lower end, else the upper) and in 2-D (arc length
   * s = u·perimeter, counter-clockwise from the lower-left corner); d parameters from 3-D on
   * (u₁ picks one of the 2d faces with probability ∝ face measure, u₂ … u_d place the point on it).
   */
  get boundaryParams(): number { return this.dim <= 2 ? 1 : this.dim; }

  boundaryFromUnit(u: Float64Array, width: number): BoundaryMap {
    const d = this.dim, m = Math.floor(u.length / width);
    const points = new Float64Array(m * d), normals = new Float64Array(m * d);
    const [lo, hi] = [this.lo, this.hi];
    for (let i = 0; i < m; i++) {
      const p = points.subarray(i * d, (i + 1) * d), r = u[i * width];
      if (d === 1) {
        p[0] = r < 0.5 ? lo[0] : hi[0];
      } else if (d === 2) {
        const w = hi[0] - lo[0], h = hi[1] - lo[1];
        let s = r * 2 * (w + h);
        if (s < w) { p[0] = lo[0] + s; p[1] = lo[1]; }
        else if ((s -= w) < h) { p[0] = hi[0]; p[1] = lo[1] + s; }
        else if ((s -= h) < w) { p[0] = hi[0] - s; p[1] = hi[1]; }
        else { s -= w; p[0] = lo[0]; p[1] = hi[1] - Math.min(s, h); }
      } else {
        let s = r * this.boundaryMeasure, face = 0;
        while (face < 2 * d - 1 && s >= this.faceMeasure(face >> 1)) { s -= this.faceMeasure(face >> 1); face++; }
        const axis = face >> 1;
        for (let j = 0, k = 1; j < d; j++) {
          p[j] = j === axis ? (face & 1 ? hi[j] : lo[j]) : lo[j] + (hi[j] - lo[j]) * u[i * width + k++];
        }
      }
      normals.set(this.normalAt(p), i * d);
    }
    return { points, normals, rows: allRows(m) };
  }
}

/** The closed interval [a, b]. */
export class Interval extends Box {
  constructor(a: number, b: number) {
    const op = new.target.name;
    if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b)) {
      throw new TypeError(`${op}: end points must be finite numbers, got ${String(a)} and ${String(b)}`);
    }
    if (!(a < b)) throw new RangeError(`${op}: need ${op === 'TimeDomain' ? `t0 < t1, got t0 = ${a}, t1 = ${b}` : `a < b, got a = ${a}, b = ${b}`}`);
    super([a], [b]);
  }
}

/** The closed rectangle [x₀, x₁] × [y₀, y₁], from its lower-left and upper-right corners. */
export class Rectangle extends Box {
  constructor(lo: readonly [number, number], hi: readonly [number, number]) {
    if (lo?.length !== 2 || hi?.length !== 2) {
      throw new TypeError(`Rectangle: corners must have 2 coordinates, got ${JSON.stringify(lo)} and ${JSON.stringify(hi)}`);
    }
    super(lo, hi);
  }
}

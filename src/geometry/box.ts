// Axis-aligned boxes: Box [lo, hi] in any dimension, Interval (d = 1), Rectangle (d = 2).
import { checkFiniteNumber, checkPoint } from '../checks.js';
import { type Tensor } from '../tensor.js';
import { column, rAndAll, trim } from './adf.js';
import { type BoundaryMap, Geometry, type Side, allRows } from './geometry.js';
import { locate } from './parts.js';
import { type Sampler, grid } from './sampler.js';
import { type Random } from './random.js';

/** Face f of a box lies on x_j = lo_j (f = 2j) or x_j = hi_j (f = 2j + 1). */
const axisOf = (face: number) => face >> 1;
const isUpper = (face: number) => (face & 1) === 1;
/** The rectangle's edges counter-clockwise from the lower-left corner: bottom, right, top, left. */
const PERIMETER = [2, 1, 3, 0];

/** The closed axis-aligned box [lo₁, hi₁] × … × [lo_d, hi_d]. */
export class Box extends Geometry {
  readonly lo: readonly number[];
  readonly hi: readonly number[];

  constructor(lo: readonly number[], hi: readonly number[]) {
    const op = new.target.name;
    checkPoint(op, 'lo', lo);
    checkPoint(op, 'hi', hi, lo.length);
    if (!lo.every((l, i) => l < hi[i])) {
      throw new RangeError(`${op}: lower corner [${lo.join(', ')}] must be below upper corner [${hi.join(', ')}] in every coordinate`);
    }
    super(lo.length, [lo, hi]);
    [this.lo, this.hi] = this.bbox;
    const d = lo.length;
    this.boundaryParts = d === 1 ? ['left', 'right']
      : d === 2 ? ['left', 'right', 'bottom', 'top']
        : Array.from({ length: 2 * d }, (_, f) => `${isUpper(f) ? 'hi' : 'lo'}${axisOf(f)}`);
  }

  /**
   * One part per face, face f on x_j = lo_j (f = 2j) or x_j = hi_j (f = 2j + 1): 'left',
   * 'right' in 1-D; 'left', 'right', 'bottom', 'top' (x = x₀, x = x₁, y = y₀, y = y₁) in 2-D;
   * 'lo0', 'hi0', 'lo1', 'hi1', … ('lo' + j for x_j = lo_j) from 3-D on.
   */
  readonly boundaryParts: readonly string[];
  /** Per face, its measure (1 for each end of an interval). */
  get candidateMeasures(): readonly number[] {
    return this.boundaryParts.map((_, f) => (this.dim === 1 ? 1 : this.faceMeasure(axisOf(f))));
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

  boundaryFromUnit(u: Float64Array, width: number, parts?: readonly number[]): BoundaryMap {
    const d = this.dim, m = Math.floor(u.length / width);
    const points = new Float64Array(m * d), normals = new Float64Array(m * d), faces = new Int32Array(m);
    const [lo, hi] = [this.lo, this.hi], measures = this.candidateMeasures;
    // 2-D: the perimeter counter-clockwise; otherwise the faces in index order.
    const order = (d === 2 ? PERIMETER : measures.map((_, f) => f)).filter((f) => parts === undefined || parts.includes(f));
    const total = order.reduce((t, f) => t + measures[f], 0);
    for (let i = 0; i < m; i++) {
      const p = points.subarray(i * d, (i + 1) * d);
      const [face, s] = locate(u[i * width] * total, order, (f) => measures[f]);
      const axis = axisOf(face);
      if (d === 2) {
        // Each edge is walked counter-clockwise: bottom →, right ↑, top ←, left ↓.
        const along = 1 - axis, len = measures[face], t = Math.min(s, len);
        p[axis] = isUpper(face) ? hi[axis] : lo[axis];
        p[along] = face === 2 || face === 1 ? lo[along] + t : hi[along] - t;
      } else {
        for (let j = 0, k = 1; j < d; j++) {
          p[j] = j === axis ? (isUpper(face) ? hi[j] : lo[j]) : lo[j] + (hi[j] - lo[j]) * u[i * width + k++];
        }
      }
      faces[i] = face;
      normals.set(this.normalAt(p), i * d);
    }
    return { points, normals, parts: faces, rows: allRows(m) };
  }

  /** The face's signed distance, positive inside: x_j − lo_j or hi_j − x_j. */
  private faceDistance(x: Tensor, face: number): Tensor {
    const j = axisOf(face);
    return isUpper(face) ? column(x, j).rsub(this.hi[j]) : column(x, j).sub(this.lo[j]);
  }
  /** The conjunction of the faces' half-spaces (the box is their intersection). */
  signedDistance(x: Tensor): Tensor {
    return rAndAll(this.boundaryParts.map((_, f) => this.faceDistance(x, f)));
  }
  /**
   * Inside, a face's half-space distance vanishes only on that face (the box is convex).
   * Elsewhere, the face's ADF: its plane's distance trimmed to the face by the conjunction of
   * the face's own bounding half-spaces (|x − end| in 1-D).
   */
  protected someParts(x: Tensor, parts: readonly number[], side: Side): Tensor {
    return rAndAll(parts.map((face) => {
      const f = this.faceDistance(x, face);
      if (side === 'inside') return f;
      if (this.dim === 1) return f.abs();
      const across = this.boundaryParts.map((_, g) => g).filter((g) => axisOf(g) !== axisOf(face));
      return trim(f, rAndAll(across.map((g) => this.faceDistance(x, g))));
    }));
  }
}

/** The closed interval [a, b]. */
export class Interval extends Box {
  constructor(a: number, b: number) {
    const op = new.target.name, time = op === 'TimeDomain';
    checkFiniteNumber(op, time ? 't0' : 'a', a);
    checkFiniteNumber(op, time ? 't1' : 'b', b);
    if (!(a < b)) throw new RangeError(`${op}: need ${time ? `t0 < t1, got t0 = ${a}, t1 = ${b}` : `a < b, got a = ${a}, b = ${b}`}`);
    super([a], [b]);
  }
}

/** The closed rectangle [x₀, x₁] × [y₀, y₁], from its lower-left and upper-right corners. */
export class Rectangle extends Box {
  constructor(lo: readonly [number, number], hi: readonly [number, number]) {
    super(checkPoint('Rectangle', 'lo', lo, 2), checkPoint('Rectangle', 'hi', hi, 2));
  }
}

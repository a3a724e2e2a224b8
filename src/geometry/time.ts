// Space × time: points (x, t) with x in a geometry Ω and t in [t0, t1]; time is the last column.
// Space and time are sampled JOINTLY, as one (d + 1)-dimensional sample: drawing x and t from
// two separate low-discrepancy sequences would correlate them (two Sobol draws share their first
// coordinate's digits), leaving most of the space-time domain empty.
import { invalidArgument } from '../errors.js';
import { type Tensor } from '../tensor.js';
import { type BoundaryMap, Geometry, type SampleOptions, type Side } from './geometry.js';
import { Box, Interval } from './box.js';
import { type Sampler, checkCount, grid } from './sampler.js';
import { type Random } from './random.js';

/** The time interval [t0, t1]. */
export class TimeDomain extends Interval {
  readonly t0: number;
  readonly t1: number;
  constructor(t0: number, t1: number) {
    super(t0, t1);
    this.t0 = t0;
    this.t1 = t1;
  }
}

/** Ω × [t0, t1]. Its boundary is the lateral one, ∂Ω × [t0, t1]; initial points are separate. */
export class GeometryXTime extends Geometry {
  readonly geometry: Geometry;
  readonly time: TimeDomain;

  constructor(geometry: Geometry, time: TimeDomain) {
    if (!(geometry instanceof Geometry)) throw invalidArgument('GeometryXTime', 'geometry', 'a Geometry', geometry);
    if (!(time instanceof TimeDomain)) throw invalidArgument('GeometryXTime', 'time', 'a TimeDomain', time);
    super(geometry.dim + 1, [[...geometry.bbox[0], time.t0], [...geometry.bbox[1], time.t1]]);
    this.geometry = geometry;
    this.time = time;
  }

  /** |Ω|·(t1 − t0). */
  override get measure(): number { return this.geometry.measure * (this.time.t1 - this.time.t0); }
  /** |∂Ω|·(t1 − t0). */
  override get boundaryMeasure(): number { return this.geometry.boundaryMeasure * (this.time.t1 - this.time.t0); }
  /** The spatial geometry's parts (each part × [t0, t1]). */
  get boundaryParts(): readonly string[] { return this.geometry.boundaryParts; }
  get candidateMeasures(): readonly number[] { return this.geometry.candidateMeasures.map((m) => m * (this.time.t1 - this.time.t0)); }

  private space(p: ArrayLike<number>): ArrayLike<number> { return Array.prototype.slice.call(p, 0, this.geometry.dim) as number[]; }
  private inTime(t: number): boolean { return t >= this.time.t0 - this.time.tol && t <= this.time.t1 + this.time.tol; }
  insidePoint(p: ArrayLike<number>): boolean { return this.inTime(p[this.geometry.dim]) && this.geometry.insidePoint(this.space(p)); }
  /** On ∂Ω × [t0, t1] (the initial and final time slices are not part of this boundary). */
  onBoundaryPoint(p: ArrayLike<number>): boolean { return this.inTime(p[this.geometry.dim]) && this.geometry.onBoundaryPoint(this.space(p)); }
  /** (n_Ω(x), 0): normals lie in space. */
  normalAt(p: ArrayLike<number>): number[] { return [...this.geometry.normalAt(this.space(p)), 0]; }

  /** Interior points: for a box Ω the product box is sampled directly (n = k^(d+1) for 'grid'); otherwise by rejection. */
  protected override rejectInterior(op: string, n: number, sampler: Sampler, rng: Random): Float64Array {
    return this.geometry instanceof Box ? this.fromUnit(sampler(n, this.dim, rng)) : super.rejectInterior(op, n, sampler, rng);
  }
  protected override gridPoints(op: string, n: number): Float64Array {
    return this.geometry instanceof Box ? this.fromUnit(grid(n, this.dim)) : super.gridPoints(op, n);
  }
  private fromUnit(u: Float64Array): Float64Array {
    const d = this.dim, [lo, hi] = this.bbox;
    for (let i = 0; i < u.length; i++) { const j = i % d; u[i] = lo[j] + (hi[j] - lo[j]) * u[i]; }
    return u;
  }

  /** The geometry's boundary parameters, then one for time: t = t0 + (t1 − t0)·u. */
  get boundaryParams(): number { return this.geometry.boundaryParams + 1; }
  boundaryFromUnit(u: Float64Array, width: number, parts?: readonly number[]): BoundaryMap {
    const s = this.geometry.boundaryFromUnit(u, width, parts), d = this.geometry.dim, k = this.geometry.boundaryParams;
    const m = s.rows.length, points = new Float64Array(m * (d + 1)), normals = new Float64Array(m * (d + 1));
    for (let i = 0; i < m; i++) {
      points.set(s.points.subarray(i * d, (i + 1) * d), i * (d + 1));
      normals.set(s.normals.subarray(i * d, (i + 1) * d), i * (d + 1));
      points[i * (d + 1) + d] = this.time.t0 + (this.time.t1 - this.time.t0) * u[s.rows[i] * width + k];
    }
    return { points, normals, parts: s.parts, rows: s.rows };
  }

  /** The spatial geometry's φ of the first dim − 1 columns (time is ignored). */
  signedDistance(x: Tensor): Tensor { return this.geometry.signedDistance(x.narrow(1, 0, this.geometry.dim)); }
  protected someParts(x: Tensor, parts: readonly number[], side: Side): Tensor {
    return this.geometry.partsDistance(x.narrow(1, 0, this.geometry.dim), parts, side);
  }

  /** n points (x, t0) with x strictly inside Ω, for initial conditions. */
  initialPoints(n: number, o: SampleOptions = {}): Float64Array {
    checkCount('GeometryXTime.initialPoints', n);
    const d = this.geometry.dim, x = this.geometry.samplePoints(n, o), out = new Float64Array(n * (d + 1));
    for (let i = 0; i < n; i++) { out.set(x.subarray(i * d, (i + 1) * d), i * (d + 1)); out[i * (d + 1) + d] = this.time.t0; }
    return out;
  }
  /** Same as initialPoints (the name used by the rest of pinn-torch). */
  initial(n: number, o: SampleOptions = {}): Float64Array { return this.initialPoints(n, o); }
}

// Space × time: (x, t) with x in a geometry and t in [t0, t1]; time is the last column.
import { Geometry, type BoundarySample, type SampleOptions, rngOf } from './geometry.js';
import { Interval } from './box.js';
import { checkCount, sample } from './sampler.js';

export class TimeDomain extends Interval {
  constructor(readonly t0: number, readonly t1: number) { super(t0, t1); }
}

export class GeometryXTime {
  readonly dim: number;
  constructor(readonly geometry: Geometry, readonly time: TimeDomain) {
    if (!(geometry instanceof Geometry) || !(time instanceof TimeDomain)) throw new TypeError('GeometryXTime: needs a Geometry and a TimeDomain');
    this.dim = geometry.dim + 1;
  }
  private withTimes(space: Float64Array, times: ArrayLike<number>): Float64Array {
    const d = this.geometry.dim, n = space.length / d, out = new Float64Array(n * (d + 1));
    for (let i = 0; i < n; i++) { out.set(space.subarray(i * d, (i + 1) * d), i * (d + 1)); out[i * (d + 1) + d] = times[i]; }
    return out;
  }
  private times(n: number, o: SampleOptions, rng = rngOf(o)): Float64Array {
    const u = sample(o.sampler ?? 'uniform', n, 1, rng);
    return u.map((v) => this.time.t0 + (this.time.t1 - this.time.t0) * v);
  }
  /** n points (x, t) with x inside the geometry and t in (t0, t1). */
  interior(n: number, o: SampleOptions = {}): Float64Array {
    checkCount('GeometryXTime.interior', n, this.dim);
    const rng = rngOf(o);
    return this.withTimes(this.geometry.interior(n, { sampler: o.sampler, rng }), this.times(n, o, rng));
  }
  /** n points on ∂Ω × (t0, t1), normals in space only (the time component is 0). */
  boundary(n: number, o: SampleOptions = {}): BoundarySample {
    checkCount('GeometryXTime.boundary', n, this.dim);
    const rng = rngOf(o);
    const s = this.geometry.boundary(n, { sampler: o.sampler, rng });
    return { points: this.withTimes(s.points, this.times(n, o, rng)), normals: this.withTimes(s.normals, new Float64Array(n)) };
  }
  /** n points (x, t0) with x inside the geometry (boundary included for closed initial data). */
  initial(n: number, o: SampleOptions = {}): Float64Array {
    checkCount('GeometryXTime.initial', n, this.dim);
    return this.withTimes(this.geometry.interior(n, o), new Float64Array(n).fill(this.time.t0));
  }
}

import { Geometry, type BoundarySample, EPS, type SampleOptions, checkPoint, rngOf } from './geometry.js';
import { checkCount, sample } from './sampler.js';

/** The closed disk |x − c| ≤ r. */
export class Disk extends Geometry {
  constructor(readonly center: [number, number], readonly radius: number) {
    checkPoint('Disk', center, 2);
    if (!(radius > 0)) throw new RangeError(`Disk: radius must be > 0, got ${radius}`);
    super(2, [[center[0] - radius, center[1] - radius], [center[0] + radius, center[1] + radius]]);
  }
  override get measure(): number { return Math.PI * this.radius ** 2; }
  private dist(p: ArrayLike<number>) { return Math.hypot(p[0] - this.center[0], p[1] - this.center[1]); }
  inside(p: ArrayLike<number>) { return this.dist(p) <= this.radius + EPS; }
  onBoundary(p: ArrayLike<number>) { return Math.abs(this.dist(p) - this.radius) < EPS; }
  normal(p: ArrayLike<number>) { const r = this.dist(p); return [(p[0] - this.center[0]) / r, (p[1] - this.center[1]) / r]; }
  /** Angles from the sampler's first coordinate; normals are radial. */
  boundary(n: number, o: SampleOptions = {}): BoundarySample {
    checkCount('Disk.boundary', n, 2);
    const u = sample(o.sampler ?? 'uniform', n, 1, rngOf(o));
    const points = new Float64Array(2 * n), normals = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const a = 2 * Math.PI * u[i], c = Math.cos(a), s = Math.sin(a);
      points[2 * i] = this.center[0] + this.radius * c; points[2 * i + 1] = this.center[1] + this.radius * s;
      normals[2 * i] = c; normals[2 * i + 1] = s;
    }
    return { points, normals };
  }
}

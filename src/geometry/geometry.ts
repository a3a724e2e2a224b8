// Geometry: a domain in ℝ^d that can say whether points are inside / on its boundary, give
// outward normals, and sample interior and boundary points. Points are row-major Float64Array
// (n × dim); `toTensor` turns them into a [n, dim] tensor.
import { tensor } from '../creation.js';
import { type DType, type Device } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { Random } from './random.js';
import { type SamplerName, checkCount, sample } from './sampler.js';

export interface SampleOptions { sampler?: SamplerName; rng?: Random; seed?: number }
export interface BoundarySample { points: Float64Array; normals: Float64Array }

/** Distance under which a point counts as on the boundary. */
export const EPS = 1e-9;

export function rngOf(o: SampleOptions): Random { return o.rng ?? new Random(o.seed ?? 0); }

export function toTensor(points: Float64Array, dim: number, { dtype = 'float32', device }: { dtype?: DType; device?: Device | string } = {}): Tensor {
  return tensor(points, { shape: [points.length / dim, dim] }).to({ dtype, device: device ?? 'cpu' });
}

export abstract class Geometry {
  constructor(readonly dim: number, readonly bbox: [lo: number[], hi: number[]]) {}

  abstract inside(p: ArrayLike<number>): boolean;       // closed: includes the boundary
  abstract onBoundary(p: ArrayLike<number>): boolean;
  abstract normal(p: ArrayLike<number>): number[];       // outward unit normal at a boundary point
  /** n boundary points with their outward normals. */
  abstract boundary(n: number, o?: SampleOptions): BoundarySample;

  /** Measure of the domain (length, area, volume), or NaN if not known in closed form. */
  get measure(): number { return NaN; }

  /** n interior points: sampler points in the bounding box, kept when inside (rejection). */
  interior(n: number, o: SampleOptions = {}): Float64Array {
    checkCount(`${this.constructor.name}.interior`, n, this.dim);
    const rng = rngOf(o);
    const [lo, hi] = this.bbox;
    const d = this.dim, out = new Float64Array(n * d), p = new Float64Array(d);
    let filled = 0;
    for (let attempt = 0; filled < n; attempt++) {
      if (attempt > 1000) throw new Error(`${this.constructor.name}.interior: could not find interior points (is the domain empty?)`);
      const want = Math.max(16, Math.ceil((n - filled) * 1.5));
      const u = sample(o.sampler ?? 'uniform', want, d, rng);
      for (let i = 0; i < want && filled < n; i++) {
        for (let j = 0; j < d; j++) p[j] = lo[j] + (hi[j] - lo[j]) * u[i * d + j];
        if (this.inside(p) && !this.onBoundary(p)) { out.set(p, filled * d); filled++; }
      }
    }
    return out;
  }
}

export function checkPoint(op: string, v: unknown, dim?: number): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x)) || (dim !== undefined && v.length !== dim)) {
    throw new TypeError(`${op}: expected ${dim === undefined ? 'a point' : `a point with ${dim} coordinates`} (finite numbers), got ${JSON.stringify(v)}`);
  }
  return v;
}

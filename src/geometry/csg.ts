// Constructive solid geometry. Interiors combine the operands' predicates; boundaries are the
// parts of each operand's boundary that bound the result (normals of a subtracted shape flip).
import { Geometry, type BoundarySample, type SampleOptions, rngOf } from './geometry.js';
import { checkCount } from './sampler.js';

type Op = 'union' | 'difference' | 'intersection';

abstract class CSG extends Geometry {
  constructor(readonly a: Geometry, readonly b: Geometry, private readonly op: Op) {
    if (!(a instanceof Geometry) || !(b instanceof Geometry)) throw new TypeError(`${new.target.name}: both operands must be geometries`);
    if (a.dim !== b.dim) throw new Error(`${new.target.name}: operands have dimensions ${a.dim} and ${b.dim}`);
    const [alo, ahi] = a.bbox, [blo, bhi] = b.bbox;
    const bbox: [number[], number[]] = op === 'union'
      ? [alo.map((v, i) => Math.min(v, blo[i])), ahi.map((v, i) => Math.max(v, bhi[i]))]
      : op === 'intersection' ? [alo.map((v, i) => Math.max(v, blo[i])), ahi.map((v, i) => Math.min(v, bhi[i]))] : [alo, ahi];
    super(a.dim, bbox);
  }
  private strictlyInside(g: Geometry, p: ArrayLike<number>) { return g.inside(p) && !g.onBoundary(p); }

  inside(p: ArrayLike<number>): boolean {
    const { a, b } = this;
    if (this.op === 'union') return a.inside(p) || b.inside(p);
    if (this.op === 'intersection') return a.inside(p) && b.inside(p);
    return a.inside(p) && !this.strictlyInside(b, p);
  }
  /** Which operand's boundary point p belongs to on the result's boundary, and whether to flip. */
  private owner(p: ArrayLike<number>): [Geometry, boolean] | null {
    const { a, b } = this;
    if (this.op === 'union') {
      if (a.onBoundary(p) && !this.strictlyInside(b, p)) return [a, false];
      if (b.onBoundary(p) && !this.strictlyInside(a, p)) return [b, false];
    } else if (this.op === 'intersection') {
      if (a.onBoundary(p) && b.inside(p)) return [a, false];
      if (b.onBoundary(p) && a.inside(p)) return [b, false];
    } else {
      if (a.onBoundary(p) && !this.strictlyInside(b, p)) return [a, false];
      if (b.onBoundary(p) && this.strictlyInside(a, p)) return [b, true];
    }
    return null;
  }
  onBoundary(p: ArrayLike<number>): boolean { return this.owner(p) !== null; }
  normal(p: ArrayLike<number>): number[] {
    const o = this.owner(p);
    if (!o) throw new Error(`${this.constructor.name}.normal: point is not on the boundary`);
    const n = o[0].normal(p);
    return o[1] ? n.map((v) => -v) : n;
  }
  /** Draws from both operands' boundaries and keeps points on the result's boundary. */
  boundary(n: number, o: SampleOptions = {}): BoundarySample {
    checkCount(`${this.constructor.name}.boundary`, n, this.dim);
    const rng = rngOf(o), d = this.dim;
    const points = new Float64Array(n * d), normals = new Float64Array(n * d);
    let filled = 0;
    for (let attempt = 0; filled < n; attempt++) {
      if (attempt > 1000) throw new Error(`${this.constructor.name}.boundary: the result has no boundary to sample`);
      for (const [g, flip] of [[this.a, false], [this.b, this.op === 'difference']] as const) {
        const s = g.boundary(n, { sampler: o.sampler, rng });
        for (let i = 0; i < n && filled < n; i++) {
          const p = s.points.subarray(i * d, (i + 1) * d);
          const who = this.owner(p);
          if (!who || who[0] !== g) continue;
          points.set(p, filled * d);
          for (let j = 0; j < d; j++) normals[filled * d + j] = flip ? -s.normals[i * d + j] : s.normals[i * d + j];
          filled++;
        }
      }
    }
    return { points, normals };
  }
}

export class Union extends CSG { constructor(a: Geometry, b: Geometry) { super(a, b, 'union'); } }
export class Difference extends CSG { constructor(a: Geometry, b: Geometry) { super(a, b, 'difference'); } }
export class Intersection extends CSG { constructor(a: Geometry, b: Geometry) { super(a, b, 'intersection'); } }

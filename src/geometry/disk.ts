// The disk: a circle's interior and the circle.
import { checkPoint, checkPositive } from '../checks.js';
import { type Tensor } from '../tensor.js';
import { column } from './adf.js';
import { type BoundaryMap, Geometry, type Side, allRows } from './geometry.js';

/** The closed disk |x − c| ≤ r in the plane. */
export class Disk extends Geometry {
  readonly center: readonly [number, number];
  readonly radius: number;

  constructor(center: readonly [number, number], radius: number) {
    checkPoint('Disk', 'center', center, 2);
    checkPositive('Disk', 'radius', radius);
    super(2, [[center[0] - radius, center[1] - radius], [center[0] + radius, center[1] + radius]]);
    this.center = [center[0], center[1]];
    this.radius = radius;
  }

  /** Area πr². */
  override get measure(): number { return Math.PI * this.radius ** 2; }
  /** Circumference 2πr. */
  override get boundaryMeasure(): number { return 2 * Math.PI * this.radius; }

  private fromCenter(p: ArrayLike<number>): number { return Math.hypot(p[0] - this.center[0], p[1] - this.center[1]); }
  insidePoint(p: ArrayLike<number>): boolean { return this.fromCenter(p) <= this.radius + this.tol; }
  onBoundaryPoint(p: ArrayLike<number>): boolean { return Math.abs(this.fromCenter(p) - this.radius) <= this.tol; }
  /** Radial: n = (x − c)/|x − c|. */
  normalAt(p: ArrayLike<number>): number[] {
    const r = this.fromCenter(p);
    return [(p[0] - this.center[0]) / r, (p[1] - this.center[1]) / r];
  }

  /** One part, the circle. */
  readonly boundaryParts: readonly string[] = ['circle'];
  get candidateMeasures(): readonly number[] { return [this.boundaryMeasure]; }
  /** One parameter, the angle θ = 2πu: x = c + r(cos θ, sin θ), n = (cos θ, sin θ). */
  readonly boundaryParams = 1;
  boundaryFromUnit(u: Float64Array, width: number, _parts?: readonly number[]): BoundaryMap {
    const m = Math.floor(u.length / width);
    const points = new Float64Array(2 * m), normals = new Float64Array(2 * m);
    for (let i = 0; i < m; i++) {
      const a = 2 * Math.PI * u[i * width], c = Math.cos(a), s = Math.sin(a);
      points[2 * i] = this.center[0] + this.radius * c;
      points[2 * i + 1] = this.center[1] + this.radius * s;
      normals[2 * i] = c;
      normals[2 * i + 1] = s;
    }
    return { points, normals, parts: new Int32Array(m), rows: allRows(m) };
  }

  /** The circle's ADF φ = (r² − |x − c|²)/(2r): a quadratic, zero on the circle, |∇φ| = |x − c|/r = 1 there. */
  signedDistance(x: Tensor): Tensor {
    const [cx, cy] = this.center, r = this.radius;
    return column(x, 0).sub(cx).square().add(column(x, 1).sub(cy).square()).rsub(r * r).div(2 * r);
  }
  /** Never called: the circle is the only part, and partsDistance handles 'every part'. */
  protected someParts(x: Tensor, _parts: readonly number[], _side: Side): Tensor { return this.signedDistance(x); }
}

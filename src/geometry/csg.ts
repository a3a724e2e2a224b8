// Constructive solid geometry: union, difference and intersection of two geometries of the same
// dimension. Interiors combine the operands' inside() predicates; the boundary is made of the
// parts of each operand's boundary that bound the result, with a subtracted shape's normals
// flipped. Boundary points are drawn from both operands' boundaries in proportion to their
// measures and kept when they bound the result, so they are uniform on the result's boundary.
import { type BoundaryMap, Geometry } from './geometry.js';

type Op = 'union' | 'difference' | 'intersection';

abstract class CSG extends Geometry {
  readonly a: Geometry;
  readonly b: Geometry;
  private readonly op: Op;
  /** Step δ along a normal to tell which side of a shared boundary the result is on. */
  private readonly step: number;

  constructor(a: Geometry, b: Geometry, op: Op) {
    const name = new.target.name;
    if (!(a instanceof Geometry) || !(b instanceof Geometry)) throw new TypeError(`${name}: both operands must be geometries`);
    if (a.dim !== b.dim) throw new RangeError(`${name}: operands have dimensions ${a.dim} and ${b.dim}`);
    const [alo, ahi] = a.bbox, [blo, bhi] = b.bbox;
    let bbox: [number[], number[]];
    if (op === 'union') bbox = [alo.map((v, i) => Math.min(v, blo[i])), ahi.map((v, i) => Math.max(v, bhi[i]))];
    else if (op === 'intersection') {
      bbox = [alo.map((v, i) => Math.max(v, blo[i])), ahi.map((v, i) => Math.min(v, bhi[i]))];
      if (bbox[0].some((l, i) => !(l < bbox[1][i]))) {
        throw new RangeError(`${name}: the operands' bounding boxes do not overlap, so the intersection is empty`);
      }
    } else bbox = [[...alo], [...ahi]];
    super(a.dim, bbox);
    this.a = a;
    this.b = b;
    this.op = op;
    this.step = 1000 * this.tol;
  }

  /** Union: x ∈ A ∨ x ∈ B; intersection: x ∈ A ∧ x ∈ B; difference: x ∈ A ∧ x ∉ int B (closed sets). */
  insidePoint(p: ArrayLike<number>): boolean {
    const { a, b } = this;
    if (this.op === 'union') return a.insidePoint(p) || b.insidePoint(p);
    if (this.op === 'intersection') return a.insidePoint(p) && b.insidePoint(p);
    return a.insidePoint(p) && !(b.insidePoint(p) && !b.onBoundaryPoint(p));
  }

  /**
   * Whether a point of ∂g (g an operand, `other` the other one) bounds the result:
   * union x ∉ other, intersection x ∈ other, difference: on ∂A x ∉ B, on ∂B x ∈ A. Where both
   * boundaries meet (shared edges) the result decides: x − δn inside it and x + δn outside.
   */
  private bounds(g: Geometry, other: Geometry, flip: boolean, p: ArrayLike<number>): boolean {
    if (other.onBoundaryPoint(p)) {
      const n = g.normalAt(p), s = flip ? -this.step : this.step;
      return this.insidePoint(Array.from(p, (v, j) => v - s * n[j])) && !this.insidePoint(Array.from(p, (v, j) => v + s * n[j]));
    }
    if (this.op === 'union') return !other.insidePoint(p);
    if (this.op === 'intersection') return other.insidePoint(p);
    return g === this.a ? !other.insidePoint(p) : other.insidePoint(p);
  }

  /** The operand whose boundary carries p on the result's boundary (A first), and whether its normal flips. */
  private owner(p: ArrayLike<number>): [Geometry, boolean] | null {
    const { a, b } = this, flipB = this.op === 'difference';
    if (a.onBoundaryPoint(p) && this.bounds(a, b, false, p)) return [a, false];
    if (b.onBoundaryPoint(p) && this.bounds(b, a, flipB, p)) return [b, flipB];
    return null;
  }
  onBoundaryPoint(p: ArrayLike<number>): boolean { return this.owner(p) !== null; }
  /** The owning operand's outward normal, negated for the subtracted shape of a difference. */
  normalAt(p: ArrayLike<number>): number[] {
    const o = this.owner(p);
    if (!o) throw new Error(`${this.name}.normalAt: point (${Array.from(p).join(', ')}) is not on the boundary`);
    const n = o[0].normalAt(p);
    return o[1] ? n.map((v) => -v) : n;
  }

  /** One selector (operand A when u₀ < |∂A|/(|∂A| + |∂B|)) plus the operands' own parameters. */
  get boundaryParams(): number { return 1 + Math.max(this.a.boundaryParams, this.b.boundaryParams); }
  /** The candidates are both operands' candidates: measure |∂A| + |∂B|. */
  override get candidateMeasure(): number { return this.a.candidateMeasure + this.b.candidateMeasure; }

  boundaryFromUnit(u: Float64Array, width: number): BoundaryMap {
    const d = this.dim, m = Math.floor(u.length / width);
    const shareA = this.a.candidateMeasure / this.candidateMeasure;
    const parts = ([[this.a, false], [this.b, this.op === 'difference']] as const).map(([g, flip], which) => {
      const rows: number[] = [];
      for (let r = 0; r < m; r++) if ((u[r * width] < shareA) === (which === 0)) rows.push(r);
      const k = g.boundaryParams, sub = new Float64Array(rows.length * k);
      rows.forEach((r, i) => { for (let c = 0; c < k; c++) sub[i * k + c] = u[r * width + 1 + c]; });
      const cand = g.boundaryFromUnit(sub, k);
      const kept: { row: number; at: number }[] = [];
      for (let i = 0; i < cand.rows.length; i++) {
        const o = this.owner(cand.points.subarray(i * d, (i + 1) * d));
        if (o !== null && o[0] === g) kept.push({ row: rows[cand.rows[i]], at: i });
      }
      return { cand, flip, kept };
    });
    // Merge both operands' kept points back into row order.
    const total = parts[0].kept.length + parts[1].kept.length;
    const points = new Float64Array(total * d), normals = new Float64Array(total * d), rows = new Int32Array(total);
    let ia = 0, ib = 0;
    for (let i = 0; i < total; i++) {
      const fromA = ib >= parts[1].kept.length || (ia < parts[0].kept.length && parts[0].kept[ia].row < parts[1].kept[ib].row);
      const part = fromA ? parts[0] : parts[1], { row, at } = part.kept[fromA ? ia++ : ib++];
      rows[i] = row;
      points.set(part.cand.points.subarray(at * d, (at + 1) * d), i * d);
      for (let j = 0; j < d; j++) normals[i * d + j] = part.flip ? -part.cand.normals[at * d + j] : part.cand.normals[at * d + j];
    }
    return { points, normals, rows };
  }
}

/** A ∪ B. */
export class Union extends CSG { constructor(a: Geometry, b: Geometry) { super(a, b, 'union'); } }
/** A \ B (the closure: B's boundary inside A becomes boundary, with B's normals reversed). */
export class Difference extends CSG { constructor(a: Geometry, b: Geometry) { super(a, b, 'difference'); } }
/** A ∩ B. */
export class Intersection extends CSG { constructor(a: Geometry, b: Geometry) { super(a, b, 'intersection'); } }

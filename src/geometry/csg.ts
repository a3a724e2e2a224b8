// Constructive solid geometry of any number of operands of the same dimension:
// Union(a, b, c, …), Intersection(a, b, c, …) and Difference(a, b, c, …) = a ∖ (b ∪ c ∪ …).
// Interiors combine the operands' inside() predicates; the boundary is made of the parts of each
// operand's boundary that bound the result, with a subtracted shape's normals flipped. Boundary
// points are drawn from the operands' boundaries in proportion to their measures (one selector
// coordinate, then the operand's own parameters, so 1 + max(operand parameters) in all) and
// kept when they bound the result, so they are uniform on the result's boundary.
//
// Parts: operand i's parts, named '<operand name>.<part>' with the operand's name its index
// ('0.left', '3.circle') unless `names` are given (see CSGOptions). A piece of boundary shared by
// several operands belongs to the first of them.
import { checkNames, checkOptions, need } from '../checks.js';
import { invalidArgument } from '../errors.js';
import { type Tensor } from '../tensor.js';
import { rAndAll, rOrAll, trim } from './adf.js';
import { type BoundaryMap, Geometry, type Side } from './geometry.js';

type Op = 'union' | 'difference' | 'intersection';

export interface CSGOptions {
  /**
   * One name per operand (unique, non-empty), prefixing its parts' names instead of its index.
   * Dotted names make groups, since `where` selects by dot-separated prefix: operands named
   * 'holes.0', 'holes.1', … have parts 'holes.0.circle', … and where: 'holes' picks them all.
   */
  names?: readonly string[];
}
/** Operands, optionally followed by options. */
export type CSGArgs = Geometry[] | [...Geometry[], CSGOptions];

abstract class CSG extends Geometry {
  readonly operands: readonly Geometry[];
  /** The operands' names, the prefixes of their parts' names. */
  readonly operandNames: readonly string[];
  readonly boundaryParts: readonly string[];
  private readonly op: Op;
  /** Index in boundaryParts of each operand's first part. */
  private readonly offsets: readonly number[];
  /** Step δ along a normal to tell which side of a shared boundary the result is on. */
  private readonly step: number;

  constructor(args: CSGArgs, op: Op) {
    const name = new.target.name;
    const last = args[args.length - 1];
    const hasOptions = last !== null && typeof last === 'object' && !(last instanceof Geometry);
    const options = hasOptions ? checkOptions(name, last as CSGOptions, ['names']) : undefined;
    const operands = (hasOptions ? args.slice(0, -1) : args) as unknown[];
    need(operands.length >= 2, name, 'operands', 'at least 2 geometries', operands.length);
    operands.forEach((g, i) => { if (!(g instanceof Geometry)) throw invalidArgument(name, `operand ${i}`, 'a Geometry', g); });
    const ops = operands as Geometry[];
    const odd = ops.find((g) => g.dim !== ops[0].dim);
    if (odd) throw new RangeError(`${name}: operands have dimensions ${ops[0].dim} and ${odd.dim}`);
    const los = ops.map((g) => g.bbox[0]), his = ops.map((g) => g.bbox[1]);
    const axes = ops[0].bbox[0].map((_, j) => j);
    let bbox: [number[], number[]];
    if (op === 'union') bbox = [axes.map((j) => Math.min(...los.map((l) => l[j]))), axes.map((j) => Math.max(...his.map((h) => h[j])))];
    else if (op === 'intersection') {
      bbox = [axes.map((j) => Math.max(...los.map((l) => l[j]))), axes.map((j) => Math.min(...his.map((h) => h[j])))];
      if (bbox[0].some((l, j) => !(l < bbox[1][j]))) {
        throw new RangeError(`${name}: the operands' bounding boxes do not overlap, so the intersection is empty`);
      }
    } else bbox = [[...los[0]], [...his[0]]];
    super(ops[0].dim, bbox);

    const names = options?.names === undefined ? ops.map((_, i) => String(i)) : checkNames(name, 'names', options.names, ops.length);
    const parts = ops.flatMap((g, i) => g.boundaryParts.map((p) => `${names[i]}.${p}`));
    const dup = parts.find((p, i) => parts.indexOf(p) !== i);
    if (dup !== undefined) throw new Error(`${name}: names give two boundary parts the name '${dup}'`);
    this.operands = Object.freeze([...ops]);
    this.operandNames = Object.freeze([...names]);
    this.boundaryParts = Object.freeze(parts);
    this.offsets = ops.map((_, i) => ops.slice(0, i).reduce((s, g) => s + g.boundaryParts.length, 0));
    this.op = op;
    this.step = 1000 * this.tol;
  }

  /** Whether operand i's normals are reversed on the result's boundary (the subtracted shapes of a difference). */
  private flips(i: number): boolean { return this.op === 'difference' && i > 0; }

  /** Union: x in some operand; intersection: in every one; difference: in the first and in no other's interior (closed sets). */
  insidePoint(p: ArrayLike<number>): boolean {
    const [first, ...rest] = this.operands;
    if (this.op === 'union') return this.operands.some((g) => g.insidePoint(p));
    if (this.op === 'intersection') return this.operands.every((g) => g.insidePoint(p));
    return first.insidePoint(p) && !rest.some((g) => g.insidePoint(p) && !g.onBoundaryPoint(p));
  }

  /**
   * Whether a point of ∂gᵢ bounds the result: union x in no other operand, intersection x in
   * every other, difference: on the first x in no subtracted shape, on a subtracted one x in
   * the first and in no other subtracted one. Where boundaries meet (shared edges) the result
   * decides: x − δn inside it and x + δn outside.
   */
  private bounds(i: number, p: ArrayLike<number>): boolean {
    const ops = this.operands;
    if (ops.some((o, j) => j !== i && o.onBoundaryPoint(p))) {
      const n = ops[i].normalAt(p), s = this.flips(i) ? -this.step : this.step;
      return this.insidePoint(Array.from(p, (v, j) => v - s * n[j])) && !this.insidePoint(Array.from(p, (v, j) => v + s * n[j]));
    }
    if (this.op === 'union') return !ops.some((o, j) => j !== i && o.insidePoint(p));
    if (this.op === 'intersection') return ops.every((o, j) => j === i || o.insidePoint(p));
    return (i === 0 || ops[0].insidePoint(p)) && !ops.some((h, j) => j > 0 && j !== i && h.insidePoint(p));
  }

  /** The operand whose boundary carries p on the result's boundary (the first such), or −1. */
  private owner(p: ArrayLike<number>): number {
    return this.operands.findIndex((g, i) => g.onBoundaryPoint(p) && this.bounds(i, p));
  }
  onBoundaryPoint(p: ArrayLike<number>): boolean { return this.owner(p) >= 0; }
  /** The owning operand's outward normal, negated for the subtracted shapes of a difference. */
  normalAt(p: ArrayLike<number>): number[] {
    const i = this.owner(p);
    if (i < 0) throw new Error(`${this.name}.normalAt: point (${Array.from(p).join(', ')}) is not on the boundary`);
    const n = this.operands[i].normalAt(p);
    return this.flips(i) ? n.map((v) => -v) : n;
  }

  /** One selector (operand i with probability ∝ its candidate measure) plus the operands' own parameters. */
  get boundaryParams(): number { return 1 + Math.max(...this.operands.map((g) => g.boundaryParams)); }
  /** The candidates are the operands' candidates: their parts' measures, in order. */
  get candidateMeasures(): readonly number[] { return this.operands.flatMap((g) => g.candidateMeasures); }

  /** The chosen parts (indices into boundaryParts) as each operand's own part indices; every part when undefined. */
  private split(parts: readonly number[] | undefined): number[][] {
    return this.operands.map((g, i) => {
      const own = g.boundaryParts.map((_, k) => k);
      return parts === undefined ? own : own.filter((k) => parts.includes(this.offsets[i] + k));
    });
  }

  boundaryFromUnit(u: Float64Array, width: number, parts?: readonly number[]): BoundaryMap {
    const d = this.dim, m = Math.floor(u.length / width);
    const subs = this.split(parts);
    const weights = this.operands.map((g, i) => subs[i].reduce((s, k) => s + g.candidateMeasures[k], 0));
    const total = weights.reduce((a, b) => a + b, 0);
    const shares = weights.map((_, i) => weights.slice(0, i + 1).reduce((a, b) => a + b, 0) / total);
    const lastUsed = weights.reduce((last, w, i) => (w > 0 ? i : last), -1);
    // Per row: the operand it was handed to, and the index of its point among that operand's kept candidates.
    const rowOperand = new Int32Array(m).fill(-1), rowAt = new Int32Array(m);
    const byOperand: number[][] = this.operands.map(() => []);
    for (let r = 0; r < m; r++) {
      const i = shares.findIndex((c, j) => weights[j] > 0 && u[r * width] < c);
      byOperand[i < 0 ? lastUsed : i].push(r);
    }
    const candidates = this.operands.map((g, i) => {
      const rows = byOperand[i], k = g.boundaryParams;
      if (rows.length === 0) return null;
      const sub = new Float64Array(rows.length * k);
      rows.forEach((r, at) => { for (let c = 0; c < k; c++) sub[at * k + c] = u[r * width + 1 + c]; });
      const cand = g.boundaryFromUnit(sub, k, subs[i]);
      for (let at = 0; at < cand.rows.length; at++) {
        if (this.owner(cand.points.subarray(at * d, (at + 1) * d)) !== i) continue;
        const r = rows[cand.rows[at]];
        rowOperand[r] = i;
        rowAt[r] = at;
      }
      return cand;
    });
    const kept = rowOperand.reduce((n, i) => n + (i >= 0 ? 1 : 0), 0);
    const points = new Float64Array(kept * d), normals = new Float64Array(kept * d), partOf = new Int32Array(kept), rows = new Int32Array(kept);
    for (let r = 0, out = 0; r < m; r++) {
      const i = rowOperand[r];
      if (i < 0) continue;
      const cand = candidates[i]!, at = rowAt[r], sign = this.flips(i) ? -1 : 1;
      points.set(cand.points.subarray(at * d, (at + 1) * d), out * d);
      for (let j = 0; j < d; j++) normals[out * d + j] = sign * cand.normals[at * d + j];
      partOf[out] = this.offsets[i] + cand.parts[at];
      rows[out++] = r;
    }
    return { points, normals, parts: partOf, rows };
  }

  /**
   * R-function of the operands' signed distances: union φ₁ ∨ φ₂ ∨ …, intersection
   * φ₁ ∧ φ₂ ∧ …, difference φ₁ ∧ (−φ₂) ∧ (−φ₃) ∧ …. Zero exactly on the result's boundary,
   * except that a union's φ also vanishes where operands touch without overlapping (a shared
   * edge inside the union): let such operands overlap.
   */
  signedDistance(x: Tensor): Tensor {
    const s = this.operands.map((g) => g.signedDistance(x));
    if (this.op === 'union') return rOrAll(s);
    if (this.op === 'intersection') return rAndAll(s);
    return rAndAll(s.map((v, i) => (i === 0 ? v : v.neg())));
  }

  /**
   * Some parts. Inside an intersection or a difference, every operand contains the result (a
   * subtracted one's complement does), so each operand's own partial distance on that side is
   * ≥ 0 on the result and vanishes there only on its chosen parts: their conjunction. For a
   * union, or outside, each operand's parts are trimmed (adf.trim) to where they bound the
   * result: the region t ≥ 0 of an R-function of the other operands.
   */
  protected someParts(x: Tensor, parts: readonly number[], side: Side): Tensor {
    const subs = this.split(parts), used = this.operands.map((_, i) => i).filter((i) => subs[i].length > 0);
    if (side === 'inside' && this.op !== 'union') {
      return rAndAll(used.map((i) => this.operands[i].partsDistance(x, subs[i], this.flips(i) ? 'outside' : 'inside')));
    }
    const s = this.operands.map((g) => g.signedDistance(x));
    const keeps = (i: number): Tensor => {
      const others = s.filter((_, j) => j !== i);
      if (this.op === 'union') return rAndAll(others.map((v) => v.neg()));
      if (this.op === 'intersection') return rAndAll(others);
      return rAndAll(s.flatMap((v, j) => (j === i ? [] : j === 0 ? [v] : [v.neg()])));
    };
    return rAndAll(used.map((i) => trim(this.operands[i].partsDistance(x, subs[i], 'anywhere'), keeps(i))));
  }
}

/** a ∪ b ∪ …; optionally followed by { names } (CSGOptions). */
export class Union extends CSG { constructor(...args: CSGArgs) { super(args, 'union'); } }
/** a ∖ (b ∪ c ∪ …): the closure, with the subtracted shapes' boundaries inside a (normals reversed); optionally followed by { names }. */
export class Difference extends CSG { constructor(...args: CSGArgs) { super(args, 'difference'); } }
/** a ∩ b ∩ …; optionally followed by { names }. */
export class Intersection extends CSG { constructor(...args: CSGArgs) { super(args, 'intersection'); } }

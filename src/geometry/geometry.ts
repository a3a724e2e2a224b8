// Geometry: a closed domain Ω ⊂ ℝ^d that says which points are inside it and on its boundary,
// gives outward unit normals, and samples interior and boundary points. Points are row-major
// Float64Array of n × dim; `toTensor` turns them into a [n, dim] tensor.
//
// Sampling is driven by a unit-cube sampler (sampler.ts) and a seeded generator:
// - interior: sampler points mapped onto the bounding box, kept when strictly inside
//   (rejection; boxes map directly);
// - boundary: each shape parametrises its boundary by `boundaryParams` unit coordinates,
//   uniformly in boundary measure (a face chosen ∝ its measure, then a point on it; an angle;
//   an arc length), so sampler rows become boundary points with their normals.
// When a domain needs more candidates (rejection), the sequence is redrawn longer from the same
// generator state, so the points kept are a prefix of one low-discrepancy sequence.
//
// The boundary is split into named parts (`boundaryParts`, parts.ts): boundary samples say which
// part each point is on, and `where` restricts sampling and distance functions to some parts.
// `distance(x)` is an approximate distance function φ (adf.ts): zero on the boundary (or on the
// parts chosen), positive inside, differentiable, for exact Dirichlet conditions u = g + φ·N.
import { tensor } from '../creation.js';
import { type DType, type Device } from '../dtype.js';
import { checkBoolean, checkInteger, checkOneOf, checkOptions, checkPositiveInt, isFiniteNumber, need } from '../checks.js';
import { invalidArgument } from '../errors.js';
import { tidy } from '../memory.js';
import { type Tensor, alive } from '../tensor.js';
import { type Where, selectParts } from './parts.js';
import { Random } from './random.js';
import { type Sampler, type SamplerName, checkCount, getSampler, grid } from './sampler.js';

export interface SampleOptions {
  /** 'uniform' (default) | 'lhs' | 'sobol' | 'halton' | 'grid'. */
  sampler?: SamplerName;
  /** A fresh generator with this seed: the same seed gives the same points. */
  seed?: number;
  /** A generator to draw from (it advances, so successive calls give new points). */
  rng?: Random;
}
export interface BoundaryOptions extends SampleOptions {
  /** Sample only on these boundary parts (names or group prefixes, see `boundaryParts`), uniformly in their measure. */
  where?: Where;
}
export interface BoundarySample {
  points: Float64Array;
  normals: Float64Array;
  /** Per point, the index into `boundaryParts` of the part it lies on. */
  parts: Int32Array;
}
/** Boundary points made from rows of a unit-cube sample, with the index of the row each came from. */
export interface BoundaryMap extends BoundarySample { rows: Int32Array }
/**
 * Which closed set a partial distance function must be non-negative on: the domain
 * ('inside'), the closure of its complement ('outside', for subtracted shapes), or all of space
 * ('anywhere', zero exactly on the parts and positive off them).
 */
export type Side = 'inside' | 'outside' | 'anywhere';
/** Points as a flat row-major array (n × dim) or as an array of points. */
export type Points = ArrayLike<number> | readonly ArrayLike<number>[];

/** Relative tolerance: a point within EPS × (bounding-box diagonal) of the boundary is on it. */
export const EPS = 1e-9;

const SAMPLE_KEYS = ['sampler', 'seed', 'rng'];

let defaultRng = new Random(0);
/** Reseeds the generator used when neither `seed` nor `rng` is given. */
export function seed(s: number): void { defaultRng = new Random(s); }
/** The generator used when neither `seed` nor `rng` is given (seeded 0 at load; save its state() to resume). */
export function defaultRandom(): Random { return defaultRng; }


/** The generator for a call (`rng`, else a fresh one from `seed`, else the shared default one); options checked, unknown keys refused. */
export function rngOf(op: string, o: SampleOptions | undefined, keys: readonly string[] = SAMPLE_KEYS): Random {
  if (o === undefined) return defaultRng;
  checkOptions(op, o, keys);
  if (o.rng !== undefined && o.seed !== undefined) throw new Error(`${op}: pass either seed or rng, not both`);
  if (o.rng !== undefined) {
    if (!(o.rng instanceof Random)) throw invalidArgument(op, 'rng', 'a geometry.Random', o.rng);
    return o.rng;
  }
  if (o.seed !== undefined) return new Random(checkInteger(op, 'seed', o.seed));
  return defaultRng;
}

/** The points as a flat Float64Array, checking there are whole points of `dim` finite coordinates. */
export function flatPoints(op: string, points: Points, dim: number): Float64Array {
  let flat: Float64Array;
  if (ArrayBuffer.isView(points)) flat = points instanceof Float64Array ? points : Float64Array.from(points as ArrayLike<number>);
  else if (Array.isArray(points) && points.length > 0 && typeof points[0] === 'object') {
    flat = new Float64Array(points.length * dim);
    (points as ArrayLike<number>[]).forEach((p, i) => {
      need(p !== null && typeof p === 'object' && p.length === dim, op, `points[${i}]`, `a point of ${dim} coordinates`, p);
      for (let j = 0; j < dim; j++) flat[i * dim + j] = p[j];
    });
  } else if (points !== null && typeof points === 'object' && typeof (points as ArrayLike<number>).length === 'number') {
    flat = Float64Array.from(points as ArrayLike<number>);
  } else throw invalidArgument(op, 'points', `a Float64Array (n × ${dim}, row-major) or an array of points`, points);
  need(flat.length % dim === 0, op, 'points', `whole points of ${dim} coordinates (a length divisible by ${dim})`, points);
  for (let i = 0; i < flat.length; i++) {
    need(isFiniteNumber(flat[i]), op, `points (point ${Math.floor(i / dim)}, coordinate ${i % dim})`, 'a finite number', flat[i]);
  }
  return flat;
}

/**
 * A [n, dim] tensor of the points (float32 by default, as networks are; float64 keeps every
 * digit). `requiresGrad` for collocation points whose derivatives are taken.
 */
export function toTensor(
  points: Points, dim: number, options?: { dtype?: DType; device?: Device | string; requiresGrad?: boolean },
): Tensor {
  const op = 'toTensor', { dtype = 'float32', device, requiresGrad } = checkOptions(op, options, ['dtype', 'device', 'requiresGrad']);
  checkPositiveInt(op, 'dim', dim);
  checkOneOf(op, 'dtype', dtype, ['float32', 'float64']);
  const grad = checkBoolean(op, 'requiresGrad', requiresGrad, false);
  const flat = flatPoints(op, points, dim);
  const values = dtype === 'float64' ? flat : Float32Array.from(flat);
  return tensor(values, { shape: [flat.length / dim, dim], device, requiresGrad: grad });
}

/**
 * Draws rows from the sampler until `take` keeps n of them. Each try restarts from the same
 * generator state with more rows, so for sequences (uniform, Sobol, Halton) earlier rows are a
 * prefix of later tries and the kept rows are the first n kept of one sequence.
 */
export function drawUntil<T extends { count: number }>(
  op: string, n: number, width: number, sampler: Sampler, rng: Random, acceptance: number, take: (u: Float64Array) => T,
): T {
  const start = rng.state();
  const cap = Math.max(2 ** 20, 64 * n);
  let m = Math.min(cap, Math.ceil((n / Math.min(1, Math.max(acceptance, 1e-3))) * 1.1) + 8);
  for (;;) {
    rng.setState(start);
    const res = take(sampler(m, width, rng));
    if (res.count >= n) return res;
    if (m >= cap) {
      throw new Error(`${op}: found only ${res.count} of ${n} points among ${m} candidates (is the domain empty or of zero measure?)`);
    }
    const rate = res.count / m;
    m = Math.min(cap, Math.max(2 * m, rate > 0 ? Math.ceil((n / rate) * 1.2) : 0));
  }
}

export abstract class Geometry {
  readonly dim: number;
  /** Bounding box [lower corner, upper corner]. */
  readonly bbox: readonly [lo: readonly number[], hi: readonly number[]];
  /** Distance within which a point counts as on the boundary: EPS × bounding-box diagonal. */
  readonly tol: number;

  constructor(dim: number, bbox: readonly [readonly number[], readonly number[]]) {
    this.dim = dim;
    this.bbox = [Object.freeze([...bbox[0]]), Object.freeze([...bbox[1]])];
    const diagonal = Math.hypot(...bbox[0].map((l, i) => bbox[1][i] - l));
    this.tol = EPS * (diagonal > 0 ? diagonal : 1);
  }

  // ---- per point (p: dim coordinates) ------------------------------------------------
  /** Whether p ∈ Ω (closed: the boundary is inside), within `tol`. */
  abstract insidePoint(p: ArrayLike<number>): boolean;
  /** Whether p ∈ ∂Ω, within `tol`. */
  abstract onBoundaryPoint(p: ArrayLike<number>): boolean;
  /** The outward unit normal at a boundary point (at corners: the normalised sum of the faces' normals). */
  abstract normalAt(p: ArrayLike<number>): number[];

  // ---- boundary parametrisation --------------------------------------------------------
  /** Names of the parts of the boundary (faces, edges, circles), indexed by BoundarySample.parts. */
  abstract readonly boundaryParts: readonly string[];
  /** How many unit-cube coordinates `boundaryFromUnit` uses per point. */
  abstract readonly boundaryParams: number;
  /**
   * Maps rows of a unit-cube sample (`width` ≥ boundaryParams columns, the first
   * boundaryParams used) to boundary points, uniformly in boundary measure, with their outward
   * normals and parts; with `parts` (ascending part indices) only on those parts, uniformly in
   * their measure. Shapes whose parametrisation covers more than their boundary (CSG) drop
   * rows: `rows` says which row each point came from.
   */
  abstract boundaryFromUnit(u: Float64Array, width: number, parts?: readonly number[]): BoundaryMap;

  /** Measure of Ω (length, area, volume), or NaN when not known in closed form. */
  get measure(): number { return NaN; }
  /** Measure of ∂Ω (a count of points in 1-D), or NaN when not known in closed form. */
  get boundaryMeasure(): number { return NaN; }
  /** Per part, the measure of the set `boundaryFromUnit` draws its candidates from (the part itself for simple shapes). */
  abstract readonly candidateMeasures: readonly number[];
  /** Measure of the set `boundaryFromUnit` draws candidates from (∂Ω itself for simple shapes). */
  get candidateMeasure(): number { return this.candidateMeasures.reduce((a, b) => a + b, 0); }

  // ---- distance functions ----------------------------------------------------------------
  /**
   * Approximate signed distance φ [N, 1] at points x [N, dim]: positive inside, zero on ∂Ω,
   * negative outside, normalised to first order (|∇φ| = 1 on ∂Ω away from corners), smooth
   * inside. Built from the shape's faces, edges and circles with R-functions (adf.ts).
   */
  abstract signedDistance(x: Tensor): Tensor;
  /**
   * A building block for `distance` and CSG: φ [N, 1] that is ≥ 0 on the set `side` names and
   * zero there exactly on the parts listed (ascending indices; x [N, dim], unchecked). Every
   * part: ±φ of signedDistance ('anywhere': |φ|); fewer: the shape's own construction.
   */
  partsDistance(x: Tensor, parts: readonly number[], side: Side): Tensor {
    if (parts.length < this.boundaryParts.length) return this.someParts(x, parts, side);
    const s = this.signedDistance(x);
    return side === 'inside' ? s : side === 'outside' ? s.neg() : s.abs();
  }
  /** partsDistance for a proper, non-empty subset of the parts. */
  protected abstract someParts(x: Tensor, parts: readonly number[], side: Side): Tensor;

  /**
   * Approximate distance function φ [N, 1] to the boundary (or, with `where`, to those parts
   * of it) at points x [N, dim] (float32 or float64; differentiable, so usable in a loss or an
   * output transform): exactly zero on the boundary parts chosen, positive elsewhere in the
   * domain, first-order normalised and smooth inside (Sukumar & Srivastava 2022). For
   * space × time the time column is ignored.
   *
   * φ is signed, so differentiable on the parts too, for the whole boundary and for a box's
   * faces, a disk's circle and polygon edges whose line meets the polygon only there, also as
   * operands of an intersection or a difference (of a subtracted shape: all its boundary, or a
   * circle). Other parts (a union's, a subtracted box's single faces, polygon edges whose line
   * crosses the polygon) are trimmed (adf.trim): unsigned, their gradient exactly on the part
   * undefined. A union's φ also vanishes where its operands touch without overlapping.
   */
  distance(x: Tensor, o?: { where?: Where }): Tensor {
    const op = `${this.name}.distance`;
    checkPointsTensor(op, x, this.dim);
    const parts = selectParts(op, this.boundaryParts, checkOptions(op, o, ['where']).where);
    return tidy(() => (parts.length === this.boundaryParts.length ? this.signedDistance(x) : this.partsDistance(x, parts, 'inside')));
  }

  protected get name(): string { return this.constructor.name; }

  // ---- batches (points: n × dim, row-major, or an array of points) -----------------------
  /** For each point, whether it is in the closed domain. */
  inside(points: Points): boolean[] { return this.each('inside', points, (p) => this.insidePoint(p)); }
  /** For each point, whether it is on the boundary. */
  onBoundary(points: Points): boolean[] { return this.each('onBoundary', points, (p) => this.onBoundaryPoint(p)); }
  /** Outward unit normals (n × dim) at boundary points; throws for a point not on the boundary. */
  boundaryNormal(points: Points): Float64Array {
    const op = `${this.name}.boundaryNormal`, d = this.dim;
    const flat = flatPoints(op, points, d), out = new Float64Array(flat.length);
    for (let i = 0; i < flat.length / d; i++) {
      const p = flat.subarray(i * d, (i + 1) * d);
      if (!this.onBoundaryPoint(p)) throw new Error(`${op}: point ${i} (${Array.from(p).join(', ')}) is not on the boundary`);
      out.set(this.normalAt(p), i * d);
    }
    return out;
  }
  private each(what: string, points: Points, f: (p: Float64Array) => boolean): boolean[] {
    const d = this.dim, flat = flatPoints(`${this.name}.${what}`, points, d);
    return Array.from({ length: flat.length / d }, (_, i) => f(flat.subarray(i * d, (i + 1) * d)));
  }

  // ---- sampling ------------------------------------------------------------------------
  /**
   * n points strictly inside Ω (n × dim). The sampler's points in [0, 1)^d are mapped onto the
   * bounding box, x = lo + (hi − lo)·u, and kept when inside and not on the boundary (boxes keep
   * all). 'grid' is only for boxes (n = k^d); use `uniformPoints` for a regular grid elsewhere.
   */
  samplePoints(n: number, o: SampleOptions = {}): Float64Array {
    const op = `${this.name}.samplePoints`;
    checkCount(op, n, this.dim);
    const rng = rngOf(op, o), name = o?.sampler ?? 'uniform', sampler = getSampler(name, op);
    if (name === 'grid') return this.gridPoints(op, n);
    return this.rejectInterior(op, n, sampler, rng);
  }
  /** Same as samplePoints (the name used by the rest of pinn-torch). */
  interior(n: number, o: SampleOptions = {}): Float64Array { return this.samplePoints(n, o); }

  /** The grid sampler's interior points; only domains that are boxes can give exactly n. */
  protected gridPoints(op: string, _n: number): Float64Array {
    throw new Error(`${op}: the 'grid' sampler cannot give exactly n points inside a ${this.name}; use uniformPoints(n) for a regular grid of about n points`);
  }

  protected rejectInterior(op: string, n: number, sampler: Sampler, rng: Random): Float64Array {
    const d = this.dim, [lo, hi] = this.bbox, p = new Float64Array(d);
    const volume = lo.reduce((m, l, j) => m * (hi[j] - l), 1);
    const acceptance = Number.isFinite(this.measure) ? this.measure / volume : 0.5;
    return drawUntil(op, n, d, sampler, rng, acceptance, (u) => {
      const out = new Float64Array(n * d);
      let count = 0;
      for (let i = 0; i < u.length / d && count < n; i++) {
        for (let j = 0; j < d; j++) p[j] = lo[j] + (hi[j] - lo[j]) * u[i * d + j];
        if (this.insidePoint(p) && !this.onBoundaryPoint(p)) out.set(p, d * count++);
      }
      return { out, count };
    }).out;
  }

  /**
   * At least n points of a regular grid strictly inside Ω: cell centres
   * x_j = lo_j + (m_j + ½)·(hi_j − lo_j)/c_j of the bounding box, with c_j ≈ (hi_j − lo_j)/h and
   * the spacing h shrunk until n cell centres are inside. Deterministic; the count is whatever
   * the grid gives (exactly ∏ c_j for a box).
   */
  uniformPoints(n: number): Float64Array {
    const op = `${this.name}.uniformPoints`;
    checkCount(op, n, this.dim);
    const d = this.dim, [lo, hi] = this.bbox, sides = lo.map((l, j) => hi[j] - l);
    const volume = sides.reduce((a, b) => a * b, 1);
    const fraction = Number.isFinite(this.measure) ? this.measure / volume : 1;
    let h = ((volume * fraction) / n) ** (1 / d);
    const p = new Float64Array(d);
    for (let attempt = 0; attempt < 60; attempt++) {
      const counts = sides.map((s) => Math.max(1, Math.ceil(s / h - 1e-9)));
      const cells = counts.reduce((a, b) => a * b, 1);
      if (cells > Math.max(2 ** 24, 64 * n)) break;
      const out: number[] = [];
      for (let c = 0; c < cells; c++) {
        let m = c;
        for (let j = d - 1; j >= 0; j--) { p[j] = lo[j] + ((m % counts[j]) + 0.5) * (sides[j] / counts[j]); m = Math.floor(m / counts[j]); }
        if (this.insidePoint(p) && !this.onBoundaryPoint(p)) for (let j = 0; j < d; j++) out.push(p[j]);
      }
      const kept = out.length / d;
      if (kept >= n) return Float64Array.from(out);
      h *= kept > 0 ? Math.min(0.95, (kept / n) ** (1 / d)) : 0.5;
    }
    throw new Error(`${op}: no regular grid gives ${n} points inside (is the domain empty or of zero measure?)`);
  }

  /**
   * n boundary points with their outward unit normals (each n × dim) and parts (indices into
   * boundaryParts), uniform in boundary measure; with `where`, only on those parts. 'grid'
   * spaces the points evenly along one-parameter boundaries (interval ends, rectangle
   * perimeter, circle, polygon).
   */
  sampleBoundary(n: number, o: BoundaryOptions = {}): BoundarySample {
    const op = `${this.name}.sampleBoundary`;
    checkCount(op, n, this.dim);
    const rng = rngOf(op, o, [...SAMPLE_KEYS, 'where']), name = o?.sampler ?? 'uniform', sampler = getSampler(name, op);
    const parts = o?.where === undefined ? undefined : selectParts(op, this.boundaryParts, o.where);
    const width = this.boundaryParams, d = this.dim;
    if (name === 'grid') {
      const m = width === 1 ? this.boundaryFromUnit(grid(n, 1), 1, parts) : null;
      if (m === null || m.rows.length < n) {
        throw new Error(`${op}: the 'grid' sampler spaces points evenly only along one-parameter boundaries (interval, rectangle, disk, polygon); use 'sobol' or 'halton' for evenly spread points on this one`);
      }
      return { points: m.points, normals: m.normals, parts: m.parts };
    }
    const acceptance = this.boundaryMeasure / this.candidateMeasure;
    const { m } = drawUntil(op, n, width, sampler, rng, Number.isFinite(acceptance) ? acceptance : 0.5, (u) => {
      const m = this.boundaryFromUnit(u, width, parts);
      return { m, count: m.rows.length };
    });
    return { points: m.points.slice(0, n * d), normals: m.normals.slice(0, n * d), parts: m.parts.slice(0, n) };
  }
  /** Same as sampleBoundary (the name used by the rest of pinn-torch). */
  boundary(n: number, o: BoundaryOptions = {}): BoundarySample { return this.sampleBoundary(n, o); }
}

/** Checks that x is a floating [N, dim] tensor of points. */
export function checkPointsTensor(op: string, x: Tensor, dim: number): void {
  alive(x, op, 'x');
  need(x.ndim === 2 && x.shape[1] === dim, op, 'x', `of shape [N, ${dim}]`, x.shape);
  need(x.dtype === 'float32' || x.dtype === 'float64', op, 'x', 'float32 or float64', x.dtype);
}

/** The rows 0 … m − 1, for parametrisations that keep every row. */
export function allRows(m: number): Int32Array { return Int32Array.from({ length: m }, (_, i) => i); }

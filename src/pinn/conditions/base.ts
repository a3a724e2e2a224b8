// The base of a PINN's loss terms (DeepXDE's icbc, as small classes over one base): each has a
// name, its own points, a weight, and a residual; its loss is the mean of residual² (or |·|²).
// The kinds of term are in pde.ts, prescribed.ts (Dirichlet, Neumann, Robin), periodic.ts,
// initial.ts and data.ts; pinn/conditions.ts gathers them.
import { checkKeys, show } from '../../errors.js';
import { isComplex, isFloating } from '../../dtype.js';
import { type Reduction, l1, msae, mse } from '../../losses.js';
import { fmt } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { arange } from '../../creation.js';
import { keep, tidy } from '../../memory.js';
import { ResidualAttention } from '../attention.js';
import { type Derivatives } from '../derivatives.js';


export type Coefficients = Record<string, Tensor>;
/** A residual: zero where the condition holds. May return several (e.g. vector PDEs). */
export type ResidualFn = (d: Derivatives, c: Coefficients) => Tensor | Tensor[];
/** A prescribed value at the points: a number, or a function of the points [N, inputs]. */
export type Value = number | Tensor | ((x: Tensor) => Tensor);
export type LossName = 'mse' | 'msae' | 'l1';

export interface ConditionOptions {
  weight?: number;
  /** mse (real), msae (mean |r|², real or complex), l1; default: msae, which equals mse for real r. */
  loss?: LossName;
  /** Per-point multipliers on the residual, moved towards where it is largest (attention.ts). */
  attention?: ResidualAttention;
}

const LOSSES: Record<LossName, (r: Tensor, t: number, red: Reduction) => Tensor> = { mse, msae, l1 };

/** A tensor of the term's data: real floating point (points), or complex too (values); NaN and Inf refused. */
export function checkFinite(term: string, what: string, values: Tensor, complexOk = true): void {
  if (!isFloating(values.dtype) && !(complexOk && isComplex(values.dtype))) {
    throw new TypeError(`${term}: ${what} must be floating point (float32 or float64${complexOk ? ', or complex' : ''}), got ${values.dtype}`);
  }
  tidy(() => {
    const t = isComplex(values.dtype) ? values.abs() : values; // complex: finite when its magnitude is
    const bad = t.isfinite().logicalNot();
    if (!bad.any().item()) return;
    const perRow = bad.reshape(t.shape[0], -1).to('float32').sum(1).data() as Float32Array;
    const rows = Array.from(perRow).flatMap((n, i) => (n > 0 ? [i] : []));
    const shown = rows.slice(0, 5).join(', ') + (rows.length > 5 ? `, … (${rows.length} rows)` : '');
    throw new Error(`${term}: ${what} contain NaN or Inf (row${rows.length > 1 ? 's' : ''} ${shown})`);
  });
}

// Terms built from the same points tensor share it (one forward pass, one derivative cache), so
// a point set is freed when the last term holding it lets go, not when the first one does.
const holders = new WeakMap<Tensor, number>();
function hold(t: Tensor): void { holders.set(t, (holders.get(t) ?? 0) + 1); }
function release(t: Tensor): void {
  const n = (holders.get(t) ?? 1) - 1;
  if (n > 0) holders.set(t, n);
  else { holders.delete(t); t.dispose(); }
}

export abstract class Condition {
  readonly weight: number;
  readonly lossName: LossName;
  /** Residual-based attention, when the term has it. */
  readonly attention: ResidualAttention | null;
  private held: Tensor;
  private released = false;

  /**
   * `checks` runs after the points' own checks and before anything is taken: subclasses check
   * their other tensors there (given the label and the number of points), so a refused
   * construction holds nothing.
   */
  /**
   * `keys`: the options the class takes beside weight, loss and attention (others are refused
   * with a suggestion); null for a subclass defined elsewhere, whose options are its own business.
   */
  constructor(readonly name: string, points: Tensor, options: ConditionOptions = {}, checks?: (label: string, n: number) => void, keys: readonly string[] | null = []) {
    const label = `${this.constructor.name} '${name}'`;
    if (typeof name !== 'string' || !name) throw new Error(`${this.constructor.name}: a condition needs a name`);
    if (!(points instanceof Tensor) || points.isDisposed) throw new Error(`${label}: points must be a live Tensor [N, inputs]`);
    if (points.ndim !== 2) throw new Error(`${label}: points must be 2-D [N, inputs], got shape ${fmt(points.shape)}`);
    if (points.shape[0] === 0) throw new Error(`${label}: has no points`);
    checkFinite(label, 'points', points, false);
    if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`${label}: options must be an object`);
    if (keys !== null) checkKeys(label, 'option', options, ['weight', 'loss', 'attention', ...keys]);
    if (keys?.includes('output') && !(typeof (options as { output?: unknown }).output === 'string' && (options as { output: string }).output)) {
      throw new TypeError(`${label}: options.output must name the output the condition is on, got ${show((options as { output?: unknown }).output)}`);
    }
    this.weight = options.weight ?? 1;
    if (!(typeof this.weight === 'number' && this.weight >= 0 && Number.isFinite(this.weight))) throw new Error(`${label}: weight must be a finite number ≥ 0, got ${options.weight}`);
    this.lossName = options.loss ?? 'msae';
    if (!(this.lossName in LOSSES)) throw new Error(`${label}: unknown loss '${this.lossName}' (mse, msae, l1)`);
    if (options.attention !== undefined && !(options.attention instanceof ResidualAttention)) throw new TypeError(`${label}: attention must be a pinn.ResidualAttention`);
    this.attention = options.attention ?? null;
    checks?.(label, points.shape[0]);
    // Everything is checked before the tensor is taken: a failed construction leaves nothing held.
    // The condition takes ownership of the tensor itself (not a copy), so terms built from the
    // same points share one forward pass and one derivative cache in Problem.
    this.held = keep(points.requiresGrad ? points.detach() : points);
    hold(this.held);
  }

  get label(): string { return `${this.constructor.name} '${this.name}'`; }

  /** The term's collocation points [N, inputs]. */
  get points(): Tensor { return this.held; }

  /** The points the network is evaluated at for this term. */
  get evaluationPoints(): Tensor { return this.batch ?? this.points; }

  /**
   * How many of its rows the term evaluates now (all, or the mini-batch, or this rank's share):
   * what `withRows` indexes, and the residual's row count. A periodic term evaluates twice as
   * many points (both sides), so count rows here, not evaluationPoints.
   */
  get evaluatedRows(): number { return (this.batch ?? this.points).shape[0]; }

  /** True while a sampling strategy has this term evaluate a mini-batch of its rows instead of all of them. */
  get isBatched(): boolean { return this.rows !== null; }

  /**
   * This rank's share of the term's mean: its evaluated rows over the rows the whole run
   * evaluates (all of them, or the mini-batch); 1 without data-parallel sharding.
   */
  get rowShare(): number { return this.share; }

  /**
   * Tensors with one row per point that belong to them (targets, normals, partner points, a
   * tensor value), by what they are: they are batched with the points, and they are why such
   * points cannot be replaced (new points would be paired with the old rows).
   */
  protected perPoint(): Record<string, Tensor> { return {}; }

  // The rows evaluated come from two layers: a sampling strategy's mini-batch (`rows`, the same
  // on every rank), then a data-parallel rank's contiguous slice of those (`shard`).
  /** A sampling strategy's subset of the rows; null for all. */
  private rows: Tensor | null = null;
  /** This rank's slice of the rows in use, when training data-parallel. */
  private shard: { rank: number; worldSize: number } | null = null;
  private share = 1;
  /** The points at the evaluated rows; null when every point is evaluated. */
  private batch: Tensor | null = null;
  /** The per-point tensors' evaluated rows. */
  private batched = new Map<Tensor, Tensor>();
  /** `v` at the rows being evaluated: a per-point tensor's batch rows; anything else as is. */
  protected atRows<V>(v: V): V { return (v instanceof Tensor ? this.batched.get(v) ?? v : v) as V; }
  /** Called when the evaluated rows change (subclasses drop what they cached from them). */
  protected rowsChanged(): void {}

  /** @internal used by sampling strategies: evaluate on these rows of `points` only. */
  setBatch(rows: Tensor | null): void {
    if (rows !== null && this.attention) throw new Error(`${this.label}: residual attention keeps a multiplier per point, so the term cannot be mini-batched`);
    this.rows?.dispose();
    this.rows = rows === null ? null : keep(rows.clone());
    this.select();
  }

  /** @internal used by data-parallel training: evaluate the rank-th of worldSize contiguous slices of the rows in use (null: all). */
  setShard(shard: { rank: number; worldSize: number } | null): void {
    this.shard = shard;
    this.select();
  }

  /** Puts the two layers' rows into `batch` and the per-point tensors' batches. */
  private select(): void {
    this.batch?.dispose();
    for (const t of this.batched.values()) t.dispose();
    this.batched.clear();
    this.batch = null;
    this.share = 1;
    tidy(() => {
      let idx = this.rows;
      if (this.shard) {
        const { rank, worldSize } = this.shard;
        const n = idx ? idx.shape[0] : this.points.shape[0];
        if (n < worldSize) throw new Error(`data-parallel training: ${this.label} evaluates ${n} rows, fewer than the ${worldSize} ranks`);
        const lo = Math.floor((n * rank) / worldSize), hi = Math.floor((n * (rank + 1)) / worldSize);
        idx = idx ? idx.slice(0, lo, hi) : arange(lo, hi, 1, { dtype: 'int64', device: this.points.device });
        this.share = (hi - lo) / n;
      }
      if (idx === null) return;
      this.batch = keep(this.points.indexSelect(0, idx));
      for (const t of Object.values(this.perPoint())) this.batched.set(t, keep(t.indexSelect(0, idx)));
    });
    this.rowsChanged();
  }

  /**
   * @internal Runs fn while only `rows` of the rows evaluated now are evaluated (with their
   * per-point data), then restores them: a few points' residuals on a small graph (NTK weighting).
   */
  withRows<T>(rows: Tensor, fn: () => T): T {
    const outer = { batch: this.batch, batched: this.batched };
    const inner = new Map<Tensor, Tensor>();
    for (const t of Object.values(this.perPoint())) inner.set(t, keep(this.atRows(t).indexSelect(0, rows)));
    const batch = keep((this.batch ?? this.points).indexSelect(0, rows));
    this.batch = batch;
    this.batched = inner;
    this.rowsChanged();
    try {
      return fn();
    } finally {
      batch.dispose();
      for (const t of inner.values()) t.dispose();
      this.batch = outer.batch;
      this.batched = outer.batched;
      this.rowsChanged();
    }
  }

  /** Replaces the points (resampling, adaptive refinement); checked like the originals. */
  setPoints(points: Tensor): void {
    const attached = Object.keys(this.perPoint());
    if (attached.length) {
      throw new Error(`${this.label}: its points come with per-point ${attached.join(', ')}, which new points would be paired with wrongly; resample a term without per-point data (e.g. a PDE)`);
    }
    if (!(points instanceof Tensor) || points.ndim !== 2 || points.shape[1] !== this.points.shape[1] || points.shape[0] === 0) {
      throw new Error(`${this.label}: new points must be [N > 0, ${this.points.shape[1]}], got ${points instanceof Tensor ? `[${points.shape.join(', ')}]` : typeof points}`);
    }
    checkFinite(this.label, 'points', points);
    this.adoptPoints(keep(points.detach().to({ dtype: this.points.dtype, device: this.points.device })));
  }

  /** @internal Takes `points` as this term's own (other terms may hold the same tensor, as at construction). */
  adoptPoints(points: Tensor): void {
    this.attention?.reset(); // the multipliers belonged to the old points
    hold(points);
    release(this.held);
    this.held = points;
    this.setBatch(null); // after the swap: a data-parallel shard is taken from the new points
  }

  /** Residual(s) at this condition's points. */
  abstract residuals(d: Derivatives, c: Coefficients): Tensor[];

  /** Checks names against the problem before any training (called by Problem). */
  validate(inputs: string[], outputs: string[]): void {
    if (this.points.shape[1] !== inputs.length) {
      throw new Error(`${this.label}: points have ${this.points.shape[1]} columns, the problem has ${inputs.length} inputs (${inputs.join(', ')})`);
    }
  }

  /** The residuals as the loss sees them: multiplied by the attention's λ when the term has one. */
  protected attendedResiduals(d: Derivatives, c: Coefficients): Tensor[] {
    const rs = this.residuals(d, c);
    return this.attention ? this.attention.apply(this.label, rs) : rs;
  }

  /** mean over residuals of loss(r): the term's raw (unweighted) loss. */
  loss(d: Derivatives, c: Coefficients): Tensor {
    const rs = this.attendedResiduals(d, c);
    const fn = LOSSES[this.lossName];
    if (this.lossName === 'mse' && rs.some((r) => isComplex(r.dtype))) throw new Error(`${this.label}: complex residual needs loss 'msae'`);
    const parts = rs.map((r) => fn(r, 0, 'mean'));
    return parts.length === 1 ? parts[0] : parts.reduce((a, b) => a.add(b));
  }

  /** @internal Every tensor this condition holds (for casting and disposal). */
  tensors(): Tensor[] {
    const lambda = this.attention?.multipliers;
    return [this.points, ...Object.values(this.perPoint()), ...(this.rows ? [this.rows] : []), ...(this.batch ? [this.batch] : []), ...this.batched.values(), ...(lambda ? [lambda] : [])];
  }

  /** Frees what the term holds; shared points go with the last term holding them. */
  dispose(): void {
    for (const t of this.tensors()) if (t !== this.held) t.dispose();
    this.attention?.reset();
    if (!this.released) release(this.held);
    this.released = true;
  }
}

export function checkOutput(label: string, output: string, outputs: string[]): void {
  if (!outputs.includes(output)) throw new Error(`${label}: unknown output '${output}' (outputs: ${outputs.join(', ')})`);
}
export function checkInput(label: string, input: string, inputs: string[]): void {
  if (!inputs.includes(input)) throw new Error(`${label}: derivative with respect to unknown input '${input}' (inputs: ${inputs.join(', ')})`);
}

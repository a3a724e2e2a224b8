// A PINN problem: named inputs and outputs, loss terms, trainable coefficients, an optional
// hard-constraint transform and reference solution. `losses(model)` evaluates every term:
// terms that share a point set share one derivative cache, and with forward-mode derivatives
// the point sets go through the network together (taylorSets: one pass where the
// whole-network kernel applies).
import { scalar } from '../creation.js';
import { noGrad } from '../autograd.js';
import { checkOptions } from '../checks.js';
import { type DType, type Device, checkDtype, isComplex, isFloating, parseDevice } from '../dtype.js';
import { describe, show } from '../errors.js';
import { keep, tidy } from '../memory.js';
import { Tensor } from '../tensor.js';
import { type Module } from '../nn/module.js';
import { type Coefficients, Condition, OperatorBC, PDE } from './conditions.js';
import { Derivatives, isCombinationKey, parseCombinationKey } from './derivatives.js';
import { type AffineJets, AffineTransformJets } from './affine_transform.js';
import { type TaylorModel, type TaylorRequest, supportsTaylor, taylor, taylorSets } from './taylor.js';

/** Hard constraints: the network's raw output u is replaced by transform(x, u). */
export type OutputTransform = (x: Tensor, u: Tensor) => Tensor;

export interface ProblemOptions {
  inputs: string[];
  outputs: string[];
  conditions: Condition[];
  /** Trainable scalar coefficients (inverse problems) with their initial values. */
  coefficients?: Record<string, number>;
  /** Fixed (non-trained) coefficients, passed to residuals beside the trainable ones. */
  constants?: Record<string, number>;
  outputTransform?: OutputTransform;
  /**
   * The solution to evaluate against: a function x [N, inputs] → u [N, outputs] (an exact
   * solution), or data { points [M, inputs], values [M, outputs] } (e.g. a solver's output),
   * which is then compared at its own points.
   */
  reference?: ((x: Tensor) => Tensor) | ReferenceData;
  dtype?: DType;
  /**
   * How input derivatives are computed. 'forward': pushed forward through the network with
   * the values (taylor.ts; a plain MLP with tanh/sin/sigmoid/softplus/silu, alone or behind a PeriodicEmbedding or FourierFeatures; an outputTransform
   * is differentiated by reverse mode on its own, see transformedDerivatives),
   * much cheaper than 'autograd', nested reverse passes (any model). 'auto' (default): forward
   * when the model allows it. Forward mode precomputes the derivatives the terms asked for in
   * earlier steps, pure third orders (∂ᵢᵢᵢ) included; anything else (the first step, mixed third
   * orders, an output transform's third orders) is done by reverse mode.
   */
  derivatives?: 'auto' | 'forward' | 'autograd';
}

export interface ReferenceData { points: Tensor; values: Tensor }

export interface LossTerms {
  /** Raw (unweighted) loss per term. */
  raw: Record<string, Tensor>;
}

export class Problem {
  readonly inputs: string[];
  readonly outputs: string[];
  readonly conditions: Condition[];
  /** Trainable and fixed coefficients by name (0-d tensors). */
  readonly coefficients: Coefficients = {};
  readonly trainableCoefficients: string[];
  readonly outputTransform?: OutputTransform;
  readonly reference?: (x: Tensor) => Tensor;
  /** The points of a reference given as data (where evaluation happens by default). */
  readonly referencePoints?: Tensor;
  private referenceValues?: Tensor;
  readonly derivativeMode: 'auto' | 'forward' | 'autograd';
  /** Per condition name: the derivatives its terms asked for (sorted input indices, "0,2"; combinations by combinationKey). */
  private readonly asked = new Map<string, Set<string>>();
  /** A's and B's jets per point set when the output transform is affine in u (made on first use). */
  private affine: AffineTransformJets | null = null;

  constructor(o: ProblemOptions) {
    checkOptions('Problem', o ?? null, ['inputs', 'outputs', 'conditions', 'coefficients', 'constants', 'outputTransform', 'reference', 'dtype', 'derivatives']);
    const unique = (what: string, names: string[]) => {
      if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string' || !n)) throw new Error(`Problem: ${what} must be a non-empty list of names`);
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup) throw new Error(`Problem: ${what} name '${dup}' appears twice`);
    };
    unique('inputs', o.inputs);
    unique('outputs', o.outputs);
    if (!Array.isArray(o.conditions) || o.conditions.length === 0) throw new Error('Problem: needs at least one condition');
    unique('condition', o.conditions.map((c) => c.name));
    if (!o.conditions.every((c) => c instanceof Condition)) throw new TypeError('Problem: conditions must be pinn conditions (PDE, DirichletBC, …)');
    this.inputs = o.inputs;
    this.outputs = o.outputs;
    this.conditions = o.conditions;
    for (const c of o.conditions) {
      try { c.validate(o.inputs, o.outputs); } catch (e) { throw new Error(`Problem: ${(e as Error).message}`); }
    }
    const dtype = o.dtype === undefined ? o.conditions[0].points.dtype : checkDtype('Problem', o.dtype);
    if (!isFloating(dtype)) throw new TypeError(`Problem: dtype must be float32 or float64, got ${dtype}`);
    this.derivativeMode = o.derivatives ?? 'auto';
    if (!['auto', 'forward', 'autograd'].includes(this.derivativeMode)) {
      throw new Error(`Problem: derivatives must be 'auto', 'forward' or 'autograd', got ${show(o.derivatives)}`);
    }
    if (o.outputTransform !== undefined && typeof o.outputTransform !== 'function') throw new TypeError('Problem: outputTransform must be a function (x, u) => Tensor');
    // Every value is checked before any tensor is made: a bad one leaves nothing held.
    for (const [what, values] of [['coefficients', o.coefficients], ['constants', o.constants]] as const) {
      if (values !== undefined && (values === null || typeof values !== 'object' || Array.isArray(values))) {
        throw new TypeError(`Problem: ${what} must be an object of numbers by name, got ${describe(values)}`);
      }
    }
    this.trainableCoefficients = Object.keys(o.coefficients ?? {});
    for (const [what, values] of [['coefficient', o.coefficients], ['constant', o.constants]] as const) {
      for (const [k, v] of Object.entries(values ?? {})) {
        if (!(typeof v === 'number' && Number.isFinite(v))) throw new Error(`Problem: ${what} '${k}' must be a finite number, got ${String(v)}`);
        if (what === 'constant' && k in (o.coefficients ?? {})) throw new Error(`Problem: '${k}' is both a trainable coefficient and a constant`);
      }
    }
    this.outputTransform = o.outputTransform;
    // The reference data is checked (and copied) before the coefficients are made.
    if (o.reference === undefined || typeof o.reference === 'function') this.reference = o.reference;
    else [this.referencePoints, this.referenceValues, this.reference] = this.referenceFromData(o.reference);
    for (const [k, v] of Object.entries(o.coefficients ?? {})) this.coefficients[k] = keep(scalar(v, { dtype, requiresGrad: true }));
    for (const [k, v] of Object.entries(o.constants ?? {})) this.coefficients[k] = keep(scalar(v, { dtype }));
  }

  /**
   * A reference given as data: its points and values, checked and held by the problem, and the
   * function that returns the values at those points (and refuses other points: data cannot say
   * what the solution is between its points).
   */
  private referenceFromData(r: ReferenceData): [Tensor, Tensor, (x: Tensor) => Tensor] {
    const { points, values } = (r ?? {}) as Partial<ReferenceData>;
    const n = this.inputs.length, m = this.outputs.length;
    if (!(points instanceof Tensor) || points.isDisposed || points.ndim !== 2 || points.shape[1] !== n || points.shape[0] === 0) {
      throw new Error(`Problem: reference.points must be a tensor [M, ${n}] (one column per input: ${this.inputs.join(', ')})`);
    }
    if (!(values instanceof Tensor) || values.isDisposed || values.ndim !== 2 || values.shape[0] !== points.shape[0] || values.shape[1] !== m) {
      throw new Error(`Problem: reference.values must be a tensor [${points.shape[0]}, ${m}] (a row per point, a column per output: ${this.outputs.join(', ')})`);
    }
    for (const [what, t] of [['points', points], ['values', values]] as const) {
      const bad = tidy(() => (t.isfinite().logicalNot().any().item() as boolean));
      if (bad) throw new Error(`Problem: reference.${what} contain NaN or Inf`);
    }
    const p = keep(tidy(() => points.detach().clone())), v = keep(tidy(() => values.detach().clone()));
    const at = (x: Tensor): Tensor => {
      const same = x.shape[0] === p.shape[0] && tidy(() => (x.sub(p.to({ dtype: x.dtype })).abs().max().item() as number) === 0);
      if (!same) throw new Error(`Problem: the reference is data at its own ${p.shape[0]} points (problem.referencePoints); it cannot be evaluated at other points`);
      return v.to({ dtype: x.dtype });
    };
    return [p, v, at];
  }

  /** Trainable tensors of the problem itself (coefficients), to optimise beside the model's. */
  parameters(): Tensor[] { return this.trainableCoefficients.map((k) => this.coefficients[k]); }

  /** Current coefficient values, for progress reports. */
  coefficientValues(): Record<string, number> {
    return Object.fromEntries(this.trainableCoefficients.map((k) => [k, this.coefficients[k].item() as number]));
  }

  /** Network output at x, after the hard-constraint transform. */
  predict(model: Module, x: Tensor): Tensor {
    const u = model.forward(x);
    return this.checkOutput(this.outputTransform ? this.outputTransform(x, u) : u);
  }

  private checkOutput(out: Tensor): Tensor {
    if (out.ndim !== 2 || out.shape[1] !== this.outputs.length) {
      throw new Error(`Problem: the model returns shape [${out.shape.join(', ')}] but the problem names ${this.outputs.length} outputs (${this.outputs.join(', ')})`);
    }
    return out;
  }

  /** Derivative caches, one per distinct point set, for one step. */
  derivatives(model: Module, mode?: 'autograd'): Map<Tensor, Derivatives> {
    const forward = mode !== 'autograd' && this.usesForward(model);
    const byPoints = new Map<Tensor, Derivatives>();
    const plain: { pts: Tensor; x: Tensor; combinations: string[]; request: TaylorRequest }[] = [];
    for (const c of this.conditions) {
      const pts = c.evaluationPoints;
      if (byPoints.has(pts) || plain.some((p) => p.pts === pts)) continue;
      const x = pts.detach().requiresGrad_();
      if (!forward) {
        byPoints.set(pts, new Derivatives(x, this.predict(model, x), this.inputs, this.outputs));
        continue;
      }
      // Everything asked at these points before, by any condition sharing them.
      const wanted = new Set<string>();
      for (const o of this.conditions) if (o.evaluationPoints === pts) for (const k of this.asked.get(o.name) ?? []) wanted.add(k);
      // Sorted: the same channel order in every process.
      const combinations = [...wanted].filter(isCombinationKey).sort();
      const all = [...wanted].filter((k) => !isCombinationKey(k)).sort().map((k) => k.split(',').map(Number));
      const tuples = all.filter((t) => t.length <= 2);
      // Pure third orders (∂ᵢᵢᵢ) travel as channels of their own; mixed ones come from reverse mode.
      const thirds = all.filter((t) => t.length === 3 && t[0] === t[1] && t[1] === t[2]).map(([i]) => i);
      if (this.outputTransform) {
        // A combination comes from its terms here (the transforms take pairs).
        for (const key of combinations) {
          for (const [, i, j] of parseCombinationKey(key)) if (!tuples.some((t) => t.length === 2 && t[0] === i && t[1] === j)) tuples.push([i, j]);
        }
        // Every input a tuple names gets its first derivative (the second-order terms use them).
        const first = [...new Set(tuples.flat())].sort((a, b) => a - b);
        const pairs = tuples.filter((t) => t.length === 2) as [number, number][];
        const jets = (this.affine ??= new AffineTransformJets(this.outputTransform)).at(pts, this.outputs.length, [...first.map((i) => [i]), ...pairs]);
        byPoints.set(pts, jets
          ? this.affineDerivatives(model as TaylorModel, x, tuples, first, pairs, jets, combinations)
          : this.transformedDerivatives(model as TaylorModel, x, tuples, first, pairs, combinations));
        continue;
      }
      plain.push({
        pts, x, combinations, request: {
          first: tuples.filter((t) => t.length === 1).map(([i]) => i),
          second: tuples.filter((t) => t.length === 2) as [number, number][],
          combinations: combinations.map(parseCombinationKey),
          third: thirds,
        },
      });
    }
    // The point sets without an output transform go through the network together. x itself
    // stays out of the jet: no gradient flows back to the points, and what the jet does not
    // hold (a mixed third order, a request new this step) comes from a plain forward.
    const results = plain.length ? taylorSets(model as TaylorModel, plain.map(({ x }) => x.detach()), plain.map(({ request }) => request)) : [];
    plain.forEach(({ pts, x, combinations }, s) => {
      const r = results[s];
      this.checkOutput(r.u);
      const columns = new Map<string, Tensor>();
      const put = (block: Tensor, wrt: number[]) =>
        this.outputs.forEach((o, k) => columns.set(`${o}|${wrt.map((i) => this.inputs[i]).join(',')}`, block.narrow(1, k, 1)));
      for (const [i, block] of r.first) put(block, [i]);
      for (const [ij, block] of r.second) put(block, ij.split(',').map(Number));
      for (const [i, block] of r.third) put(block, [i, i, i]);
      combinations.forEach((key, k) => this.outputs.forEach((o, m) => columns.set(`${o}|${key}`, r.combined[k].narrow(1, m, 1))));
      byPoints.set(pts, new Derivatives(x, r.u, this.inputs, this.outputs, columns, () => new Derivatives(x, this.predict(model, x), this.inputs, this.outputs)));
    });
    this.affine?.keepOnly(new Set(byPoints.keys()));
    return byPoints;
  }

  /**
   * Forward-mode derivatives through an output transform affine in u, T = A + B ⊙ u, from the
   * network's jets and A's and B's (measured once per point set; affine_transform.ts).
   */
  private affineDerivatives(model: TaylorModel, x: Tensor, tuples: number[][], first: number[], pairs: [number, number][], j: AffineJets, combinations: string[]): Derivatives {
    const r = taylor(model, x.detach(), { first, second: pairs });
    const u = this.checkOutput(r.u);
    const du = (i: number) => r.first.get(i)!, dA = (k: string) => j.dA.get(k)!, dB = (k: string) => j.dB.get(k)!;
    const columns = new Map<string, Tensor>();
    for (const t of tuples) {
      const key = t.join(',');
      // ∂ᵢT = ∂ᵢA + ∂ᵢB u + B ∂ᵢu;  ∂ᵢⱼT = ∂ᵢⱼA + ∂ᵢⱼB u + ∂ᵢB ∂ⱼu + ∂ⱼB ∂ᵢu + B ∂ᵢⱼu
      const block = t.length === 1
        ? dA(key).add(dB(key).mul(u)).add(j.B.mul(du(t[0])))
        : dA(key).add(dB(key).mul(u)).add(dB(`${t[0]}`).mul(du(t[1]))).add(dB(`${t[1]}`).mul(du(t[0]))).add(j.B.mul(r.second.get(key)!));
      this.outputs.forEach((o, k) => columns.set(`${o}|${t.map((i) => this.inputs[i]).join(',')}`, block.narrow(1, k, 1)));
    }
    this.combineColumns(columns, combinations);
    return new Derivatives(x, j.A.add(j.B.mul(u)), this.inputs, this.outputs, columns, () => new Derivatives(x, this.predict(model, x), this.inputs, this.outputs));
  }

  /**
   * Forward-mode derivatives through the output transform T. The network's derivatives at each
   * point go into a local quadratic model of it in a fresh input variable xv (equal to x):
   *   ũ(xv) = u + Σᵢ ∂ᵢu δᵢ + Σ_{i≤j} cᵢⱼ ∂ᵢⱼu δᵢδⱼ,  δ = xv − x (zero), cᵢᵢ = ½, cᵢⱼ = 1,
   * whose first and second derivatives at δ = 0 are the network's. Reverse mode through T(xv, ũ),
   * a few elementwise ops, then gives exactly the transformed output's derivatives. Anything
   * else (third orders, a new request) comes from T(x, N(x)) by nested reverse mode.
   */
  private transformedDerivatives(model: TaylorModel, x: Tensor, tuples: number[][], first: number[], pairs: [number, number][], combinations: string[]): Derivatives {
    const x0 = x.detach();
    const r = taylor(model, x0, { first, second: pairs });
    this.checkOutput(r.u);
    const xv = x.detach().requiresGrad_();
    const delta = xv.sub(x0);
    const dx = (i: number) => delta.narrow(1, i, 1);
    let u = r.u;
    for (const i of first) u = u.add(r.first.get(i)!.mul(dx(i)));
    for (const [i, j] of pairs) u = u.add(r.second.get(`${i},${j}`)!.mul(dx(i).mul(dx(j))).mul(i === j ? 0.5 : 1));
    const local = new Derivatives(xv, this.checkOutput(this.outputTransform!(xv, u)), this.inputs, this.outputs);
    const columns = new Map<string, Tensor>();
    for (const o of this.outputs) {
      columns.set(o, local.value(o));
      for (const t of tuples) {
        const wrt = t.map((i) => this.inputs[i]);
        columns.set(`${o}|${wrt.join(',')}`, local.d(o, ...wrt));
      }
    }
    this.combineColumns(columns, combinations);
    return new Derivatives(x, local.u, this.inputs, this.outputs, columns, () => new Derivatives(x, this.predict(model, x), this.inputs, this.outputs));
  }

  /** Each combination's column (combinationKey) as the sum of its terms' columns, which are there. */
  private combineColumns(columns: Map<string, Tensor>, combinations: string[]): void {
    for (const key of combinations) {
      for (const o of this.outputs) {
        const terms = parseCombinationKey(key).map(([c, i, j]) => columns.get(`${o}|${this.inputs[i]},${this.inputs[j]}`)!.mul(c));
        columns.set(`${o}|${key}`, terms.reduce((a, b) => a.add(b)));
      }
    }
  }

  /** Whether derivatives(model) pushes derivatives forward (see ProblemOptions.derivatives). */
  usesForward(model: Module): boolean {
    if (this.derivativeMode === 'autograd') return false;
    const ok = supportsTaylor(model);
    if (!ok && this.derivativeMode === 'forward') {
      throw new Error("Problem: derivatives 'forward' needs a plain MLP with a tanh, sin, sigmoid, softplus or silu activation (alone or behind a PeriodicEmbedding or FourierFeatures); use 'auto' or 'autograd'");
    }
    return ok;
  }

  /**
   * √Σ residual² per point of condition `c` evaluated at `points` (not its own), as a
   * Float64Array: what adaptive sampling ranks candidates by.
   */
  pointwiseResidual(model: Module, c: Condition, points: Tensor): Float64Array {
    return tidy(() => this.squaredResidual(model, c, points).sqrt().reshape(-1).to('float64').data() as Float64Array);
  }

  /** Mean over `points` of Σ residual² of condition `c`: one number read back (held-out validation). */
  meanSquaredResidual(model: Module, c: Condition, points: Tensor): number {
    return tidy(() => this.squaredResidual(model, c, points).to('float64').mean().item() as number);
  }

  /** Σ |residual|² per point [N, 1] of condition `c` at `points` (call inside tidy). */
  private squaredResidual(model: Module, c: Condition, points: Tensor): Tensor {
    return this.residualsAt(model, c, points).map((r) => r.abs().square()).reduce((a, b) => a.add(b));
  }

  /**
   * Condition `c`'s residuals at `points` (default: the rows it evaluates now), by reverse
   * mode, on a graph of those points only (call inside tidy).
   */
  residualsAt(model: Module, c: Condition, points: Tensor = c.evaluationPoints): Tensor[] {
    const x = points.detach().requiresGrad_();
    const d = new Derivatives(x, this.predict(model, x), this.inputs, this.outputs);
    return c.residuals(d, this.coefficients);
  }

  /** Names of the terms that are PDE residuals (not boundary, initial or data terms). */
  residualTerms(): string[] {
    return this.conditions.filter((c) => c instanceof PDE && !(c instanceof OperatorBC)).map((c) => c.name);
  }

  /** Raw loss of every term (call inside tidy). */
  losses(model: Module): Record<string, Tensor> {
    if (this.usesForward(model) && this.conditions.some((c) => !this.asked.has(c.name))) {
      // Learn what each term asks for by evaluating once in reverse mode and discarding it, so
      // that every step, the first included, runs the same forward computation: a run resumed
      // in a new process then repeats an uninterrupted one bit for bit.
      // Residuals only, not losses: a loss may keep state (residual attention) that must move once per step.
      tidy(() => { this.termLosses(this.derivatives(model, 'autograd'), true); });
    }
    return this.termLosses(this.derivatives(model));
  }

  private termLosses(ds: Map<Tensor, Derivatives>, probe = false): Record<string, Tensor> {
    const raw: Record<string, Tensor> = {};
    for (const c of this.conditions) {
      const d = ds.get(c.evaluationPoints)!;
      let asked = this.asked.get(c.name);
      if (!asked) this.asked.set(c.name, (asked = new Set()));
      d.log = asked; // a request not precomputed this step (a new branch) is precomputed from the next
      try {
        if (probe) c.residuals(d, this.coefficients);
        else raw[c.name] = c.loss(d, this.coefficients);
      } catch (e) {
        const msg = (e as Error).message;
        throw new Error(msg.startsWith(c.label) ? msg : `${c.label}: ${msg}`);
      } finally {
        d.log = null;
      }
    }
    return raw;
  }

  /**
   * Σ wᵢ Lᵢ with the conditions' static weights, or the weights given. With a single term of
   * weight 1 this is that term's own tensor.
   */
  total(raw: Record<string, Tensor>, weights?: Record<string, number>): Tensor {
    let sum: Tensor | null = null;
    for (const c of this.conditions) {
      const w = weights?.[c.name] ?? c.weight;
      if (w === 0) continue;
      const term = w === 1 ? raw[c.name] : raw[c.name].mul(w); // ×1 is exact: skip the op
      sum = sum === null ? term : sum.add(term);
    }
    return sum ?? raw[this.conditions[0].name].mul(0);
  }

  /**
   * Moves and casts, in place, every point set, per-point value, reference and coefficient: to
   * `dtype` (e.g. float64 for an L-BFGS phase after float32 Adam; complex data follows at the
   * matching precision) and/or to `device`. Tensor objects keep their identity, so shared point
   * sets stay shared and optimizers' references to coefficients stay valid. Everything is
   * checked before anything moves.
   */
  to(target: DType | { dtype?: DType; device?: Device | string }): this {
    const { dtype, device } = typeof target === 'string' ? { dtype: target, device: undefined } : (target ?? {});
    if (dtype !== undefined && !isFloating(dtype)) throw new Error(`Problem.to: dtype must be a floating type, got ${String(dtype)}`);
    const deviceName = device === undefined ? undefined : parseDevice('Problem.to', device)[2];
    const complexDtype: DType = dtype === 'float64' ? 'complex128' : 'complex64';
    const want = (t: Tensor) => ({
      dtype: dtype === undefined ? t.dtype : isFloating(t.dtype) ? dtype : isComplex(t.dtype) ? complexDtype : t.dtype,
      device: deviceName ?? t.device,
    });
    tidy(() => noGrad(() => {
      for (const t of new Set(this.conditions.flatMap((c) => c.tensors()))) {
        const w = want(t);
        if (t.dtype !== w.dtype || t.device !== w.device) t._takeData(t.to(w));
      }
      // Reference data moves but keeps its precision: it is compared with evaluation points as given.
      for (const t of this.referencePoints ? [this.referencePoints, this.referenceValues!] : []) {
        if (deviceName !== undefined && t.device !== deviceName) t._takeData(t.to({ device: deviceName }));
      }
      for (const t of Object.values(this.coefficients)) {
        const w = want(t);
        if (t.dtype === w.dtype && t.device === w.device) continue;
        const trainable = t.requiresGrad;
        t._takeData(t.to(w).detach());
        if (trainable) t.requiresGrad_(true);
      }
    }));
    return this;
  }

  dispose(): void {
    this.affine?.dispose();
    this.referencePoints?.dispose();
    this.referenceValues?.dispose();
    for (const c of this.conditions) c.dispose();
    for (const t of Object.values(this.coefficients)) t.dispose();
  }
}

// Terms that hold a quantity to a prescribed value g on their points: Dirichlet (u = g),
// Neumann (∂u/∂n = g) and Robin (∂u/∂n = a·u + g) conditions. Initial conditions (initial.ts)
// are terms of the same kind.
import { describe } from '../../errors.js';
import { Tensor } from '../../tensor.js';
import { keep, tidy } from '../../memory.js';
import { type Derivatives } from '../derivatives.js';
import { Condition, type ConditionOptions, type Value, checkFinite, checkInput, checkOutput } from './base.js';

/** Resolves a non-constant Value at the points, as a column [N, 1] (or [N, k]). */
function evaluate(label: string, v: Tensor | ((x: Tensor) => Tensor), x: Tensor): Tensor {
  const t = v instanceof Tensor ? v : v(x);
  if (!(t instanceof Tensor)) throw new Error(`${label}: the value function must return a Tensor`);
  if (t.shape[0] !== x.shape[0]) throw new Error(`${label}: value has ${t.shape[0]} rows for ${x.shape[0]} points`);
  return t.ndim === 1 ? t.unsqueeze(1) : t;
}

/**
 * A term whose residual is some quantity minus a prescribed value g: a number, a function of
 * the points, or a tensor with one row per point. A tensor value becomes the term's own handle,
 * as points and targets do: checked here, cast with the problem (Problem.to), batched with the
 * points and freed with the term, while the caller's tensor stays theirs.
 */
export abstract class Prescribed extends Condition {
  readonly value: Value;
  constructor(name: string, points: Tensor, value: Value, options: ConditionOptions | undefined, keys: readonly string[], checks?: (label: string, n: number) => void) {
    super(name, points, options, (label, n) => {
      if (value instanceof Tensor) {
        if (value.isDisposed || value.ndim < 1 || value.ndim > 2 || value.shape[0] !== n) {
          throw new Error(`${label}: a tensor value needs one row per point ([${n}] or [${n}, k]), got ${value.isDisposed ? 'a disposed tensor' : `[${value.shape.join(', ')}]`}`);
        }
        checkFinite(label, 'value rows', value);
      } else if (typeof value === 'number') {
        if (!Number.isFinite(value)) throw new RangeError(`${label}: value must be a finite number, got ${value}`);
      } else if (typeof value !== 'function') {
        throw new TypeError(`${label}: value must be a number, a tensor with a row per point, or a function of the points, got ${describe(value)}`);
      }
      checks?.(label, n);
    }, keys);
    this.value = value instanceof Tensor ? keep(value.detach()) : value;
  }
  protected override perPoint(): Record<string, Tensor> { return this.value instanceof Tensor ? { value: this.value } : {}; }
  /** q − g at the rows being evaluated; a constant g costs no tensor (and 0 no op). */
  protected minusValue(q: Tensor, d: Derivatives): Tensor {
    const g = this.atRows(this.value);
    if (typeof g === 'number') return g === 0 ? q : q.sub(g);
    return q.sub(evaluate(this.label, g, d.x));
  }
}

/** u = g on the points. */
export class DirichletBC extends Prescribed {
  constructor(name: string, points: Tensor, value: Value, readonly options: ConditionOptions & { output: string }) { super(name, points, value, options, ['output']); }
  override validate(inputs: string[], outputs: string[]): void { super.validate(inputs, outputs); checkOutput(this.label, this.options.output, outputs); }
  residuals(d: Derivatives): Tensor[] { return [this.minusValue(d.value(this.options.output), d)]; }
}

/**
 * ∂u/∂n = n · ∇u = g, with outward normals given per point: one column per `spatial` input, or
 * one per problem input as a space-time geometry's boundary gives them ((n_x, 0) for x, t),
 * whose time column is then skipped. Without `spatial`, the normals have a column per input and
 * the inputs whose column is zero throughout (time) are left out.
 */
export class NeumannBC extends Prescribed {
  readonly normals: Tensor;
  /** For each spatial input used, its name and the normals column it takes (set by validate). */
  private terms: Array<{ input: string; column: number }> = [];
  constructor(name: string, points: Tensor, normals: Tensor, value: Value,
    readonly options: ConditionOptions & { output: string; spatial?: string[] }) {
    super(name, points, value, options, ['output', 'spatial'], (label, n) => {
      if (!(normals instanceof Tensor) || normals.isDisposed || normals.ndim !== 2 || normals.shape[0] !== n || normals.shape[1] < 1) {
        throw new Error(`${label}: normals must be [${n}, k] (one per point; a column per spatial input, or per problem input)`);
      }
      if (options?.spatial !== undefined && (!Array.isArray(options.spatial) || options.spatial.length === 0)) {
        throw new Error(`${label}: spatial must be a non-empty list of input names`);
      }
      checkFinite(label, 'normals', normals, false);
    });
    this.normals = keep(normals.detach());
  }
  override validate(inputs: string[], outputs: string[]): void {
    super.validate(inputs, outputs);
    checkOutput(this.label, this.options.output, outputs);
    const spatial = this.options.spatial;
    spatial?.forEach((s) => checkInput(this.label, s, inputs));
    const k = this.normals.shape[1];
    if (spatial && k === spatial.length) this.terms = spatial.map((input, column) => ({ input, column }));
    else if (k === inputs.length) {
      const used = spatial ?? inputs.filter((_, j) => tidy(() => this.normals.narrow(1, j, 1).abs().max().item() as number) > 0);
      this.terms = used.map((input) => ({ input, column: inputs.indexOf(input) }));
    } else {
      throw new Error(`${this.label}: normals have ${k} columns; expected ${spatial ? `${spatial.length} (spatial: ${spatial.join(', ')}) or ` : ''}${inputs.length} (inputs: ${inputs.join(', ')})`);
    }
  }
  protected override perPoint(): Record<string, Tensor> { return { normals: this.normals, ...super.perPoint() }; }
  protected normalDerivative(d: Derivatives): Tensor {
    const normals = this.atRows(this.normals);
    return this.terms.map(({ input, column }) => d.d(this.options.output, input).mul(normals.narrow(1, column, 1))).reduce((a, b) => a.add(b));
  }
  residuals(d: Derivatives): Tensor[] { return [this.minusValue(this.normalDerivative(d), d)]; }
}

/** ∂u/∂n = a·u + g (Robin), with a a number. */
export class RobinBC extends NeumannBC {
  constructor(name: string, points: Tensor, normals: Tensor, readonly a: number, value: Value,
    options: ConditionOptions & { output: string; spatial?: string[] }) {
    if (!(typeof a === 'number' && Number.isFinite(a))) throw new Error(`RobinBC '${name}': a must be a finite number, got ${String(a)}`);
    super(name, points, normals, value, options);
  }
  override residuals(d: Derivatives): Tensor[] {
    const dn = this.normalDerivative(d);
    const u = d.value(this.options.output);
    return [this.minusValue(dn.sub(u.mul(this.a)), d)];
  }
}

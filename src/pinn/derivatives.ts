// Derivatives of network outputs with respect to named inputs, computed once per step and
// shared by every loss term that asks. One reverse pass ∂uᵢ/∂X gives a whole row (every
// input at once), so rows are what is cached: d(u, 'x', 'y') costs at most one grad call
// per distinct prefix, however many terms use it.
//
// Columns may also arrive precomputed (by the forward engine in taylor.ts); a derivative that
// did not is computed by reverse mode from what is there, and every request is logged so the
// caller can precompute it next time. A fixed linear combination of second derivatives (a
// Laplacian, a wave operator) is one request of its own, so the forward engine can carry it
// as one channel instead of one per term.
import { grad } from '../autograd.js';
import { complex } from '../functional.js';
import { onesLike, zeros } from '../creation.js';
import { isComplex } from '../dtype.js';
import { Tensor } from '../tensor.js';

export class Derivatives {
  private readonly rows = new Map<string, Tensor>();
  private readonly columns = new Map<string, Tensor>();
  /**
   * When set, d() adds the sorted input indices of every derivative asked for ("0", "0,2"), and
   * combination() its key (combinationKey: "op:1*0,0+-0.5*1,1").
   */
  log: Set<string> | null = null;
  /** Derivatives asked for that were not precomputed (keys as in `precomputed`). */
  readonly misses = new Set<string>();

  private fallbackDerivatives: Derivatives | null = null;

  /**
   * @param x network input [N, inputs.length], with requiresGrad
   * @param u network output [N, outputs.length] (real or complex), a function of x
   * @param precomputed derivative columns [N, 1] by `${output}|${wrt in input order}`, e.g. `ux|x,y`
   * @param fallback where derivatives that were not precomputed come from, when the
   *   precomputed ones are not functions of x themselves (then u must not be used either)
   */
  constructor(readonly x: Tensor, readonly u: Tensor, readonly inputs: string[], readonly outputs: string[],
    precomputed?: Map<string, Tensor>, private readonly fallback?: () => Derivatives) {
    if (x.ndim !== 2 || x.shape[1] !== inputs.length) {
      throw new Error(`Derivatives: inputs [${x.shape.join(', ')}] do not match the ${inputs.length} named inputs (${inputs.join(', ')})`);
    }
    if (u.ndim !== 2 || u.shape[1] !== outputs.length) {
      throw new Error(`Derivatives: network output [${u.shape.join(', ')}] does not match the ${outputs.length} named outputs (${outputs.join(', ')}): check the model's output size`);
    }
    if (precomputed) for (const [k, v] of precomputed) this.columns.set(k, v);
  }

  private inputIndex(name: string): number {
    const i = this.inputs.indexOf(name);
    if (i < 0) throw new Error(`derivative with respect to unknown input '${name}' (inputs: ${this.inputs.join(', ')})`);
    return i;
  }

  /** The output column u[:, k] by name, shape [N, 1]. */
  value(output: string): Tensor {
    const k = this.outputs.indexOf(output);
    if (k < 0) throw new Error(`unknown output '${output}' (outputs: ${this.outputs.join(', ')})`);
    let col = this.columns.get(output);
    if (!col) this.columns.set(output, (col = this.u.narrow(1, k, 1)));
    return col;
  }

  /**
   * ∂ⁿu/∂a∂b… for output `output` and inputs `wrt`, shape [N, 1]; d(u) = u. The order of `wrt`
   * does not matter (smooth networks: mixed partials commute), so u_xy and u_yx are one entry.
   * Complex outputs are differentiated part by part: ∂u = ∂Re u + i ∂Im u.
   */
  d(output: string, ...wrt: string[]): Tensor {
    if (wrt.length === 0) return this.value(output);
    const order = [...wrt].sort((a, b) => this.inputIndex(a) - this.inputIndex(b));
    const key = `${output}|${order.join(',')}`;
    this.log?.add(order.map((w) => this.inputIndex(w)).join(','));
    let col = this.columns.get(key);
    if (col) return col;
    this.misses.add(key);
    if (this.fallback) {
      col = (this.fallbackDerivatives ??= this.fallback()).d(output, ...order);
      this.columns.set(key, col);
      return col;
    }
    const prefix = order.slice(0, -1);
    // The forward engine gives first and second orders outright: a prefix is a request of its
    // own only under a third or higher order, which starts from it.
    const f = order.length > 2 ? this.d(output, ...prefix) : this.unlogged(() => this.d(output, ...prefix));
    const row = this.row(`${output}|${prefix.join(',')}`, f);
    col = row.narrow(1, this.inputIndex(order[order.length - 1]), 1);
    this.columns.set(key, col);
    return col;
  }

  /** ∇f with respect to all inputs, [N, inputs]; cached under `key`. */
  private row(key: string, f: Tensor): Tensor {
    let r = this.rows.get(key);
    if (r) return r;
    r = isComplex(f.dtype) ? complex(this.realRow(f.real()), this.realRow(f.imag())) : this.realRow(f);
    this.rows.set(key, r);
    return r;
  }

  private realRow(f: Tensor): Tensor {
    const zero = () => zeros([f.shape[0], this.inputs.length], { dtype: this.x.dtype, device: this.x.device });
    if (!f.requiresGrad) return zero(); // f does not depend on x
    const [g] = grad(f, this.x, { gradOutputs: onesLike(f), createGraph: true, allowUnused: true });
    return g ?? zero();
  }

  /** [∂u/∂a for a in wrt] stacked as columns, [N, wrt.length]. */
  gradient(output: string, wrt: string[] = this.inputs): Tensor[] {
    return wrt.map((w) => this.d(output, w));
  }

  /**
   * Σ c·∂²u/∂a∂b over `terms` [c, a, b], shape [N, 1]. With coefficients that are numbers (or
   * scalar tensors that need no gradient) it is one request, which the forward engine carries
   * as one channel; a coefficient being trained (an inverse problem) or varying by point makes
   * it the plain sum of its terms.
   */
  combination(output: string, terms: readonly (readonly [number | Tensor, string, string])[]): Tensor {
    if (!terms.length) throw new Error(`combination of derivatives of '${output}': no terms`);
    const fixed = terms.map(([c]) => (typeof c === 'number' ? c : c.numel === 1 && !c.requiresGrad && !isComplex(c.dtype) ? (c.item() as number) : null));
    if (fixed.some((c) => c === null || !Number.isFinite(c))) {
      return terms.map(([c, a, b]) => this.d(output, a, b).mul(c)).reduce((x, y) => x.add(y));
    }
    const key = combinationKey(terms.map(([, a, b], k) => [fixed[k]!, this.inputIndex(a), this.inputIndex(b)]));
    this.log?.add(key);
    const column = `${output}|${key}`;
    let col = this.columns.get(column);
    if (col) return col;
    this.misses.add(column);
    // From the terms, which are then not requests of their own (the log keeps the combination).
    col = this.unlogged(() => parseCombinationKey(key).map(([c, i, j]) => this.d(output, this.inputs[i], this.inputs[j]).mul(c)).reduce((x, y) => x.add(y)));
    this.columns.set(column, col);
    return col;
  }

  /** f() without logging what it asks: the steps of a request are not requests themselves. */
  private unlogged<T>(f: () => T): T {
    const log = this.log;
    this.log = null;
    try { return f(); } finally { this.log = log; }
  }

  /** Σᵢ ∂²u/∂xᵢ² over `wrt`: one combination (one forward channel, however many inputs). */
  laplacian(output: string, wrt: string[]): Tensor {
    return this.combination(output, wrt.map((w) => [1, w, w] as const));
  }

  /** Σᵢ ∂uᵢ/∂xᵢ for a vector field given as one output per input. */
  divergence(outputs: string[], wrt: string[]): Tensor {
    if (outputs.length !== wrt.length) throw new Error(`divergence: ${outputs.length} components but ${wrt.length} inputs`);
    return outputs.map((o, i) => this.d(o, wrt[i])).reduce((a, b) => a.add(b));
  }
}

/**
 * The canonical key of Σ c ∂ᵢ∂ⱼ over terms [c, i, j] (input indices): i ≤ j, equal pairs merged,
 * zero terms dropped, sorted; "op:" then "c*i,j" joined by "+" (c as JavaScript prints it, exact).
 */
export function combinationKey(terms: readonly (readonly [number, number, number])[]): string {
  const merged = new Map<string, number>();
  for (const [c, a, b] of terms) {
    const k = `${Math.min(a, b)},${Math.max(a, b)}`;
    merged.set(k, (merged.get(k) ?? 0) + c);
  }
  const parts = [...merged].filter(([, c]) => c !== 0).map(([k, c]) => [k.split(',').map(Number), c] as const)
    .sort(([[a, b]], [[c, d]]) => a - c || b - d).map(([[i, j], c]) => `${c}*${i},${j}`);
  return `op:${parts.length ? parts.join('+') : '0*0,0'}`;
}

/** Whether a logged request key is a combination's. */
export const isCombinationKey = (key: string): boolean => key.startsWith('op:');

/** The terms [c, i, j] of a combinationKey. */
export function parseCombinationKey(key: string): [number, number, number][] {
  return key.slice(3).split('+').map((t) => {
    const [c, ij] = t.split('*');
    const [i, j] = ij.split(',').map(Number);
    return [Number(c), i, j];
  });
}

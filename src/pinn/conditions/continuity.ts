// Continuity with an earlier network, for training in time windows: at the start of window k,
// the quantities an initial condition constrains (the value, a time derivative) must equal the
// previous window's network's. Written generically from that initial condition c with residual
// R[u] = op(u) − g: at the window's start points x,
//   r = R[u](x) − R[u_prev](x) = op(u)(x) − op(u_prev)(x),
// since g is the same in both; R[u_prev](x) is evaluated once, when the window is set up.
import { type Tensor } from '../../tensor.js';
import { keep } from '../../memory.js';
import { type Derivatives } from '../derivatives.js';
import { type Coefficients, Condition, type ConditionOptions } from './base.js';

export class Continuity extends Condition {
  /** R[u_prev] at the points, one tensor per residual of the inner condition. */
  readonly targets: Tensor[];

  /**
   * @param inner the initial condition whose operator is matched (its residual function is used, not its points)
   * @param points the window's start points [N, inputs] (the inner's points moved to that time)
   * @param targets the inner's residuals of the previous network at `points` (taken over)
   */
  constructor(name: string, readonly inner: Condition, points: Tensor, targets: Tensor[], options: ConditionOptions = {}) {
    super(name, points, options, (label, n) => {
      if (!targets.length || targets.some((t) => t.isDisposed || t.shape[0] !== n)) {
        throw new Error(`${label}: needs one target row per point (${n}) for each of the inner condition's residuals`);
      }
    }, null);
    this.targets = targets.map((t) => keep(t.detach()));
  }

  protected override perPoint(): Record<string, Tensor> {
    return Object.fromEntries(this.targets.map((t, i) => [`target${i}`, t]));
  }

  // The inner condition evaluates the same rows as this one (its per-point values, a tensor g,
  // must pair with them).
  override withRows<T>(rows: Tensor, fn: () => T): T { return super.withRows(rows, () => this.inner.withRows(rows, fn)); }
  override setBatch(rows: Tensor | null): void { super.setBatch(rows); this.inner.setBatch(rows); }
  override setShard(shard: { rank: number; worldSize: number } | null): void { super.setShard(shard); this.inner.setShard(shard); }

  override validate(inputs: string[], outputs: string[]): void {
    super.validate(inputs, outputs);
    this.inner.validate(inputs, outputs);
  }

  residuals(d: Derivatives, c: Coefficients): Tensor[] {
    const rs = this.inner.residuals(d, c);
    if (rs.length !== this.targets.length) throw new Error(`${this.label}: the inner condition gave ${rs.length} residuals, ${this.targets.length} targets were taken`);
    return rs.map((r, i) => r.sub(this.atRows(this.targets[i]).reshape([...r.shape])));
  }
}

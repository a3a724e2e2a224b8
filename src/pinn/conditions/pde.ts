// PDE residuals at interior points, and general operator conditions on any point set.
import { describe } from '../../errors.js';
import { type Tensor } from '../../tensor.js';
import { type Derivatives } from '../derivatives.js';
import { type Coefficients, Condition, type ConditionOptions, type ResidualFn } from './base.js';

/** A PDE residual F(u, ∂u, …; coefficients) = 0 at interior points. */
export class PDE extends Condition {
  constructor(name: string, points: Tensor, readonly residual: ResidualFn, options?: ConditionOptions) {
    super(name, points, options, (label) => {
      if (typeof residual !== 'function') throw new TypeError(`${label}: residual must be a function (d, coefficients) => Tensor, got ${describe(residual)}`);
    }, new.target === PDE || new.target === OperatorBC ? [] : null);
  }
  residuals(d: Derivatives, c: Coefficients): Tensor[] {
    const r = this.residual(d, c);
    return Array.isArray(r) ? r : [r];
  }
}

/** A general operator condition F(u, ∂u, …) = 0 on any point set (DeepXDE's OperatorBC). */
export class OperatorBC extends PDE {}

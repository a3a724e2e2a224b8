// PDE residuals at interior points, and general operator conditions on any point set.
import { describe } from '../../errors.js';
import { type Tensor } from '../../tensor.js';
import { Causality } from '../causality.js';
import { type Derivatives } from '../derivatives.js';
import { type Coefficients, Condition, type ConditionOptions, type ResidualFn } from './base.js';

export interface PDEOptions extends ConditionOptions {
  /** Weigh the residual's time chunks causally (causality.ts); may also be set or cleared later. */
  causal?: Causality | null;
}

/** A PDE residual F(u, ∂u, …; coefficients) = 0 at interior points. */
export class PDE extends Condition {
  private causality: Causality | null = null;

  constructor(name: string, points: Tensor, readonly residual: ResidualFn, options: PDEOptions = {}) {
    super(name, points, options, (label) => {
      if (typeof residual !== 'function') throw new TypeError(`${label}: residual must be a function (d, coefficients) => Tensor, got ${describe(residual)}`);
      checkCausality(label, options.causal, points);
    }, new.target === PDE || new.target === OperatorBC ? ['causal'] : null);
    this.causality = options.causal ?? null;
  }

  /** The causal weighting of the term's time chunks, or null for the plain mean. */
  get causal(): Causality | null { return this.causality; }
  set causal(c: Causality | null) {
    checkCausality(this.label, c, this.points);
    this.causality = c ?? null;
  }

  residuals(d: Derivatives, c: Coefficients): Tensor[] {
    const r = this.residual(d, c);
    return Array.isArray(r) ? r : [r];
  }

  override loss(d: Derivatives, c: Coefficients): Tensor {
    return this.causality ? this.causality.loss(this.attendedResiduals(d, c), d.x) : super.loss(d, c);
  }
}

function checkCausality(label: string, c: unknown, points: Tensor): void {
  if (c === undefined || c === null) return;
  if (!(c instanceof Causality)) throw new TypeError(`${label}: causal must be a pinn.Causality, got ${describe(c)}`);
  c.attach(label, points);
}

/** A general operator condition F(u, ∂u, …) = 0 on any point set (DeepXDE's OperatorBC). */
export class OperatorBC extends PDE {}

// PDE residuals at interior points, and general operator conditions on any point set.
import { describe } from '../../errors.js';
import { type Tensor } from '../../tensor.js';
import { Causality } from '../causality.js';
import { type Derivatives } from '../derivatives.js';
import { type Coefficients, Condition, type ConditionOptions, type LossName, type ResidualFn } from './base.js';

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
      checkCausality(label, options.causal, points, options.loss ?? 'msae');
    }, new.target === PDE || new.target === OperatorBC ? ['causal'] : null);
    this.causality = options.causal ?? null;
  }

  /** The causal weighting of the term's time chunks, or null for the plain mean. */
  get causal(): Causality | null { return this.causality; }
  set causal(c: Causality | null) {
    checkCausality(this.label, c, this.points, this.lossName);
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

function checkCausality(label: string, c: unknown, points: Tensor, loss: LossName): void {
  if (c === undefined || c === null) return;
  if (!(c instanceof Causality)) throw new TypeError(`${label}: causal must be a pinn.Causality, got ${describe(c)}`);
  // The chunk losses are means of |r|²: a term that asked for another loss would not get it.
  if (loss === 'l1') throw new Error(`${label}: causal weighting averages |r|² per time chunk, so it cannot take loss 'l1'`);
  c.attach(label, points);
}

/** A general operator condition F(u, ∂u, …) = 0 on any point set (DeepXDE's OperatorBC). */
export class OperatorBC extends PDE {}

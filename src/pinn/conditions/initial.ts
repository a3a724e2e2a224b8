// Initial conditions of time-dependent problems: the value, and the velocity of
// second-order-in-time ones, at t₀.
import { type Tensor } from '../../tensor.js';
import { type Derivatives } from '../derivatives.js';
import { type ConditionOptions, type Value, checkInput, checkOutput } from './base.js';
import { DirichletBC, Prescribed } from './prescribed.js';

/** u(x, t₀) = g(x). */
export class InitialCondition extends DirichletBC {}

/** ∂u/∂t (x, t₀) = g(x), the initial velocity of second-order-in-time problems. */
export class InitialVelocity extends Prescribed {
  constructor(name: string, points: Tensor, value: Value, readonly options: ConditionOptions & { output: string; time?: string }) { super(name, points, value, options, ['output', 'time']); }
  override validate(inputs: string[], outputs: string[]): void {
    super.validate(inputs, outputs);
    checkOutput(this.label, this.options.output, outputs);
    checkInput(this.label, this.options.time ?? 't', inputs);
  }
  residuals(d: Derivatives): Tensor[] { return [this.minusValue(d.d(this.options.output, this.options.time ?? 't'), d)]; }
}

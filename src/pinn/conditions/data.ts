// Observed data as a loss term: model outputs held to measured values at their points.
import { Tensor } from '../../tensor.js';
import { keep } from '../../memory.js';
import { type Derivatives } from '../derivatives.js';
import { Condition, type ConditionOptions, checkFinite, checkOutput } from './base.js';

/** Observations: u_k(xᵢ) = yᵢₖ for the listed outputs (values [N, outputs.length]). */
export class PointSetData extends Condition {
  readonly values: Tensor;
  constructor(name: string, points: Tensor, values: Tensor, readonly options: ConditionOptions & { outputs: string[] }) {
    super(name, points, options, (label, n) => {
      if (!Array.isArray(options?.outputs) || options.outputs.length === 0) throw new Error(`${label}: options.outputs must list the observed outputs`);
      if (!(values instanceof Tensor) || values.isDisposed || values.ndim !== 2 || values.shape[0] !== n || values.shape[1] !== options.outputs.length) {
        throw new Error(`${label}: values must be [${n}, ${options.outputs.length}] (a row per point, a column per listed output)`);
      }
      checkFinite(label, 'values', values);
    }, ['outputs']);
    this.values = keep(values.detach());
  }
  override validate(inputs: string[], outputs: string[]): void {
    super.validate(inputs, outputs);
    this.options.outputs.forEach((o) => checkOutput(this.label, o, outputs));
  }
  protected override perPoint(): Record<string, Tensor> { return { values: this.values }; }
  residuals(d: Derivatives): Tensor[] {
    const values = this.atRows(this.values);
    return this.options.outputs.map((o, k) => d.value(o).sub(values.narrow(1, k, 1)));
  }
}

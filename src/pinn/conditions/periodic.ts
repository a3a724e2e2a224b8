// Periodic boundaries: u (or a derivative) equal at paired points on opposite sides.
import { fmt } from '../../shape.js';
import { Tensor } from '../../tensor.js';
import { keep } from '../../memory.js';
import { cat } from '../../functional.js';
import { type Derivatives } from '../derivatives.js';
import { Condition, type ConditionOptions, checkFinite, checkInput, checkOutput } from './base.js';

/** u(x_A) = u(x_B) (or ∂u/∂s equal, with `derivative`), for paired points on opposite sides. */
export class PeriodicBC extends Condition {
  readonly partner: Tensor;
  constructor(name: string, pointsA: Tensor, pointsB: Tensor, readonly options: ConditionOptions & { output: string; derivative?: string }) {
    super(name, pointsA, options, (label) => {
      if (!(pointsB instanceof Tensor) || pointsB.isDisposed || fmt(pointsB.shape) !== fmt(pointsA.shape)) {
        throw new Error(`${label}: the two point sets must have the same shape, got ${fmt(pointsA.shape)} and ${pointsB instanceof Tensor && !pointsB.isDisposed ? fmt(pointsB.shape) : 'no live tensor'}`);
      }
      checkFinite(label, 'partner points', pointsB, false);
    }, ['output', 'derivative']);
    this.partner = keep(pointsB.detach());
  }
  override validate(inputs: string[], outputs: string[]): void {
    super.validate(inputs, outputs);
    checkOutput(this.label, this.options.output, outputs);
    if (this.options.derivative) checkInput(this.label, this.options.derivative, inputs);
  }
  protected override perPoint(): Record<string, Tensor> { return { 'partner points': this.partner }; }
  private stacked: Tensor | null = null;
  protected override rowsChanged(): void { this.stacked?.dispose(); this.stacked = null; }
  /** Both sides stacked: rows [0, n) are side A, [n, 2n) side B (n: the rows evaluated). */
  override get evaluationPoints(): Tensor { return (this.stacked ??= keep(cat([super.evaluationPoints, this.atRows(this.partner)]))); }
  residuals(d: Derivatives): Tensor[] {
    const f = this.options.derivative ? d.d(this.options.output, this.options.derivative) : d.value(this.options.output);
    const n = f.shape[0] / 2;
    return [f.narrow(0, 0, n).sub(f.narrow(0, n, n))];
  }
  override tensors(): Tensor[] { return [...super.tensors(), ...(this.stacked ? [this.stacked] : [])]; }
}

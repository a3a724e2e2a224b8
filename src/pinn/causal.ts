// A PDE term trained causally in time from the start (causality.ts says how): shorthand for a
// PDE with a Causality attached, kept for the options it takes in one object.
import { checkKeys } from '../errors.js';
import { type Tensor } from '../tensor.js';
import { Causality, type CausalityOptions } from './causality.js';
import { type ConditionOptions, PDE, type ResidualFn } from './conditions.js';

export interface CausalOptions extends ConditionOptions, CausalityOptions {}

export class CausalPDE extends PDE {
  constructor(name: string, points: Tensor, residual: ResidualFn, options: CausalOptions) {
    const label = `CausalPDE '${name}'`;
    if (options === null || typeof options !== 'object') throw new TypeError(`${label}: options must be an object with timeColumn, chunks and epsilon`);
    checkKeys(label, 'option', options, ['weight', 'loss', 'attention', 'timeColumn', 'chunks', 'epsilon', 'timeRange']);
    const { timeColumn, chunks, epsilon, timeRange, ...condition } = options;
    let causal: Causality;
    try {
      causal = new Causality({ timeColumn, chunks, epsilon, ...(timeRange === undefined ? {} : { timeRange }) });
    } catch (e) {
      throw Object.assign(e as Error, { message: (e as Error).message.replace(/^Causality/, label) });
    }
    super(name, points, residual, { ...condition, causal });
  }

  get epsilon(): number { return this.causal!.epsilon; }
  set epsilon(value: number) { this.causal!.epsilon = value; }
  get lastWeights(): number[] { return this.causal!.lastWeights; }
  get lastMinWeight(): number { return this.causal!.lastMinWeight; }
}

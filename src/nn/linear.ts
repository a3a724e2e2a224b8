import { empty } from '../creation.js';
import { type DType, type Device } from '../dtype.js';
import { linear } from '../functional.js';
import { Tensor } from '../tensor.js';
import { kaimingUniform_, uniform_ } from './init.js';
import { Module } from './module.js';

export interface LinearOptions { bias?: boolean; dtype?: DType; device?: Device | string }

/** y = x Wᵀ + b, initialised as PyTorch does (U(±1/√in) for W and b). */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, { bias = true, dtype, device }: LinearOptions = {}) {
    super();
    for (const [k, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`Linear: ${k} must be a positive integer, got ${v}`);
    }
    this.weight = this.registerParameter('weight', kaimingUniform_(empty([outFeatures, inFeatures], { dtype, device }), { a: Math.sqrt(5) }));
    const bound = 1 / Math.sqrt(inFeatures);
    this.bias = bias ? this.registerParameter('bias', uniform_(empty([outFeatures], { dtype, device }), -bound, bound)) : null;
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}

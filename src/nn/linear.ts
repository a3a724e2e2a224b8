import { checkBoolean, renamed } from '../checks.js';
import { empty } from '../creation.js';
import { type DType, type Device } from '../dtype.js';
import { linear } from '../functional.js';
import { dispose } from '../memory.js';
import { Tensor } from '../tensor.js';
import { kaimingUniform_, uniform_ } from './init.js';
import { Module, checkFeatures, parameterOptions } from './module.js';

export interface LinearOptions { bias?: boolean; dtype?: DType; device?: Device | string }

/** y = x Wᵀ + b, initialised as PyTorch does (U(±1/√in) for W and b). */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, options?: LinearOptions) {
    super();
    const { dtype, device, bias } = parameterOptions('Linear', options, ['bias']);
    const withBias = checkBoolean('Linear', 'bias', bias, true);
    checkFeatures('Linear', { inFeatures, outFeatures });
    // Both tensors are made before either is registered: a failed allocation leaves nothing behind.
    const made: Tensor[] = [];
    try {
      made.push(kaimingUniform_(empty([outFeatures, inFeatures], { dtype, device }), { a: Math.sqrt(5) }));
      const bound = 1 / Math.sqrt(inFeatures);
      if (withBias) made.push(uniform_(empty([outFeatures], { dtype, device }), -bound, bound));
    } catch (e) {
      dispose(made);
      throw renamed('Linear', e);
    }
    this.weight = this.registerParameter('weight', made[0]);
    this.bias = withBias ? this.registerParameter('bias', made[1]) : null;
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}

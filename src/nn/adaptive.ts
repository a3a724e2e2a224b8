// Adaptive activations: a trainable slope a inside the activation, σ(n·a·z), with a fixed scale
// factor n ≥ 1 and a initialised so that n·a = 1 (the network starts as the plain one).
//   GAAF — one a for the whole network: Jagtap, Kawaguchi & Karniadakis 2020, "Adaptive activation
//          functions accelerate convergence in deep and physics-informed neural networks",
//          J. Comput. Phys. 404, 109136.
//   L-LAAF / N-LAAF — one a per hidden layer, or one per neuron: Jagtap, Kawaguchi & Karniadakis
//          2020, "Locally adaptive activation functions with slope recovery for deep and
//          physics-informed neural networks", Proc. R. Soc. A 476, 20200334, section 2.
// The slope recovery term is that paper's S(a) (section 2b, added to the loss in eq. (2.3)).
import { checkOneOf, checkOptions, isFiniteNumber, need } from '../checks.js';
import { empty } from '../creation.js';
import { checkKeys } from '../errors.js';
import { type DType, type Device } from '../dtype.js';
import { stack } from '../functional.js';
import { Tensor } from '../tensor.js';
import { constant_ } from './init.js';
import { Module } from './module.js';

export type AdaptiveKind = 'global' | 'layer' | 'neuron';

export interface AdaptiveOptions {
  /** 'global' (GAAF): one slope for every hidden layer; 'layer' (L-LAAF); 'neuron' (N-LAAF). */
  kind: AdaptiveKind;
  /** Scale factor n ≥ 1 (the papers use 10); a starts at 1/n. Default 10. */
  n?: number;
}

/** Checks adaptive options, naming `fn` and the argument; returns n. */
export function checkAdaptive(fn: string, o: AdaptiveOptions): number {
  checkKeys(fn, 'adaptive option', checkOptions(fn, o, undefined, 'adaptive'), ['kind', 'n']);
  checkOneOf(fn, 'adaptive.kind', o.kind, ['global', 'layer', 'neuron']);
  const n = o.n ?? 10;
  need(isFiniteNumber(n) && n >= 1, fn, 'adaptive.n', 'a finite number ≥ 1', n);
  return n;
}

/**
 * The trainable slope of one activation: parameter `a` ([1] for a layer or the whole network,
 * [width] for one per neuron), applied as σ(n·a·z). forward(z) = n·a·z, the pre-activation.
 */
export class AdaptiveSlope extends Module {
  readonly a: Tensor;
  constructor(readonly n: number, size: number, { dtype, device }: { dtype?: DType; device?: Device | string } = {}) {
    super();
    this.a = this.registerParameter('a', constant_(empty([size], { dtype, device }), 1 / n));
  }
  /** n·a: the factor the pre-activation is multiplied by. */
  slope(): Tensor { return this.a.mul(this.n); }
  forward(z: Tensor): Tensor {
    const s = this.slope();
    const y = z.mul(s);
    s.dispose();
    return y;
  }
}

/**
 * Slope recovery term (LAAF paper, section 2b), for the slopes of the D − 1 hidden layers:
 *   S(a) = 1 / ( (1/(D−1)) Σₖ exp(āᵏ) ),   āᵏ = mean of layer k's slopes (aᵏ itself for L-LAAF).
 * With one global slope this is exp(−a). Added to the loss, it keeps pushing the slopes up.
 */
export function slopeRecovery(slopes: AdaptiveSlope[]): Tensor {
  need(Array.isArray(slopes) && slopes.length > 0, 'slopeRecovery', 'slopes', 'a non-empty array of adaptive slopes', slopes);
  return stack(slopes.map((s) => s.a.mean())).exp().mean().reciprocal();
}

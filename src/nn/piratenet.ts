// PirateNet (Wang, Li, Chen & Perdikaris 2024, "PirateNets: Physics-informed deep learning with
// residual adaptive networks", arXiv:2402.00326): random Fourier features Φ of the input, two
// gates U = σ(Φ Wᵤ + bᵤ), V = σ(Φ Wᵥ + bᵥ) as in the modified MLP, then blocks that each mix
// their output into their input by a trained α that starts at 0:
//   f = σ(x W₁ + b₁),  z₁ = f ⊙ U + (1 − f) ⊙ V
//   g = σ(z₁ W₂ + b₂), z₂ = g ⊙ U + (1 − g) ⊙ V
//   h = σ(z₂ W₃ + b₃),  x ← α h + (1 − α) x
// and u = x W + b. At α = 0 the network is linear in Φ, so a deep PirateNet starts as a shallow
// model and grows its depth as the αs move: what makes depth trainable for PINNs in the paper.
import { checkPositive, checkPositiveInt } from '../checks.js';
import { zeros } from '../creation.js';
import { type Tensor } from '../tensor.js';
import { type ActivationName, activation } from './activation.js';
import { type DType, type Device } from '../dtype.js';
import { FourierFeatures } from './embeddings.js';
import { initWeight, withSeed } from './mlp.js';
import { zeros_ } from './init.js';
import { Linear } from './linear.js';
import { Module, checkFeatures, parameterOptions } from './module.js';

export interface PirateNetOptions {
  /** Hidden activation (default tanh). */
  activation?: ActivationName | Module;
  /** Standard deviation of the Fourier features' frequencies (default 1; the paper's is 1–2 by problem). */
  scale?: number;
  seed?: number;
  dtype?: DType;
  device?: Device | string;
}

/** A dense layer with Xavier-normal weights and a zero bias. */
function dense(i: number, o: number, opts: { dtype?: DType; device?: Device | string }): Linear {
  const l = new Linear(i, o, opts);
  initWeight(l.weight, 'xavierNormal'); zeros_(l.bias!);
  return l;
}

/** One residual block: three gated dense layers, mixed into its input by α (trained, from 0). */
class PirateBlock extends Module {
  readonly layers: Linear[];
  readonly alpha: Tensor;
  constructor(width: number, o: { dtype?: DType; device?: Device | string }) {
    super();
    this.layers = [0, 1, 2].map((k) => this.registerModule(`fc${k + 1}`, dense(width, width, o)));
    this.alpha = this.registerParameter('alpha', zeros([1], o));
  }
  /** The block on x with the network's gates U, V. */
  gated(x: Tensor, u: Tensor, v: Tensor, act: Module): Tensor {
    const gate = (s: Tensor) => s.mul(u).add(s.rsub(1).mul(v)); // s ⊙ U + (1 − s) ⊙ V
    const z1 = gate(act.forward(this.layers[0].forward(x)));
    const z2 = gate(act.forward(this.layers[1].forward(z1)));
    const h = act.forward(this.layers[2].forward(z2));
    return h.mul(this.alpha).add(x.mul(this.alpha.rsub(1)));
  }
  forward(_x: Tensor): Tensor {
    throw new Error('PirateNet block: it needs the network\'s gates; call the PirateNet, not its block');
  }
}

export class PirateNet extends Module {
  readonly embedding: FourierFeatures;
  readonly encoderU: Linear;
  readonly encoderV: Linear;
  readonly blocks: PirateBlock[];
  readonly output: Linear;
  readonly act: Module;

  /**
   * @param inFeatures inputs
   * @param width the Fourier features' width and every block's (even: cos and sin halves)
   * @param blocks residual blocks (three dense layers each)
   * @param outFeatures outputs
   */
  constructor(readonly inFeatures: number, readonly width: number, readonly blockCount: number, readonly outFeatures: number, options?: PirateNetOptions) {
    super();
    const op = 'PirateNet', { activation: act = 'tanh', scale = 1, seed, dtype, device } = parameterOptions(op, options, ['activation', 'scale', 'seed']);
    checkFeatures(op, { inFeatures, width, outFeatures });
    checkPositiveInt(op, 'blocks', blockCount);
    if (width % 2 !== 0) throw new RangeError(`PirateNet: width must be even (the Fourier features' cos and sin halves), got ${width}`);
    checkPositive(op, 'scale', scale);
    this.act = activation(act);
    const o = { dtype, device };
    try {
      [this.embedding, this.encoderU, this.encoderV, this.blocks, this.output] = withSeed(seed, () => [
        this.registerModule('embedding', new FourierFeatures(inFeatures, width / 2, { scale, ...o })),
        this.registerModule('encoderU', dense(width, width, o)),
        this.registerModule('encoderV', dense(width, width, o)),
        Array.from({ length: blockCount }, (_, k) => this.registerModule(`block${k}`, new PirateBlock(width, o))),
        this.registerModule('output', dense(width, outFeatures, o)),
      ] as const);
    } catch (e) { this.dispose(); throw e; }
  }

  forward(x: Tensor): Tensor {
    let h = this.embedding.forward(x);
    const u = this.act.forward(this.encoderU.forward(h));
    const v = this.act.forward(this.encoderV.forward(h));
    for (const block of this.blocks) h = block.gated(h, u, v, this.act);
    return this.output.forward(h);
  }
}

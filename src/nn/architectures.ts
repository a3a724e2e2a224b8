// Architectures that outperform the plain MLP on hard PINN problems (see shared/notes/field.md).
import { checkFiniteNumber, checkNonNegative, checkNonNegativeInt, checkOneOf, checkPositiveInt } from '../checks.js';
import { empty } from '../creation.js';
import { type DType, type Device } from '../dtype.js';
import { linear } from '../functional.js';
import { Tensor } from '../tensor.js';
import { type ActivationName, activation } from './activation.js';
import { normal_, xavierNormal_, zeros_ } from './init.js';
import { Linear } from './linear.js';
import { type InitName, WEIGHT_INITS, checkSizes, initWeight, withSeed } from './mlp.js';
import { Module, checkFeatures, parameterOptions } from './module.js';

interface ArchOptions { activation?: ActivationName | Module; seed?: number; dtype?: DType; device?: Device | string }

/** Builds a network's layers; if one fails (an allocation), the ones made before it are freed. */
function building<T>(m: Module, op: string, make: () => T): T {
  try { return make(); } catch (e) { m.dispose(); throw e; }
}
const seedOf = (op: string, seed: unknown) => (seed === undefined ? undefined : checkNonNegativeInt(op, 'seed', seed));

/**
 * Modified MLP (Wang, Teng & Perdikaris 2021): two encoders U = σ(XWᵤ+bᵤ), V = σ(XWᵥ+bᵥ)
 * gate every hidden layer: Z = σ(HWₖ+bₖ), H ← (1 − Z) ⊙ U + Z ⊙ V; output = HW + b.
 */
export class ModifiedMLP extends Module {
  readonly encoderU: Linear;
  readonly encoderV: Linear;
  readonly hidden: Linear[];
  readonly output: Linear;
  readonly act: Module;

  constructor(readonly inFeatures: number, readonly width: number, readonly depth: number, readonly outFeatures: number,
    options?: ArchOptions & { init?: InitName }) {
    super();
    const op = 'ModifiedMLP', { activation: act = 'tanh', seed, dtype, device, init = 'xavierNormal' } = parameterOptions(op, options, ['activation', 'seed', 'init']);
    checkFeatures(op, { inFeatures, width, depth, outFeatures });
    checkOneOf(op, 'init', init, WEIGHT_INITS);
    seedOf(op, seed);
    this.act = activation(act);
    const make = (name: string, i: number, o: number) => {
      const l = this.registerModule(name, new Linear(i, o, { dtype, device }));
      if (init !== 'default') { initWeight(l.weight, init); zeros_(l.bias!); }
      return l;
    };
    [this.encoderU, this.encoderV, this.hidden, this.output] = building(this, op, () => withSeed(seed, () => [
      make('encoderU', inFeatures, width),
      make('encoderV', inFeatures, width),
      Array.from({ length: depth }, (_, k) => make(`hidden${k}`, k === 0 ? inFeatures : width, width)),
      make('output', width, outFeatures),
    ] as const));
  }

  forward(x: Tensor): Tensor {
    const u = this.act.forward(this.encoderU.forward(x));
    const v = this.act.forward(this.encoderV.forward(x));
    let h = x;
    for (const layer of this.hidden) {
      const z = this.act.forward(layer.forward(h));
      h = z.rsub(1).mul(u).add(z.mul(v)); // (1 − z)·u + z·v
    }
    return this.output.forward(h);
  }
}

/**
 * Dense layer with random weight factorisation (Wang et al. 2022, as in jaxpi):
 * W = diag(exp(s)) V with s ~ N(mean, std²) per output; trains s and V instead of W.
 */
export class RWFLinear extends Module {
  readonly s: Tensor;
  readonly v: Tensor;
  readonly bias: Tensor;
  constructor(readonly inFeatures: number, readonly outFeatures: number,
    options?: { mean?: number; std?: number; dtype?: DType; device?: Device | string }) {
    super();
    const op = 'RWFLinear', { mean = 1.0, std = 0.1, dtype, device } = parameterOptions(op, options, ['mean', 'std']);
    checkFeatures(op, { inFeatures, outFeatures });
    checkFiniteNumber(op, 'mean', mean);
    checkNonNegative(op, 'std', std);
    const w = xavierNormal_(empty([outFeatures, inFeatures], { dtype, device }));
    const s = normal_(empty([outFeatures, 1], { dtype, device }), mean, std);
    this.s = this.registerParameter('s', s);
    this.v = this.registerParameter('v', w.div(s.detach().exp()));
    this.bias = this.registerParameter('bias', zeros_(empty([outFeatures], { dtype, device })));
    w.dispose();
  }
  forward(x: Tensor): Tensor {
    return linear(x, this.s.exp().mul(this.v), this.bias);
  }
}

/** An MLP whose dense layers are RWFLinear. */
export class RWFMLP extends Module {
  readonly layers: RWFLinear[];
  readonly act: Module;
  constructor(readonly sizes: number[], options?: ArchOptions & { mean?: number; std?: number }) {
    super();
    const op = 'RWFMLP', { activation: act = 'tanh', seed, dtype, device, mean = 1.0, std = 0.1 } = parameterOptions(op, options, ['activation', 'seed', 'mean', 'std']);
    checkSizes(op, sizes);
    checkFiniteNumber(op, 'mean', mean);
    checkNonNegative(op, 'std', std);
    seedOf(op, seed);
    this.act = activation(act);
    this.layers = building(this, op, () => withSeed(seed, () => sizes.slice(1).map((o, i) =>
      this.registerModule(String(2 * i), new RWFLinear(sizes[i], o, { mean, std, dtype, device })))));
  }
  forward(x: Tensor): Tensor {
    const last = this.layers.length - 1;
    for (let i = 0; i < last; i++) x = this.act.forward(this.layers[i].forward(x));
    return this.layers[last].forward(x);
  }
}

/** x + W₂ σ(W₁ x + b₁) + b₂, then σ: a residual block of constant width. */
export class ResidualBlock extends Module {
  readonly fc1: Linear;
  readonly fc2: Linear;
  readonly act: Module;
  constructor(readonly width: number, options?: Omit<ArchOptions, 'seed'>) {
    super();
    const op = 'ResidualBlock', { activation: act = 'tanh', dtype, device } = parameterOptions(op, options, ['activation']);
    checkPositiveInt(op, 'width', width);
    this.act = activation(act);
    [this.fc1, this.fc2] = building(this, op, () => [
      this.registerModule('fc1', new Linear(width, width, { dtype, device })),
      this.registerModule('fc2', new Linear(width, width, { dtype, device })),
    ]);
  }
  forward(x: Tensor): Tensor {
    return this.act.forward(x.add(this.fc2.forward(this.act.forward(this.fc1.forward(x)))));
  }
}

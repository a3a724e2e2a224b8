// The fully connected network of most PINNs, with the initialisations they use, SIREN's
// (siren.ts) among them, and optional adaptive activation slopes (adaptive.ts).
import { type DType, type Device } from '../dtype.js';
import { getRngState, manualSeed, setRngState } from '../runtime.js';
import { Tensor } from '../tensor.js';
import { linear } from '../functional.js';
import { type ActivationName, Sin, activation } from './activation.js';
import { type AdaptiveOptions, AdaptiveSlope, checkAdaptive, slopeRecovery } from './adaptive.js';
import { kaimingNormal_, kaimingUniform_, xavierNormal_, xavierUniform_, zeros_ } from './init.js';
import { Linear } from './linear.js';
import { Module, parameterOptions } from './module.js';
import { checkInteger, checkNonNegativeInt, checkOneOf, checkPositive, need, renamed } from '../checks.js';
import { sirenUniform_ } from './siren.js';

export type InitName = 'default' | 'xavierNormal' | 'xavierUniform' | 'kaimingNormal' | 'kaimingUniform';

export interface MLPOptions {
  activation?: ActivationName | Module;
  /**
   * Weight initialisation. Biases are zeroed, except with 'default' (PyTorch's Linear init) and
   * 'siren' (SIREN's weights, PyTorch's biases kept, as its reference code does; see siren.ts).
   */
  init?: InitName | 'siren';
  /** Seeds the weights without disturbing the global random stream. */
  seed?: number;
  dtype?: DType;
  device?: Device | string;
  /** Trainable activation slopes σ(n·a·z): GAAF ('global'), L-LAAF ('layer'), N-LAAF ('neuron'). */
  adaptive?: AdaptiveOptions;
  /** Fixed pre-activation multiplier of the hidden layers, σ(ω₀·(W x + b)). Default 30 with init 'siren', else none. */
  omega0?: number;
  /** ω₀ of the first layer, when it differs from the others' (SIREN's first_omega_0). Default omega0. */
  omega0First?: number;
}

/** The initialisations initWeight applies (MLP adds 'siren'). */
export const WEIGHT_INITS: readonly InitName[] = ['default', 'xavierNormal', 'xavierUniform', 'kaimingNormal', 'kaimingUniform'];
const INITS: readonly (InitName | 'siren')[] = [...WEIGHT_INITS, 'siren'];

export function initWeight(w: Tensor, init: InitName, op = 'initWeight'): void {
  checkOneOf(op, 'init', init, WEIGHT_INITS);
  if (init === 'xavierNormal') xavierNormal_(w);
  else if (init === 'xavierUniform') xavierUniform_(w);
  else if (init === 'kaimingNormal') kaimingNormal_(w, { nonlinearity: 'relu' });
  else if (init === 'kaimingUniform') kaimingUniform_(w, { nonlinearity: 'relu' });
}

/** Runs fn with the global generator seeded, then restores the previous stream. */
export function withSeed<T>(seed: number | undefined, fn: () => T): T {
  if (seed === undefined) return fn();
  const saved = getRngState();
  manualSeed(seed);
  try { return fn(); } finally { setRngState(saved); }
}

/**
 * sizes = [in, hidden…, out]: Linear → activation, …, Linear (no activation on the output).
 * Each hidden layer may scale its pre-activation, σ(s·(W x + b)), by a fixed ω₀ (SIREN), a
 * trainable slope n·a (adaptive activations) or both; the output layer never is.
 */
export class MLP extends Module {
  readonly layers: Linear[];
  readonly act: Module;
  /** The trainable slope of each hidden layer (the same one for every layer with kind 'global'); [] if none. */
  readonly slopes: AdaptiveSlope[];
  /** The fixed multiplier ω₀ of each hidden layer (1: none). */
  readonly omega0: readonly number[];

  constructor(readonly sizes: number[], options?: MLPOptions) {
    super();
    checkSizes('MLP', sizes);
    const o = parameterOptions('MLP', options, ['activation', 'init', 'seed', 'adaptive', 'omega0', 'omega0First']);
    const { init = 'xavierNormal', seed, dtype, device, adaptive } = o;
    if (seed !== undefined) checkNonNegativeInt('MLP', 'seed', seed);
    // Checked before any layer exists: a bad init must not leave tensors behind.
    checkOneOf('MLP', 'init', init, INITS);
    const siren = init === 'siren';
    const act = o.activation ?? (siren ? 'sin' : 'tanh');
    if (siren && !(act === 'sin' || act instanceof Sin)) throw new Error(`MLP: init 'siren' needs activation 'sin', got ${nameOf(act)}`);
    const omega0 = checkOmega('omega0', o.omega0 ?? (siren ? 30 : 1));
    const omega0First = checkOmega('omega0First', o.omega0First ?? omega0);
    const hidden = sizes.length - 2;
    this.omega0 = Array.from({ length: hidden }, (_, i) => (i === 0 ? omega0First : omega0));
    try { this.act = activation(act); } catch (e) { throw renamed('MLP', e, 'activation'); } // stateless: not registered, so names match PyTorch's Sequential
    const n = adaptive === undefined ? null : checkAdaptive('MLP', adaptive);
    if (n !== null && hidden === 0) throw new Error('MLP: adaptive needs at least one hidden layer (sizes has none)');
    this.slopes = [];
    try {
      this.layers = this.build(sizes, init, n, adaptive?.kind, omega0, seed, { dtype, device });
    } catch (e) {
      this.dispose(); // the layers made before an allocation failed
      throw renamed('MLP', e);
    }
  }

  private build(sizes: number[], init: InitName | 'siren', n: number | null, kind: AdaptiveOptions['kind'] | undefined, omega0: number,
    seed: number | undefined, { dtype, device }: { dtype?: DType; device?: Device | string }): Linear[] {
    const siren = init === 'siren', hidden = sizes.length - 2;
    // One slope for the whole network: registered once, as 'a', however many layers share it.
    const shared = n !== null && kind === 'global' ? new AdaptiveSlope(n, 1, { dtype, device }) : null;
    if (shared) this.registerParameter('a', shared.a);
    return withSeed(seed, () => sizes.slice(1).map((out, i) => {
      // Named 0, 2, 4, … like nn.Sequential(Linear, Tanh, Linear, …): state dicts port both ways.
      const layer = this.registerModule(String(2 * i), new Linear(sizes[i], out, { dtype, device }));
      if (siren) sirenUniform_(layer.weight, { first: i === 0, omega0 });
      else if (init !== 'default') { initWeight(layer.weight, init); zeros_(layer.bias!); }
      // A slope per layer or neuron sits at its activation's place in that order: '1.a', '3.a', …
      if (n !== null && i < hidden) {
        this.slopes.push(shared ?? this.registerModule(String(2 * i + 1),
          new AdaptiveSlope(n, kind === 'neuron' ? out : 1, { dtype, device })));
      }
      return layer;
    }));
  }

  /**
   * The weight and bias layer i applies, its pre-activation scale s folded in:
   * σ(s·(W x + b)) = σ((s W) x + s b). Without a scale these are the layer's own parameters;
   * with one, fresh tensors through which gradients reach W, b and the slope. Folding into the
   * [out, in] weights costs far less than scaling every [N, out] pre-activation (and each of its
   * derivative channels in pinn.taylor), and the parameters stay W and b, so an optimizer's
   * steps are those of the unscaled parameterisation (as in SIREN's code).
   */
  effectiveLinear(i: number): [weight: Tensor, bias: Tensor] {
    const layer = this.layers[checkInteger('MLP.effectiveLinear', 'i', i, 0, this.layers.length - 1)];
    const { weight } = layer, bias = layer.bias!;
    const fixed = this.omega0[i] ?? 1, slope = this.slopes[i];
    if (!slope) return fixed === 1 ? [weight, bias] : [weight.mul(fixed), bias.mul(fixed)];
    const s = slope.a.mul(slope.n * fixed); // [1], or [out] per neuron
    const rows = s.unsqueeze(1);
    const scaled: [Tensor, Tensor] = [weight.mul(rows), bias.mul(s)];
    rows.dispose(); s.dispose();
    return scaled;
  }

  /**
   * The slope recovery term S(a) = 1 / mean over hidden layers k of exp(mean of layer k's
   * slopes) (Jagtap et al. 2020, Proc. R. Soc. A, section 2b), to add to the loss.
   */
  slopeRecovery(): Tensor {
    if (!this.slopes.length) throw new Error('MLP.slopeRecovery: this MLP has no adaptive slopes (construct it with adaptive: { kind, n })');
    return slopeRecovery(this.slopes);
  }

  forward(x: Tensor): Tensor {
    const input = x;
    const last = this.layers.length - 1;
    for (let i = 0; i <= last; i++) {
      const [w, b] = this.effectiveLinear(i);
      const z = linear(x, w, b);
      if (w !== this.layers[i].weight) { w.dispose(); b.dispose(); }
      const next = i < last ? this.act.forward(z) : z;
      // Release intermediates as soon as they are consumed, as PyTorch's refcounting does:
      // autograd keeps its own reference to whatever backward needs, so this only returns
      // memory early (2x faster forward at batch 4096, where cache-cold allocations dominate).
      if (z !== next) z.dispose();
      if (x !== input) x.dispose();
      x = next;
    }
    return x;
  }
}

function checkOmega(name: string, v: number): number {
  return checkPositive('MLP', name, v);
}

/** Layer widths [in, hidden…, out]: at least two, each a positive integer. */
export function checkSizes(op: string, sizes: unknown): number[] {
  const ok = Array.isArray(sizes) && sizes.length >= 2 && sizes.every((s) => Number.isSafeInteger(s) && s > 0);
  need(ok, op, 'sizes', 'an array of ≥ 2 positive integers [in, …, out]', sizes);
  return sizes as number[];
}

const nameOf = (a: ActivationName | Module) => (a instanceof Module ? a.constructor.name : `'${String(a)}'`);

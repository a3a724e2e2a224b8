// MREPINN, the elastography seed's network: separate networks for the displacement u (with the
// anatomical channels, when the data has them) and for the stiffness μ, side by side on the same
// input. It works in the scaled units of normalize.ts (coordinates in [−½, ½], outputs of order
// one); the μ network's last bias starts at 1, so μ starts at the data's mean stiffness.
import { type DType } from '../dtype.js';
import { noGrad } from '../autograd.js';
import { Concat } from '../nn/concat.js';
import { MLP } from '../nn/mlp.js';
import { type MREExample } from './example.js';

export interface MREPINNOptions {
  /** Hidden layers of the u and μ networks (default [64, 64, 64] and [32, 32]). */
  uHidden?: number[]; muHidden?: number[];
  /** SIREN (sine activations with its ω₀ initialisation) instead of tanh with Xavier. */
  siren?: boolean; omega0?: number;
  seed?: number; dtype?: DType;
}

/** The output columns: u (re, im per component per frequency), the anatomical channels, then 'mu'. */
export function mreOutputNames(e: MREExample): { wave: [string, string][][]; anat: string[]; mu: string } {
  const axes = ['x', 'y', 'z'];
  const comp = (c: number) => (e.components === 1 ? 'u' : `u${axes[c]}`);
  const freq = (f: number) => (e.frequencies.length === 1 ? '' : `_f${f}`);
  const wave = e.frequencies.map((_, f) => Array.from({ length: e.components }, (_, c) => [`${comp(c)}${freq(f)}_re`, `${comp(c)}${freq(f)}_im`] as [string, string]));
  return { wave, anat: Array.from({ length: e.anatChannels }, (_, a) => `anat${a}`), mu: 'mu' };
}

/** Concat(u network, μ network) for the example's outputs (mreOutputNames). */
export function createMREPINN(e: MREExample, { uHidden = [64, 64, 64], muHidden = [32, 32], siren = false, omega0 = 30, seed = 0, dtype = 'float64' }: MREPINNOptions = {}): Concat {
  const nu = 2 * e.components * e.frequencies.length + e.anatChannels;
  const net = (sizes: number[], s: number) => new MLP(sizes, siren ? { init: 'siren', activation: 'sin', omega0, seed: s, dtype } : { activation: 'tanh', init: 'xavierNormal', seed: s, dtype });
  const muNet = net([e.rank, ...muHidden, 1], seed + 1);
  noGrad(() => { muNet.layers[muNet.layers.length - 1].bias!.fill_(1); });
  return new Concat(net([e.rank, ...uHidden, nu], seed), muNet);
}

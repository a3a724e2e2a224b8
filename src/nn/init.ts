// Weight initialisation, in place, with PyTorch's formulas and the same generator draws
// (so the same manualSeed gives the same weights as torch.nn.init).
import { noGrad } from '../autograd.js';
import { checkOneOf, need } from '../checks.js';
import { Tensor } from '../tensor.js';

export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/** Recommended gain for a nonlinearity (torch.nn.init.calculate_gain). */
const NONLINEARITIES: readonly Nonlinearity[] = ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu'];

export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (checkOneOf('calculateGain', 'nonlinearity', nonlinearity, NONLINEARITIES)) {
    case 'linear': case 'sigmoid': return 1;
    case 'tanh': return 5.0 / 3;
    case 'relu': return Math.sqrt(2.0);
    case 'leaky_relu': { const slope = param ?? 0.01; return Math.sqrt(2.0 / (1 + slope ** 2)); }
    case 'selu': return 3.0 / 4;
  }
}

/** fan_in = size(1)·receptive field, fan_out = size(0)·receptive field. */
export function fans(t: Tensor): [fanIn: number, fanOut: number] {
  need(t.ndim >= 2, 'init', 'tensor', 'of ≥ 2 dims to have a fan in and out', t.shape);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

const inPlace = (t: Tensor, fn: () => void): Tensor => { noGrad(fn); return t; };

export const uniform_ = (t: Tensor, a = 0, b = 1) => inPlace(t, () => t.uniform_(a, b));
export const normal_ = (t: Tensor, mean = 0, std = 1) => inPlace(t, () => t.normal_(mean, std));
export const zeros_ = (t: Tensor) => inPlace(t, () => t.zero_());
export const ones_ = (t: Tensor) => inPlace(t, () => t.fill_(1));
export const constant_ = (t: Tensor, v: number) => inPlace(t, () => t.fill_(v));

/** U(−a, a), a = gain·√(6 / (fan_in + fan_out)) (Glorot & Bengio 2010). */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = fans(t);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return uniform_(t, -a, a);
}
/** N(0, std²), std = gain·√(2 / (fan_in + fan_out)). */
export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = fans(t);
  return normal_(t, 0, gain * Math.sqrt(2.0 / (fanIn + fanOut)));
}

export interface KaimingOptions { a?: number; mode?: 'fanIn' | 'fanOut'; nonlinearity?: Nonlinearity }
function kaimingStd(t: Tensor, { a = 0, mode = 'fanIn', nonlinearity = 'leaky_relu' }: KaimingOptions): number {
  const [fanIn, fanOut] = fans(t);
  return calculateGain(nonlinearity, a) / Math.sqrt(mode === 'fanIn' ? fanIn : fanOut);
}
/** U(−b, b), b = √3 · gain / √fan (He et al. 2015). */
export function kaimingUniform_(t: Tensor, o: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3.0) * kaimingStd(t, o);
  return uniform_(t, -bound, bound);
}
/** N(0, (gain / √fan)²). */
export function kaimingNormal_(t: Tensor, o: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd(t, o));
}

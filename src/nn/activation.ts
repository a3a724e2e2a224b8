// Activations as modules, and by name for model configs.
import { checkFiniteNumber, checkOneOf } from '../checks.js';
import { Tensor } from '../tensor.js';
import { Module } from './module.js';

export class Tanh extends Module { forward(x: Tensor) { return x.tanh(); } }
export class Sin extends Module { forward(x: Tensor) { return x.sin(); } }
export class ReLU extends Module { forward(x: Tensor) { return x.relu(); } }
export class GELU extends Module { forward(x: Tensor) { return x.gelu(); } }
export class SiLU extends Module { forward(x: Tensor) { return x.silu(); } }
export class Sigmoid extends Module { forward(x: Tensor) { return x.sigmoid(); } }
export class Identity extends Module { forward(x: Tensor) { return x; } }
/** log(1 + exp(βx)) / β */
export class Softplus extends Module {
  constructor(readonly beta = 1) { super(); checkFiniteNumber('Softplus', 'beta', beta); }
  forward(x: Tensor) { return x.softplus(this.beta); }
}

export type ActivationName = 'tanh' | 'sin' | 'relu' | 'gelu' | 'silu' | 'sigmoid' | 'softplus' | 'identity';
const BY_NAME: Record<ActivationName, new () => Module> = {
  tanh: Tanh, sin: Sin, relu: ReLU, gelu: GELU, silu: SiLU, sigmoid: Sigmoid, softplus: Softplus, identity: Identity,
};
export const ACTIVATIONS = Object.keys(BY_NAME) as ActivationName[];

export function activation(name: ActivationName | Module): Module {
  if (name instanceof Module) return name;
  return new BY_NAME[checkOneOf('activation', 'name', name, ACTIVATIONS)]();
}

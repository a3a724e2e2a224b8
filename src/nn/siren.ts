// SIREN's initialisation (Sitzmann, Martel, Bergman, Lindell & Wetzstein 2020, "Implicit neural
// representations with periodic activation functions", NeurIPS; section 3.2 and supplement 1.5).
// Layers compute sin(ω₀·(W x + b)), ω₀ a fixed multiplier kept outside the weights. Weights:
//   first layer   W ~ U(−1/n_in, 1/n_in)
//   later layers  W ~ U(−√(6/n_in)/ω₀, √(6/n_in)/ω₀)   (the last, linear layer too, with the
//                                                       hidden ω₀, as the reference code does)
// Biases keep PyTorch's nn.Linear default U(−1/√n_in, 1/√n_in): the paper does not specify them
// and its reference implementation (explore_siren.ipynb, modules.py) never re-initialises them.
import { Tensor } from '../tensor.js';
import { uniform_ } from './init.js';

/** The bound b of SIREN's U(−b, b) weight draw for a layer with nIn inputs. */
export function sirenBound(nIn: number, { first, omega0 }: { first: boolean; omega0: number }): number {
  return first ? 1 / nIn : Math.sqrt(6 / nIn) / omega0;
}

/** Draws weight [out, in] in place from SIREN's U(−b, b) (see sirenBound). */
export function sirenUniform_(weight: Tensor, o: { first: boolean; omega0: number }): Tensor {
  const b = sirenBound(weight.shape[1], o);
  return uniform_(weight, -b, b);
}

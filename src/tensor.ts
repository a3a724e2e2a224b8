// The Tensor: a number naming a native tensor, plus its shape, dtype and device, with ops as
// methods that check their arguments, then make one call into the binding. The class is in
// tensor/core.ts (memory, conversion, data, autograd); its op methods, by kind, in
// tensor/elementwise.ts, shaping.ts, reductions.ts and inplace.ts. Importing this module loads
// them all: import Tensor from here.
import './tensor/elementwise.js';
import './tensor/shaping.js';
import './tensor/reductions.js';
import './tensor/inplace.js';

export {
  type BackwardOptions, type Complex, type NestedArray, type Scalar, type TensorOrScalar, type ToOptions,
  Tensor, alive, checkPair, wrap, wrapHandle,
} from './tensor/core.js';

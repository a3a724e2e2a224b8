// Reading tensor values back into JS, as the quasi-Newton optimizers keep their scalars in doubles.
import { Tensor } from '../tensor.js';

/** A one-element tensor's value. */
export const item = (t: Tensor) => t.item() as number;

/** A floating-point tensor's values, read back in one call. */
export const floats = (t: Tensor) => t.data() as Float32Array | Float64Array;

// Tensor methods that write into the tensor (for optimizers: call them under noGrad): add_,
// mul_, addcmul_, lerp_, addmm_, copy_, fill_, uniform_, … Installed on Tensor by defineMethods.
import { INPLACE, native } from '../backend.js';
import { checkNumber, checkOptions, renamed } from '../checks.js';
import { type DType } from '../dtype.js';
import { fmt } from '../shape.js';
import { Tensor, type TensorOrScalar, alive, checkPair, defineMethods } from './core.js';

/** Promotion order of dtypes (within what pinn-torch supports): an operand ranked higher promotes past. */
const RANK: Record<DType, number> = { bool: 0, uint8: 1, int32: 2, int64: 3, float32: 4, float64: 5, complex64: 6, complex128: 7 };

/** `code` names the native op when it differs from the public one (add_ of a number: addScalar_). */
function inplace<T extends Tensor>(t: T, op: string, b: [Tensor, string] | null, c: [Tensor, string] | null, s: number, s2 = 0, code = op, sName?: string): T {
  const h = alive(t, op);
  const hb = b === null ? null : checkPair(op, t, b[0], b[1]);
  const hc = c === null ? null : checkPair(op, t, c[0], c[1]);
  try { native.inplace(INPLACE[code], h, hb, hc, s, s2); } catch (e) { throw renamed(op, e, sName && `${sName} ${s}`); }
  return t;
}

function pointwise_<T extends Tensor>(t: T, op: 'addcmul_' | 'addcdiv_', t1: Tensor, t2: Tensor, value: number): T {
  // Operands of a higher dtype than the tensor: LibTorch 1.13 fails an internal assert (0-d
  // operands) or refuses, 2.x may cast silently; refused here the same way on every version.
  const past = [t1, t2].find((x) => x instanceof Tensor && !x.isDisposed && RANK[x.dtype] > RANK[t.dtype]);
  if (past && !t.isDisposed) throw new Error(`${op}: tensor1 (${t1.dtype}) and tensor2 (${t2.dtype}) promote past the tensor's dtype ${t.dtype}; cast them with .to('${t.dtype}')`);
  try {
    return inplace(t, op, [t1, 'tensor1'], [t2, 'tensor2'], checkNumber(op, 'value', value), 0, op, 'value');
  } catch (e) {
    // Operands whose dtypes promote past this tensor's (all 0-d, say) fail an internal assert in LibTorch.
    if (!/needs_dynamic_casting/.test((e as Error).message)) throw e;
    throw new Error(`${op}: tensor1 (${t1.dtype}) and tensor2 (${t2.dtype}) promote past the tensor's dtype ${t.dtype}; cast them with .to('${t.dtype}')`);
  }
}

/** The methods this module adds to Tensor (exported so that its declaration file imports the types they use). */
export const methods = {
  /** this += alpha · other (PyTorch's add_; for a number other, alpha scales it too). */
  add_<T extends Tensor>(this: T, other: TensorOrScalar, alpha = 1): T {
    checkNumber('add_', 'alpha', alpha);
    return typeof other === 'number' ? inplace(this, 'add_', null, null, other * alpha, 0, 'addScalar_', 'other · alpha') : inplace(this, 'add_', [other, 'other'], null, alpha, 0, 'add_', 'alpha');
  },
  sub_<T extends Tensor>(this: T, other: Tensor, alpha = 1): T { return inplace(this, 'sub_', [other, 'other'], null, checkNumber('sub_', 'alpha', alpha), 0, 'sub_', 'alpha'); },
  mul_<T extends Tensor>(this: T, other: TensorOrScalar): T {
    return typeof other === 'number' ? inplace(this, 'mul_', null, null, other, 0, 'mulScalar_', 'other') : inplace(this, 'mul_', [other, 'other'], null, 1);
  },
  div_<T extends Tensor>(this: T, other: TensorOrScalar): T {
    return typeof other === 'number' ? inplace(this, 'div_', null, null, other, 0, 'divScalar_', 'other') : inplace(this, 'div_', [other, 'other'], null, 1);
  },
  /** this += value · t1 · t2 */
  addcmul_<T extends Tensor>(this: T, t1: Tensor, t2: Tensor, value = 1): T { return pointwise_(this, 'addcmul_', t1, t2, value); },
  /** this += value · t1 / t2 */
  addcdiv_<T extends Tensor>(this: T, t1: Tensor, t2: Tensor, value = 1): T { return pointwise_(this, 'addcdiv_', t1, t2, value); },
  /** this += weight · (end − this) */
  lerp_<T extends Tensor>(this: T, end: Tensor, weight: number): T { return inplace(this, 'lerp_', [end, 'end'], null, checkNumber('lerp_', 'weight', weight), 0, 'lerp_', 'weight'); },
  /** this ← beta · this + alpha · (mat1 @ mat2), as PyTorch's addmm_: one pass over this (2-D only). */
  addmm_<T extends Tensor>(this: T, mat1: Tensor, mat2: Tensor, options?: { beta?: number; alpha?: number }): T {
    const h = alive(this, 'addmm_');
    const [h1, h2] = [alive(mat1, 'addmm_', 'mat1'), alive(mat2, 'addmm_', 'mat2')];
    const { beta = 1, alpha = 1 } = checkOptions('addmm_', options, ['beta', 'alpha']);
    const [a, b, c] = [this.shape, mat1.shape, mat2.shape];
    if (a.length !== 2 || b.length !== 2 || c.length !== 2) throw new Error(`addmm_: needs 2-D tensors, got ${fmt(a)} += ${fmt(b)} @ ${fmt(c)} (tensor += mat1 @ mat2)`);
    if (b[1] !== c[0] || a[0] !== b[0] || a[1] !== c[1]) throw new Error(`addmm_: shapes do not chain: ${fmt(a)} += ${fmt(b)} @ ${fmt(c)} (tensor += mat1 @ mat2)`);
    for (const [m, name] of [[mat1, 'mat1'], [mat2, 'mat2']] as const) {
      if (m.dtype !== this.dtype) throw new Error(`addmm_: dtypes differ (${this.dtype} and ${m.dtype}), the tensor's and ${name}'s`);
      if (m.device !== this.device) throw new Error(`addmm_: tensors are on different devices (${this.device} and ${m.device}), the tensor's and ${name}'s`);
    }
    try { native.inplace(INPLACE.addmm_, h, h1, h2, checkNumber('addmm_', 'beta', beta), checkNumber('addmm_', 'alpha', alpha)); } catch (e) { throw renamed('addmm_', e, `beta ${beta}, alpha ${alpha}`); }
    return this;
  },
  copy_<T extends Tensor>(this: T, src: Tensor): T { return inplace(this, 'copy_', [src, 'src'], null, 1); },
  zero_<T extends Tensor>(this: T): T { return inplace(this, 'zero_', null, null, 0); },
  fill_<T extends Tensor>(this: T, value: number): T { return inplace(this, 'fill_', null, null, checkNumber('fill_', 'value', value), 0, 'fill_', 'value'); },
  sqrt_<T extends Tensor>(this: T): T { return inplace(this, 'sqrt_', null, null, 0); },
  neg_<T extends Tensor>(this: T): T { return inplace(this, 'neg_', null, null, 0); },
  maximum_<T extends Tensor>(this: T, other: Tensor): T { return inplace(this, 'maximum_', [other, 'other'], null, 0); },
  clampMin_<T extends Tensor>(this: T, min: number): T { return inplace(this, 'clampMin_', null, null, checkNumber('clampMin_', 'min', min), 0, 'clampMin_', 'min'); },
  clampMax_<T extends Tensor>(this: T, max: number): T { return inplace(this, 'clampMax_', null, null, checkNumber('clampMax_', 'max', max), 0, 'clampMax_', 'max'); },
  /** Fills with U(low, high) draws from the global generator (as PyTorch's uniform_). */
  uniform_<T extends Tensor>(this: T, low = 0, high = 1): T {
    if (!(checkNumber('uniform_', 'low', low) <= checkNumber('uniform_', 'high', high))) throw new RangeError(`uniform_: need low ≤ high, got ${low}, ${high}`);
    return inplace(this, 'uniform_', null, null, low, high);
  },
  /** Fills with N(mean, std²) draws from the global generator (as PyTorch's normal_). */
  normal_<T extends Tensor>(this: T, mean = 0, std = 1): T {
    if (!(checkNumber('normal_', 'std', std) >= 0)) throw new RangeError(`normal_: std must be ≥ 0, got ${std}`);
    return inplace(this, 'normal_', null, null, checkNumber('normal_', 'mean', mean), std);
  },
};

export type InplaceMethods  = typeof methods;
declare module './core.js' {
  interface Tensor extends InplaceMethods {}
}
defineMethods(methods);

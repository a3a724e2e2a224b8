// Loss functions with PyTorch's `reduction` ('mean' | 'sum' | 'none'), and error metrics.
import { Tensor, alive } from './tensor.js';
import { checkNumber, checkOptions, renamed } from './checks.js';
import { isComplex, isFloating } from './dtype.js';
import { show } from './errors.js';
import { tidy } from './memory.js';
import { fmt } from './shape.js';

export type Reduction = 'mean' | 'sum' | 'none';

const REDUCTIONS: readonly unknown[] = ['mean', 'sum', 'none'];

/**
 * A loss: its arguments checked first, then `body` run in a scope of its own, so that only the
 * result outlives the call (intermediates are freed now, not left to the garbage collector).
 */
function loss(op: string, input: Tensor, target: Tensor | number, reduction: unknown, body: (d: Tensor) => Tensor): Tensor {
  alive(input, op, 'input');
  // As PyTorch's losses: integers would be squared in their own dtype (and overflow) or fail in mean.
  if (!isFloating(input.dtype) && !isComplex(input.dtype)) throw new TypeError(`${op}: input must be floating point or complex, got ${input.dtype}`);
  if (typeof target !== 'number') {
    alive(target, op, 'target');
    if (fmt(input.shape) !== fmt(target.shape)) throw new Error(`${op}: input ${fmt(input.shape)} and target ${fmt(target.shape)} differ in shape`);
  }
  if (!REDUCTIONS.includes(reduction)) throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got ${show(reduction)}`);
  try {
    return tidy(() => {
      const r = body(typeof target === 'number' ? (target === 0 ? input : input.sub(target)) : input.sub(target));
      // With 'none' the result must never be the caller's own tensor (a body may return its input).
      return reduction === 'mean' ? r.mean() : reduction === 'sum' ? r.sum() : r === input ? r.clone() : r;
    });
  } catch (e) {
    throw renamed(op, e); // an inner op's refusal (sub of bool tensors, mean of integers) under the loss's name
  }
}

/** mean((x − y)²) */
export function mse(input: Tensor, target: Tensor | number = 0, reduction: Reduction = 'mean'): Tensor {
  if (alive(input, 'mse', 'input') >= 0 && isComplex(input.dtype)) throw new Error('mse: input is complex; use msae (mean |x − y|²) for complex values');
  return loss('mse', input, target, reduction, (d) => {
    if (isComplex(d.dtype)) throw new Error('mse: target is complex; use msae (mean |x − y|²) for complex values');
    return d.square();
  });
}

/** mean(|x − y|) */
export function l1(input: Tensor, target: Tensor | number = 0, reduction: Reduction = 'mean'): Tensor {
  return loss('l1', input, target, reduction, (d) => d.abs());
}

/** ½(x−y)² where |x−y| < δ, else δ(|x−y| − ½δ) (PyTorch's HuberLoss). */
export function huber(input: Tensor, target: Tensor | number = 0, options?: { delta?: number; reduction?: Reduction }): Tensor {
  const { delta = 1, reduction = 'mean' } = checkOptions('huber', options, ['delta', 'reduction']);
  if (!(checkNumber('huber', 'delta', delta) > 0)) throw new RangeError(`huber: delta must be > 0, got ${delta}`);
  return loss('huber', input, target, reduction, (d) => {
    const a = d.abs();
    // A delta past the dtype's range (1e300 in float32) bounds nothing: ½a² throughout, as PyTorch's kernel gives.
    const bound = a.dtype === 'float32' ? Math.fround(delta) : delta;
    if (bound === Infinity) return a.square().mul(0.5);
    const quadratic = a.clamp(null, bound);
    // ½q² + δ(a − q) equals both branches: q = a below δ, q = δ above.
    return quadratic.square().mul(0.5).add(a.sub(quadratic).mul(delta));
  });
}

/** Mean squared absolute error, mean(|x − y|²): the elastography seed's loss; real or complex. */
export function msae(input: Tensor, target: Tensor | number = 0, reduction: Reduction = 'mean'): Tensor {
  return loss('msae', input, target, reduction, (d) => (isComplex(d.dtype) ? d.abs().square() : d.square()));
}

/** ‖x − y‖₂ / ‖y‖₂ over all elements, the usual PINN accuracy metric. */
export function relativeL2(prediction: Tensor, reference: Tensor): number {
  const num = tidy(() => loss('relativeL2', prediction, reference, 'none', (d) => d).norm().item() as number);
  const den = tidy(() => reference.norm().item() as number);
  if (den === 0) throw new Error('relativeL2: the reference is identically zero');
  return num / den;
}

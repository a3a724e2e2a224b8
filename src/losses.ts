// Loss functions with PyTorch's `reduction` ('mean' | 'sum' | 'none'), and error metrics.
import { Tensor, alive } from './tensor.js';
import { isComplex } from './dtype.js';
import { fmt } from './shape.js';

export type Reduction = 'mean' | 'sum' | 'none';

function reduce(op: string, t: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'mean') return t.mean();
  if (reduction === 'sum') return t.sum();
  if (reduction === 'none') return t;
  throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
}

function diff(op: string, input: Tensor, target: Tensor | number): Tensor {
  alive(input, op, 'input');
  if (typeof target === 'number') return target === 0 ? input : input.sub(target);
  alive(target, op, 'target');
  if (fmt(input.shape) !== fmt(target.shape)) throw new Error(`${op}: input ${fmt(input.shape)} and target ${fmt(target.shape)} differ in shape`);
  return input.sub(target);
}

/** mean((x − y)²) */
export function mse(input: Tensor, target: Tensor | number = 0, reduction: Reduction = 'mean'): Tensor {
  const d = diff('mse', input, target);
  if (isComplex(d.dtype)) throw new Error('mse: input is complex; use msae (mean |x − y|²) for complex values');
  return reduce('mse', d.square(), reduction);
}

/** mean(|x − y|) */
export function l1(input: Tensor, target: Tensor | number = 0, reduction: Reduction = 'mean'): Tensor {
  return reduce('l1', diff('l1', input, target).abs(), reduction);
}

/** ½(x−y)² where |x−y| < δ, else δ(|x−y| − ½δ) (PyTorch's HuberLoss). */
export function huber(input: Tensor, target: Tensor | number = 0, { delta = 1, reduction = 'mean' as Reduction } = {}): Tensor {
  if (!(delta > 0)) throw new RangeError(`huber: delta must be > 0, got ${delta}`);
  const a = diff('huber', input, target).abs();
  const quadratic = a.clamp(null, delta);
  // ½q² + δ(a − q) equals both branches: q = a below δ, q = δ above.
  return reduce('huber', quadratic.square().mul(0.5).add(a.sub(quadratic).mul(delta)), reduction);
}

/** Mean squared absolute error, mean(|x − y|²): the elastography seed's loss; real or complex. */
export function msae(input: Tensor, target: Tensor | number = 0, reduction: Reduction = 'mean'): Tensor {
  const d = diff('msae', input, target);
  return reduce('msae', isComplex(d.dtype) ? d.abs().square() : d.square(), reduction);
}

/** ‖x − y‖₂ / ‖y‖₂ over all elements, the usual PINN accuracy metric. */
export function relativeL2(prediction: Tensor, reference: Tensor): number {
  const num = diff('relativeL2', prediction, reference).norm().item() as number;
  const den = reference.norm().item() as number;
  if (den === 0) throw new Error('relativeL2: the reference is identically zero');
  return num / den;
}

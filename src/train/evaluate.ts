// What a model's state measures outside a step: relative L2 error against the problem's
// reference, and the losses at the current parameters.
import { noGrad } from '../autograd.js';
import { type DType, type Device } from '../dtype.js';
import { stack } from '../functional.js';
import { tidy } from '../memory.js';
import { type Module } from '../nn/module.js';
import { type Problem } from '../pinn/problem.js';
import { type Tensor } from '../tensor.js';
import { type MetricsHistory } from './events.js';

/** ‖u − u_ref‖₂ / ‖u_ref‖₂ at `points` (moved to the model's dtype and device). */
export function relativeL2(problem: Problem, model: Module, points: Tensor, at: { dtype: DType; device: Device }): Record<string, number> & { all: number } {
  const ref = problem.reference;
  if (!ref) throw new Error('Trainer.evaluate: needs a problem with a reference solution');
  return tidy(() => noGrad(() => {
    const x = points.dtype === at.dtype && points.device === at.device ? points : points.to(at);
    const u = problem.predict(model, x);
    const r = ref(x);
    if (r.ndim !== 2 || r.shape[0] !== u.shape[0] || r.shape[1] !== u.shape[1]) {
      throw new Error(`Trainer.evaluate: reference returns [${r.shape.join(', ')}], the model [${u.shape.join(', ')}]`);
    }
    const e = u.sub(r).abs().square().sum(0).to('float64').data() as Float64Array;
    const n = r.abs().square().sum(0).to('float64').data() as Float64Array;
    const relL2: Record<string, number> & { all: number } = { all: Math.sqrt(e.reduce((a, b) => a + b, 0) / n.reduce((a, b) => a + b, 0)) };
    problem.outputs.forEach((o, k) => { relL2[o] = Math.sqrt(e[k] / n[k]); });
    return relL2;
  }));
}

/** Raw losses and their weighted total at the current parameters and points (no step, no backward). */
export function lossesAt(problem: Problem, model: Module, weights: Record<string, number> | undefined): { losses: Record<string, number>; total: number } {
  return tidy(() => {
    const raw = problem.losses(model);
    const names = Object.keys(raw);
    const nums = stack([...names.map((k) => raw[k]), problem.total(raw, weights)]).to('float64').data() as Float64Array;
    return { losses: Object.fromEntries(names.map((k, i) => [k, nums[i]])), total: nums[names.length] };
  });
}

/** The losses a fit reports: the last step's, or, after a callback restored other parameters, those of the model as it is. */
export function finalLosses(problem: Problem, model: Module, history: MetricsHistory, restored: boolean, weights: Record<string, number> | undefined): { losses: Record<string, number>; total: number } {
  if (restored) return lossesAt(problem, model, weights);
  const n = history.step.length;
  return { losses: Object.fromEntries(Object.entries(history.losses).map(([k, a]) => [k, a[n - 1]])), total: history.total[n - 1] };
}

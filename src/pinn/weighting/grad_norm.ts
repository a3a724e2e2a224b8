import { grad } from '../../autograd.js';
import { stack } from '../../functional.js';
import { tidy } from '../../memory.js';
import { type Tensor } from '../../tensor.js';
import {
  type LossWeighting, type Smoothing, type WeightingContext, type Weights, type Schedule, checkSchedule, checkSmoothing, updateDue, checkState, checkWeights, smoothTowards,
} from './base.js';

/** ‖∇θ Lᵢ‖² of one term as a 0-d tensor (0 for a term that does not depend on θ); call inside tidy. */
export function gradSquaredNorm(loss: Tensor, params: Tensor[]): Tensor {
  if (!loss.requiresGrad) return loss.detach().mul(0);
  const gs = grad(loss, params, { retainGraph: true, allowUnused: true }).filter((g): g is Tensor => g !== null);
  return gs.map((g) => g.square().sum().to('float64')).reduce((a, b) => a.add(b), loss.detach().mul(0).to('float64'));
}

/**
 * Gradient-norm balancing (Wang et al. 2023, "An expert's guide to training PINNs", as in
 * jaxpi): every `every` steps, ŵᵢ = (Σⱼ‖∇θLⱼ‖) / ‖∇θLᵢ‖, then w ← α w + (1 − α) ŵ within
 * [min, max] (base.ts). Terms with a zero gradient keep their weight. Costs one extra backward
 * pass per term on update steps.
 */
export class GradNormWeighting implements LossWeighting {
  readonly name = 'gradNorm';
  private current: Weights | null = null;
  private readonly smoothing: Required<Smoothing>;
  constructor(readonly o: Schedule & Smoothing = {}) {
    checkSchedule('GradNormWeighting', o);
    this.smoothing = checkSmoothing('GradNormWeighting', o);
  }
  /** ‖∇θLᵢ‖ for every term, read back in one crossing. */
  static gradNorms(raw: Record<string, Tensor>, params: Tensor[]): Record<string, number> {
    const names = Object.keys(raw);
    const sq = tidy(() => stack(names.map((k) => gradSquaredNorm(raw[k], params))).data() as Float64Array);
    return Object.fromEntries(names.map((k, i) => [k, Math.sqrt(sq[i])]));
  }
  weights(ctx: WeightingContext): Weights {
    if (this.current === null) this.current = { ...ctx.base };
    if (updateDue(ctx.step, this.o, 1000)) {
      const norms = GradNormWeighting.gradNorms(ctx.raw, ctx.params);
      const total = Object.values(norms).reduce((a, b) => a + b, 0);
      const target = Object.fromEntries(Object.entries(norms).filter(([, n]) => n > 0).map(([k, n]) => [k, total / n]));
      this.current = smoothTowards(this.current, target, this.smoothing);
    }
    return { ...this.current };
  }
  stateDict() { return { current: this.current }; }
  loadStateDict(s: Record<string, unknown>) {
    checkState('GradNormWeighting', s, ['current']);
    this.current = checkWeights('GradNormWeighting', 'current', s.current);
  }
}

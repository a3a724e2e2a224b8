import { checkOptions } from '../../checks.js';
import { stack } from '../../functional.js';
import { tidy } from '../../memory.js';
import { type Tensor } from '../../tensor.js';
import {
  ADAPTIVE_KEYS, type LossWeighting, type Smoothing, type WeightingContext, type Weights, type Schedule, checkSchedule, checkSmoothing, updateDue, checkState, checkWeights, smoothTowards, termGradients,
} from './base.js';

/** ‖∇θ Lᵢ‖² of one term as a 0-d tensor (0 for a term that does not depend on θ); call inside tidy. */
export function gradSquaredNorm(loss: Tensor, params: Tensor[]): Tensor {
  return squaredNorm(termGradients([loss], params)[0], loss);
}

function squaredNorm(gs: (Tensor | null)[], loss: Tensor): Tensor {
  return gs.filter((g): g is Tensor => g !== null).map((g) => g.square().sum().to('float64')).reduce((a, b) => a.add(b), loss.detach().mul(0).to('float64'));
}

/**
 * Gradient-norm balancing (Wang et al. 2023, "An expert's guide to training PINNs", as in
 * jaxpi): every `every` steps, ŵᵢ = (Σⱼ‖∇θLⱼ‖) / ‖∇θLᵢ‖, then w ← α w + (1 − α) ŵ within
 * [min, max] (base.ts). Terms with a zero gradient keep their weight. Costs one extra backward
 * pass per term on update steps.
 */
export class GradNormWeighting implements LossWeighting {
  readonly name = 'gradNorm';
  get phase(): string | undefined { return this.o.phase; }
  private current: Weights | null = null;
  private readonly smoothing: Required<Smoothing>;
  constructor(readonly o: Schedule & Smoothing = {}) {
    const c = checkOptions('GradNormWeighting', o, ADAPTIVE_KEYS);
    checkSchedule('GradNormWeighting', c);
    this.smoothing = checkSmoothing('GradNormWeighting', c);
  }
  /** ‖∇θLᵢ‖ for every term, read back in one crossing. */
  static gradNorms(raw: Record<string, Tensor>, params: Tensor[], allreduce?: (ts: Tensor[]) => void): Record<string, number> {
    const names = Object.keys(raw);
    const sq = tidy(() => {
      const gs = termGradients(names.map((k) => raw[k]), params, allreduce);
      return stack(names.map((k, i) => squaredNorm(gs[i], raw[k]))).data() as Float64Array;
    });
    return Object.fromEntries(names.map((k, i) => [k, Math.sqrt(sq[i])]));
  }
  weights(ctx: WeightingContext): Weights {
    if (this.current === null) this.current = { ...ctx.base };
    if (updateDue(ctx, this.o, 1000)) {
      const norms = GradNormWeighting.gradNorms(ctx.raw, ctx.params, ctx.allreduce?.bind(ctx));
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

import { zerosLike } from '../creation.js';
import { Tensor } from '../tensor.js';
import { checkBoolean, checkOptions, checkRange } from '../checks.js';
import { type Closure, Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';

export interface AdamOptions {
  lr: number; betas: [number, number]; eps: number; weightDecay: number; amsgrad: boolean; maximize: boolean;
}

/**
 * Adam (Kingma & Ba 2015), as torch.optim.Adam; with `decoupled` it is AdamW (Loshchilov & Hutter):
 * θ ← θ(1 − γλ) instead of g ← g + λθ. Then m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * θ ← θ − (γ / (1−β₁ᵗ)) · m / (√v̂ / √(1−β₂ᵗ) + ε), v̂ = v (or its running max with amsgrad).
 */
export class Adam extends Optimizer<AdamOptions> {
  protected decoupled = false;
  constructor(params: ParamsInput<AdamOptions>, o?: Partial<AdamOptions>) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, ...checkOptions(new.target.name, o) });
  }
  protected optionNames() { return ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize']; }
  protected validate(g: ParamGroup<AdamOptions>): void {
    const op = this.constructor.name;
    checkRange(op, 'lr', g.lr, 0, Infinity);
    checkRange(op, 'eps', g.eps, 0, Infinity);
    if (!Array.isArray(g.betas) || g.betas.length !== 2) throw new RangeError(`${op}: betas must be [beta1, beta2]`);
    checkRange(op, 'betas[0]', g.betas[0], 0, 1, true);
    checkRange(op, 'betas[1]', g.betas[1], 0, 1, true);
    checkRange(op, 'weightDecay', g.weightDecay, 0, Infinity);
    checkBoolean(op, 'amsgrad', g.amsgrad);
    checkBoolean(op, 'maximize', g.maximize);
  }
  protected stateSpec(g: ParamGroup<AdamOptions>) {
    const keys = ['step', 'expAvg', 'expAvgSq', ...(g.amsgrad ? ['maxExpAvgSq'] : [])];
    return { keys, paramShaped: keys.slice(1), counters: ['step'] };
  }
  step(closure?: Closure): number | undefined {
    const loss = closure ? this.evaluate(closure) : undefined;
    this.forEachParam((p, grad, state, g) => {
      if (state.step === undefined) {
        state.step = 0;
        this.keepState(state, 'expAvg', zerosLike(p));
        this.keepState(state, 'expAvgSq', zerosLike(p));
        if (g.amsgrad) this.keepState(state, 'maxExpAvgSq', zerosLike(p));
      }
      const [beta1, beta2] = g.betas;
      const expAvg = state.expAvg as Tensor, expAvgSq = state.expAvgSq as Tensor;
      let d = g.maximize ? grad.neg() : grad;
      const step = (state.step as number) + 1;
      state.step = step;
      if (g.weightDecay !== 0) {
        if (this.decoupled) p.mul_(1 - g.lr * g.weightDecay);
        else d = d.clone().add_(p, g.weightDecay);
      }
      expAvg.mul_(beta1).add_(d, 1 - beta1);
      expAvgSq.mul_(beta2).addcmul_(d, d, 1 - beta2);
      const biasCorrection1 = 1 - beta1 ** step;
      const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** step);
      let second = expAvgSq;
      if (g.amsgrad) second = (state.maxExpAvgSq as Tensor).maximum_(expAvgSq);
      const denom = second.sqrt().div(biasCorrection2Sqrt).add_(g.eps);
      p.addcdiv_(expAvg, denom, -(g.lr / biasCorrection1));
    });
    return loss;
  }
}

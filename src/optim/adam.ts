import { zerosLike } from '../creation.js';
import { fusedAdamStep } from '../functional.js';
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
 * With g = −grad when maximizing, each parameter's ops, in this order (torch.optim.Adam's
 * single-tensor form): g ← g.clone().add_(θ, λ) (or θ.mul_(1 − γλ) when decoupled),
 * m.mul_(β₁).add_(g, 1−β₁), v.mul_(β₂).addcmul_(g, g, 1−β₂), v̂ = max.maximum_(v) with amsgrad,
 * θ.addcdiv_(m, v̂.sqrt().div(√(1−β₂ᵗ)).add_(ε), −γ/(1−β₁ᵗ)).
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
    // One native call per group (functional.fusedAdamStep): the ops the header states, per parameter.
    this.forEachGroup((g, entries) => {
      const [beta1, beta2] = g.betas;
      const steps = entries.map(({ p, grad, state }) => {
        if (state.step === undefined) {
          state.step = 0;
          this.keepState(state, 'expAvg', zerosLike(p));
          this.keepState(state, 'expAvgSq', zerosLike(p));
          if (g.amsgrad) this.keepState(state, 'maxExpAvgSq', zerosLike(p));
        }
        const step = (state.step as number) + 1;
        return {
          param: p, grad, expAvg: state.expAvg as Tensor, expAvgSq: state.expAvgSq as Tensor, maxExpAvgSq: state.maxExpAvgSq as Tensor | undefined,
          stepSize: -(g.lr / (1 - beta1 ** step)), bias2Sqrt: Math.sqrt(1 - beta2 ** step),
        };
      });
      fusedAdamStep(steps, {
        beta1, oneMinusBeta1: 1 - beta1, beta2, oneMinusBeta2: 1 - beta2, eps: g.eps, weightDecay: g.weightDecay,
        decayFactor: 1 - g.lr * g.weightDecay, maximize: g.maximize, decoupled: this.decoupled, amsgrad: g.amsgrad,
      });
      for (const { state } of entries) state.step = (state.step as number) + 1; // once the update is made: a refused one counts no step
    });
    return loss;
  }
}

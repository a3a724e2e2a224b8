import { zerosLike } from '../creation.js';
import { Tensor } from '../tensor.js';
import { checkBoolean, checkOptions, checkRange } from '../checks.js';
import { type Closure, Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';

export interface RMSpropOptions { lr: number; alpha: number; eps: number; weightDecay: number; momentum: number; centered: boolean; maximize: boolean }

/**
 * RMSprop, as torch.optim.RMSprop: v ← αv + (1−α)g²; with `centered`, ḡ ← αḡ + (1−α)g and
 * v − ḡ² replaces v; θ ← θ − γ g / (√v + ε) (or through a momentum buffer b ← μb + g/(√v+ε)).
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: ParamsInput<RMSpropOptions>, o?: Partial<RMSpropOptions>) {
    super(params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false, ...checkOptions('RMSprop', o) });
  }
  protected optionNames() { return ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize']; }
  protected validate(g: ParamGroup<RMSpropOptions>): void {
    checkRange('RMSprop', 'lr', g.lr, 0, Infinity);
    checkRange('RMSprop', 'alpha', g.alpha, 0, Infinity);
    checkRange('RMSprop', 'eps', g.eps, 0, Infinity);
    checkRange('RMSprop', 'momentum', g.momentum, 0, Infinity);
    checkRange('RMSprop', 'weightDecay', g.weightDecay, 0, Infinity);
    checkBoolean('RMSprop', 'centered', g.centered);
    checkBoolean('RMSprop', 'maximize', g.maximize);
  }
  protected stateSpec(g: ParamGroup<RMSpropOptions>) {
    const keys = ['step', 'squareAvg', ...(g.momentum > 0 ? ['momentumBuffer'] : []), ...(g.centered ? ['gradAvg'] : [])];
    return { keys, paramShaped: keys.slice(1), counters: ['step'] };
  }
  step(closure?: Closure): number | undefined {
    const loss = closure ? this.evaluate(closure) : undefined;
    this.forEachParam((p, grad, state, g) => {
      if (state.step === undefined) {
        state.step = 0;
        this.keepState(state, 'squareAvg', zerosLike(p));
        if (g.momentum > 0) this.keepState(state, 'momentumBuffer', zerosLike(p));
        if (g.centered) this.keepState(state, 'gradAvg', zerosLike(p));
      }
      state.step = (state.step as number) + 1;
      let d = g.maximize ? grad.neg() : grad;
      if (g.weightDecay !== 0) d = d.clone().add_(p, g.weightDecay);
      const squareAvg = (state.squareAvg as Tensor).mul_(g.alpha).addcmul_(d, d, 1 - g.alpha);
      let avg: Tensor;
      if (g.centered) {
        const gradAvg = (state.gradAvg as Tensor).mul_(g.alpha).add_(d, 1 - g.alpha);
        avg = squareAvg.clone().addcmul_(gradAvg, gradAvg, -1).sqrt_();
      } else {
        avg = squareAvg.sqrt();
      }
      avg.add_(g.eps);
      if (g.momentum > 0) {
        const buf = (state.momentumBuffer as Tensor).mul_(g.momentum).addcdiv_(d, avg);
        p.add_(buf, -g.lr);
      } else {
        p.addcdiv_(d, avg, -g.lr);
      }
    });
    return loss;
  }
}

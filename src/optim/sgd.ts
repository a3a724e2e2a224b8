import { checkBoolean, checkNumber, checkOptions, checkRange } from '../checks.js';
import { type Closure, Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';

export interface SGDOptions { lr: number; momentum: number; dampening: number; weightDecay: number; nesterov: boolean; maximize: boolean }

/**
 * Stochastic gradient descent, as torch.optim.SGD:
 * g ← ∇ + λθ; b ← μb + (1 − τ)g (b₁ = g); g ← g + μb (Nesterov) or b; θ ← θ − γg.
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsInput<SGDOptions>, o: Partial<SGDOptions> & { lr: number }) {
    super(params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...checkOptions('SGD', o) as typeof o });
  }
  protected optionNames() { return ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize']; }
  protected validate(g: ParamGroup<SGDOptions>): void {
    checkRange('SGD', 'lr', g.lr, 0, Infinity);
    checkRange('SGD', 'momentum', g.momentum, 0, Infinity);
    checkRange('SGD', 'weightDecay', g.weightDecay, 0, Infinity);
    checkNumber('SGD', 'dampening', g.dampening);
    checkBoolean('SGD', 'nesterov', g.nesterov);
    checkBoolean('SGD', 'maximize', g.maximize);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) throw new Error('SGD: nesterov needs momentum > 0 and dampening 0');
  }
  protected stateSpec(g: ParamGroup<SGDOptions>) {
    return { keys: [], optional: ['momentumBuffer'], paramShaped: ['momentumBuffer'] };
  }
  step(closure?: Closure): number | undefined {
    const loss = closure ? this.evaluate(closure) : undefined;
    this.forEachParam((p, grad, state, g) => {
      let d = g.maximize ? grad.neg() : grad;
      if (g.weightDecay !== 0) d = d.clone().add_(p, g.weightDecay);
      if (g.momentum !== 0) {
        let buf = state.momentumBuffer as ReturnType<typeof grad.clone> | undefined;
        if (buf === undefined) buf = this.keepState(state, 'momentumBuffer', d.clone().detach());
        else buf.mul_(g.momentum).add_(d, 1 - g.dampening);
        d = g.nesterov ? d.clone().add_(buf, g.momentum) : buf;
      }
      p.add_(d, -g.lr);
    });
    return loss;
  }
}

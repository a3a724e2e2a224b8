import { zeros } from '../creation.js';
import { Tensor } from '../tensor.js';
import { checkBoolean, checkOptions, checkRange } from '../checks.js';
import { keep } from '../memory.js';
import { type Closure, Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';

export interface MultiAdamOptions { lr: number; betas: [number, number]; eps: number; maximize: boolean }

/**
 * MultiAdam (Yao, Su, Hao, Liu, Wang, Yang, Zhu, Gao 2023, "MultiAdam: parameter-wise
 * scale-invariant optimizer for multiscale training of physics-informed neural networks",
 * ICML): Adam's two moments kept per loss term k, and the step the mean of the terms'
 * normalised moments,
 *   mₖ ← β₁mₖ + (1−β₁)gₖ,  vₖ ← β₂vₖ + (1−β₂)gₖ²,
 *   θ ← θ − (γ/K) Σₖ (mₖ/(1−β₁ᵗ)) / (√vₖ/√(1−β₂ᵗ) + ε),
 * so multiplying one term by a constant leaves the steps unchanged (up to ε): the terms balance
 * themselves, and a loss weighting has no effect. gₖ comes from setTermGradients (the Trainer
 * gives each term's gradient when `needsTermGradients`); a term that does not reach a parameter
 * counts as a zero gradient. Without term gradients, the parameter's .grad is the one term and
 * the step is Adam's. Moments are stored stacked, [K, …parameter shape].
 */
export class MultiAdam extends Optimizer<MultiAdamOptions> {
  private termGrads: Map<Tensor, (Tensor | null)[]> | null = null;

  constructor(params: ParamsInput<MultiAdamOptions>, o?: Partial<MultiAdamOptions>) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, maximize: false, ...checkOptions('MultiAdam', o) });
  }
  protected optionNames() { return ['lr', 'betas', 'eps', 'maximize']; }
  protected validate(g: ParamGroup<MultiAdamOptions>): void {
    checkRange('MultiAdam', 'lr', g.lr, 0, Infinity);
    checkRange('MultiAdam', 'eps', g.eps, 0, Infinity);
    if (!Array.isArray(g.betas) || g.betas.length !== 2) throw new RangeError('MultiAdam: betas must be [beta1, beta2]');
    checkRange('MultiAdam', 'betas[0]', g.betas[0], 0, 1, true);
    checkRange('MultiAdam', 'betas[1]', g.betas[1], 0, 1, true);
    checkBoolean('MultiAdam', 'maximize', g.maximize);
  }
  protected stateSpec() { return { keys: ['step', 'expAvg', 'expAvgSq'], paramShaped: [], counters: ['step'] }; }

  override get needsTermGradients(): boolean { return true; }

  /**
   * Each loss term's gradient for every parameter, for the next step() (null: the term does not
   * reach that parameter). Every parameter gets the same number of terms, in the same order at
   * every step. The tensors are kept until that step has used them.
   */
  override setTermGradients(grads: Map<Tensor, (Tensor | null)[]>): void {
    const counts = new Set([...grads.values()].map((g) => g.length));
    if (counts.size !== 1 || counts.has(0)) throw new Error(`MultiAdam.setTermGradients: every parameter needs the same number (≥ 1) of term gradients, got ${[...counts].join(', ')}`);
    const own = new Set(this.paramGroups.flatMap((g) => g.params));
    for (const [p, gs] of grads) {
      if (!own.has(p)) throw new Error('MultiAdam.setTermGradients: a gradient for a tensor that is not one of its parameters');
      gs.forEach((g, k) => {
        if (g !== null && (!(g instanceof Tensor) || g.isDisposed || g.shape.join() !== p.shape.join())) {
          throw new Error(`MultiAdam.setTermGradients: term ${k}'s gradient is not a live tensor of the parameter's shape [${p.shape.join(', ')}]`);
        }
      });
    }
    this.clearTermGradients();
    this.termGrads = new Map([...grads].map(([p, gs]) => [p, gs.map((g) => (g === null ? null : keep(g)))]));
  }

  step(closure?: Closure): number | undefined {
    if (closure) throw new Error('MultiAdam: step() takes no closure; it steps on the terms\' gradients given to setTermGradients (or on .grad)');
    try {
      this.forEachGroup((g, entries) => {
        // Every parameter's terms and moments are checked before any parameter moves.
        const work = entries.map(({ p, grad, state }) => {
          const terms = this.termGrads?.get(p) ?? [grad];
          const K = terms.length, shape = [K, ...p.shape];
          if (state.step === undefined) {
            state.step = 0;
            this.keepState(state, 'expAvg', zeros(shape, { dtype: p.dtype, device: p.device }));
            this.keepState(state, 'expAvgSq', zeros(shape, { dtype: p.dtype, device: p.device }));
          }
          const m = state.expAvg as Tensor, v = state.expAvgSq as Tensor;
          if (m.shape[0] !== K || v.shape[0] !== K) throw new Error(`MultiAdam: the state holds moments of ${m.shape[0]} terms, this step gave ${K}`);
          for (const t of [m, v]) {
            // a loaded state dict is checked here: its moments are [K, …parameter shape], not the parameter's shape
            if (t.shape.join() !== shape.join() || t.dtype !== p.dtype) {
              throw new Error(`MultiAdam: state moments are ${t.dtype} [${t.shape.join(', ')}], the parameter needs ${p.dtype} [${shape.join(', ')}]`);
            }
          }
          return { p, state, terms, m, v };
        });
        const [beta1, beta2] = g.betas;
        for (const { p, state, terms, m, v } of work) {
          const t = (state.step as number) + 1;
          const bias2Sqrt = Math.sqrt(1 - beta2 ** t);
          const direction = zeros([...p.shape], { dtype: p.dtype, device: p.device });
          terms.forEach((gk, k) => {
            const mk = m.select(0, k), vk = v.select(0, k);
            mk.mul_(beta1);
            vk.mul_(beta2);
            if (gk !== null) {
              const d = g.maximize ? gk.neg() : gk;
              mk.add_(d, 1 - beta1);
              vk.addcmul_(d, d, 1 - beta2);
            }
            direction.addcdiv_(mk, vk.sqrt().div(bias2Sqrt).add_(g.eps));
          });
          p.add_(direction, -g.lr / ((1 - beta1 ** t) * terms.length));
          state.step = t;
        }
      });
    } finally {
      this.clearTermGradients();
    }
    return undefined;
  }

  private clearTermGradients(): void {
    for (const gs of this.termGrads?.values() ?? []) for (const g of gs) g?.dispose();
    this.termGrads = null;
  }

  override dispose(): void {
    this.clearTermGradients();
    super.dispose();
  }
}

// BFGS with a dense inverse-Hessian estimate H (n × n for n parameters), by default self-scaled
// (Al-Baali's SSBFGS). For PINN-sized networks it is the stronger second phase: Urbán, Stefanou &
// Pons (JCP 2025) and Kiyani et al. (CMAME 2025) report errors orders of magnitude below L-BFGS
// from the same start, because H keeps all the curvature seen rather than the last m pairs. It
// costs n² numbers (921 parameters: 6.8 MB in float64) and three passes over them per iteration,
// so it is for networks of up to a few thousand parameters; L-BFGS beyond.
//
//   first pair:      H = (y·s / y·y) I                      (Nocedal & Wright, eq. 6.20)
//   self-scaling:    b = sᵀH⁻¹s / y·s = −t ρ s·g,  H ← max(1, b) H   (τ = min(1, 1/b), Al-Baali)
//   BFGS update:     H₊ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ,  ρ = 1 / y·s
// The update, expanded, is H₊ = H + s ((1 + ρ y·Hy) ρ s − ρ Hy)ᵀ + Hy (−ρ s)ᵀ: one rank-2 addmm_.
import { eye } from '../creation.js';
import { stack } from '../functional.js';
import { keep } from '../memory.js';
import { Tensor } from '../tensor.js';
import { floats } from './readback.js';
import { type OptimizerStateDict, type ParamGroup, type ParamsInput, type ParamState } from './optimizer.js';
import { type CurvaturePair, QuasiNewton, type QuasiNewtonIteration, type QuasiNewtonOptions, loopDefaults } from './quasi_newton.js';

export interface BFGSOptions extends QuasiNewtonOptions {
  /** Al-Baali's self-scaling of H before each update (SSBFGS); false gives textbook BFGS. */
  selfScaling: boolean;
  /** Refuse to build an H larger than this (bytes); n parameters need n² · 8 in float64. */
  maxHessianBytes: number;
}

export class BFGS extends QuasiNewton<BFGSOptions> {
  constructor(params: ParamsInput<BFGSOptions>, o: Partial<BFGSOptions> & { onIteration?: (i: QuasiNewtonIteration) => void } = {}) {
    const { onIteration, ...options } = o;
    super(params, { ...loopDefaults(options.maxIter), selfScaling: true, maxHessianBytes: 2 ** 30, ...options }, onIteration);
    const n = this.size;
    const bytes = n * n * (this.params[0].dtype === 'float64' ? 8 : 4);
    if (bytes > this.paramGroups[0].maxHessianBytes) {
      throw new Error(`BFGS: ${n} parameters need a ${n} × ${n} inverse-Hessian estimate (${(bytes / 2 ** 20).toFixed(0)} MiB), more than maxHessianBytes ${this.paramGroups[0].maxHessianBytes}; use LBFGS, or raise maxHessianBytes`);
    }
  }

  protected validate(g: ParamGroup<BFGSOptions>): void {
    this.validateLoop(g);
    if (typeof g.selfScaling !== 'boolean') throw new TypeError(`BFGS: selfScaling must be a boolean, got ${String(g.selfScaling)}`);
    if (!(g.maxHessianBytes > 0)) throw new RangeError(`BFGS: maxHessianBytes must be positive, got ${String(g.maxHessianBytes)}`);
  }
  protected curvatureKeys(): string[] { return ['H']; }

  /** Parameters in all: H is size × size. */
  private get size(): number { return this.params.reduce((k, p) => k + p.numel, 0); }

  /** Checks H's shape before anything changes (the base checks the rest). */
  override loadStateDict(sd: OptimizerStateDict): void {
    const n = this.size;
    for (const [id, st] of Object.entries(sd?.state ?? {})) {
      const H = st.H as { shape?: unknown } | undefined;
      if (H !== undefined && JSON.stringify(H?.shape) !== JSON.stringify([n, n])) {
        throw new Error(`BFGS.loadStateDict: state '${id}'.H must be a ${n} × ${n} tensor (one row and column per parameter), got shape ${JSON.stringify(H?.shape)}`);
      }
    }
    super.loadStateDict(sd);
  }

  /** New points, same unknowns: H is still a good estimate, so only the last step and gradient go. */
  override objectiveChanged(): void { this.forgetLastStep(); }

  /** H led nowhere (it can, right after new points or once rounding spoils it): start again from the scaled identity. */
  protected override restart(state: ParamState): boolean {
    if (!(state.H instanceof Tensor)) return false;
    state.H.dispose();
    delete state.H;
    return true;
  }

  protected firstDirection(state: ParamState, g: Tensor): Tensor | null {
    return state.H instanceof Tensor ? this.direction(state, g) : null;
  }

  protected direction(state: ParamState, g: Tensor): Tensor {
    return state.H instanceof Tensor ? state.H.matmul(g).neg_() : g.neg();
  }

  protected update(state: ParamState, { s, y, ys, yy, gPrev, t }: CurvaturePair): void {
    if (!(ys > 1e-10)) return; // no positive curvature along s: keep H (L-BFGS skips the pair alike)
    const rho = 1 / ys;
    const fresh = !(state.H instanceof Tensor);
    if (fresh) state.H = keep(eye(s.shape[0], s.shape[0], { dtype: s.dtype, device: s.device }).mul_(ys / yy));
    const H = state.H as Tensor;
    const Hy = H.matmul(y);
    const [yHy, sg] = floats(stack([y.matmul(Hy), s.matmul(gPrev)])); // two dot products, one read-back
    const scale = this.paramGroups[0].selfScaling && !fresh ? Math.max(1, -t * rho * sg) : 1;
    const h = rho * scale * yHy;
    const u = s.mul(rho * (1 + h)).sub_(Hy, rho * scale);
    H.addmm_(stack([s, Hy], 1), stack([u, s.mul(-rho * scale)]), { beta: scale });
  }
}

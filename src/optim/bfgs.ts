// BFGS with a dense inverse-Hessian estimate H (n × n for n parameters), by default self-scaled
// (Al-Baali's SSBFGS). For PINN-sized networks it is the stronger second phase: Urbán, Stefanou &
// Pons (JCP 2025) and Kiyani et al. (CMAME 2025) report errors orders of magnitude below L-BFGS
// from the same start, because H keeps all the curvature seen rather than the last m pairs. It
// costs n² numbers (921 parameters: 6.8 MB in float64) and two passes over them per iteration,
// so it is for networks of up to a few thousand parameters; L-BFGS beyond.
//
// Every update is a member of the scaled Broyden family (Urbán et al., eqs. 9–23), with
// ρ = 1/y·s, h = ρ y·Hy, b = sᵀH⁻¹s / y·s = −t ρ s·g and v = ρ s − Hy / y·Hy:
//   H₊ = (H − Hy Hyᵀ / y·Hy + φ y·Hy v vᵀ) / τ + ρ s sᵀ
//   'bfgs'       φ = 1, τ = 1                          (textbook BFGS)
//   'ssbfgs'     φ = 1, τ = min(1, 1/b)                (Al-Baali's self-scaling)
//   'ssbroyden'  φ and τ chosen per step from h and b  (SSBroyden2 of Urbán et al.)
// The first pair sets H = (y·s / y·y) I (Nocedal & Wright, eq. 6.20) and makes a BFGS update.
// Since v lies in span{s, Hy}, each update is one rank-2 addmm_.
import { checkOptions } from '../checks.js';
import { show } from '../errors.js';
import { eye } from '../creation.js';
import { stack } from '../functional.js';
import { keep } from '../memory.js';
import { Tensor } from '../tensor.js';
import { floats } from './readback.js';
import { type OptimizerStateDict, type ParamGroup, type ParamsInput, type ParamState } from './optimizer.js';
import { type SerializedValue, type StateValue } from './serialize.js';
import { type CurvaturePair, LOOP_OPTIONS, QuasiNewton, type QuasiNewtonIteration, type QuasiNewtonOptions, loopDefaults } from './quasi_newton.js';

export interface BFGSOptions extends QuasiNewtonOptions {
  /** The update formula (see the top of this file): 'ssbfgs' (default), 'ssbroyden' or textbook 'bfgs'. */
  update: BFGSUpdate;
  /** Refuse to build an H larger than this (bytes); n parameters need n² · 8 in float64. */
  maxHessianBytes: number;
}

export type BFGSUpdate = 'bfgs' | 'ssbfgs' | 'ssbroyden';
const UPDATES: BFGSUpdate[] = ['bfgs', 'ssbfgs', 'ssbroyden'];

export class BFGS extends QuasiNewton<BFGSOptions> {
  constructor(params: ParamsInput<BFGSOptions>, o: Partial<BFGSOptions> & { onIteration?: (i: QuasiNewtonIteration) => void } = {}) {
    const { onIteration, ...options } = checkOptions('BFGS', o) as typeof o;
    super(params, { ...loopDefaults(options.maxIter), update: 'ssbfgs', maxHessianBytes: 2 ** 30, ...options }, onIteration);
    const n = this.size;
    const bytes = n * n * (this.params[0].dtype === 'float64' ? 8 : 4);
    if (bytes > this.paramGroups[0].maxHessianBytes) {
      throw new Error(`BFGS: ${n} parameters need a ${n} × ${n} inverse-Hessian estimate (${(bytes / 2 ** 20).toFixed(0)} MiB), more than maxHessianBytes ${this.paramGroups[0].maxHessianBytes}; use LBFGS, or raise maxHessianBytes`);
    }
  }

  protected optionNames() { return [...LOOP_OPTIONS, 'update', 'maxHessianBytes']; }
  protected validate(g: ParamGroup<BFGSOptions>): void {
    this.validateLoop(g);
    if ('selfScaling' in g) throw new TypeError(`BFGS: selfScaling was replaced by update: 'ssbfgs' (true) or 'bfgs' (false)`);
    if (!UPDATES.includes(g.update)) throw new TypeError(`BFGS: update must be one of ${UPDATES.map((u) => `'${u}'`).join(', ')}, got ${show(g.update)}`);
    if (!(g.maxHessianBytes > 0)) throw new RangeError(`BFGS: maxHessianBytes must be positive, got ${String(g.maxHessianBytes)}`);
  }
  protected curvatureKeys(): string[] { return ['H']; }

  /** Parameters in all: H is size × size. */
  private get size(): number { return this.params.reduce((k, p) => k + p.numel, 0); }

  /** Checks H's shape before anything changes (the base checks the rest). */
  override loadStateDict(sd: OptimizerStateDict<SerializedValue | StateValue>): void {
    const n = this.size;
    for (const [id, st] of Object.entries(sd?.state ?? {})) {
      const H = st.H as { shape?: unknown } | undefined;
      if (H !== undefined && JSON.stringify(H?.shape) !== JSON.stringify([n, n])) {
        throw new Error(`BFGS.loadStateDict: state '${id}'.H must be a ${n} × ${n} tensor (one row and column per parameter), got shape ${show(H?.shape)}`);
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

  /**
   * The update, and the next direction −H₊g₊, with one matrix-vector product (it reads all n²
   * numbers of H; the rank-2 update reads and writes them once more): H g₊ gives both
   * H y = H g₊ − H g = H g₊ + d (d = −H g was taken with this H) and H₊ g₊ = scale · H g₊ + U (V g₊).
   */
  protected update(state: ParamState, { s, y, ys, yy, gPrev, g, d, t }: CurvaturePair): Tensor | void {
    if (!(ys > 1e-10)) return; // no positive curvature along s: keep H (L-BFGS skips the pair alike)
    const rho = 1 / ys;
    const fresh = !(state.H instanceof Tensor);
    const h0 = ys / yy; // the first pair's scaled identity (its d was −g, not from an H)
    if (fresh) state.H = keep(eye(s.shape[0], s.shape[0], { dtype: s.dtype, device: s.device }).mul_(h0));
    const H = state.H as Tensor;
    const Hg = fresh ? g.mul(h0) : H.matmul(g);
    const Hy = fresh ? y.mul(h0) : Hg.add(d);
    const [yHy, sg] = floats(stack([y.matmul(Hy), s.matmul(gPrev)])); // two dot products, one read-back
    const { scale, phi } = familyMember(fresh ? 'bfgs' : this.paramGroups[0].update, rho * yHy, -t * rho * sg, this.size);
    // H₊ = scale · H + U V, U = [s Hy], V = C Uᵀ, C = [[ρ (1 + φ ρ scale y·Hy), −φ ρ scale], [−φ ρ scale, (φ − 1) scale / y·Hy]].
    const ss = rho * (1 + phi * rho * scale * yHy), sh = -phi * rho * scale, hh = ((phi - 1) * scale) / yHy;
    const U = stack([s, Hy], 1), V = stack([s.mul(ss).add_(Hy, sh), s.mul(sh).add_(Hy, hh)]);
    H.addmm_(U, V, { beta: scale });
    return U.matmul(V.matmul(g)).add_(Hg, scale).neg_();
  }
}

/** φ and the scaling 1/τ of H for an update, from h = ρ y·Hy and b = −t ρ s·g (top of this file). */
function familyMember(update: BFGSUpdate, h: number, b: number, n: number): { scale: number; phi: number } {
  if (update === 'bfgs') return { scale: 1, phi: 1 };
  if (update === 'ssbfgs') return { scale: Math.max(1, b), phi: 1 }; // τ = min(1, 1/b)
  const { tau, phi } = ssBroydenParameters(h, b, n);
  return { scale: 1 / tau, phi };
}

/**
 * τ and φ of SSBroyden2 (Urbán et al., eqs. 13–23): θ, the family parameter, is the value in
 * [θ⁻, θ⁺] (where the update stays positive definite and well conditioned) closest to the SR1
 * choice (1 − b)/b; τ then scales H down by at most what the step showed it too large by.
 */
function ssBroydenParameters(h: number, b: number, n: number): { tau: number; phi: number } {
  const a = b * h - 1; // ≥ 0 by Cauchy–Schwarz while H is positive definite
  if (!(a > 1e-12)) return { tau: Math.min(1, 1 / b), phi: 1 }; // H is exact along s: every member agrees
  const rhoMinus = Math.min(1, h * (1 - Math.sqrt(a / (1 + a))));
  const theta = Math.max((rhoMinus - 1) / a, Math.min(1 / rhoMinus, (1 - b) / b));
  const sigma = 1 + a * theta; // ≥ ρ⁻ > 0
  const sigmaRoot = sigma ** (1 / (1 - n));
  const cap = Math.min(1, 1 / b);
  const tau = theta <= 0 ? Math.min(cap * sigmaRoot, sigma) : cap * Math.min(sigmaRoot, 1 / theta);
  return { tau, phi: (1 - theta) / sigma };
}

// Residual-based attention (Anagnostopoulos, Toscano, Stergiopulos & Karniadakis 2024,
// "Residual-based attention in physics-informed neural networks", CMAME 421): a multiplier
// per point and residual component, moved every step towards where the residual is largest,
//   λ ← γ λ + η |r| / max|r|,
// and the term's residual r replaced by λ·r (λ carries no gradient). Bounded by construction:
// from λ = 0, λ < η / (1 − γ) (10 with the defaults γ = 0.999, η = 0.01). It needs no extra
// backward pass. `normalize` divides λ by its root mean square before use, so the weighted
// term keeps the scale of the plain one while λ is still growing (the normalised form).
import { zeros } from '../creation.js';
import { noGrad } from '../autograd.js';
import { keep } from '../memory.js';
import { type Tensor } from '../tensor.js';

export interface AttentionOptions {
  /** Memory of earlier residuals, in [0, 1) (default 0.999). */
  gamma?: number;
  /** Step towards the current residuals' profile, > 0 (default 0.01). */
  eta?: number;
  /** Divide λ by its root mean square (default false). */
  normalize?: boolean;
}

export class ResidualAttention {
  readonly gamma: number;
  readonly eta: number;
  readonly normalize: boolean;
  /** λ [N, components] for the term's current points; null until the first step (or after new points). */
  multipliers: Tensor | null = null;

  constructor(o: AttentionOptions = {}) {
    if (o === null || typeof o !== 'object') throw new TypeError('ResidualAttention: options must be an object');
    const { gamma = 0.999, eta = 0.01, normalize = false } = o;
    if (!(typeof gamma === 'number' && gamma >= 0 && gamma < 1)) throw new RangeError(`ResidualAttention: gamma must be in [0, 1), got ${String(gamma)}`);
    if (!(typeof eta === 'number' && eta > 0 && Number.isFinite(eta))) throw new RangeError(`ResidualAttention: eta must be a finite number > 0, got ${String(eta)}`);
    if (typeof normalize !== 'boolean') throw new TypeError(`ResidualAttention: normalize must be a boolean, got ${String(normalize)}`);
    this.gamma = gamma; this.eta = eta; this.normalize = normalize;
  }

  /** Updates λ from the residuals' magnitudes and returns the weighted residuals λ·r. */
  apply(label: string, rs: Tensor[]): Tensor[] {
    const n = rs[0].shape[0];
    const columns = rs.map((r) => r.shape[1] ?? 1).reduce((a, b) => a + b, 0);
    if (this.multipliers && (this.multipliers.shape[0] !== n || this.multipliers.shape[1] !== columns)) {
      throw new Error(`${label}: residual attention holds multipliers for [${this.multipliers.shape.join(', ')}], but the residuals are ${n} × ${columns}`);
    }
    const lambda = (this.multipliers ??= keep(zeros([n, columns], { dtype: realDtype(rs[0]), device: rs[0].device })));
    const used = noGrad(() => {
      let at = 0;
      for (const r of rs) {
        const k = r.shape[1] ?? 1;
        const mag = r.detach().abs().reshape([n, k]).to(lambda.dtype);
        const top = mag.max(0, true).clampMin_(1e-30); // an all-zero residual leaves λ decaying
        lambda.narrow(1, at, k).mul_(this.gamma).add_(mag.div(top).mul(this.eta));
        at += k;
      }
      return this.normalize ? lambda.div(lambda.square().mean().sqrt().clampMin_(1e-30)) : lambda;
    });
    let at = 0;
    return rs.map((r) => {
      const k = r.shape[1] ?? 1;
      const w = used.narrow(1, at, k);
      at += k;
      return r.mul(r.ndim === 1 ? w.reshape(-1) : w);
    });
  }

  /** Forgets λ (new points start from 0). */
  reset(): void { this.multipliers?.dispose(); this.multipliers = null; }

  /** λ as loaded from a checkpoint (ownership passes to this object). */
  load(multipliers: Tensor | null): void { this.reset(); this.multipliers = multipliers === null ? null : keep(multipliers); }
}

function realDtype(r: Tensor): 'float32' | 'float64' {
  return r.dtype === 'float64' || r.dtype === 'complex128' ? 'float64' : 'float32';
}

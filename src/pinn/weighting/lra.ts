import { checkNames, checkOptions } from '../../checks.js';
import { cat, stack } from '../../functional.js';
import { tidy } from '../../memory.js';
import { type Tensor } from '../../tensor.js';
import {
  ADAPTIVE_KEYS, checkFixed, checkTermNames, type LossWeighting, type Smoothing, type WeightingContext, type Weights, type Schedule, checkSchedule, checkSmoothing, updateDue, checkState, checkWeights, globalValues, smoothTowards, termGradients,
} from './base.js';

/**
 * Learning-rate annealing (Wang, Teng & Perdikaris 2021, "Understanding and mitigating gradient
 * flow pathologies in physics-informed neural networks", Algorithm 1): every `every` steps,
 * each term that is not a PDE residual is weighted by
 *   ŵᵢ = max|∇θ L_r| / mean|∇θ Lᵢ|,
 * with L_r the sum of the residual terms and max and mean over every entry of every trained
 * parameter; then w ← α w + (1 − α) ŵ within [min, max] (base.ts). Residual terms keep their
 * static weight. The paper writes the EMA the other way round: its α = 0.9 is α = 0.1 here.
 * Costs one extra backward pass per term on update steps. `fixed` holds terms at given weights
 * instead of balancing them (0: out of the objective, e.g. a term that holds by construction).
 *
 * `numerator: 'mean'` takes mean|∇θ L_r| in place of the max: each weight then equalises mean
 * gradient magnitudes. With the max, a term its data already satisfies (homogeneous boundary
 * and initial values, met by u ≡ 0) has vanishing gradients and a weight that runs to the cap,
 * and the fit can collapse onto u ≡ 0: the accuracy suite's heat problem, 1.0 with the max and
 * 2.8e-2 with the mean in 60 s. The mean's smaller weights under-enforce a boundary that needs
 * large ones, though (poisson-1d-ms 6.4e-2 → 3.2, wave-1d-c 0.15 → 0.41), so the max stays the
 * default (accuracy/results/2026-12-05-lra-numerator.md).
 *
 * `stallGuard: k` (0: off) watches for that collapse: when, at an update, the residual terms'
 * loss (Σ base_r L_r) has moved by less than 1 % either way over the last k updates while some
 * balanced weight stands at 10× its base or more, the weights are what holds the residual still,
 * and from then on the numerator is the mean, the weights restarting from its targets (no
 * smoothing from the capped values). A residual that moves (falling, or rising as the fit leaves
 * u ≡ 0 for a wave), or weights near their base, are left alone.
 */
export class LRAWeighting implements LossWeighting {
  readonly name = 'lra';
  get phase(): string | undefined { return this.o.phase; }
  private current: Weights | null = null;
  private readonly smoothing: Required<Smoothing>;
  private readonly fixed: Weights;
  /** The statistic in use: the option's, until the stall guard switches it to the mean. */
  private numerator: 'max' | 'mean';
  /** Σ base_r L_r over the residual terms at the latest updates (the stall guard's window). */
  private totals: number[] = [];
  constructor(readonly o: Schedule & Smoothing & { residualTerms?: string[]; fixed?: Weights; numerator?: 'max' | 'mean'; stallGuard?: number } = {}) {
    const op = 'LRAWeighting', c = checkOptions(op, o, [...ADAPTIVE_KEYS, 'residualTerms', 'fixed', 'numerator', 'stallGuard']);
    checkSchedule(op, c);
    if (c.numerator !== undefined && c.numerator !== 'max' && c.numerator !== 'mean') {
      throw new Error(`${op}: numerator must be 'max' (the paper's) or 'mean', got ${JSON.stringify(c.numerator)}`);
    }
    if (c.residualTerms !== undefined) checkNames(op, 'residualTerms', c.residualTerms);
    if (c.stallGuard !== undefined && !(Number.isInteger(c.stallGuard) && c.stallGuard >= 0)) {
      throw new Error(`${op}: stallGuard must be a whole number of updates (0: off), got ${JSON.stringify(c.stallGuard)}`);
    }
    this.fixed = checkFixed(op, c.fixed);
    this.smoothing = checkSmoothing(op, c);
    this.numerator = c.numerator ?? 'max';
  }

  /** The step's target weights ŵ for the non-residual terms. */
  static targets(raw: Record<string, Tensor>, params: Tensor[], residualTerms: string[], allreduce?: (ts: Tensor[]) => void, numerator: 'max' | 'mean' = 'max'): Weights {
    const others = Object.keys(raw).filter((k) => !residualTerms.includes(k));
    const nums = tidy(() => {
      const residual = residualTerms.map((k) => raw[k]).reduce((a, b) => a.add(b));
      const gs = termGradients([residual, ...others.map((k) => raw[k])], params, allreduce);
      const abs = (g: (Tensor | null)[]) => {
        const parts = g.filter((x): x is Tensor => x !== null).map((x) => x.abs().reshape(-1).to('float64'));
        return parts.length ? cat(parts) : null;
      };
      const zero = residual.detach().mul(0).to('float64');
      const gr = abs(gs[0]);
      const parts = [gr ? (numerator === 'mean' ? gr.mean() : gr.max()) : zero];
      others.forEach((k, i) => {
        const g = raw[k].requiresGrad ? abs(gs[i + 1]) : null;
        parts.push(g ? g.mean() : zero);
      });
      return stack(parts).data() as Float64Array;
    });
    return Object.fromEntries(others.map((k, i) => [k, nums[i + 1] > 0 ? nums[0] / nums[i + 1] : NaN]));
  }

  weights(ctx: WeightingContext): Weights {
    const residualTerms = this.o.residualTerms ?? ctx.residualTerms ?? [];
    if (residualTerms.length === 0) throw new Error('LRAWeighting: no PDE residual term to balance against: name them with residualTerms');
    checkTermNames('LRAWeighting', [...residualTerms, ...Object.keys(this.fixed)], ctx.raw);
    if (this.current === null) this.current = { ...ctx.base, ...this.fixed };
    if (updateDue(ctx, this.o, 100)) {
      const balanced = Object.fromEntries(Object.entries(ctx.raw).filter(([k]) => !(k in this.fixed)));
      const restart = this.stalled(ctx, residualTerms, Object.keys(balanced).filter((k) => !residualTerms.includes(k)));
      if (restart) this.numerator = 'mean';
      const targets = LRAWeighting.targets(balanced, ctx.params, residualTerms, ctx.allreduce?.bind(ctx), this.numerator);
      this.current = smoothTowards(this.current, targets, restart ? { ...this.smoothing, alpha: 0 } : this.smoothing);
    }
    return { ...this.current };
  }

  /** Whether the stall guard fires at this update (see the class comment). */
  private stalled(ctx: WeightingContext, residualTerms: string[], balanced: string[]): boolean {
    const k = this.o.stallGuard ?? 0;
    if (k === 0 || this.numerator === 'mean') return false;
    const v = globalValues(ctx.raw, ctx.allreduce?.bind(ctx));
    this.totals = [...this.totals, residualTerms.reduce((s, t) => s + (ctx.base[t] ?? 1) * v[t], 0)].slice(-(k + 1));
    if (this.totals.length <= k) return false;
    const moved = Math.abs(this.totals[k] - this.totals[0]) >= 0.01 * Math.abs(this.totals[0]);
    const heavy = balanced.some((t) => this.current![t] >= 10 * Math.max(ctx.base[t] ?? 1, 1e-12));
    return !moved && heavy;
  }

  stateDict() { return { current: this.current, numerator: this.numerator, totals: [...this.totals] }; }
  loadStateDict(s: Record<string, unknown>) {
    // A state saved before the stall guard existed has `current` alone.
    checkState('LRAWeighting', s, 'totals' in s || 'numerator' in s ? ['current', 'numerator', 'totals'] : ['current']);
    this.current = checkWeights('LRAWeighting', 'current', s.current);
    if ('numerator' in s) {
      if (s.numerator !== 'max' && s.numerator !== 'mean') throw new Error(`LRAWeighting.loadStateDict: state.numerator must be 'max' or 'mean', got ${JSON.stringify(s.numerator)}`);
      const totals = s.totals;
      if (!Array.isArray(totals) || !totals.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        throw new Error(`LRAWeighting.loadStateDict: state.totals must be an array of finite numbers, got ${JSON.stringify(totals)}`);
      }
      this.numerator = s.numerator;
      this.totals = [...totals];
    }
  }
}

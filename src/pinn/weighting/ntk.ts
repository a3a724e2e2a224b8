import { grad } from '../../autograd.js';
import { checkInteger, checkOptions, checkPositiveInt, need } from '../../checks.js';
import { tensor } from '../../creation.js';
import { isComplex } from '../../dtype.js';
import { stack } from '../../functional.js';
import { Random } from '../../geometry/random.js';
import { tidy } from '../../memory.js';
import { type Module } from '../../nn/module.js';
import { type Tensor } from '../../tensor.js';
import { type Condition } from '../conditions.js';
import { type Problem } from '../problem.js';
import {
  ADAPTIVE_KEYS, checkFixed, checkTermNames, type LossWeighting, type Smoothing, type WeightingContext, type Weights, type Schedule, checkSchedule, checkSmoothing, updateDue, checkState, checkWeights, smoothTowards,
} from './base.js';

/**
 * NTK weighting (Wang, Yu & Perdikaris 2022, "When and why PINNs fail to train: a neural
 * tangent kernel perspective", Algorithm 1): every `every` steps, each term i is weighted by
 *   ŵᵢ = Σⱼ tⱼ / tᵢ,   tᵢ = mean over its points x of ‖∇θ rᵢ(x)‖²,
 * the mean of the diagonal of its block Kᵢᵢ = JᵢJᵢᵀ of the neural tangent kernel; then
 * w ← α w + (1 − α) ŵ within [min, max] (base.ts). With `reduction: 'sum'`, tᵢ is the block's
 * trace, as in the paper (the mean times the term's point count): a term with fewer points then
 * gets a larger weight. The default mean (as jaxpi does) keeps a term's point count from
 * setting its weight; both agree for equal counts. A vector residual sums its components, a
 * complex one its real and imaginary parts.
 *
 * tᵢ is estimated on `points` rows per term (default 64) drawn without replacement from a
 * seeded generator, all rows when fewer: one reverse pass per row and component, on a graph of
 * those rows only, so an update costs about `points` small backward passes per term.
 * Data-parallel, each rank draws its rows from its own share of the points and tᵢ is the mean
 * over every rank's rows (one allreduce), so every rank computes the same weights.
 *
 * Unlike gradient-of-the-loss schemes (LRA, gradNorm), tᵢ does not vanish when a term is met:
 * ‖∇θ rᵢ‖ measures how the term's residual moves with the parameters, not its size. A term whose
 * data u ≡ 0 meets (homogeneous boundary and initial values) keeps a bounded weight, where LRA's
 * grows to its cap and can pin the fit on u ≡ 0.
 *
 * `fixed` holds terms at given weights instead of balancing them, and leaves them out of the sum
 * (0: out of the objective, e.g. a term that holds by construction).
 */
export class NTKWeighting implements LossWeighting {
  readonly name = 'ntk';
  get phase(): string | undefined { return this.o.phase; }
  private current: Weights | null = null;
  private readonly smoothing: Required<Smoothing>;
  private readonly rng: Random;
  private readonly fixed: Weights;
  constructor(readonly o: Schedule & Smoothing & { points?: number; seed?: number; fixed?: Weights; reduction?: 'mean' | 'sum' } = {}) {
    const op = 'NTKWeighting', c = checkOptions(op, o, [...ADAPTIVE_KEYS, 'points', 'seed', 'fixed', 'reduction']);
    checkSchedule(op, c);
    need(c.reduction === undefined || c.reduction === 'mean' || c.reduction === 'sum', op, 'reduction', "'mean' or 'sum'", c.reduction);
    if (c.points !== undefined) checkPositiveInt(op, 'points', c.points);
    this.fixed = checkFixed(op, c.fixed);
    this.smoothing = checkSmoothing(op, c);
    this.rng = new Random(c.seed === undefined ? 0 : checkInteger(op, 'seed', c.seed));
  }

  /** tᵢ: the mean of ‖∇θ r(x)‖² over `rows` of the points condition c evaluates now. */
  static meanKernelDiagonal(problem: Problem, model: Module, c: Condition, params: Tensor[], rows: number[]): number {
    return tidy(() => c.withRows(tensor(rows, { dtype: 'int64' }), () => {
      const components = problem.residualsAt(model, c).flatMap((r) => (isComplex(r.dtype) ? [r.real(), r.imag()] : [r]));
      const sq: Tensor[] = [];
      for (const r of components) {
        const flat = r.reshape(-1);
        for (let p = 0; p < flat.shape[0]; p++) {
          if (!flat.requiresGrad) continue;
          for (const g of grad(flat.select(0, p), params, { retainGraph: true, allowUnused: true })) if (g) sq.push(g.square().sum().to('float64'));
        }
      }
      return sq.length ? (stack(sq).sum().item() as number) / rows.length : 0;
    }));
  }

  /** `k` distinct rows of n, uniformly (partial Fisher–Yates), sorted. */
  private draw(n: number, k: number): number[] {
    if (k >= n) return Array.from({ length: n }, (_, i) => i);
    const idx = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = i + this.rng.int(n - i);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return idx.slice(0, k).sort((a, b) => a - b);
  }

  weights(ctx: WeightingContext): Weights {
    checkTermNames('NTKWeighting', Object.keys(this.fixed), ctx.raw);
    if (this.current === null) this.current = { ...ctx.base, ...this.fixed };
    if (!updateDue(ctx, this.o, 1000)) return { ...this.current };
    const { problem, model } = ctx;
    if (!problem || !model) throw new Error('NTKWeighting: needs the problem and model in its context (the Trainer passes them)');
    const t: Weights = {}, counts: Weights = {}, sizes: Weights = {};
    for (const c of problem.conditions) {
      if (!(c.name in ctx.raw) || c.name in this.fixed) continue;
      const n = c.evaluatedRows;
      const rows = this.draw(n, Math.min(n, this.o.points ?? 64));
      t[c.name] = rows.length ? NTKWeighting.meanKernelDiagonal(problem, model, c, ctx.params, rows) : 0;
      counts[c.name] = rows.length;
      sizes[c.name] = n;
    }
    if (ctx.allreduce) meanOverRanks(t, counts, sizes, ctx.allreduce.bind(ctx));
    if (this.o.reduction === 'sum') for (const k of Object.keys(t)) t[k] *= sizes[k]; // the trace of the block
    const sum = Object.values(t).reduce((a, b) => a + b, 0);
    const target = Object.fromEntries(Object.entries(t).filter(([, v]) => v > 0).map(([k, v]) => [k, sum / v]));
    this.current = smoothTowards(this.current, target, this.smoothing);
    return { ...this.current };
  }
  stateDict() { return { current: this.current, rng: this.rng.state() }; }
  loadStateDict(s: Record<string, unknown>) {
    checkState('NTKWeighting', s, ['current', 'rng']);
    need(Array.isArray(s.rng), 'NTKWeighting.loadStateDict', 'state.rng', 'a generator state (an array)', s.rng);
    this.current = checkWeights('NTKWeighting', 'current', s.current);
    this.rng.setState(s.rng as number[]);
  }
}

/**
 * Each rank's mean over its `counts` rows replaced by the mean over every rank's rows, and each
 * term's `sizes` by its point count over all ranks, in place (one allreduce; every rank then
 * holds the same; a rank without rows weighs nothing).
 */
function meanOverRanks(t: Weights, counts: Weights, sizes: Weights, allreduce: (ts: Tensor[]) => void): void {
  const names = Object.keys(t), m = names.length;
  const v = tidy(() => {
    const x = tensor([...names.map((k) => t[k] * counts[k]), ...names.map((k) => counts[k]), ...names.map((k) => sizes[k])], { dtype: 'float64' });
    allreduce([x]);
    return x.data() as Float64Array;
  });
  names.forEach((k, i) => { const rows = v[m + i]; t[k] = rows > 0 ? v[i] / rows : 0; sizes[k] = v[2 * m + i]; });
}

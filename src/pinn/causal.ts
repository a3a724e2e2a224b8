// Causal training for time-dependent PDEs (Wang, Sankaran & Perdikaris 2022, as in jaxpi):
// points are split into M chunks by time; with Lₖ the mean squared residual of chunk k,
// wₖ = exp(−ε Σ_{j<k} Lⱼ) (no gradient through w), and the loss is (1/M) Σ wₖ Lₖ. Later times
// count only once earlier ones are fitted.
import { cat } from '../functional.js';
import { tensor } from '../creation.js';
import { tidy } from '../memory.js';
import { checkKeys, show } from '../errors.js';
import { Tensor } from '../tensor.js';
import { type ConditionOptions, type Coefficients, PDE, type ResidualFn } from './conditions.js';
import { type Derivatives } from './derivatives.js';

export interface CausalOptions extends ConditionOptions { timeColumn: number; chunks: number; epsilon: number }

export class CausalPDE extends PDE {
  /** Minimum causal weight of the last evaluation: near 1 means every time chunk is fitted. */
  lastMinWeight!: number;
  lastWeights!: number[];
  readonly causal!: CausalOptions;
  private readonly chunkSizes!: number[];

  constructor(name: string, points: Tensor, residual: ResidualFn, causal: CausalOptions) {
    // Everything is checked before the sorted copy exists, and the copy is freed if the rest of
    // the construction fails: a refused CausalPDE holds nothing.
    const label = `CausalPDE '${name}'`;
    if (causal === null || typeof causal !== 'object') throw new TypeError(`${label}: options must be an object with timeColumn, chunks and epsilon`);
    checkKeys(label, 'option', causal, ['weight', 'loss', 'attention', 'timeColumn', 'chunks', 'epsilon']);
    const n = points instanceof Tensor && !points.isDisposed && points.ndim === 2 ? points.shape[0] : 0;
    const width = n ? points.shape[1] : 0;
    if (n && !(Number.isInteger(causal.timeColumn) && causal.timeColumn >= 0 && causal.timeColumn < width)) {
      throw new RangeError(`${label}: timeColumn must be an integer in [0, ${width - 1}], got ${show(causal.timeColumn)}`);
    }
    if (n && !(Number.isInteger(causal.chunks) && causal.chunks >= 1 && causal.chunks <= n)) {
      throw new RangeError(`${label}: chunks must be an integer in [1, ${n}], got ${show(causal.chunks)}`);
    }
    if (!(typeof causal.epsilon === 'number' && causal.epsilon >= 0 && Number.isFinite(causal.epsilon))) throw new RangeError(`${label}: epsilon must be a finite number ≥ 0, got ${show(causal.epsilon)}`);
    // Sort the points by time once, so chunk k is a contiguous block of rows.
    const sorted = n ? tidy(() => {
      const times = Array.from(points.select(1, causal.timeColumn).to('float64').data() as Float64Array);
      const order = times.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
      return points.detach().indexSelect(0, tensor(order, { dtype: 'int64' }));
    }) : points; // not a usable tensor: PDE says why
    const { timeColumn: _t, chunks: _c, epsilon: _e, ...condition } = causal;
    try {
      super(name, sorted, residual, condition); // the condition now owns `sorted`
    } catch (e) {
      if (sorted !== points) sorted.dispose();
      throw e;
    }
    this.causal = causal;
    this.lastMinWeight = 0;
    this.lastWeights = [];
    this.chunkSizes = Array.from({ length: causal.chunks }, (_, k) => Math.floor(((k + 1) * n) / causal.chunks) - Math.floor((k * n) / causal.chunks));
  }

  override loss(d: Derivatives, c: Coefficients): Tensor {
    const rs = this.attendedResiduals(d, c);
    const sq = rs.map((r) => r.abs().square()).reduce((a, b) => a.add(b));
    let offset = 0;
    const chunkLosses = this.chunkSizes.map((size) => { const l = sq.narrow(0, offset, size).mean(); offset += size; return l; });
    const values = chunkLosses.map((l) => l.item() as number);
    let acc = 0;
    this.lastWeights = values.map((v) => { const w = Math.exp(-this.causal.epsilon * acc); acc += v; return w; });
    this.lastMinWeight = Math.min(...this.lastWeights);
    return cat(chunkLosses.map((l, k) => l.mul(this.lastWeights[k]).reshape(1))).mean();
  }
}

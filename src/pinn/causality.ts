// Causal training for time-dependent PDEs (Wang, Sankaran & Perdikaris 2022, "Respecting
// causality is all you need", as in jaxpi): a PDE term's time range is split into M equal
// intervals (chunks); with Lₖ the mean squared residual of the points in chunk k,
// wₖ = exp(−ε Σ_{j<k} Lⱼ) (no gradient through w), and the term's loss is the mean of wₖ Lₖ over
// the chunks that hold points. Later times count only once earlier ones are fitted.
//
// A point's chunk is read off its time at every evaluation, not off its row: resampling (RAD,
// RAR), mini-batches and data-parallel shards change the rows, and the chunks follow.
import { arange, tensor } from '../creation.js';
import { cat } from '../functional.js';
import { show } from '../errors.js';
import { tidy } from '../memory.js';
import { type Tensor } from '../tensor.js';

export interface CausalityOptions {
  /** The column of the points that holds time. */
  timeColumn: number;
  /** M: how many equal time intervals the range is split into. */
  chunks: number;
  /** ε ≥ 0: how strongly an unfitted earlier chunk holds back later ones (0: the plain mean). */
  epsilon: number;
  /** [t₀, t₁] split into the chunks; default: the earliest and latest time of the term's points when it is attached. */
  timeRange?: [number, number];
}

export class Causality {
  readonly timeColumn: number;
  readonly chunks: number;
  /** Set when given, else when the causality is attached to a term (then one causality per term). */
  timeRange: [number, number] | null;
  /** The weights of the last evaluation, chunk by chunk (a chunk without points gets the weight it would have had). */
  lastWeights: number[] = [];
  /** The smallest weight of a chunk with points in the last evaluation: near 1 means every time is fitted. */
  lastMinWeight = 0;
  private eps: number;

  constructor(o: CausalityOptions) {
    const label = 'Causality';
    if (o === null || typeof o !== 'object') throw new TypeError(`${label}: options must be an object with timeColumn, chunks and epsilon`);
    if (!(Number.isInteger(o.timeColumn) && o.timeColumn >= 0)) throw new RangeError(`${label}: timeColumn must be an integer ≥ 0, got ${show(o.timeColumn)}`);
    if (!(Number.isInteger(o.chunks) && o.chunks >= 1)) throw new RangeError(`${label}: chunks must be an integer ≥ 1, got ${show(o.chunks)}`);
    checkEpsilon(label, o.epsilon);
    const r = o.timeRange;
    if (r !== undefined && !(Array.isArray(r) && r.length === 2 && r.every(Number.isFinite) && r[0] < r[1])) {
      throw new RangeError(`${label}: timeRange must be [t0, t1] with finite t0 < t1, got ${show(r)}`);
    }
    this.timeColumn = o.timeColumn;
    this.chunks = o.chunks;
    this.eps = o.epsilon;
    this.timeRange = r ? [r[0], r[1]] : null;
  }

  get epsilon(): number { return this.eps; }
  /** May be changed between steps (an ε schedule; 0 to train on the plain mean). */
  set epsilon(value: number) {
    checkEpsilon('Causality', value);
    this.eps = value;
  }

  /**
   * @internal Checks that the term's points [N, inputs] fit (called when attached, before the
   * term takes anything) and fixes the time range from them when none was given.
   */
  attach(label: string, points: Tensor): void {
    const [n, width] = points.shape;
    if (this.timeColumn >= width) throw new RangeError(`${label}: causality's timeColumn must be in [0, ${width - 1}], got ${this.timeColumn}`);
    if (this.chunks > n) throw new RangeError(`${label}: causality's chunks must be at most its ${n} points, got ${this.chunks}`);
    if (this.timeRange) return;
    const range = tidy(() => {
      const t = points.select(1, this.timeColumn);
      return [t.min().item() as number, t.max().item() as number] as [number, number];
    });
    if (!(range[0] < range[1])) throw new RangeError(`${label}: every point has the time ${range[0]}; give the causality a timeRange, or points spread over time`);
    this.timeRange = range;
  }

  /** The causal loss of the residuals rs (each [N, …]) at points x [N, inputs]. */
  loss(rs: Tensor[], x: Tensor): Tensor {
    const n = x.shape[0], m = this.chunks;
    if (!this.timeRange) throw new Error('Causality: not attached to a term (give it to a PDE as its causal option)');
    const [t0, t1] = this.timeRange;
    const bad = rs.find((r) => r.ndim === 0 || r.shape[0] !== n);
    if (bad) throw new Error(`causal weighting needs one residual row per point (${n} points), got a residual of shape [${bad.shape.join(', ')}]`);
    // Each point's squared residual, averaged over a residual's columns and summed over the
    // residuals, as the plain loss sums their means.
    const sq = rs.map((r) => r.abs().square().reshape(n, -1).mean(1)).reduce((a, b) => a.add(b));
    // One-hot chunk membership [N, M]: sums and counts per chunk are reductions over it.
    const chunk = x.detach().select(1, this.timeColumn).sub(t0).mul(m / (t1 - t0)).floor().clamp(0, m - 1);
    const member = chunk.unsqueeze(1).eq(arange(0, m, 1, { dtype: chunk.dtype, device: chunk.device })).to(sq.dtype);
    // Each chunk's sum of squares and point count, read in one copy.
    const sums = sq.unsqueeze(0).matmul(member).reshape(m);
    const read = Array.from(cat([sums.detach(), member.sum(0)]).to('float64').data() as Float64Array);
    const counts = read.slice(m), filled = counts.flatMap((k, i) => (k > 0 ? [i] : []));
    let acc = 0;
    this.lastWeights = counts.map((k, i) => {
      const w = Math.exp(-this.eps * acc);
      if (k > 0) acc += read[i] / k;
      return w;
    });
    this.lastMinWeight = Math.min(...filled.map((k) => this.lastWeights[k]));
    // Σₖ wₖ Lₖ / |filled| with Lₖ = sumₖ / countₖ: one coefficient per chunk (0 for an empty one).
    const coefficients = counts.map((k, i) => (k > 0 ? this.lastWeights[i] / (k * filled.length) : 0));
    return sums.mul(tensor(coefficients, { dtype: sq.dtype, device: sq.device })).sum();
  }
}

function checkEpsilon(label: string, epsilon: unknown): void {
  if (!(typeof epsilon === 'number' && epsilon >= 0 && Number.isFinite(epsilon))) throw new RangeError(`${label}: epsilon must be a finite number ≥ 0, got ${show(epsilon)}`);
}

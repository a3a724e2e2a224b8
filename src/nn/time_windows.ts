// One network per time window, side by side: the model that training in time windows
// (train/time_marching.ts) ends with. A point goes to the network of the window its time falls
// in, [b_k, b_{k+1}) (the last window closed), and the outputs come back in the points' order.
import { cat } from '../functional.js';
import { tensor } from '../creation.js';
import { Tensor, alive } from '../tensor.js';
import { Module } from './module.js';

export class TimeWindows extends Module {
  readonly nets: Module[];

  /**
   * @param nets one network per window, each taking the full input
   * @param bounds the windows' edges in time, increasing: nets.length + 1 numbers
   * @param timeInput the input column that is time
   */
  constructor(nets: Module[], readonly bounds: number[], readonly timeInput: number) {
    super();
    if (!Array.isArray(nets) || nets.length === 0 || !nets.every((m) => m instanceof Module)) throw new TypeError('TimeWindows: nets must be a non-empty array of Modules');
    if (!Array.isArray(bounds) || bounds.length !== nets.length + 1 || !bounds.every(Number.isFinite) || bounds.some((b, i) => i > 0 && !(b > bounds[i - 1]))) {
      throw new RangeError(`TimeWindows: bounds must be ${nets.length + 1} increasing finite numbers (one more than the networks), got ${JSON.stringify(bounds)}`);
    }
    if (!Number.isSafeInteger(timeInput) || timeInput < 0) throw new RangeError(`TimeWindows: timeInput must be a column index ≥ 0, got ${String(timeInput)}`);
    this.nets = nets.map((m, k) => this.registerModule(`window${k}`, m));
  }

  /** The window of time t: k with b_k ≤ t < b_{k+1}, the first or last window outside them. */
  windowOf(t: number): number {
    const k = this.bounds.findIndex((b, i) => i > 0 && t < b) - 1;
    return k < 0 ? (t < this.bounds[0] ? 0 : this.nets.length - 1) : k;
  }

  forward(x: Tensor): Tensor {
    alive(x, 'TimeWindows.forward', 'x');
    if (x.ndim !== 2 || x.shape[1] <= this.timeInput) throw new Error(`TimeWindows.forward: x must be [N, inputs] with time in column ${this.timeInput}, got [${x.shape.join(', ')}]`);
    if (this.nets.length === 1) return this.nets[0].forward(x);
    const t = x.narrow(1, this.timeInput, 1).reshape(-1).to('float64').data() as Float64Array;
    const rows: number[][] = this.nets.map(() => []);
    t.forEach((v, i) => rows[this.windowOf(v)].push(i));
    const order: number[] = [];
    const parts: Tensor[] = [];
    rows.forEach((idx, k) => {
      if (!idx.length) return;
      parts.push(this.nets[k].forward(x.indexSelect(0, tensor(idx, { dtype: 'int64', device: x.device }))));
      order.push(...idx);
    });
    // Row j of the stacked parts belongs to point order[j]: put each back in its place.
    const inverse = new Array<number>(order.length);
    order.forEach((i, j) => { inverse[i] = j; });
    return cat(parts, 0).indexSelect(0, tensor(inverse, { dtype: 'int64', device: x.device }));
  }
}

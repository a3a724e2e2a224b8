// Data-parallel training: every rank holds the whole problem (the same global points, drawn from
// the same seeds) and evaluates its own contiguous share of each term's points. A term's loss is
// a mean over its points, so the rank's part of it is its local mean × local/global count; the
// parts add up over ranks to the one-process loss, and their gradients to its gradient. The
// step (train/step.ts) asks this class to shard, to scale the terms, and to sum what must be
// global (gradients, reported values) in one collective per evaluation.
import { arange } from '../creation.js';
import { tidy } from '../memory.js';
import { type Problem } from '../pinn/problem.js';
import { type Tensor } from '../tensor.js';
import { type ProcessGroup } from './process_group.js';

export class DataParallel {
  /** Each term's local rows / global rows. */
  private readonly shares = new Map<string, number>();

  constructor(readonly group: ProcessGroup) {}

  get rank(): number { return this.group.rank; }
  get worldSize(): number { return this.group.worldSize; }

  /** Gives this rank its rows of every term: the r-th of worldSize contiguous slices. Again after any resampling. */
  shard(problem: Problem): void {
    const { rank, worldSize } = this.group;
    for (const c of problem.conditions) {
      if (c.isBatched && !this.shares.has(c.name)) {
        throw new Error(`data-parallel training: ${c.label} is mini-batched, which distributed training does not combine with sharding yet; drop the MiniBatch strategy (each rank already evaluates 1/${worldSize} of the points)`);
      }
      if (c.attention) throw new Error(`data-parallel training: ${c.label} has residual attention (a multiplier per point), which sharding does not split yet`);
      const n = c.points.shape[0];
      if (n < worldSize) throw new Error(`data-parallel training: ${c.label} has ${n} points, fewer than the ${worldSize} ranks`);
      const lo = Math.floor((n * rank) / worldSize), hi = Math.floor((n * (rank + 1)) / worldSize);
      tidy(() => c.setBatch(arange(lo, hi, 1, { dtype: 'int64', device: c.points.device })));
      this.shares.set(c.name, (hi - lo) / n);
    }
  }

  /** Each term's local mean scaled to its share of the global mean. */
  scale(raw: Record<string, Tensor>): Record<string, Tensor> {
    return Object.fromEntries(Object.entries(raw).map(([k, t]) => [k, t.mul(this.shares.get(k) ?? 1)]));
  }

  /** In place: the sum over ranks, one collective for all of them. */
  allreduce(tensors: Tensor[]): void { this.group.allreduce(tensors); }

  /** In place: rank 0's values everywhere (the parameters at the start of a fit). */
  broadcast(tensors: Tensor[]): void { this.group.broadcast(tensors, 0); }
}

// Data-parallel training: every rank holds the whole problem (the same global points, drawn from
// the same seeds) and evaluates its own contiguous share of each term's points. A term's loss is
// a mean over its points, so the rank's part of it is its local mean × local/global count; the
// parts add up over ranks to the one-process loss, and their gradients to its gradient. The
// data-parallel callback shards the problem for a fit; the step (train/step.ts) asks this class
// to scale the terms and to sum what must be global (gradients, reported values) in one
// collective per evaluation.
import { PDE } from '../pinn/conditions/pde.js';
import { type Problem } from '../pinn/problem.js';
import { type Tensor } from '../tensor.js';
import { type ProcessGroup } from './process_group.js';

export class DataParallel {
  private problem: Problem | null = null;

  constructor(readonly group: ProcessGroup) {}

  get rank(): number { return this.group.rank; }
  get worldSize(): number { return this.group.worldSize; }

  /**
   * Gives this rank its rows of every term: the r-th of worldSize contiguous slices of the rows in
   * use (all points, or a sampling strategy's mini-batch, which every rank draws alike). The
   * terms keep their slice through resampling and new mini-batches.
   */
  shard(problem: Problem): void {
    const { rank, worldSize } = this.group;
    for (const c of problem.conditions) {
      if (c.attention) throw new Error(`data-parallel training: ${c.label} has residual attention (a multiplier per point), which sharding does not split yet`);
      if (c instanceof PDE && c.causal) throw new Error(`data-parallel training: ${c.label} is weighted causally in time (each chunk's weight comes from the losses of every earlier chunk over all points), which sharding does not split yet`);
    }
    for (const c of problem.conditions) c.setShard({ rank, worldSize });
    this.problem = problem;
  }

  /** Every term evaluates all its rows again (after a fit: the problem is the caller's). */
  unshard(): void {
    for (const c of this.problem?.conditions ?? []) c.setShard(null);
    this.problem = null;
  }

  /** Each term's local mean scaled to its share of the global mean. */
  scale(raw: Record<string, Tensor>): Record<string, Tensor> {
    const share = (name: string) => this.problem?.conditions.find((c) => c.name === name)?.rowShare ?? 1;
    return Object.fromEntries(Object.entries(raw).map(([k, t]) => [k, t.mul(share(k))]));
  }

  /** In place: the sum over ranks, one collective for all of them. */
  allreduce(tensors: Tensor[]): void { this.group.allreduce(tensors); }

  /** In place: rank 0's values everywhere (the parameters at the start of a fit). */
  broadcast(tensors: Tensor[]): void { this.group.broadcast(tensors, 0); }
}

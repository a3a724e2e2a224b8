// Data-parallel training's part around the steps: at the start of a fit every rank takes rank
// 0's parameters and its own share of the points; before each step the ranks agree on whether to
// stop, since a stop asked on one rank alone (an abort, a time budget) would leave the others
// waiting in the next collective. Stateless: a checkpoint does not depend on the world size.
import { tensor } from '../../creation.js';
import { type DataParallel } from '../../distributed/data_parallel.js';
import { tidy } from '../../memory.js';
import { type Callback } from '../callback.js';
import { type StopReason } from '../events.js';
import { type Trainer } from '../trainer.js';

const REASONS: StopReason[] = ['aborted', 'timeBudget', 'nonFinite', 'earlyStop', 'converged', 'completed'];
const SCOPES = ['fit', 'phase'] as const;

export class DataParallelSync implements Callback {
  readonly name = 'dataParallel';

  constructor(readonly parallel: DataParallel) {}

  onFitStart(t: Trainer): void {
    this.parallel.broadcast(t.params);
    this.parallel.shard(t.problem);
  }

  onFitEnd(): void { this.parallel.unshard(); }

  /** Every rank stops, or none: a one-hot (scope, reason) of each rank's pending stop, summed. */
  onStepStart(t: Trainer): void {
    const mine = t.pendingStop;
    const vote = new Float64Array(SCOPES.length * REASONS.length);
    if (mine) vote[SCOPES.indexOf(mine.scope) * REASONS.length + REASONS.indexOf(mine.reason)] = 1;
    const sums = tidy(() => {
      const votes = tensor(vote, { dtype: 'float64' });
      this.parallel.allreduce([votes]);
      return votes.data() as Float64Array;
    });
    const agreed = sums.findIndex((n) => n > 0);
    if (agreed >= 0) t.stop(REASONS[agreed % REASONS.length], SCOPES[Math.floor(agreed / REASONS.length)]);
  }
}

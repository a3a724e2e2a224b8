import { type SchedulerStateDict, need, numberList, show, stateKeys } from './checks.js';
import { LRScheduler, type OptimizerLike } from './lr_scheduler.js';
import { SequentialLR } from './sequential_lr.js';

/**
 * Steps every scheduler, in order, at each step, so their chainable factors multiply:
 * lr(epoch) = initialLr · Π_k factor_k(epoch) (e.g. a ConstantLR or LinearLR warm-up times an
 * ExponentialLR decay). Each scheduler took its own first step when made; this takes none.
 */
export class ChainedScheduler {
  readonly optimizer: OptimizerLike;
  readonly schedulers: Array<LRScheduler | SequentialLR>;
  private lastLr: number[];

  constructor(schedulers: Array<LRScheduler | SequentialLR>) {
    const where = 'ChainedScheduler';
    need(Array.isArray(schedulers) && schedulers.length > 0, where, 'schedulers', 'a non-empty array of schedulers', schedulers);
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler || s instanceof SequentialLR)) {
        throw new TypeError(`${where}: schedulers[${i}] must be an LRScheduler or SequentialLR, got ${show(s)}`);
      }
      if (s.optimizer !== schedulers[0].optimizer) throw new Error(`${where}: schedulers[${i}] belongs to a different optimizer than schedulers[0]`);
    });
    this.schedulers = [...schedulers];
    this.optimizer = schedulers[0].optimizer;
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps each scheduler once. */
  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The lrs after the last step. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Own state plus each scheduler's stateDict(), as plain JSON data. */
  stateDict(): SchedulerStateDict {
    return { lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** Loads a stateDict() into this and every scheduler; all is checked before anything changes. */
  loadStateDict(stateDict: SchedulerStateDict): void {
    const where = 'ChainedScheduler.loadStateDict';
    const s = stateKeys(where, stateDict, ['lastLr', 'schedulers']);
    const lastLr = numberList(where, 'lastLr', s.lastLr, this.optimizer.paramGroups.length);
    const n = this.schedulers.length;
    need(Array.isArray(s.schedulers) && s.schedulers.length === n, where, 'schedulers', `an array of ${n} state dicts`, s.schedulers);
    const subs = this.schedulers.map((sch, i) => sch.prepareLoad((s.schedulers as unknown[])[i], `${where}: schedulers[${i}] (${sch.constructor.name})`));
    for (const apply of subs) apply();
    this.lastLr = lastLr;
  }
}

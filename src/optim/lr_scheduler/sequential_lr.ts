import {
  type SchedulerStateDict, epoch, need, numberList, options, opt, positiveInt, show, stateKeys,
} from './checks.js';
import { LRScheduler, type OptimizerLike, checkOptimizer } from './lr_scheduler.js';

export interface SequentialLROptions {
  /** The schedules, in order, all on this optimizer. */
  schedulers: LRScheduler[];
  /** The epochs at which the next scheduler takes over: one fewer than schedulers, increasing. */
  milestones: number[];
  /** -1 (default) starts afresh. */
  lastEpoch?: number;
}

function milestoneList(where: string, v: unknown, count: number): number[] {
  need(Array.isArray(v) && v.length === count, where, 'milestones', `an array of ${count} epoch${count === 1 ? '' : 's'} (one fewer than schedulers)`, v);
  const a = v as unknown[];
  a.forEach((m, i) => {
    positiveInt(where, `milestones[${i}]`, m);
    if (i > 0 && !((m as number) > (a[i - 1] as number))) throw new RangeError(`${where}: milestones must increase, got ${show(a)}`);
  });
  return [...(a as number[])];
}

/**
 * Runs schedulers[0] for epochs [0, milestones[0]), schedulers[1] for [milestones[0],
 * milestones[1]), …: lr(epoch) = schedulers[i]'s lr at (epoch − milestones[i−1]), where i is
 * the number of milestones ≤ epoch.
 *
 * As PyTorch 1.13: construction resets each group's lr to initialLr, winds every scheduler
 * back one epoch (undoing the step each took when made) and re-takes schedulers[0]'s first
 * step. At a milestone the next scheduler is stepped with step(0), i.e. restarted with its
 * closed form from initialLr (not from the current lr); between milestones it steps normally.
 */
export class SequentialLR {
  readonly optimizer: OptimizerLike;
  readonly schedulers: LRScheduler[];
  milestones: number[];
  lastEpoch: number;
  private lastLr: number[];

  constructor(optimizer: OptimizerLike, sequentialLROptions: SequentialLROptions) {
    const where = 'SequentialLR';
    const o = options(where, sequentialLROptions, ['schedulers', 'milestones', 'lastEpoch']);
    const groups = checkOptimizer(where, optimizer).paramGroups;
    need(Array.isArray(o.schedulers) && o.schedulers.length > 0, where, 'schedulers', 'a non-empty array of schedulers', o.schedulers);
    const schedulers = [...(o.schedulers as unknown[])];
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) throw new TypeError(`${where}: schedulers[${i}] must be an LRScheduler (StepLR, LinearLR, …), got ${show(s)}`);
      if (s.optimizer !== optimizer) throw new Error(`${where}: schedulers[${i}] belongs to a different optimizer`);
    });
    const milestones = milestoneList(where, o.milestones, schedulers.length - 1);
    const lastEpoch = epoch(where, 'lastEpoch', opt(o, 'lastEpoch', -1));
    groups.forEach((g, i) => {
      if (g.initialLr === undefined) throw new Error(`${where}: optimizer.paramGroups[${i}] has no initialLr`);
    });
    this.optimizer = optimizer;
    this.schedulers = schedulers as LRScheduler[];
    this.milestones = milestones;
    this.lastEpoch = lastEpoch + 1;
    for (const g of groups) g.lr = g.initialLr as number;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0].initialStep();
    this.lastLr = this.schedulers[0].getLastLr();
  }

  /** Advances one epoch: steps the scheduler in charge (with step(0) on the epoch it takes over). */
  step(): void {
    const e = this.lastEpoch + 1;
    const idx = this.milestones.filter((m) => m <= e).length; // bisect_right
    const s = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === e) s.step(0);
    else s.step();
    this.lastEpoch = e;
    this.lastLr = s.getLastLr();
  }

  /** The lrs the last step set. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Own state plus each scheduler's stateDict(), as plain JSON data. */
  stateDict(): SchedulerStateDict {
    return {
      lastEpoch: this.lastEpoch, lastLr: [...this.lastLr], milestones: [...this.milestones],
      schedulers: this.schedulers.map((s) => s.stateDict()),
    };
  }

  /** Loads a stateDict() into this and every scheduler; all is checked before anything changes. */
  loadStateDict(stateDict: SchedulerStateDict): void {
    this.prepareLoad(stateDict, 'SequentialLR.loadStateDict')();
  }

  /** @internal */
  prepareLoad(sd: unknown, where: string): () => void {
    const s = stateKeys(where, sd, ['lastEpoch', 'lastLr', 'milestones', 'schedulers']);
    const lastEpoch = epoch(where, 'lastEpoch', s.lastEpoch);
    const lastLr = numberList(where, 'lastLr', s.lastLr, this.optimizer.paramGroups.length);
    const milestones = milestoneList(where, s.milestones, this.schedulers.length - 1);
    const n = this.schedulers.length;
    need(Array.isArray(s.schedulers) && s.schedulers.length === n, where, 'schedulers', `an array of ${n} state dicts`, s.schedulers);
    const subs = this.schedulers.map((sch, i) => sch.prepareLoad((s.schedulers as unknown[])[i], `${where}: schedulers[${i}] (${sch.constructor.name})`));
    return () => {
      for (const apply of subs) apply();
      this.lastEpoch = lastEpoch;
      this.lastLr = lastLr;
      this.milestones = milestones;
    };
  }
}

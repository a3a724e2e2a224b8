// LRScheduler: PyTorch 1.13's _LRScheduler. Construction records each group's initialLr and
// takes the first step (lastEpoch becomes 0). step() computes the new lrs with the chainable
// form (from each group's current lr, PyTorch's get_lr) so LR sequences match PyTorch's to the
// last bit; step(epoch) jumps with the closed form where the schedule has one, as PyTorch's
// deprecated step(epoch) does (SequentialLR relies on it).
import {
  type SchedulerStateDict, epoch, need, numberList, nonNegativeInt, show, stateKeys,
} from './checks.js';

/**
 * What a scheduler needs of an optimizer: parameter groups with a learning rate. A scheduler
 * writes `lr`, and `initialLr` (PyTorch's initial_lr) when absent. Any torch-style optimizer
 * of this library fits; so does a plain `{ paramGroups: [{ lr: 0.1 }] }`.
 */
export interface OptimizerLike {
  paramGroups: Array<{ lr: number; initialLr?: number }>;
}

/** Checks an optimizer's groups: each lr (and initialLr, when present) a finite number. */
export function checkOptimizer(where: string, optimizer: unknown): OptimizerLike {
  const groups = (optimizer as OptimizerLike | null)?.paramGroups;
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new TypeError(`${where}: optimizer must have a non-empty paramGroups array, got ${show(optimizer)}`);
  }
  groups.forEach((g, i) => {
    need(typeof g?.lr === 'number' && Number.isFinite(g.lr), where, `optimizer.paramGroups[${i}].lr`, 'a finite number', g?.lr);
    if (g.initialLr !== undefined) {
      need(Number.isFinite(g.initialLr), where, `optimizer.paramGroups[${i}].initialLr`, 'a finite number', g.initialLr);
    }
  });
  return optimizer as OptimizerLike;
}

/**
 * Base of the epoch-driven schedulers (PyTorch's `_LRScheduler`). Subclasses give `getLr()`,
 * the chainable rule lr(epoch) = f(lr(epoch − 1)), and optionally `closedFormLr()`,
 * lr(epoch) = f(initialLr, epoch).
 */
export abstract class LRScheduler {
  /** Schedulers share one stepping interface; this one steps on time alone (step()), not on a metric. */
  readonly needsMetric = false as const;
  readonly optimizer: OptimizerLike;
  /** Steps taken, -1 before the first (construction takes one: 0 after it). */
  lastEpoch: number;
  /** Each group's initialLr when the scheduler was made. */
  baseLrs: number[];
  /** Calls of step(), PyTorch's _step_count (CosineAnnealingLR reads it). */
  protected stepCount = 0;
  protected lastLr: number[] = [];

  /** lastEpoch ≠ -1 resumes a schedule: every group must then already carry initialLr. */
  protected constructor(optimizer: OptimizerLike, lastEpoch: number) {
    const name = new.target.name;
    const groups = checkOptimizer(name, optimizer).paramGroups;
    epoch(name, 'lastEpoch', lastEpoch);
    if (lastEpoch === -1) {
      for (const g of groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined) throw new Error(`${name}: optimizer.paramGroups[${i}] has no initialLr to resume from (lastEpoch ${lastEpoch})`);
      });
    }
    this.optimizer = optimizer;
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** PyTorch's _initial_step: subclass constructors call it last. @internal also SequentialLR's. */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The chainable form: the new lrs from the groups' current lrs, at this.lastEpoch. */
  protected abstract getLr(): number[];
  /** The closed form at this.lastEpoch, when the schedule has one. */
  protected closedFormLr?(): number[];

  protected get groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /**
   * Advances one epoch and sets each group's lr. With an epoch (PyTorch's deprecated form),
   * jumps there with the closed form instead. Nothing changes if the new lrs are not finite.
   */
  step(epochArg?: number): void {
    const name = this.constructor.name;
    if (epochArg !== undefined) epoch(name, 'step(epoch): epoch', epochArg);
    const saved = [this.lastEpoch, this.stepCount] as const;
    this.stepCount++;
    let values: number[];
    try {
      if (epochArg === undefined) {
        this.lastEpoch++;
        values = this.getLr();
      } else {
        this.lastEpoch = epochArg;
        values = this.closedFormLr ? this.closedFormLr() : this.getLr();
      }
      values.forEach((v, i) => {
        if (!Number.isFinite(v)) throw new RangeError(`${name}: the learning rate of group ${i} at epoch ${this.lastEpoch} would be ${v}`);
      });
    } catch (e) {
      [this.lastEpoch, this.stepCount] = saved;
      throw e;
    }
    this.optimizer.paramGroups.forEach((g, i) => { g.lr = values[i]; });
    this.lastLr = this.groupLrs;
  }

  /** The lrs the last step set. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The scheduler's own state (not the optimizer's, and not functions), as plain JSON data:
   * PyTorch's state_dict() keys in camelCase, hyperparameters included.
   */
  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], stepCount: this.stepCount, lastLr: [...this.lastLr], ...this.ownState() };
  }

  /** Loads a stateDict(); every key is checked before anything changes. Hyperparameters load too, as in PyTorch. */
  loadStateDict(stateDict: SchedulerStateDict): void {
    this.prepareLoad(stateDict, `${this.constructor.name}.loadStateDict`)();
  }

  /** Checks a state dict and returns the function that applies it. @internal composites load atomically with it. */
  prepareLoad(sd: unknown, where: string): () => void {
    const s = stateKeys(where, sd, Object.keys(this.stateDict()));
    const n = this.optimizer.paramGroups.length;
    const lastEpoch = epoch(where, 'lastEpoch', s.lastEpoch);
    const baseLrs = numberList(where, 'baseLrs', s.baseLrs, n);
    const stepCount = nonNegativeInt(where, 'stepCount', s.stepCount);
    const lastLr = numberList(where, 'lastLr', s.lastLr, n);
    const own = this.prepareOwnLoad(s, where);
    return () => {
      this.lastEpoch = lastEpoch;
      this.baseLrs = baseLrs;
      this.stepCount = stepCount;
      this.lastLr = lastLr;
      own();
    };
  }

  /** The subclass's hyperparameters, for stateDict(). */
  protected ownState(): SchedulerStateDict {
    return {};
  }
  /** Checks the subclass's keys of a state dict; returns what applies them. */
  protected prepareOwnLoad(_sd: Record<string, unknown>, _where: string): () => void {
    return () => {};
  }
}

// LRScheduler: PyTorch's _LRScheduler. Construction records each group's initialLr and takes
// the first step (lastEpoch 0). step() uses the chainable form get_lr() (from the group's
// current lr), exactly as PyTorch does, so LR sequences match to the last bit; step(epoch)
// uses the closed form where one exists.

/** What a scheduler needs of an optimizer. */
export interface OptimizerLike {
  paramGroups: Array<{ lr: number; initialLr?: number; [key: string]: unknown }>;
}

export abstract class LRScheduler {
  lastEpoch: number;
  baseLrs: number[];
  protected stepCount = 0;
  protected lastLr: number[] = [];

  constructor(readonly optimizer: OptimizerLike, lastEpoch = -1) {
    if (!optimizer || !Array.isArray(optimizer.paramGroups)) throw new TypeError(`${this.constructor.name}: optimizer must have paramGroups`);
    if (lastEpoch === -1) {
      for (const g of optimizer.paramGroups) g.initialLr ??= g.lr;
    } else {
      optimizer.paramGroups.forEach((g, i) => {
        if (g.initialLr === undefined) throw new Error(`${this.constructor.name}: paramGroups[${i}] has no initialLr to resume from`);
      });
    }
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /**
   * Subclass constructors call this last, once their own fields are set (PyTorch's
   * _initial_step). @internal also used by SequentialLR.
   */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The chainable form: new lrs from the groups' current lrs. */
  protected abstract getLr(): number[];
  /** The closed form at lastEpoch, when the schedule has one. */
  protected closedFormLr?(): number[];

  protected get groupLrs(): number[] { return this.optimizer.paramGroups.map((g) => g.lr); }

  step(epoch?: number): void {
    this.stepCount++;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch++;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr ? this.closedFormLr() : this.getLr();
    }
    this.optimizer.paramGroups.forEach((g, i) => { g.lr = values[i]; });
    this.lastLr = this.groupLrs;
  }

  getLastLr(): number[] { return [...this.lastLr]; }

  /** The scheduler's own state (not the optimizer's), JSON-safe. */
  stateDict(): Record<string, unknown> {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], stepCount: this.stepCount, lastLr: [...this.lastLr], ...this.extraState() };
  }
  protected extraState(): Record<string, unknown> { return {}; }
  protected loadExtraState(_s: Record<string, unknown>): void {}

  loadStateDict(s: Record<string, unknown>): void {
    const keys = Object.keys(this.stateDict());
    for (const k of keys) if (!(k in s)) throw new Error(`${this.constructor.name}.loadStateDict: missing key '${k}'`);
    for (const k of Object.keys(s)) if (!keys.includes(k)) throw new Error(`${this.constructor.name}.loadStateDict: unexpected key '${k}'`);
    this.loadExtraState(s); // may validate and throw before anything below changes
    this.lastEpoch = Number(s.lastEpoch);
    this.baseLrs = [...(s.baseLrs as number[])];
    this.stepCount = Number(s.stepCount);
    this.lastLr = [...(s.lastLr as number[])];
  }
}

export function positive(op: string, name: string, v: unknown, { integer = false, allowZero = false } = {}): void {
  const ok = typeof v === 'number' && Number.isFinite(v) && (allowZero ? v >= 0 : v > 0) && (!integer || Number.isInteger(v));
  if (!ok) throw new RangeError(`${op}: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} ${integer ? 'integer' : 'number'}, got ${String(v)}`);
}

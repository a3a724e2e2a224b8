// Schedulers made of schedulers, as PyTorch's SequentialLR and ChainedScheduler.
import { LRScheduler, type OptimizerLike } from './lr_scheduler.js';

/**
 * Runs schedulers[0] until milestones[0], then schedulers[1], …; at each milestone the next
 * scheduler restarts from epoch 0 (PyTorch calls its step(0), i.e. the closed form).
 */
export class SequentialLR {
  lastEpoch: number;
  private lastLr: number[];
  readonly milestones: number[];

  constructor(readonly optimizer: OptimizerLike, readonly schedulers: LRScheduler[], milestones: number[], { lastEpoch = -1 } = {}) {
    if (!Array.isArray(schedulers) || schedulers.length === 0) throw new Error('SequentialLR: needs at least one scheduler');
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) throw new Error(`SequentialLR: schedulers[${i}] belongs to a different optimizer`);
    });
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      throw new Error(`SequentialLR: expected ${schedulers.length - 1} milestones for ${schedulers.length} schedulers, got ${milestones?.length}`);
    }
    this.milestones = [...milestones];
    this.lastEpoch = lastEpoch + 1;
    for (const g of optimizer.paramGroups) g.lr = g.initialLr as number;
    for (const s of schedulers) s.lastEpoch -= 1;
    schedulers[0].initialStep();
    this.lastLr = schedulers[0].getLastLr();
  }

  step(): void {
    this.lastEpoch++;
    const idx = this.milestones.filter((m) => m <= this.lastEpoch).length; // bisect_right
    const s = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s.step(0);
    else s.step();
    this.lastLr = s.getLastLr();
  }

  getLastLr(): number[] { return [...this.lastLr]; }

  stateDict(): Record<string, unknown> {
    return { lastEpoch: this.lastEpoch, lastLr: [...this.lastLr], milestones: [...this.milestones], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }
  loadStateDict(sd: Record<string, unknown>): void {
    for (const k of ['lastEpoch', 'lastLr', 'milestones', 'schedulers']) if (!(k in sd)) throw new Error(`SequentialLR.loadStateDict: missing key '${k}'`);
    const subs = sd.schedulers as Record<string, unknown>[];
    if (!Array.isArray(subs) || subs.length !== this.schedulers.length) throw new Error(`SequentialLR.loadStateDict: 'schedulers' must hold ${this.schedulers.length} state dicts`);
    subs.forEach((s, i) => this.schedulers[i].loadStateDict(s));
    this.lastEpoch = Number(sd.lastEpoch);
    this.lastLr = [...(sd.lastLr as number[])];
  }
}

/** Steps every scheduler each epoch: their factors multiply (e.g. warm-up × decay). */
export class ChainedScheduler {
  readonly optimizer: OptimizerLike;
  private lastLr: number[];
  constructor(readonly schedulers: LRScheduler[]) {
    if (!Array.isArray(schedulers) || schedulers.length === 0) throw new Error('ChainedScheduler: needs at least one scheduler');
    this.optimizer = schedulers[0].optimizer;
    schedulers.forEach((s, i) => {
      if (s.optimizer !== this.optimizer) throw new Error(`ChainedScheduler: schedulers[${i}] belongs to a different optimizer`);
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }
  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }
  getLastLr(): number[] { return [...this.lastLr]; }
  stateDict(): Record<string, unknown> { return { lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) }; }
  loadStateDict(sd: Record<string, unknown>): void {
    const subs = sd.schedulers as Record<string, unknown>[];
    if (!Array.isArray(subs) || subs.length !== this.schedulers.length) throw new Error(`ChainedScheduler.loadStateDict: 'schedulers' must hold ${this.schedulers.length} state dicts`);
    subs.forEach((s, i) => this.schedulers[i].loadStateDict(s));
    this.lastLr = [...(sd.lastLr as number[])];
  }
}

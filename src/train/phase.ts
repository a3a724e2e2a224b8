// The current phase's optimizer and scheduler, built from its spec; the optimizer and scheduler
// state of a checkpoint waits here until the phase they belong to has its optimizer.
import { type DType, isFloating } from '../dtype.js';
import { type Module } from '../nn/module.js';
import { type OptimizerIteration } from '../optim/optimizer.js';
import { type Problem } from '../pinn/problem.js';
import { type Tensor } from '../tensor.js';
import { type Scheduler, phaseOptimizer, phaseScheduler } from './build.js';
import { type PhaseSpec } from './options.js';
import { type Loaded } from './state.js';
import { type AnyOptimizer } from './step.js';

export class PhaseState {
  optimizer: AnyOptimizer | null = null;
  scheduler: Scheduler | null = null;
  private pending: Loaded | null = null;

  constructor(private readonly problem: Problem, private readonly model: Module, private readonly params: Tensor[]) {}

  /** Builds phase `i`'s optimizer and scheduler (casting first, if the phase has a dtype) and loads pending state into them. */
  start(spec: PhaseSpec, i: number, onIteration: (it: OptimizerIteration) => void): void {
    const where = `Trainer: phases[${i}]`;
    if (spec.dtype) this.castTo(spec.dtype);
    const opt = phaseOptimizer(spec, this.params, where);
    opt.onIteration = onIteration;
    this.optimizer = opt;
    this.scheduler = phaseScheduler(spec, opt, where);
    const l = this.pending;
    if (!l) return;
    this.pending = null;
    try {
      opt.loadStateDict(l.optimizer!);
      if (this.scheduler && l.json.scheduler) (this.scheduler.loadStateDict as (s: unknown) => void)(l.json.scheduler);
    } finally {
      l.dispose();
    }
  }

  /** Drops the current optimizer and keeps `l` (loaded state with optimizer state, else freed now) for the next start(). */
  adopt(l: Loaded): void {
    this.end();
    this.pending?.dispose();
    this.pending = l.optimizer ? l : null;
    if (!this.pending) l.dispose();
  }

  /** The dtype the model trains in now (its first floating parameter's). */
  get dtype(): DType { return this.params.find((p) => isFloating(p.dtype))?.dtype ?? 'float32'; }

  /** Model and problem to `dtype`, in place (parameters keep their identity). */
  castTo(dtype: DType): void {
    if (this.dtype === dtype) return;
    this.model.to(dtype);
    this.problem.to(dtype);
  }

  /** Frees the optimizer (the phase is over). */
  end(): void {
    this.optimizer?.dispose();
    this.optimizer = null;
    this.scheduler = null;
  }

  dispose(): void {
    this.end();
    this.pending?.dispose();
    this.pending = null;
  }
}

// Optimizers and schedulers from their declarative phase specs, so a checkpoint can name them
// and a resumed run rebuilds exactly the same objects before loading their state.
import { Adam } from '../optim/adam.js';
import { AdamW } from '../optim/adamw.js';
import { BFGS } from '../optim/bfgs.js';
import { LBFGS } from '../optim/lbfgs.js';
import { type Optimizer } from '../optim/optimizer.js';
import { RMSprop } from '../optim/rmsprop.js';
import { SGD } from '../optim/sgd.js';
import * as sched from '../optim/lr_scheduler/index.js';
import { type Tensor } from '../tensor.js';
import { type PhaseSpec } from './options.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOptimizer = Optimizer<any>;
export type Scheduler = sched.LRScheduler | sched.ReduceLROnPlateau;

const OPTIMIZERS = {
  sgd: (p: Tensor[], o: Record<string, unknown>) => new SGD(p, o as never),
  adam: (p: Tensor[], o: Record<string, unknown>) => new Adam(p, o),
  adamw: (p: Tensor[], o: Record<string, unknown>) => new AdamW(p, o),
  rmsprop: (p: Tensor[], o: Record<string, unknown>) => new RMSprop(p, o),
  lbfgs: (p: Tensor[], o: Record<string, unknown>) => new LBFGS(p, o),
  bfgs: (p: Tensor[], o: Record<string, unknown>) => new BFGS(p, o),
};

const SCHEDULERS = {
  StepLR: (opt: AnyOptimizer, o: Record<string, unknown>) => new sched.StepLR(opt, o as never),
  MultiStepLR: (opt: AnyOptimizer, o: Record<string, unknown>) => new sched.MultiStepLR(opt, o as never),
  ExponentialLR: (opt: AnyOptimizer, o: Record<string, unknown>) => new sched.ExponentialLR(opt, o as never),
  CosineAnnealingLR: (opt: AnyOptimizer, o: Record<string, unknown>) => new sched.CosineAnnealingLR(opt, o as never),
  LinearLR: (opt: AnyOptimizer, o: Record<string, unknown>) => new sched.LinearLR(opt, o),
  ConstantLR: (opt: AnyOptimizer, o: Record<string, unknown>) => new sched.ConstantLR(opt, o),
  ReduceLROnPlateau: (opt: AnyOptimizer, o: Record<string, unknown>) => new sched.ReduceLROnPlateau(opt, o),
};

export const OPTIMIZER_TYPES = Object.keys(OPTIMIZERS);
export const SCHEDULER_TYPES = Object.keys(SCHEDULERS);

/** Checks a phase list up front, so a typo fails before any training; returns the phases to train. */
export function checkPhases(phases: PhaseSpec[]): PhaseSpec[] {
  if (!Array.isArray(phases) || phases.length === 0) throw new Error('Trainer: phases must be a non-empty array');
  phases.forEach((p, i) => {
    const where = `Trainer: phases[${i}]`;
    if (!p || typeof p !== 'object') throw new Error(`${where} must be an object`);
    if (!Number.isInteger(p.steps) || p.steps < 0) throw new Error(`${where}.steps must be a non-negative integer, got ${String(p.steps)}`);
    if (!p.optimizer || !(p.optimizer.type in OPTIMIZERS)) {
      throw new Error(`${where}.optimizer.type must be one of ${OPTIMIZER_TYPES.join(', ')}, got ${JSON.stringify(p.optimizer?.type)}`);
    }
    if (p.dtype !== undefined && p.dtype !== 'float32' && p.dtype !== 'float64') {
      throw new Error(`${where}.dtype must be 'float32' or 'float64', got ${JSON.stringify(p.dtype)}`);
    }
    if (p.timeBudget !== undefined && !(typeof p.timeBudget === 'number' && p.timeBudget > 0)) {
      throw new Error(`${where}.timeBudget must be a number of seconds > 0, got ${JSON.stringify(p.timeBudget)}`);
    }
    if (p.scheduler && !(p.scheduler.type in SCHEDULERS)) {
      throw new Error(`${where}.scheduler.type must be one of ${SCHEDULER_TYPES.join(', ')}, got ${JSON.stringify(p.scheduler.type)}`);
    }
  });
  return phases;
}

export function phaseName(p: PhaseSpec, i: number, all: PhaseSpec[]): string {
  if (p.name) return p.name;
  const same = all.filter((q) => q.optimizer.type === p.optimizer.type).length;
  return same > 1 ? `${p.optimizer.type}-${i + 1}` : p.optimizer.type;
}

export function buildOptimizer(spec: PhaseSpec, params: Tensor[], where: string): AnyOptimizer {
  const { type, ...options } = spec.optimizer;
  try { return OPTIMIZERS[type](params, options); } catch (e) { throw new Error(`${where}.optimizer: ${(e as Error).message}`); }
}

export function buildScheduler(spec: PhaseSpec, optimizer: AnyOptimizer, where: string): Scheduler | null {
  if (!spec.scheduler) return null;
  const { type, ...options } = spec.scheduler;
  try { return SCHEDULERS[type](optimizer, options); } catch (e) { throw new Error(`${where}.scheduler: ${(e as Error).message}`); }
}

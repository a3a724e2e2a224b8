// Optimizers and schedulers from their declarative phase specs, so a checkpoint can name them
// and a resumed run rebuilds exactly the same objects before loading their state.
import { checkOptions } from '../registry.js';
import { type AnyOptimizer, type Scheduler, buildOptimizer, buildScheduler, optimizers, schedulers } from '../optim/registry.js';
import { type Tensor } from '../tensor.js';
import { type PhaseSpec } from './options.js';

export type { Scheduler };

/** Canonical names (PyTorch's class names); lookup also takes any case and the aliases (optim/registry.ts). */
export const OPTIMIZER_TYPES = optimizers.names;
export const SCHEDULER_TYPES = schedulers.names;

/** Checks a phase list up front, so a typo fails before any training; returns the phases to train. */
export function checkPhases(phases: PhaseSpec[]): PhaseSpec[] {
  if (!Array.isArray(phases) || phases.length === 0) throw new Error('Trainer: phases must be a non-empty array');
  phases.forEach((p, i) => {
    const where = `Trainer: phases[${i}]`;
    if (!p || typeof p !== 'object') throw new Error(`${where} must be an object`);
    if (!Number.isInteger(p.steps) || p.steps < 0) throw new Error(`${where}.steps must be a non-negative integer, got ${String(p.steps)}`);
    if (!p.optimizer || typeof p.optimizer !== 'object') throw new Error(`${where}.optimizer must be an object { type, ...options }`);
    const { type: ot, ...oo } = p.optimizer;
    // Options are checked now against the registry's schema, so a typo in a later phase fails before any training.
    checkOptions(optimizers.get(ot, `${where}.optimizer.type`).options, oo, `${where}.optimizer`);
    if (p.dtype !== undefined && p.dtype !== 'float32' && p.dtype !== 'float64') {
      throw new Error(`${where}.dtype must be 'float32' or 'float64', got ${JSON.stringify(p.dtype)}`);
    }
    if (p.timeBudget !== undefined && !(typeof p.timeBudget === 'number' && p.timeBudget > 0)) {
      throw new Error(`${where}.timeBudget must be a number of seconds > 0, got ${JSON.stringify(p.timeBudget)}`);
    }
    if (p.scheduler) {
      const { type: st, ...so } = p.scheduler;
      checkOptions(schedulers.get(st, `${where}.scheduler.type`).options, so, `${where}.scheduler`);
    }
  });
  return phases;
}

export function phaseName(p: PhaseSpec, i: number, all: PhaseSpec[]): string {
  if (p.name) return p.name;
  const same = all.filter((q) => optimizers.same(q.optimizer.type, p.optimizer.type)).length;
  return same > 1 ? `${p.optimizer.type}-${i + 1}` : p.optimizer.type;
}

/** The phase's optimizer, built by the registry; a failure names the phase. */
export function phaseOptimizer(spec: PhaseSpec, params: Tensor[], where: string): AnyOptimizer {
  try { return buildOptimizer(spec.optimizer, params); } catch (e) { throw new Error(`${where}.optimizer: ${(e as Error).message}`); }
}

/** The phase's scheduler (null without one), built by the registry; a failure names the phase. */
export function phaseScheduler(spec: PhaseSpec, optimizer: AnyOptimizer, where: string): Scheduler | null {
  if (!spec.scheduler) return null;
  try { return buildScheduler(spec.scheduler, optimizer); } catch (e) { throw new Error(`${where}.scheduler: ${(e as Error).message}`); }
}

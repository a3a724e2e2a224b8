// Held-out residual: a condition's mean squared residual on points it never trains on. The
// training loss only sees the collocation points; a network can drive it down while it gets
// worse between them (on Burgers, BFGS moves the shock between points: the loss keeps falling
// while the error jumps from 7e-4 to 2e-3). The held-out residual rises with that error, so
// it tells when, and with `restoreBest` the Trainer ends on the parameters where it was lowest:
// DeepXDE's "test loss" with save_better_only, Keras' restore_best_weights.
import { noGrad } from '../../autograd.js';
import { keep, tidy } from '../../memory.js';
import { type Module } from '../../nn/module.js';
import { type Problem } from '../../pinn/problem.js';
import { Tensor } from '../../tensor.js';
import { type Callback, type FitEnd, type StepEnd } from '../callback.js';
import { type FitResult } from '../events.js';
import { type Trainer } from '../trainer.js';

export interface ValidationOptions {
  /** The condition whose residual is measured (typically the PDE). */
  condition: string;
  /** Held-out points [M, inputs], drawn apart from the condition's own. */
  points: Tensor;
  /** Measure every this many steps. */
  every: number;
  /** Keep the parameters at the lowest value and put them back when fit() ends (not on abort). */
  restoreBest?: boolean;
  /** Measure only from this step on (e.g. once the last phase starts). */
  from?: number;
  /** Measure only from the start of this phase (by name) on, however many steps the phases before it ran. */
  phase?: string;
  /**
   * Measure a held-out total loss instead: the condition's weighted held-out residual plus the
   * other terms' weighted losses of the step. The residual alone cannot see a state that fits
   * the PDE between the points but has lost a boundary condition (u + c·x fits −u″ = f as well).
   */
  total?: boolean;
}

export interface ValidationBest { step: number; value: number }

export class Validation implements Callback {
  readonly name = 'validation';
  best: ValidationBest | null = null;
  private bestParams: Tensor[] | null = null;

  /** `params` are the trained parameters (model, then trainable coefficients): the ones kept and restored. */
  constructor(readonly o: ValidationOptions, problem: Problem, private readonly params: Tensor[]) {
    const names = problem.conditions.map((c) => c.name);
    if (!names.includes(o.condition)) throw new Error(`Trainer: validation.condition '${o.condition}' is not a term of the problem (terms: ${names.join(', ')})`);
    if (!(o.points instanceof Tensor) || o.points.ndim !== 2 || o.points.shape[1] !== problem.inputs.length || o.points.shape[0] < 1) {
      const got = o.points instanceof Tensor ? `[${o.points.shape.join(', ')}]` : String(o.points);
      throw new Error(`Trainer: validation.points must be a [M, ${problem.inputs.length}] tensor (one column per input: ${problem.inputs.join(', ')}), got ${got}`);
    }
    if (!(Number.isInteger(o.every) && o.every >= 1)) throw new RangeError(`Trainer: validation.every must be a positive integer, got ${String(o.every)}`);
    if (o.total !== undefined && typeof o.total !== 'boolean') throw new TypeError(`Trainer: validation.total must be a boolean, got ${String(o.total)}`);
    if (o.from !== undefined && !(Number.isInteger(o.from) && o.from >= 0)) throw new RangeError(`Trainer: validation.from must be a non-negative integer, got ${String(o.from)}`);
    if (o.phase !== undefined && !(typeof o.phase === 'string' && o.phase.length > 0)) throw new TypeError(`Trainer: validation.phase must be a phase's name, got ${String(o.phase)}`);
  }

  due(step: number, phaseIndex: number, phaseNames: readonly string[]): boolean {
    if (this.o.phase !== undefined && phaseIndex < phaseNames.indexOf(this.o.phase)) return false;
    return step >= (this.o.from ?? 0) && step % this.o.every === 0;
  }

  onStepEnd(t: Trainer, s: StepEnd): void {
    const step = t.progress.step;
    if (!this.due(step, t.progress.phaseIndex, t.phaseNames)) return;
    const heldOut = this.measure(t.problem, t.model);
    // With `total`, the other terms' weighted losses of this step join the weighted held-out residual.
    const value = !this.o.total ? heldOut : Object.entries(s.losses).reduce(
      (sum, [k, l]) => (k === this.o.condition ? sum : sum + (s.weights[k] ?? 0) * l), (s.weights[this.o.condition] ?? 1) * heldOut);
    t.history.validation.push({ step, value });
    this.offer(step, value, this.params);
    t.send('validation', { step, condition: this.o.condition, value, best: this.best?.value ?? null, bestStep: this.best?.step ?? null });
  }

  /** A finished run ends on its best held-out parameters; an aborted one keeps its live state to resume from. */
  onFitEnd(_t: Trainer, end: FitEnd): Partial<FitResult> {
    const restored = end.stopReason !== 'aborted' && end.stopReason !== 'nonFinite' && this.restore(this.params);
    if (restored) end.restored = true;
    return this.best ? { validation: { best: this.best.value, bestStep: this.best.step, restored } } : {};
  }

  /** Mean over the held-out points of |r|² (summed over the condition's residual components). */
  measure(problem: Problem, model: Module): number {
    const cond = problem.conditions.find((c) => c.name === this.o.condition)!;
    return tidy(() => problem.meanSquaredResidual(model, cond, this.o.points.to({ dtype: cond.points.dtype, device: cond.points.device })));
  }

  /** Records a value; a new best copies the parameters when restoreBest is set. */
  offer(step: number, value: number, params: Tensor[]): void {
    if (!(value < (this.best?.value ?? Infinity))) return;
    this.best = { step, value };
    if (this.o.restoreBest) {
      this.disposeParams();
      this.bestParams = noGrad(() => tidy(() => params.map((p) => keep(p.detach().clone())))); // the detached views go with the scope
    }
  }

  /** Puts the best parameters back; false when there are none (restoreBest unset, or no value yet). */
  restore(params: Tensor[]): boolean {
    const saved = this.bestParams;
    if (!saved) return false;
    noGrad(() => tidy(() => params.forEach((p, i) => p.copy_(saved[i].to({ dtype: p.dtype, device: p.device })))));
    return true;
  }

  stateDict(): { best: ValidationBest | null } { return { best: this.best }; }
  /** The saved parameters by position (p0, p1, …), for the checkpoint. */
  tensors(): Record<string, Tensor> { return Object.fromEntries((this.bestParams ?? []).map((t, i) => [`p${i}`, t])); }

  loadStateDict(state: unknown, tensors: Record<string, Tensor>): void {
    const s = state as { best?: ValidationBest | null } | undefined;
    const best = s?.best ?? null;
    if (best !== null && !(Number.isInteger(best.step) && typeof best.value === 'number')) throw new Error(`checkpoint validation: best must be { step, value }, got ${JSON.stringify(best)}`);
    const params = this.params;
    if (this.o.restoreBest && best) {
      params.forEach((p, i) => {
        const t = tensors[`p${i}`];
        if (!t || t.shape.join() !== p.shape.join()) throw new Error(`checkpoint validation: best parameters p${i} missing or not [${p.shape.join(', ')}]`);
      });
    }
    this.best = best;
    this.disposeParams();
    if (!this.o.restoreBest || !this.best) return;
    this.bestParams = params.map((p, i) => keep(tensors[`p${i}`].to({ dtype: p.dtype, device: p.device }).clone()));
  }

  private disposeParams(): void {
    for (const t of this.bestParams ?? []) t.dispose();
    this.bestParams = null;
  }
  dispose(): void { this.disposeParams(); }
}

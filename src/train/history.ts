// Per-step metrics, and the two monitors that read them: convergence (the loss stopped
// moving, or reached a target) and early stopping (a metric stopped improving).
import { type EvaluationEvent, type MetricsHistory } from './events.js';

export function emptyHistory(terms: string[], coefficients: string[]): MetricsHistory {
  return {
    step: [], phase: [], total: [], lr: [], gradNorm: [], stepTime: [],
    losses: Object.fromEntries(terms.map((t) => [t, []])),
    coefficients: Object.fromEntries(coefficients.map((c) => [c, []])),
    evaluations: [],
    validation: [],
  };
}

export interface StepRecord {
  step: number; phase: number; total: number; lr: number; gradNorm: number; stepTime: number;
  losses: Record<string, number>; coefficients: Record<string, number>;
}

export function record(h: MetricsHistory, r: StepRecord): void {
  h.step.push(r.step); h.phase.push(r.phase); h.total.push(r.total); h.lr.push(r.lr);
  h.gradNorm.push(r.gradNorm); h.stepTime.push(r.stepTime);
  for (const [k, v] of Object.entries(r.losses)) (h.losses[k] ??= []).push(v);
  for (const [k, v] of Object.entries(r.coefficients)) (h.coefficients[k] ??= []).push(v);
}

/** Drops everything after `step` (a NaN rollback returns to an earlier state). */
export function truncate(h: MetricsHistory, step: number): void {
  const n = h.step.findIndex((s) => s > step);
  if (n < 0) return;
  for (const a of [h.step, h.phase, h.total, h.lr, h.gradNorm, h.stepTime, ...Object.values(h.losses), ...Object.values(h.coefficients)]) a.length = n;
  h.evaluations = h.evaluations.filter((e: EvaluationEvent) => e.step <= step);
  h.validation = h.validation.filter((e) => e.step <= step);
}

export function checkHistory(h: unknown, where: string): MetricsHistory {
  const o = h as MetricsHistory;
  const arrays = o && [o.step, o.phase, o.total, o.lr, o.gradNorm, o.stepTime];
  if (!arrays || arrays.some((a) => !Array.isArray(a) || a.length !== o.step.length) || typeof o.losses !== 'object' || !Array.isArray(o.evaluations)) {
    throw new Error(`${where}: not a metrics history (arrays step, phase, total, lr, gradNorm, stepTime of equal length; losses; evaluations)`);
  }
  if (o.validation === undefined) o.validation = []; // checkpoints written before validation existed
  if (!Array.isArray(o.validation)) throw new Error(`${where}: validation must be an array`);
  return o;
}

/** Relative change of the total loss over a window, or a target. */
export class Convergence {
  constructor(readonly o: { tol?: number; window?: number; targetLoss?: number } = {}) {
    if (o.tol !== undefined && !(o.tol > 0)) throw new RangeError(`Trainer: convergence.tol must be > 0, got ${o.tol}`);
    if (o.window !== undefined && !(Number.isInteger(o.window) && o.window >= 1)) throw new RangeError(`Trainer: convergence.window must be a positive integer, got ${o.window}`);
  }
  /** A reason when converged at the end of `history`, else null. Looks only within the current phase. */
  check(h: MetricsHistory): string | null {
    const n = h.total.length;
    const last = h.total[n - 1];
    if (this.o.targetLoss !== undefined && last <= this.o.targetLoss) return `total loss ${last.toExponential(3)} ≤ target ${this.o.targetLoss}`;
    if (this.o.tol === undefined) return null;
    const w = this.o.window ?? 100;
    if (n <= w || h.phase[n - 1 - w] !== h.phase[n - 1]) return null;
    const before = h.total[n - 1 - w];
    const change = Math.abs(last - before) / Math.max(Math.abs(before), Number.MIN_VALUE);
    return change < this.o.tol ? `total loss changed by ${change.toExponential(2)} (relative) over ${w} steps, below tol ${this.o.tol}` : null;
  }
}

/** Stops when the metric has not improved by minDelta (relative) for `patience` steps. */
export class EarlyStopping {
  best = Infinity;
  bestStep = 0;
  constructor(readonly o: { patience: number; minDelta?: number; metric?: 'total' | 'relL2' }) {
    if (!(Number.isInteger(o.patience) && o.patience >= 1)) throw new RangeError(`Trainer: earlyStopping.patience must be a positive integer, got ${o.patience}`);
  }
  /** Feed the metric at `step`; returns true when patience ran out. */
  update(step: number, value: number): boolean {
    if (value < this.best * (1 - (this.o.minDelta ?? 0))) { this.best = value; this.bestStep = step; }
    return step - this.bestStep >= this.o.patience;
  }
  stateDict() { return { best: this.best === Infinity ? null : this.best, bestStep: this.bestStep }; }
  loadStateDict(s: { best: number | null; bestStep: number }) { this.best = s.best ?? Infinity; this.bestStep = s.bestStep; }
}

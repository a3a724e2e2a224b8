// Per-step metrics: recorded every step, truncated on a NaN rollback, checked when loaded.
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

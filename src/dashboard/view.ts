// What the dashboard knows about a run, built only from Trainer events (live, or replayed from a
// run directory's events.jsonl) or from a finished run's metrics.json. The server keeps one
// RunView for the whole run, so a page that connects late or reloads gets the full history, and
// hands out what was added since the last update so that updates stay small.
import type { FitResult, MetricsHistory, StartEvent, TrainerEvent } from '../train/events.js';

export type RunStatus = 'waiting' | 'running' | 'finished' | 'failed';

/** Points of the step curves, aligned with `step` (null where a value was not finite). */
export interface Curves {
  step: number[];
  total: Array<number | null>;
  lr: Array<number | null>;
  losses: Record<string, Array<number | null>>;
  coefficients: Record<string, Array<number | null>>;
}

/** The run's scalars at the latest event, and its end when it ended. */
export interface RunHead {
  status: RunStatus;
  phases: StartEvent['phases'];
  phase: string;
  step: number;
  totalSteps: number;
  eta: number | null;
  elapsed: number | null;
  stepsPerSecond: number | null;
  /** FitResult without its history (the curves hold it). */
  result: Omit<FitResult, 'history'> | null;
  error: string | null;
  config: unknown;
  /** Plot name → modification time of its file (the page reloads a plot when it changes). */
  plots: Record<string, number>;
}

export interface Snapshot {
  head: RunHead;
  curves: Curves;
  evaluations: Array<{ step: number; relL2: Record<string, number> }>;
  validation: Array<{ step: number; condition: string; value: number }>;
}

/** What changed since the previous delta: the new head and the points appended to each list. */
export interface Delta {
  head: RunHead;
  curves: Curves;
  evaluations: Snapshot['evaluations'];
  validation: Snapshot['validation'];
}

const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);

export class RunView {
  private head: RunHead = {
    status: 'waiting', phases: [], phase: '', step: 0, totalSteps: 0, eta: null, elapsed: null, stepsPerSecond: null,
    result: null, error: null, config: null, plots: {},
  };
  private curves: Curves = { step: [], total: [], lr: [], losses: {}, coefficients: {} };
  private evaluations: Snapshot['evaluations'] = [];
  private validation: Snapshot['validation'] = [];
  /** How much of each list the last delta covered; null after history was cut (send a snapshot). */
  private sent: { points: number; evaluations: number; validation: number } | null = { points: 0, evaluations: 0, validation: 0 };
  private changed = false;

  /** True when something changed since the last delta or snapshot was taken. */
  get dirty(): boolean { return this.changed; }
  get status(): RunStatus { return this.head.status; }

  setConfig(config: unknown): void { this.head.config = config; this.changed = true; }

  setPlot(name: string, mtimeMs: number): void {
    if (this.head.plots[name] === mtimeMs) return;
    this.head.plots = { ...this.head.plots, [name]: mtimeMs };
    this.changed = true;
  }

  /** Takes one Trainer event into the view. */
  apply(e: TrainerEvent): void {
    const h = this.head;
    this.changed = true;
    switch (e.type) {
      case 'start':
        // A resume continues from e.step: what came after it in an earlier process is gone.
        this.cutAfter(e.data.step);
        Object.assign(h, { status: 'running', phases: e.data.phases, step: e.data.step, totalSteps: e.data.totalSteps, result: null, error: null });
        break;
      case 'phaseStart': h.phase = e.data.phase; h.step = e.data.step; break;
      case 'step': {
        const s = e.data;
        Object.assign(h, { status: 'running', phase: s.phase, step: s.step, totalSteps: s.totalSteps, eta: s.eta, elapsed: s.elapsed, stepsPerSecond: s.stepsPerSecond });
        const c = this.curves;
        const n = c.step.length;
        c.step.push(s.step); c.total.push(finite(s.total)); c.lr.push(finite(s.lr));
        appendAligned(c.losses, s.losses, n);
        appendAligned(c.coefficients, s.coefficients, n);
        break;
      }
      case 'evaluation': this.evaluations.push({ step: e.data.step, relL2: e.data.relL2 }); break;
      case 'validation': this.validation.push({ step: e.data.step, condition: e.data.condition, value: e.data.value }); break;
      case 'nonFinite': if (e.data.restoredStep !== undefined) this.cutAfter(e.data.restoredStep); break;
      case 'end': {
        const { history: _history, ...result } = e.data as FitResult;
        Object.assign(h, { status: 'finished', step: result.steps, eta: 0, result });
        break;
      }
      case 'error': {
        const err = e.data as Error | { message?: string };
        Object.assign(h, { status: 'failed', error: String(err?.message ?? err) });
        break;
      }
      default: this.changed = false; // events the page does not show
    }
  }

  /** A finished run from its metrics.json (`result` holds the history of every step). */
  loadMetrics(result: FitResult): void {
    const hist: MetricsHistory = result.history;
    this.curves = {
      step: [...hist.step], total: hist.total.map(finite), lr: hist.lr.map(finite),
      losses: Object.fromEntries(Object.entries(hist.losses).map(([k, v]) => [k, v.map(finite)])),
      coefficients: Object.fromEntries(Object.entries(hist.coefficients).map(([k, v]) => [k, v.map(finite)])),
    };
    this.evaluations = hist.evaluations.map((e) => ({ step: e.step, relL2: e.relL2 }));
    this.validation = hist.validation.map((v) => ({ step: v.step, condition: 'held-out', value: v.value }));
    const { history: _history, ...rest } = result;
    Object.assign(this.head, { status: 'finished', step: result.steps, totalSteps: Math.max(result.steps, this.head.totalSteps), eta: 0, result: rest });
    this.sent = null;
    this.changed = true;
  }

  /** The whole view; the next delta starts after it. */
  snapshot(): Snapshot {
    this.sent = { points: this.curves.step.length, evaluations: this.evaluations.length, validation: this.validation.length };
    this.changed = false;
    return { head: this.head, curves: this.curves, evaluations: this.evaluations, validation: this.validation };
  }

  /** What was added since the last delta or snapshot, or null when history was cut since (send a snapshot instead). */
  delta(): Delta | null {
    if (!this.sent) return null;
    const { points, evaluations, validation } = this.sent;
    const c = this.curves;
    const tail = (r: Record<string, Array<number | null>>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.slice(points)]));
    const d: Delta = {
      head: this.head,
      curves: { step: c.step.slice(points), total: c.total.slice(points), lr: c.lr.slice(points), losses: tail(c.losses), coefficients: tail(c.coefficients) },
      evaluations: this.evaluations.slice(evaluations),
      validation: this.validation.slice(validation),
    };
    this.sent = { points: c.step.length, evaluations: this.evaluations.length, validation: this.validation.length };
    this.changed = false;
    return d;
  }

  private cutAfter(step: number): void {
    const c = this.curves;
    const n = c.step.findIndex((s) => s > step);
    if (n >= 0) {
      for (const a of [c.step, c.total, c.lr, ...Object.values(c.losses), ...Object.values(c.coefficients)]) a.length = n;
      this.sent = null;
    }
    const evaluations = this.evaluations.filter((e) => e.step <= step), validation = this.validation.filter((v) => v.step <= step);
    if (evaluations.length !== this.evaluations.length || validation.length !== this.validation.length) this.sent = null;
    this.evaluations = evaluations;
    this.validation = validation;
  }
}

/** Appends one value per key; a key first seen now is padded with nulls for the `n` earlier points. */
function appendAligned(into: Record<string, Array<number | null>>, values: Record<string, number>, n: number): void {
  for (const [k, v] of Object.entries(values)) (into[k] ??= new Array<number | null>(n).fill(null)).push(finite(v));
  for (const a of Object.values(into)) if (a.length === n) a.push(null);
}

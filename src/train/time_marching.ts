// Training in time windows ("time marching"): [t₀, T] is cut into K equal windows, trained one
// after the other by the default recipe (Trainer.auto) for an equal share of the budget. In
// window k the PDE terms take fresh points drawn in the window, the other terms the rows whose
// time falls in it, and each initial condition becomes continuity with window k − 1's network at
// the window's start (the same operator: the value, a time derivative). Each window's network
// starts from the previous one's weights. The result is the windows' networks side by side
// (nn.TimeWindows). A transport problem that the recipe fails over the whole interval in one go
// (advection at speed 30) trains window by window: accuracy/results/2026-12-07-time-marching.md.
import { type FitResult } from './events.js';
import { GeometryXTime, TimeDomain } from '../geometry/time.js';
import { toTensor } from '../geometry/geometry.js';
import { noGrad } from '../autograd.js';
import { tensor } from '../creation.js';
import { cat } from '../functional.js';
import { tidy } from '../memory.js';
import { type Module } from '../nn/module.js';
import { TimeWindows } from '../nn/time_windows.js';
import { type Condition } from '../pinn/conditions.js';
import { Continuity } from '../pinn/conditions/continuity.js';
import { Problem } from '../pinn/problem.js';
import { type Tensor } from '../tensor.js';
import { type AutoOptions, type AutoPlan } from './auto.js';
import { Trainer } from './trainer.js';

export interface MarchOptions extends Omit<AutoOptions, 'domain' | 'model'> {
  /** The space-time domain; time is its last input. */
  domain: GeometryXTime;
  /** How many equal windows to cut [t₀, T] into (≥ 1). */
  windows: number;
  /** Called with each window's Trainer before it trains (to listen to its events). */
  onWindow?: (trainer: Trainer, window: number) => void;
}

export interface MarchResult {
  /** The windows' networks side by side. */
  model: TimeWindows;
  /** Each window's time range, plan and fit. */
  windows: Array<{ t0: number; t1: number; plan: AutoPlan; result: FitResult }>;
}

/** Column `column` of the points, read once. */
const columnOf = (points: Tensor, column: number): Float64Array => tidy(() => points.narrow(1, column, 1).reshape(-1).to('float64').data() as Float64Array);
const rowsWhere = (t: Float64Array, keep: (t: number) => boolean): number[] => Array.from(t).flatMap((v, i) => (keep(v) ? [i] : []));

/**
 * Trains `problem` window by window over `domain`'s time (see the file's header). The problem's
 * conditions are used in place: its PDE terms end with the last window's points (as redraws
 * leave them), and the problem stays the caller's to dispose.
 */
export async function marchInTime(problem: Problem, o: MarchOptions): Promise<MarchResult> {
  if (!(problem instanceof Problem)) throw new TypeError('marchInTime: the first argument must be a pinn.Problem');
  if (!o || !(o.domain instanceof GeometryXTime)) throw new TypeError('marchInTime: options.domain must be a GeometryXTime (space × time)');
  if (!(Number.isSafeInteger(o.windows) && o.windows >= 1)) throw new RangeError(`marchInTime: windows must be an integer ≥ 1, got ${String(o.windows)}`);
  if (!(typeof o.timeBudget === 'number' && o.timeBudget > 0 && Number.isFinite(o.timeBudget))) throw new RangeError(`marchInTime: timeBudget must be a number of seconds > 0, got ${String(o.timeBudget)}`);
  if (problem.trainableCoefficients.length) throw new Error(`marchInTime: the problem trains coefficients (${problem.trainableCoefficients.join(', ')}), which one window cannot identify for all; train it whole`);
  if (problem.outputTransform) throw new Error('marchInTime: the problem has an output transform, which holds for the whole interval, not for a window; train it whole');
  const { domain, windows: K, onWindow, seed = 0, ...rest } = o;
  if (domain.dim !== problem.inputs.length) throw new Error(`marchInTime: domain has dimension ${domain.dim}, the problem ${problem.inputs.length} inputs`);
  const time = problem.inputs.length - 1, { t0: T0, t1: T1 } = domain.time;
  const bounds = Array.from({ length: K + 1 }, (_, k) => (k === K ? T1 : T0 + ((T1 - T0) * k) / K));
  const eps = 1e-12 * Math.max(1, Math.abs(T0), Math.abs(T1));
  const pdes = new Set(problem.residualTerms());
  // The times of every other term's points (they stay; the PDE terms' are drawn per window).
  const times = new Map(problem.conditions.filter((c) => !pdes.has(c.name)).map((c) => [c.name, columnOf(c.points, time)]));
  const initial = new Set([...times].filter(([, t]) => t.every((v) => Math.abs(v - T0) <= eps)).map(([name]) => name));
  const constants = Object.fromEntries(Object.entries(problem.coefficients).map(([k, v]) => [k, v.item() as number]));
  const counts = new Map(problem.conditions.filter((c) => pdes.has(c.name)).map((c) => [c.name, Math.max(1, Math.ceil(c.points.shape[0] / K))]));

  const nets: Module[] = [];
  const done: MarchResult['windows'] = [];
  let previous: Module | null = null;
  try {
    for (let k = 0; k < K; k++) {
      const [a, b] = [bounds[k], bounds[k + 1]];
      const window = new GeometryXTime(domain.geometry, new TimeDomain(a, b));
      const made: Continuity[] = [];
      const conditions: Condition[] = [];
      for (const c of problem.conditions) {
        c.setBatch(null);
        if (pdes.has(c.name)) {
          tidy(() => c.setPoints(toTensor(window.interior(counts.get(c.name)!, { seed: seed + 7919 * k }), window.dim, { dtype: c.points.dtype })));
          conditions.push(c);
        } else if (initial.has(c.name)) {
          if (k === 0) { conditions.push(c); continue; }
          made.push(continuityFor(problem, c, previous!, time, a));
          conditions.push(made[made.length - 1]);
        } else {
          const rows = rowsWhere(times.get(c.name)!, (t) => t >= a - eps && t <= b + eps);
          if (!rows.length) continue; // no rows in this window
          if (rows.length < c.points.shape[0]) tidy(() => c.setBatch(tensor(rows, { dtype: 'int64', device: c.points.device })));
          conditions.push(c);
        }
      }
      const windowProblem = new Problem({ inputs: problem.inputs, outputs: problem.outputs, conditions, constants, derivatives: problem.derivativeMode });
      let trainer: Trainer | null = null;
      try {
        trainer = Trainer.auto(windowProblem, { ...rest, timeBudget: o.timeBudget / K, domain: window, seed });
        nets.push(trainer.model);
        if (previous) copyWeights(previous, trainer.model);
        onWindow?.(trainer, k);
        const result = await trainer.fit();
        done.push({ t0: a, t1: b, plan: trainer.plan!, result });
        previous = trainer.model;
      } finally {
        // What this window made is freed; the shared conditions and the network stay.
        trainer?.dispose();
        for (const m of made) m.dispose();
        for (const t of Object.values(windowProblem.coefficients)) t.dispose();
      }
    }
  } catch (e) {
    for (const m of nets) m.dispose();
    throw e;
  } finally {
    for (const c of problem.conditions) if (!pdes.has(c.name)) c.setBatch(null);
  }
  return { model: new TimeWindows(nets, bounds, time), windows: done };
}

/** Continuity of condition c's operator with `prev` at c's points moved to time t. */
function continuityFor(problem: Problem, c: Condition, prev: Module, time: number, t: number): Continuity {
  const dtype = prev.parameters()[0]?.dtype ?? c.points.dtype;
  return tidy(() => {
    // time is the last column: the space columns, then t
    const points = cat([c.points.narrow(1, 0, time), c.points.narrow(1, time, 1).mul(0).add(t)], 1);
    const targets = problem.residualsAt(prev, c, points.to(dtype)).map((r) => r.detach().to(c.points.dtype));
    return new Continuity(c.name, c, points, targets);
  });
}

/** Copies `from`'s parameter values into `to` (same architecture; dtypes may differ). */
function copyWeights(from: Module, to: Module): void {
  const src = from.parameters(), dst = to.parameters();
  if (src.length !== dst.length) throw new Error('marchInTime: the windows\' networks differ');
  noGrad(() => dst.forEach((p, i) => { p.copy_(src[i]); }));
}

// The default recipe: a complete training plan from the problem and a time budget, so that a
// PDE the library has never seen trains without tuning. One recipe for every problem; what it
// reads from the problem is its size (inputs, outputs, terms, points) and what one step costs
// here, never which equation it is. The plan is declarative (the CLI writes it into the run's
// config); Trainer.auto turns it into objects. docs/auto.md says what it chooses and why.
import { performance } from 'node:perf_hooks';
import { type Geometry, toTensor } from '../geometry/geometry.js';
import { type Random } from '../geometry/random.js';
import { tidy } from '../memory.js';
import { Embedded, PeriodicEmbedding } from '../nn/embeddings.js';
import { type ActivationName } from '../nn/activation.js';
import { type InitName, MLP } from '../nn/mlp.js';
import { type Module } from '../nn/module.js';
import { type Problem } from '../pinn/problem.js';
import { RAD, type SamplingStrategy } from '../pinn/sampling.js';
import { NTKWeighting, StaticWeighting } from '../pinn/weighting/index.js';
import { type ExactPeriodicity, exactPeriodicity } from './exact_periodicity.js';
import { type PhaseSpec, type TrainerOptions } from './options.js';

export interface AutoOptions extends Omit<Partial<TrainerOptions>, 'problem' | 'phases'> {
  /** Wall-clock seconds for the whole fit (required: the plan is cut to it). */
  timeBudget: number;
  /** The domain the PDE points come from: enables redrawing them (RAD) and held-out validation. */
  domain?: Geometry;
  /** Seeds the network and every draw (default 0). */
  seed?: number;
  /**
   * Size the phases by steps instead of by the measured step time (50 iterations per
   * quasi-Newton step): the same run on any machine, for tests and reproducible comparisons.
   * The time budget still stops the fit.
   */
  steps?: { adam: number; quasiNewton: number };
}

/** What the recipe chose, declaratively, with the reason for each choice. */
export interface AutoPlan {
  /**
   * The network's hidden widths (tanh, Xavier-normal) and the trained parameter count; with
   * `periods`, the network sees its inputs through nn.PeriodicEmbedding(periods) (one entry per
   * input: a period, or null for an input that passes through).
   */
  model: { hidden: number[]; activation: 'tanh'; init: 'xavierNormal'; parameters: number; periods?: (number | null)[] };
  phases: PhaseSpec[];
  /**
   * `fixed` / `weights`: terms held at these weights (0: out of the objective, they hold by
   * construction). The schedules below count steps of a named phase (`phase`), so they hold
   * however many steps the Adam phase ran before its time share ended it.
   */
  weighting: { type: 'ntk'; every: number; phase: string; reduction: 'sum'; fixed?: Record<string, number> } | { type: 'static'; weights: Record<string, number> } | null;
  /**
   * Redraws of the PDE points (only when they can be redrawn), in steps of the quasi-Newton
   * phase; `points`: how many each keeps, when more than the problem has.
   */
  sampling: Array<{ type: 'rad'; condition: string; every: number; from: number; until: number; phase: string; candidates: number; points?: number }>;
  /** Held-out validation: the term, how many held-out points, and from which phase on. */
  validation: { condition: string; points: number; every: number; restoreBest: true; total: true; phase: string } | null;
  /** Seconds one loss-and-gradient evaluation took when planned (float32). */
  evaluationSeconds: number;
  reasons: string[];
}

/**
 * Share of the budget for Adam; the rest goes to the quasi-Newton phase. A quarter rather than
 * half: with the same seconds, the longer quasi-Newton phase ended lower on 7 of the suite's 12
 * problems (Burgers on 4 of 5 seeds), worse by 1.1-1.5x on four, and advection failed either
 * way (accuracy/results/2026-12-07-adam-share.md).
 */
const ADAM_SHARE = 0.25;
/** Dense BFGS up to this many parameters (its inverse-Hessian estimate is n² doubles); L-BFGS beyond. */
const BFGS_MAX_PARAMETERS = 6000;
/** RAD redraws in the quasi-Newton phase. */
const DRAWS = 3;
const HELD_OUT_POINTS = 5000;
/** The quasi-Newton phase is planned this many times longer than estimated; the budget ends it. */
const QN_SLACK = 4;
/**
 * Quasi-Newton iterations (as the plan estimates their cost) the recipe's phase is given time
 * for before the budget buys more PDE points instead: past about this many the points, not the
 * iterations, limit the error. Burgers at 600 s, seed 0, ended at 8.2e-5 on the problem's points
 * (time for ~15 000 estimated iterations), 3.4e-5 on 2× (~12 000), 2.1e-5 on 4× (~8 000) and
 * 4.5e-5 on 8× (~5 000); at 120 s, 9.3e-5 on its points (~3 000) and 1.7e-3 on 4× (~1 600):
 * accuracy/results/2026-12-07-points-600.md.
 */
const QN_ITERATIONS = 8_000;
/** The redraws keep at most this many times the problem's PDE points. */
const MAX_POINTS_FACTOR = 4;

/** Hidden widths of the recipe's network: 3 tanh layers, a little wider for more inputs and outputs. */
export function autoHidden(inputs: number, outputs: number): number[] {
  const width = inputs + outputs <= 3 ? 32 : 48;
  return [width, width, width];
}

/** The periods of the recipe's embedding (one per input), or undefined for a plain MLP. */
export function autoPeriods(inputs: number, p: ExactPeriodicity): (number | null)[] | undefined {
  return p.input === null ? undefined : Array.from({ length: inputs }, (_, k) => (k === p.input ? p.period : null));
}

/**
 * The recipe's network: an MLP with these hidden widths (tanh, Xavier-normal unless a config
 * says otherwise), behind a periodic embedding when `periods` is given.
 */
export function autoModel(inputs: number, outputs: number, o: {
  hidden: number[]; periods?: (number | null)[]; seed?: number; dtype?: 'float32' | 'float64'; activation?: ActivationName; init?: InitName;
}): Module {
  const opts = { activation: o.activation ?? 'tanh', init: o.init ?? 'xavierNormal', seed: o.seed, dtype: o.dtype ?? 'float32' };
  if (!o.periods) return new MLP([inputs, ...o.hidden, outputs], opts);
  const embedding = new PeriodicEmbedding(o.periods);
  return new Embedded(embedding, new MLP([embedding.outFeatures, ...o.hidden, outputs], opts));
}

/** Seconds per loss-and-gradient evaluation of `model` on the problem (the best of three). */
function timeEvaluation(problem: Problem, model: Module): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    tidy(() => { problem.total(problem.losses(model)).backward(); });
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  model.zeroGrad();
  for (const p of problem.parameters()) p.grad = null;
  return best;
}

function check(problem: Problem, o: { timeBudget: number; seed?: number; steps?: AutoOptions['steps'] }): void {
  if (!o || typeof o !== 'object') throw new TypeError('Trainer.auto: options must be an object with a timeBudget');
  if (!(typeof o.timeBudget === 'number' && Number.isFinite(o.timeBudget) && o.timeBudget > 0)) {
    throw new RangeError(`Trainer.auto: timeBudget must be a number of seconds > 0, got ${String(o.timeBudget)}`);
  }
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) throw new TypeError(`Trainer.auto: seed must be an integer, got ${String(o.seed)}`);
  if (o.steps !== undefined && !(o.steps && [o.steps.adam, o.steps.quasiNewton].every((n) => Number.isInteger(n) && n >= 1))) {
    throw new RangeError(`Trainer.auto: steps must be { adam, quasiNewton }, positive integers, got ${JSON.stringify(o.steps)}`);
  }
  if (!problem || !Array.isArray(problem.conditions)) throw new TypeError('Trainer.auto: the first argument must be a pinn.Problem');
}

/**
 * The plan for training `model` on `problem` within `timeBudget` seconds. Casts both to float32
 * (the Adam phase's precision; the quasi-Newton phase casts them to float64) and times one
 * evaluation to size the phases. `canRedraw`: whether the PDE points can be redrawn and
 * held-out points drawn (a domain is known).
 */
export function planAuto(problem: Problem, model: Module, o: {
  timeBudget: number; steps?: AutoOptions['steps']; canRedraw: boolean; hidden?: number[];
  /** The recipe's periodic embedding (exactPeriodicity), when `model` is the recipe's network built with it. */
  periodic?: ExactPeriodicity;
}): AutoPlan {
  check(problem, o);
  const reasons: string[] = [];
  const periodic = o.periodic ?? { input: null, reason: null };
  if (periodic.input !== null && !(model instanceof Embedded && o.hidden)) {
    throw new Error('planAuto: a periodic plan needs the recipe\'s network built with its embedding (autoModel with autoPeriods)');
  }
  const parameters = [...model.parameters(), ...problem.parameters()].reduce((n, p) => n + p.numel, 0);
  reasons.push(o.hidden
    ? `network ${[problem.inputs.length, ...o.hidden, problem.outputs.length].join('→')} tanh (${parameters} parameters): small enough for a dense quasi-Newton phase, which reaches far lower losses than Adam alone`
    : `the given model (${parameters} parameters with the problem's coefficients)`);
  model.to('float32'); // Module.to frees its own intermediates
  problem.to('float32');
  const evaluation = timeEvaluation(problem, model);
  if (periodic.reason) reasons.push(periodic.reason);
  const exact = periodic.input === null ? [] : periodic.terms;
  const held = Object.fromEntries(exact.map((k) => [k, 0]));

  const budget = o.timeBudget;
  const adamSeconds = ADAM_SHARE * budget;
  const adamSteps = o.steps?.adam ?? Math.max(1, Math.floor(adamSeconds / (evaluation * 1.15))); // + the optimizer's own work
  const lbfgs = parameters > BFGS_MAX_PARAMETERS;
  // A quasi-Newton iteration costs ~1.25 evaluations in float64 (≈ 1.6× float32) plus its own
  // n² work; 50 iterations make one step.
  const evaluationPart = 1.25 * 1.6 * evaluation, matrixPart = lbfgs ? 0 : (4 * parameters * parameters) / 1e9;
  // With time for more than QN_ITERATIONS iterations, the redraws keep more PDE points (an
  // evaluation's cost grows about with them; the first redraw makes the set larger).
  const residualTerms = problem.residualTerms();
  const redraw = o.canRedraw && residualTerms.length > 0;
  const qnSeconds = budget - adamSeconds;
  const pointsFactor = redraw && !o.steps
    ? Math.max(1, Math.min(MAX_POINTS_FACTOR, Math.floor((qnSeconds / QN_ITERATIONS - matrixPart) / evaluationPart)))
    : 1;
  const ownIterationSeconds = evaluationPart + matrixPart; // on the problem's own points
  const iterationSeconds = pointsFactor * evaluationPart + matrixPart;
  // The estimate sets when the redraws come; the phase itself gets QN_SLACK times as many steps,
  // so the fit's time budget, not the estimate, ends it (the estimate ran out 20-30 s early in
  // the first accuracy run, with time left).
  const qnEstimate = Math.max(DRAWS + 1, Math.ceil(qnSeconds / (50 * iterationSeconds)));
  const qnSteps = o.steps?.quasiNewton ?? QN_SLACK * qnEstimate;
  const qn = lbfgs ? 'lbfgs' : 'bfgs';
  const phases: PhaseSpec[] = [
    {
      name: 'adam', steps: adamSteps, dtype: 'float32', ...(o.steps ? {} : { timeBudget: adamSeconds }),
      optimizer: { type: 'adam', lr: 1e-3 },
      scheduler: { type: 'ExponentialLR', gamma: 0.1 ** (1 / adamSteps) },
    },
    {
      name: qn, steps: qnSteps, dtype: 'float64',
      optimizer: {
        type: lbfgs ? 'lbfgs' : 'bfgs', lr: 1, maxIter: 50, maxEval: 100, lineSearchFn: 'strong_wolfe', toleranceGrad: 0, toleranceChange: 0,
        ...(lbfgs ? { historySize: 100 } : {}),
      },
    },
  ];
  reasons.push(`Adam (lr 1e-3 decaying to 1e-4) in float32 for ${Math.round(ADAM_SHARE * 100)} % of the budget (~${adamSteps} steps at ${(evaluation * 1e3).toFixed(1)} ms), then ${lbfgs ? 'L-BFGS' : 'self-scaled BFGS'} in float64 for the rest: in float32 a line search cannot resolve the decrease of a small loss`);

  const balanced = residualTerms.length > 0 && residualTerms.length + exact.length < problem.conditions.length;
  const weighting: AutoPlan['weighting'] = balanced
    ? { type: 'ntk', every: 100, phase: 'adam', reduction: 'sum', ...(exact.length ? { fixed: held } : {}) }
    : exact.length ? { type: 'static', weights: held } : null;
  if (balanced) reasons.push('NTK weighting balances every term by the trace of its block of the neural tangent kernel during Adam (every 100 steps, estimated on 64 points per term, bounded, smoothed): unlike gradient-of-the-loss schemes it does not grow a weight without bound when u ≡ 0 meets a term; the weights then stay, so the quasi-Newton phase sees one objective');

  const every = Math.max(1, Math.floor((o.steps?.quasiNewton ?? qnEstimate) / (DRAWS + 1)));
  const sampling = redraw
    ? residualTerms.map((condition) => {
      const n = pointsFactor * problem.conditions.find((c) => c.name === condition)!.points.shape[0];
      return {
        type: 'rad' as const, condition, every, from: every, until: DRAWS * every, phase: qn, candidates: Math.max(n, Math.min(100_000, 20 * n)),
        ...(pointsFactor > 1 ? { points: n } : {}),
      };
    })
    : [];
  const validation = redraw ? { condition: residualTerms[0], points: HELD_OUT_POINTS, every: 2, restoreBest: true as const, total: true as const, phase: qn } : null;
  if (redraw) {
    reasons.push(`${DRAWS} RAD redraws of the PDE points (p ∝ |r|) during the quasi-Newton phase, which keeps its curvature estimate across them: fixed points let a tiny loss hide a wrong solution between them`);
    if (pointsFactor > 1) reasons.push(`the redraws keep ${pointsFactor}× the problem's PDE points: on its own points the quasi-Newton phase would have time for ~${Math.round(qnSeconds / ownIterationSeconds / 1000)} 000 iterations, more than the ~${QN_ITERATIONS / 1000} 000 after which the points, not the iterations, limit the error (estimated at ${(ownIterationSeconds * 1e3).toFixed(0)} ms an iteration)`);
    reasons.push(`the fit ends on the parameters with the lowest held-out total loss: the residual of '${residualTerms[0]}' on ${HELD_OUT_POINTS} held-out points plus the other terms' losses (measured every 2 quasi-Newton steps)`);
  } else reasons.push('no domain to draw from: the points stay as they are and no held-out residual is measured');

  const periods = o.hidden ? autoPeriods(problem.inputs.length, periodic) : undefined;
  return { model: { hidden: o.hidden ?? [], activation: 'tanh', init: 'xavierNormal', parameters, ...(periods ? { periods } : {}) }, phases, weighting, sampling, validation, evaluationSeconds: evaluation, reasons };
}

/** Trainer options for the plan: the network (unless given), the weighting, the redraws from `domain`, the held-out points. */
export function autoOptions(problem: Problem, o: AutoOptions): { options: TrainerOptions; plan: AutoPlan } {
  check(problem, o);
  if (o.domain !== undefined && o.domain.dim !== problem.inputs.length) {
    throw new Error(`Trainer.auto: domain has dimension ${o.domain.dim}, the problem ${problem.inputs.length} inputs (${problem.inputs.join(', ')})`);
  }
  const seed = o.seed ?? 0;
  const hidden = o.model ? undefined : autoHidden(problem.inputs.length, problem.outputs.length);
  // A given model is trained as it is: no embedding in front of it, every term in the objective.
  const periodic = o.model ? undefined : exactPeriodicity(problem);
  const model = o.model ?? autoModel(problem.inputs.length, problem.outputs.length, { hidden: hidden!, periods: autoPeriods(problem.inputs.length, periodic!), seed });
  if (o.device !== undefined) { model.to(o.device); problem.to({ device: o.device }); } // timed where it will train
  const plan = planAuto(problem, model, { timeBudget: o.timeBudget, steps: o.steps, canRedraw: o.domain !== undefined, hidden, periodic });

  const sampling: SamplingStrategy[] = [];
  let validation: TrainerOptions['validation'];
  if (o.domain) {
    const domain = o.domain, dim = domain.dim;
    const draw = (n: number, rng: Random) => toTensor(domain.interior(n, { rng }), dim, { dtype: 'float64' });
    plan.sampling.forEach(({ type: _, ...s }, i) => sampling.push(new RAD({ ...s, source: draw, seed: seed + 1 + i })));
    if (plan.validation) validation = { ...plan.validation, points: toTensor(domain.interior(plan.validation.points, { seed: seed + 1000 }), dim, { dtype: 'float64' }) };
  }
  const { domain: _d, seed: _s, timeBudget: _t, model: _m, steps: _n, ...rest } = o;
  const options: TrainerOptions = {
    ...rest, problem, model, phases: plan.phases, timeBudget: o.timeBudget,
    ...(plan.weighting ? { weighting: weightingOf(plan.weighting, seed) } : {}),
    ...(sampling.length ? { sampling } : {}), ...(validation ? { validation } : {}),
  };
  return { options, plan };
}

function weightingOf(w: NonNullable<AutoPlan['weighting']>, seed: number) {
  return w.type === 'static' ? new StaticWeighting(w.weights) : new NTKWeighting({ every: w.every, phase: w.phase, reduction: w.reduction, seed, ...(w.fixed ? { fixed: w.fixed } : {}) });
}

// The default recipe: a complete training plan from the problem and a time budget, so that a
// PDE the library has never seen trains without tuning. One recipe for every problem; what it
// reads from the problem is its size (inputs, outputs, terms, points) and what one step costs
// here, never which equation it is. docs/auto.md says what it chooses and why.
import { performance } from 'node:perf_hooks';
import { type Geometry, toTensor } from '../geometry/geometry.js';
import { tidy } from '../memory.js';
import { MLP } from '../nn/mlp.js';
import { type Module } from '../nn/module.js';
import { type Problem } from '../pinn/problem.js';
import { RAD } from '../pinn/sampling.js';
import { type SamplingStrategy } from '../pinn/sampling.js';
import { LRAWeighting } from '../pinn/weighting/index.js';
import { type Tensor } from '../tensor.js';
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

/** What the recipe chose, with the reason for each choice (printed by the CLI, kept in docs). */
export interface AutoPlan {
  /** The network built (sizes empty when the caller gave a model), and the trained parameter count. */
  model: { sizes: number[]; activation: 'tanh'; init: 'xavierNormal'; parameters: number };
  phases: PhaseSpec[];
  weighting: string;
  sampling: string[];
  validation: string | null;
  /** Seconds one loss-and-gradient evaluation took when planned (float32). */
  evaluationSeconds: number;
  reasons: string[];
}

/** Share of the budget for Adam; the rest goes to the quasi-Newton phase. */
const ADAM_SHARE = 0.5;
/** Dense BFGS up to this many parameters (its inverse-Hessian estimate is n² doubles); L-BFGS beyond. */
const BFGS_MAX_PARAMETERS = 6000;
/** RAD redraws in the quasi-Newton phase, and the candidates per point. */
const DRAWS = 3;

/** The network: 3 hidden tanh layers, a little wider for more inputs and outputs. */
function networkSizes(problem: Problem): number[] {
  const width = problem.inputs.length + problem.outputs.length <= 3 ? 32 : 48;
  return [problem.inputs.length, width, width, width, problem.outputs.length];
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

/**
 * Plans a fit of `problem` within `o.timeBudget` seconds and returns the Trainer options and
 * the plan. Casts the problem to float32 (the Adam phase's precision; the quasi-Newton phase
 * casts it to float64) and times one evaluation to size the phases.
 */
export function autoOptions(problem: Problem, o: AutoOptions): { options: TrainerOptions; plan: AutoPlan } {
  if (!o || typeof o !== 'object') throw new TypeError('Trainer.auto: options must be an object with a timeBudget');
  if (!(typeof o.timeBudget === 'number' && Number.isFinite(o.timeBudget) && o.timeBudget > 0)) {
    throw new RangeError(`Trainer.auto: timeBudget must be a number of seconds > 0, got ${String(o.timeBudget)}`);
  }
  const seed = o.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new TypeError(`Trainer.auto: seed must be an integer, got ${String(o.seed)}`);
  if (o.domain !== undefined && o.domain.dim !== problem.inputs.length) {
    throw new Error(`Trainer.auto: domain has dimension ${o.domain.dim}, the problem ${problem.inputs.length} inputs (${problem.inputs.join(', ')})`);
  }
  const reasons: string[] = [];
  const sizes = o.model ? [] : networkSizes(problem);
  const model = o.model ?? new MLP(sizes, { activation: 'tanh', init: 'xavierNormal', seed, dtype: 'float32' });
  const parameters = [...model.parameters(), ...problem.parameters()].reduce((n, p) => n + p.numel, 0);
  reasons.push(o.model
    ? `the given model (${parameters} parameters with the problem's coefficients)`
    : `network ${sizes.join('→')} tanh (${parameters} parameters): small enough for a dense quasi-Newton phase, which reaches far lower losses than Adam alone`);
  tidy(() => { model.to('float32'); });
  problem.to('float32');
  const evaluation = timeEvaluation(problem, model);

  const budget = o.timeBudget;
  const adamSeconds = ADAM_SHARE * budget;
  if (o.steps !== undefined && !(o.steps && [o.steps.adam, o.steps.quasiNewton].every((n) => Number.isInteger(n) && n >= 1))) {
    throw new RangeError(`Trainer.auto: steps must be { adam, quasiNewton }, positive integers, got ${JSON.stringify(o.steps)}`);
  }
  const adamSteps = o.steps?.adam ?? Math.max(1, Math.floor(adamSeconds / (evaluation * 1.15))); // + the optimizer's own work
  const lbfgs = parameters > BFGS_MAX_PARAMETERS;
  // A quasi-Newton iteration costs ~1.25 evaluations in float64 (≈ 1.6× float32) plus its own
  // n² work; 50 iterations make one step.
  const iterationSeconds = 1.25 * 1.6 * evaluation + (lbfgs ? 0 : (4 * parameters * parameters) / 1e9);
  const qnSteps = o.steps?.quasiNewton ?? Math.max(DRAWS + 1, Math.ceil((budget - adamSeconds) / (50 * iterationSeconds)));
  const decaySteps = adamSteps;
  const phases: PhaseSpec[] = [
    {
      name: 'adam', steps: adamSteps, dtype: 'float32', ...(o.steps ? {} : { timeBudget: adamSeconds }),
      optimizer: { type: 'adam', lr: 1e-3 },
      scheduler: { type: 'ExponentialLR', gamma: 0.1 ** (1 / decaySteps) },
    },
    {
      name: lbfgs ? 'lbfgs' : 'bfgs', steps: qnSteps, dtype: 'float64',
      optimizer: { type: lbfgs ? 'lbfgs' : 'bfgs', lr: 1, maxIter: 50, maxEval: 100, lineSearchFn: 'strong_wolfe', toleranceGrad: 0, toleranceChange: 0, ...(lbfgs ? { historySize: 100 } : {}) },
    },
  ];
  reasons.push(`Adam (lr 1e-3 decaying to 1e-4) in float32 for ${Math.round(ADAM_SHARE * 100)} % of the budget (~${adamSteps} steps at ${(evaluation * 1e3).toFixed(1)} ms), then ${lbfgs ? 'L-BFGS' : 'self-scaled BFGS'} in float64 for the rest: in float32 a line search cannot resolve the decrease of a small loss`);

  const residualTerms = problem.residualTerms();
  const weighting = residualTerms.length > 0 && residualTerms.length < problem.conditions.length
    ? new LRAWeighting({ every: 100, until: adamSteps })
    : undefined;
  if (weighting) reasons.push('learning-rate annealing (LRA) balances the boundary, initial and data terms against the PDE during Adam (every 100 steps, bounded, smoothed); the weights then stay, so the quasi-Newton phase sees one objective');

  const sampling: SamplingStrategy[] = [];
  let validation: TrainerOptions['validation'];
  if (o.domain && residualTerms.length > 0) {
    const domain = o.domain, dim = domain.dim;
    const source = (n: number, rng: import('../geometry/random.js').Random): Tensor => toTensor(domain.interior(n, { rng }), dim, { dtype: 'float64' });
    const every = Math.max(1, Math.floor(qnSteps / (DRAWS + 1)));
    residualTerms.forEach((condition, i) => {
      const n = problem.conditions.find((c) => c.name === condition)!.points.shape[0];
      sampling.push(new RAD({ condition, every, from: adamSteps + every, until: adamSteps + DRAWS * every, candidates: Math.min(100_000, 20 * n), source, seed: seed + 1 + i }));
    });
    reasons.push(`${DRAWS} RAD redraws of the PDE points (p ∝ |r|) during the quasi-Newton phase, which keeps its curvature estimate across them: fixed points let a tiny loss hide a wrong solution between them`);
    const held = toTensor(domain.interior(5000, { seed: seed + 1000 }), dim, { dtype: 'float64' });
    validation = { condition: residualTerms[0], points: held, every: 2, restoreBest: true, from: adamSteps };
    reasons.push(`the fit ends on the parameters with the lowest residual of '${residualTerms[0]}' on 5000 held-out points (measured every 2 quasi-Newton steps)`);
  } else reasons.push('no domain given: the points stay as they are and no held-out residual is measured');

  const { domain: _d, seed: _s, timeBudget: _t, model: _m, steps: _n, ...rest } = o;
  const options: TrainerOptions = {
    ...rest, problem, model, phases, timeBudget: budget,
    ...(weighting ? { weighting } : {}), ...(sampling.length ? { sampling } : {}), ...(validation ? { validation } : {}),
  };
  const plan: AutoPlan = {
    model: { sizes, activation: 'tanh', init: 'xavierNormal', parameters },
    phases, weighting: weighting ? 'lra' : 'static', sampling: sampling.map((s) => s.name), validation: validation ? validation.condition : null,
    evaluationSeconds: evaluation, reasons,
  };
  return { options, plan };
}

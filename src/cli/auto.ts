// A config without phases trains with the default recipe: the recipe plans from the built
// problem, and the plan is written into the config (model, phases, weighting, redraws,
// validation), so the run directory shows what was chosen and `resume` rebuilds the same run.
import { Concat } from '../nn/concat.js';
import { Embedded } from '../nn/embeddings.js';
import { MLP } from '../nn/mlp.js';
import { autoPeriods, planAuto } from '../train/auto.js';
import { type ExactPeriodicity, exactPeriodicity } from '../train/exact_periodicity.js';
import { type RunConfig, validate } from './config.js';
import { buildRun, disposeRun } from './problems.js';

/** Seconds the recipe plans for when the config sets no timeBudget. */
export const DEFAULT_TIME_BUDGET = 600;

/** The config with the recipe's plan in place of what it leaves out, and the plan's reasons. */
export function planConfig(c: RunConfig, device?: string): { config: RunConfig; reasons: string[] } {
  const timeBudget = c.timeBudget ?? DEFAULT_TIME_BUDGET;
  let run = buildRun(c); // with the recipe's network when the config has no model
  let periodic: ExactPeriodicity | undefined, periods: (number | null)[] | undefined;
  try {
    if (!c.model && run.model instanceof MLP) periods = autoPeriods(run.problem.inputs.length, periodic = exactPeriodicity(run.problem));
  } catch (e) { disposeRun(run); throw e; }
  if (periods) {
    // The recipe's network behind the periodic embedding, built the way the written config rebuilds it.
    const hidden = (run.model as MLP).sizes.slice(1, -1);
    disposeRun(run);
    run = buildRun({ ...c, model: { hidden, activation: 'tanh', init: 'xavierNormal', dtype: 'float32', periods } });
  }
  try {
    if (device) { run.model.to(device); run.problem.to({ device }); } // timed where it will train
    // The widths the builder chose (the displacement network's, when there are two).
    const first = run.model instanceof Concat ? run.model.branches[0] : run.model instanceof Embedded ? run.model.net : run.model;
    const hidden = c.model || !(first instanceof MLP) ? undefined : first.sizes.slice(1, -1);
    const canRedraw = run.problem.residualTerms().every((t) => run.redrawable.includes(t));
    const plan = planAuto(run.problem, run.model, { timeBudget, canRedraw, hidden, periodic });
    const planned: RunConfig = {
      ...c,
      model: c.model ?? { hidden: hidden!, activation: plan.model.activation, init: plan.model.init, dtype: 'float32', ...(plan.model.periods ? { periods: plan.model.periods } : {}) },
      phases: plan.phases as RunConfig['phases'],
      timeBudget,
      ...(c.weighting || !plan.weighting ? {} : { weighting: plan.weighting }),
      ...(c.sampling || plan.sampling.length === 0 ? {} : { sampling: plan.sampling }),
      ...(c.validation || !plan.validation ? {} : { validation: plan.validation }),
    };
    return { config: validate(planned, 'the default recipe\'s plan'), reasons: plan.reasons };
  } finally {
    disposeRun(run);
  }
}

// The kinds that are library recipes (pinn.problems): the recipe's problem with the config's
// points, sampler, seed and dtype, the config's network (or the default recipe's widths), the
// recipe's evaluation grid, and a 2-D slice of the domain for the field plots.
import { noGrad } from '../../autograd.js';
import { tensor } from '../../creation.js';
import { tidy } from '../../memory.js';
import { type Module } from '../../nn/module.js';
import type * as pinn from '../../pinn/index.js';
import { type Tensor } from '../../tensor.js';
import { autoHidden, autoModel } from '../../train/auto.js';
import { type FieldData } from '../plots.js';
import { type BuildContext, type BuiltProblem } from './kind.js';

export type DType = 'float32' | 'float64';

/** The field plots' 2-D slice of the inputs. */
export interface SliceSpec {
  /** Input columns on the plot's horizontal and vertical axes. */
  axes: [string, string];
  ranges: [[number, number], [number, number]];
  /** Grid nodes per axis. */
  n: number;
  /** A full input row for the slice's point (a, b). */
  fill: (a: number, b: number) => number[];
  title: string;
}

/** The problem's dtype a config gives (its model's; float32 without one). */
export const dtypeOf = (ctx: BuildContext): DType => ctx.model?.dtype ?? 'float32';

/** The recipe's fields, as every recipe kind trains them. */
export function fromRecipe(problem: pinn.RecipeProblem, ctx: BuildContext, view: SliceSpec): BuiltProblem {
  const dtype = dtypeOf(ctx);
  const r = problem.recipe;
  const m = ctx.model ?? { activation: 'tanh', init: 'xavierNormal', dtype: 'float32' } as const;
  const model = ctx.model?.periods ? embeddedModel(problem, ctx) : r.createModel({
    // (for MRE the stiffness network's widths are the problem's stiffnessHidden)
    hidden: ctx.model?.hidden ?? autoHidden(problem.inputs.length, problem.outputs.length),
    activation: m.activation, init: m.init, dtype: m.dtype, seed: ctx.seed,
  });
  const evalPoints = r.evalPoints({ dtype });
  const points = slicePoints(dtype, view);
  return {
    problem, model, evalPoints,
    sources: (kind) => r.sources(kind),
    fields: (current) => sliceFields(problem, current, view, points),
    dispose: () => { evalPoints.dispose(); points.dispose(); },
  };
}

/** The config's network behind nn.PeriodicEmbedding(model.periods), as the default recipe plans it for exactly periodic problems. */
function embeddedModel(problem: pinn.Problem, ctx: BuildContext): Module {
  const m = ctx.model!;
  if (m.periods!.length !== problem.inputs.length) {
    throw new Error(`config.model.periods: one entry per input (${problem.inputs.join(', ')}), got ${m.periods!.length}`);
  }
  return autoModel(problem.inputs.length, problem.outputs.length, { ...m, seed: ctx.seed });
}

/** An n × n grid over the slice's axes (a, b), b outer, a fastest, other inputs as `fill` gives them. */
function slicePoints(dtype: DType, v: SliceSpec): Tensor {
  const rows: number[][] = [];
  const at = (r: [number, number], k: number) => r[0] + ((r[1] - r[0]) * k) / (v.n - 1);
  for (let j = 0; j < v.n; j++) for (let i = 0; i < v.n; i++) rows.push(v.fill(at(v.ranges[0], i), at(v.ranges[1], j)));
  return tensor(rows, { dtype });
}

/** Prediction and reference of every output on the slice. */
function sliceFields(problem: pinn.Problem, model: Module, v: SliceSpec, points: Tensor): FieldData {
  const { prediction, reference } = tidy(() => noGrad(() => {
    // the model may have switched dtype (and device) in a phase; the slice was made in the config's
    const p = model.parameters()[0];
    const x = points.to({ dtype: p.dtype, device: p.device });
    return {
      prediction: problem.predict(model, x).to({ dtype: 'float64', device: 'cpu' }).data() as Float64Array,
      reference: problem.reference!(x).to({ dtype: 'float64', device: 'cpu' }).data() as Float64Array,
    };
  }));
  const outputs = problem.outputs;
  const column = (a: Float64Array, k: number) => Float64Array.from({ length: a.length / outputs.length }, (_, i) => a[i * outputs.length + k]);
  const at = (r: [number, number], k: number) => r[0] + ((r[1] - r[0]) * k) / (v.n - 1);
  return {
    axes: v.axes, title: v.title,
    xs: Array.from({ length: v.n }, (_, i) => at(v.ranges[0], i)),
    ys: Array.from({ length: v.n }, (_, j) => at(v.ranges[1], j)),
    fields: outputs.map((name, k) => ({ name, prediction: column(prediction, k), reference: column(reference, k) })),
  };
}

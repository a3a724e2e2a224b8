// The elastography seed's MRE-PINN on a voxel data set (src/mre): the data from a file (.npz,
// .safetensors, a folder of NIfTI images) or the finite-difference phantom, the seed's task
// (mreProblem: its losses, PDE warm-up and mask sampler) under one of its two configurations
// (MRE_PRESETS) or the config's own options, and its networks (createMREPINN). The plots and the
// summary are the seed's model.test() (evaluateMRE): u and μ on the grid in physical units, beside
// the truth, and the algebraic Helmholtz inversion of the same data.
import { z } from 'zod';
import { type Module } from '../../nn/module.js';
import { type MREExample } from '../../mre/example.js';
import { loadMRE } from '../../mre/files.js';
import { evaluateMRE, type MREEvaluation } from '../../mre/evaluate.js';
import { createMREPINN } from '../../mre/model.js';
import { mrePhantom } from '../../mre/phantom.js';
import { MRE_PRESETS } from '../../mre/presets.js';
import { MRE_EQUATIONS, type MRETask, mreProblem } from '../../mre/problem.js';
import { UsageError } from '../errors.js';
import { type FieldData } from '../plots.js';
import { count, positive, problemKind } from './kind.js';

const AT = 'config.problem';
const PRESET_NAMES = Object.keys(MRE_PRESETS) as [keyof typeof MRE_PRESETS, ...(keyof typeof MRE_PRESETS)[]];
const atLeast0 = z.number().min(0);

/** mrePhantom's options (src/mre/phantom.ts), its defaults where the config leaves one out. */
const phantom = z.strictObject({
  n: z.number().int().min(5).optional(), frequency: positive.optional(),
  noise: atLeast0.optional(), seed: z.number().int().min(0).optional(),
  refine: count.optional(), margin: z.number().int().min(0).optional(),
});

export const mrePinn = problemKind({
  name: 'mre-pinn',
  doc: "the elastography seed's MRE-PINN on voxel data (a .npz, .safetensors or NIfTI folder, or the phantom): separate u and μ networks, its four losses, PDE warm-up (outputs u re/im per frequency and component, anat…, mu)",
  schema: z.strictObject({
    type: z.literal('mre-pinn'),
    /** A data file (relative: to the config file's folder), or { phantom: {…} } for the finite-difference phantom. */
    data: z.union([z.string().min(1), z.strictObject({ phantom })], {
      error: "expected a data path (.npz, .safetensors, or a folder of NIfTI images) or { \"phantom\": { … } }",
    }),
    /** One of the seed's two training configurations: its loss weights, warm-up, points, networks and (without phases) its plan. */
    preset: z.enum(PRESET_NAMES).optional(),
    // Any of mreProblem's options (they override the preset's).
    equation: z.enum(MRE_EQUATIONS).optional(),
    lossWeights: z.tuple([atLeast0, atLeast0, atLeast0, atLeast0]).optional(),
    pdeWarmupIters: z.number().int().min(0).optional(), pdeInitWeight: positive.optional(),
    pdeStepIters: count.optional(), pdeStepFactor: positive.optional(),
    nPoints: count.optional(), period: count.optional(),
    testFraction: z.number().min(0).lt(1).optional(),
    muGuess: positive.optional(),
    // createMREPINN's (over the preset's).
    uHidden: z.array(count).min(1).optional(), muHidden: z.array(count).min(1).optional(),
    siren: z.boolean().optional(), omega0: positive.optional(),
    /** Gaussian smoothing (voxels) of the AHI baseline shown beside the network (default 0). */
    ahiSigma: atLeast0.optional(),
  }),
  paths: ['data'],
  ownModel: 'problem.uHidden, muHidden, siren and omega0 (config.model is for problems with one network)',
  plan: (p) => {
    if (!p.preset) throw new UsageError(`config.phases: missing: an 'mre-pinn' problem trains the plan of problem.preset (${PRESET_NAMES.join(', ')}) or the config's phases`);
    const s = MRE_PRESETS[p.preset];
    return [{ name: 'adam', steps: s.steps, optimizer: { type: 'adam', lr: s.lr } }];
  },
  build: (p, ctx) => {
    const example = load(p.data);
    const preset = p.preset ? MRE_PRESETS[p.preset] : undefined;
    const { type: _t, data: _d, preset: _p, uHidden, muHidden, siren, omega0, ahiSigma = 0, ...options } = p;
    let task: MRETask;
    try {
      task = mreProblem(example, { ...preset?.problem, ...defined(options), seed: ctx.seed });
    } catch (e) {
      throw new UsageError(`${AT}: ${(e as Error).message}`);
    }
    let model: Module;
    try {
      model = createMREPINN(example, { ...preset?.model, ...defined({ uHidden, muHidden, siren, omega0 }), seed: ctx.seed });
    } catch (e) {
      task.problem.dispose();
      throw e;
    }
    const evaluate = (m: Module) => evaluateMRE(example, task, m, { ahiSigma });
    return {
      problem: task.problem, model, weighting: task.weighting, sampling: [task.sampling],
      // Every term's points carry data: none can be redrawn from a domain.
      sources: () => ({}),
      fields: (m) => fields(example, task, evaluate(m)),
      summary: (m) => Object.fromEntries(Object.entries(evaluate(m).metrics).filter(([, v]) => v !== undefined)) as Record<string, number>,
      dispose: () => {},
    };
  },
});

function load(data: string | { phantom: z.infer<typeof phantom> }): MREExample {
  try {
    return typeof data === 'string' ? loadMRE(data) : mrePhantom(defined(data.phantom));
  } catch (e) {
    throw new UsageError(`${AT}.data: ${(e as Error).message}`);
  }
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Re u of the first frequency and component, μ, and (with the truth) AHI's μ, on the grid (a 3-D
 * grid: its middle z slice), in millimetres and kPa; voxels outside the mask are left blank.
 */
function fields(e: MREExample, task: MRETask, ev: MREEvaluation): FieldData {
  const [nx, ny] = e.shape, nz = e.shape[2] ?? 1, kz = Math.floor(nz / 2);
  const voxel = (k: number) => ((k % nx) * ny + Math.floor(k / nx)) * nz + kz; // image rows: y outer, x fastest
  const image = (value: (v: number) => number) => Float64Array.from({ length: nx * ny }, (_, k) => { const v = voxel(k); return e.mask[v] ? value(v) : NaN; });
  const axis = (n: number, k: number) => Array.from({ length: n }, (_, i) => 1000 * (e.origin[k] + i * e.spacing[k]));
  const kPa = (a: ArrayLike<number>) => (v: number) => a[v] / 1000;
  const u = task.outputs.wave[0][0][0].replace(/_re$/, '');
  const truth = e.mu;
  const rows: FieldData['fields'] = [
    { name: `Re ${u}`, prediction: image((v) => ev.uPred[2 * v]), reference: image((v) => e.wave[2 * v]) },
    truth
      ? { name: 'μ (kPa)', prediction: image(kPa(ev.muPred)), reference: image(kPa(truth)) }
      : { name: 'μ (kPa) against AHI (no true μ)', prediction: image(kPa(ev.muPred)), reference: image(kPa(ev.ahi.mu)) },
  ];
  if (truth) rows.push({ name: 'μ (kPa), AHI', prediction: image(kPa(ev.ahi.mu)), reference: image(kPa(truth)) });
  return {
    axes: ['x (mm)', 'y (mm)'], xs: axis(nx, 0), ys: axis(ny, 1),
    title: `${e.shape.join(' × ')} voxels, ${e.frequencies.join(', ')} Hz${e.rank === 3 ? `, z slice ${kz}` : ''}`,
    fields: rows,
  };
}

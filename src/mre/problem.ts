// The elastography seed's training task on a voxel data set, as a Problem: its four losses
//   wave   msae(u, û)        at the training voxels (every frequency and component),
//   elast  msae(μ, μ̂)        where the data has the true stiffness,
//   pde    msae(residual, 0)  Helmholtz μ∇²u + ρω²u or Navier–Cauchy ∇·[μ(∇u+∇uᵀ)] + ρω²u, per frequency,
//   anat   msae(a, â)         where the data has anatomical channels (predicted with u),
// weighted by the seed's loss_weights [wave, elast, pde, anat], the PDE's weight following its
// progressive schedule (0 for pde_warmup_iters steps, then ×pde_step_factor every pde_step_iters),
// all evaluated on the same n_points voxels, redrawn every `period` steps.
//
// Units: the problem lives in the scaled units of normalize.ts — inputs x̃ = (x − c)/L, outputs
// u/U, a/A and μ/M. Both PDEs are linear in u and in μ, so in these units they read the same
// with ρ̃ = ρL²/M; each residual is divided by ρ̃ω² to be of the size of u/U.
import { tensor } from '../creation.js';
import { cat } from '../functional.js';
import { tidy } from '../memory.js';
import { PDE, PointSetData } from '../pinn/conditions.js';
import { type ResidualFn } from '../pinn/conditions.js';
import * as pdes from '../pinn/pdes.js';
import { Problem } from '../pinn/problem.js';
import { MiniBatch } from '../pinn/sampling.js';
import { WarmupWeighting } from '../pinn/weighting/warmup.js';
import { type Tensor } from '../tensor.js';
import { type MREExample } from './example.js';
import { mreOutputNames } from './model.js';
import { CoordinateNormalization, valueScales } from './normalize.js';
import { splitVoxels, voxelAnat, voxelMu, voxelPoints, voxelWave } from './voxels.js';

/** The PDE forms the task can train with. */
export const MRE_EQUATIONS = ['helmholtz', 'navier-cauchy'] as const;
export type MREEquation = typeof MRE_EQUATIONS[number];

export interface MREProblemOptions {
  equation?: MREEquation;
  /** The seed's loss_weights [wave, elast, pde, anat] (default [1, 0, 1, 0]). */
  lossWeights?: [number, number, number, number];
  /**
   * The seed's progressive PDE weight: 0 for pdeWarmupIters steps, then
   * min(pdeInitWeight · pdeStepFactor^⌊(step − pdeWarmupIters)/pdeStepIters⌋, lossWeights[2]).
   * Defaults 0, lossWeights[2], 1, 1: the PDE at its weight from the start.
   */
  pdeWarmupIters?: number; pdeInitWeight?: number; pdeStepIters?: number; pdeStepFactor?: number;
  /** Voxels per step (default 1024) and steps between draws (default 1). */
  nPoints?: number; period?: number;
  /** Share of the mask held out for evaluation (default 0.2), and the seed of the split and draws. */
  testFraction?: number; seed?: number;
  /** A typical μ (Pa) when the data has no stiffness. */
  muGuess?: number;
}

export interface MRETask {
  /** The PDE form the task trains (its AHI baseline inverts the same). */
  equation: MREEquation;
  problem: Problem;
  sampling: MiniBatch;
  /** The PDE's progressive weight; undefined without a PDE term. */
  weighting?: WarmupWeighting;
  split: { train: Int32Array; test: Int32Array };
  normalization: CoordinateNormalization;
  scales: { wave: number; anat: number; mu: number };
  outputs: ReturnType<typeof mreOutputNames>;
}

export function mreProblem(e: MREExample, o: MREProblemOptions = {}): MRETask {
  const { equation = 'helmholtz', lossWeights = [1, 0, 1, 0], pdeWarmupIters = 0, pdeInitWeight, pdeStepIters = 1, pdeStepFactor = 1, nPoints = 1024, period = 1, testFraction = 0.2, seed = 0, muGuess } = o;
  if (!MRE_EQUATIONS.includes(equation)) throw new Error(`mreProblem: equation must be 'helmholtz' or 'navier-cauchy', got ${JSON.stringify(equation)}`);
  if (!Array.isArray(lossWeights) || lossWeights.length !== 4 || !lossWeights.every((w) => w >= 0)) throw new Error(`mreProblem: lossWeights must be 4 weights >= 0 [wave, elast, pde, anat], got ${JSON.stringify(lossWeights)}`);
  if (equation === 'navier-cauchy' && e.components !== e.rank) throw new Error(`mreProblem: the Navier–Cauchy form needs a vector wave (${e.rank} components on this ${e.rank}-D grid), the data has ${e.components}`);
  const [wWave, wElast, wPde, wAnat] = lossWeights;

  const split = splitVoxels(e, { testFraction, seed });
  const normalization = CoordinateNormalization.of(e);
  const scales = valueScales(e, muGuess);
  const outputs = mreOutputNames(e);
  const spatial = ['x', 'y', 'z'].slice(0, e.rank);
  const L = normalization.extent[0];
  const rho = e.density * L * L / scales.mu;
  const names: string[] = [];
  const conditions = tidy(() => {
    const x = normalization.normalize(voxelPoints(e, split.train));
    const terms = [];
    if (wWave > 0) {
      const values = cat(e.frequencies.map((_, f) => voxelWave(e, split.train, f)), 1).div(scales.wave);
      terms.push(new PointSetData('wave', x, values, { outputs: outputs.wave.flat(2), weight: wWave }));
    }
    if (wElast > 0 && e.mu) terms.push(new PointSetData('elast', x, voxelMu(e, split.train).div(scales.mu), { outputs: [outputs.mu], weight: wElast }));
    if (wAnat > 0 && e.anat) terms.push(new PointSetData('anat', x, voxelAnat(e, split.train).div(scales.anat), { outputs: outputs.anat, weight: wAnat }));
    if (wPde > 0) {
      e.omegas.forEach((omega, f) => {
        const residual = residualFor(equation, spatial, outputs.wave[f], outputs.mu);
        const scale = rho * omega * omega;
        const scaled: ResidualFn = (d, c) => (residual(d, { ...c, omega: tensor([omega], { dtype: c.rho.dtype as 'float32' | 'float64', device: c.rho.device }) }) as Tensor[]).map((r) => r.div(scale));
        terms.push(new PDE(e.frequencies.length === 1 ? 'pde' : `pde${f}`, x, scaled, { weight: wPde }));
      });
    }
    for (const t of terms) names.push(t.name);
    return terms;
  });
  if (conditions.length === 0) throw new Error('mreProblem: every loss weight is 0: nothing to train');
  // With the true stiffness, the reference is the data on every voxel of the mask (u as measured,
  // μ true), so Trainer.evaluate gives each output's relative L2 over the mask.
  const reference = e.mu ? tidy(() => {
    const all = e.maskedVoxels();
    const values = cat([
      ...e.frequencies.map((_, f) => voxelWave(e, all, f).div(scales.wave)),
      ...(e.anat ? [voxelAnat(e, all).div(scales.anat)] : []),
      voxelMu(e, all).div(scales.mu),
    ], 1);
    return { points: normalization.normalize(voxelPoints(e, all)), values };
  }) : undefined;
  let problem: Problem;
  try {
    problem = new Problem({ inputs: spatial, outputs: [...outputs.wave.flat(2), ...outputs.anat, outputs.mu], constants: { rho }, conditions, dtype: 'float64', reference });
  } finally {
    reference?.points.dispose(); // the problem holds copies
    reference?.values.dispose();
  }
  const pdeTerms = names.filter((n) => n.startsWith('pde'));
  const weighting = pdeTerms.length ? new WarmupWeighting({ terms: pdeTerms, warmup: pdeWarmupIters, init: pdeInitWeight ?? wPde, factor: pdeStepFactor, every: pdeStepIters, max: wPde }) : undefined;
  const sampling = new MiniBatch({ condition: names, batchSize: nPoints, every: period, seed });
  return { equation, problem, sampling, weighting, split, normalization, scales, outputs };
}

function residualFor(equation: MREEquation, spatial: string[], components: [string, string][], mu: string): ResidualFn {
  if (equation === 'navier-cauchy') return pdes.navierCauchy({ spatial, components, muOutput: mu });
  // The Helmholtz form holds for each component on its own.
  const each = components.map(([re, im]) => pdes.helmholtz({ spatial, re, im, muOutput: mu }));
  return (d, c) => each.flatMap((r) => r(d, c) as Tensor[]);
}

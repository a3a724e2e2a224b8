// What a CLI problem kind is: the `problem` object of a config (its zod schema, `type` its name),
// how it becomes a Problem with its network, and what the run's field plots show. The kinds are
// listed once, in problem_kinds/index.ts; the config schema, the builders and the plots read that
// list, so a new kind is one file and one line there.
import { z } from 'zod';
import { type ActivationName } from '../../nn/activation.js';
import { type InitName } from '../../nn/mlp.js';
import { type Module } from '../../nn/module.js';
import type * as pinn from '../../pinn/index.js';
import { type Tensor } from '../../tensor.js';
import { type FieldData } from '../plots.js';

export const positive = z.number().positive();
export const count = z.number().int().positive();
export const sampler = z.enum(['uniform', 'lhs', 'sobol', 'halton', 'grid']);

/** A phase as a config gives it (checked with the whole config afterwards). */
export interface PhaseConfig { name?: string; steps: number; optimizer: { type: string } & Record<string, unknown> }

/** What the whole config says beside its problem that a kind needs to build it. */
export interface BuildContext {
  seed: number;
  /** config.model (kinds with their own networks refuse it: see ProblemKind.ownModel). */
  model?: { hidden: number[]; activation: ActivationName; init: InitName; dtype: 'float32' | 'float64'; periods?: (number | null)[] };
}

/** A kind's problem, built: buildRun adds the config's weighting, sampling and validation. */
export interface BuiltProblem {
  problem: pinn.Problem;
  model: Module;
  /** Where the relative L2 is measured (none: the problem's own reference points, or no evaluation without a reference). */
  evalPoints?: Tensor;
  /** Where new points for each term that may be redrawn come from (terms whose rows carry data have none). */
  sources(kind: pinn.problems.PointKind): Record<string, pinn.PointSource>;
  /** What the problem trains with unless the config says otherwise (its weighting replaces this one; its sampling comes after these). */
  weighting?: pinn.LossWeighting;
  sampling?: pinn.SamplingStrategy[];
  /** The field plots for the model as it is now: per output, prediction beside reference. */
  fields(model: Module): FieldData;
  /** Figures beside the relative L2 that only this kind can compute (named, finite or NaN). */
  summary?(model: Module): Record<string, number>;
  /** Frees what the problem and the model do not hold. */
  dispose(): void;
}

export interface ProblemKind<S extends z.ZodObject = z.ZodObject> {
  /** The config's problem.type. */
  readonly name: string;
  /** One line for `presets` and the docs. */
  readonly doc: string;
  /** The problem object, `type: z.literal(name)` among its keys. */
  readonly schema: S;
  /** Option names whose values are file paths: a relative one is read from the config file's folder. */
  readonly paths?: readonly string[];
  /** For a kind that makes its own networks: where the config sets them (config.model is refused, naming this). */
  readonly ownModel?: string;
  /** The phases a config without phases trains with; without this the default recipe (Trainer.auto) plans them. */
  plan?(problem: z.infer<S>): PhaseConfig[];
  build(problem: z.infer<S>, ctx: BuildContext): BuiltProblem;
}

/** A kind with its schema's type kept (so RunConfig['problem'] is the union of the kinds' objects). */
export function problemKind<S extends z.ZodObject>(k: ProblemKind<S>): ProblemKind<S> { return k; }

export { Derivatives } from './derivatives.js';
export { taylor, supportsTaylor, setFusedKernels } from './taylor.js';
export type { TaylorRequest, TaylorResult } from './taylor.js';
export {
  Condition, PDE, OperatorBC, DirichletBC, NeumannBC, RobinBC, PeriodicBC, InitialCondition, InitialVelocity, PointSetData, Continuity,
} from './conditions.js';
export type { Coefficients, ResidualFn, Value, ConditionOptions, LossName } from './conditions.js';
export { Problem } from './problem.js';
export type { ProblemOptions, OutputTransform } from './problem.js';
export * as pdes from './pdes.js';
export * as references from './references.js';
export * as problems from './problems/index.js';
export type { RecipeProblem, RecipeInfo } from './problems/index.js';
export { StaticWeighting, WarmupWeighting, GradNormWeighting, ReLoBRaLoWeighting, LRAWeighting, NTKWeighting, SMOOTHING_DEFAULTS } from './weighting/index.js';
export type { LossWeighting, Weights, WeightingContext, Smoothing } from './weighting/index.js';
export { weightings, buildWeighting } from './weighting/index.js';
export type { WeightingType, WeightingSpec, WeightingFactory, WeightingBuildContext } from './weighting/index.js';
export { ResidualAttention } from './attention.js';
export type { AttentionOptions } from './attention.js';
export { CausalPDE } from './causal.js';
export { Causality, type CausalityOptions } from './causality.js';
export { Resample, RAR, RAD, MiniBatch } from './sampling.js';
export type { SamplingStrategy, PointSource } from './sampling.js';
export type { PhaseStep } from './phase_step.js';
export { samplingStrategies, buildSampling } from './sampling_registry.js';
export type { SamplingType, SamplingSpec, SamplingFactory, SamplingBuildContext } from './sampling_registry.js';
export { dirichletTransform, type BoundaryValue, type DirichletTransformOptions } from './hard_constraints.js';

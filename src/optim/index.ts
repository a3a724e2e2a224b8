export { Optimizer } from './optimizer.js';
export type { ParamGroup, ParamsInput, Closure, OptimizerStateDict, ParamState } from './optimizer.js';
export { SGD } from './sgd.js';
export type { SGDOptions } from './sgd.js';
export { Adam } from './adam.js';
export type { AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export { MultiAdam } from './multi_adam.js';
export type { MultiAdamOptions } from './multi_adam.js';
export { RMSprop } from './rmsprop.js';
export type { RMSpropOptions } from './rmsprop.js';
export { LBFGS } from './lbfgs.js';
export type { LBFGSOptions, LBFGSIteration, LBFGSStopReason } from './lbfgs.js';
export { BFGS } from './bfgs.js';
export type { BFGSOptions, BFGSUpdate } from './bfgs.js';
export { QuasiNewton } from './quasi_newton.js';
export type { QuasiNewtonOptions, QuasiNewtonIteration, QuasiNewtonStopReason, CurvaturePair } from './quasi_newton.js';
export * as lrScheduler from './lr_scheduler/index.js';
export {
  LRScheduler, StepLR, MultiStepLR, ExponentialLR, ConstantLR, LinearLR, LambdaLR, CosineAnnealingLR,
  SequentialLR, ChainedScheduler, ReduceLROnPlateau,
} from './lr_scheduler/index.js';
export { optimizers, schedulers, buildOptimizer, buildScheduler } from './registry.js';
export type { OptimizerType, SchedulerType, OptimizerSpec, SchedulerSpec, OptimizerFactory, SchedulerFactory, Scheduler } from './registry.js';

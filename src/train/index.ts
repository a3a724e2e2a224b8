// Training: the Trainer, its events and options.
export { Trainer } from './trainer.js';
export { ListenerError } from './event_stream.js';
export { NonFiniteError } from './callbacks/index.js';
export * as callbacks from './callbacks/index.js';
export type { Callback, StepEnd, StepValues, PhaseInfo, FitEnd } from './callback.js';
export type * from './events.js';
export { TRAINER_EVENT_TYPES } from './events.js';
export type { TrainerOptions, PhaseSpec, CheckpointOptions, OptimizerType, SchedulerType } from './options.js';
export type { AutoOptions, AutoPlan } from './auto.js';
export { marchInTime } from './time_marching.js';
export type { MarchOptions, MarchResult } from './time_marching.js';
export type { ValidationOptions } from './callbacks/validation.js';
export type { TensorBoardOptions } from './callbacks/tensorboard.js';
export { OPTIMIZER_TYPES, SCHEDULER_TYPES } from './build.js';

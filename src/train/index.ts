// Training: the Trainer, its events and options.
export { Trainer, ListenerError, NonFiniteError } from './trainer.js';
export type * from './events.js';
export { TRAINER_EVENT_TYPES } from './events.js';
export type { TrainerOptions, PhaseSpec, CheckpointOptions, OptimizerType, SchedulerType } from './options.js';
export type { AutoOptions, AutoPlan } from './auto.js';
export type { ValidationOptions } from './validation.js';
export { OPTIMIZER_TYPES, SCHEDULER_TYPES } from './build.js';

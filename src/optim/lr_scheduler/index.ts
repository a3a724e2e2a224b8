export { LRScheduler } from './lr_scheduler.js';
export type { OptimizerLike } from './lr_scheduler.js';
export { StepLR, MultiStepLR, ExponentialLR, ConstantLR, LinearLR, LambdaLR } from './simple.js';
export { CosineAnnealingLR } from './cosine.js';
export { SequentialLR, ChainedScheduler } from './composite.js';
export { ReduceLROnPlateau } from './plateau.js';
export type { ReduceLROnPlateauOptions } from './plateau.js';

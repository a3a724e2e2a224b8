// pinn-torch: the public API, assembled from one module per concern.
export { Tensor } from './tensor.js';
export type { NestedArray, Complex, TensorOrScalar, BackwardOptions, ToOptions } from './tensor.js';
export type { DType, Device } from './dtype.js';
export { DTYPES } from './dtype.js';
export {
  tensor, scalar, zeros, ones, empty, full, zerosLike, onesLike, fullLike, eye, arange, linspace,
  rand, randn, randint, randperm,
} from './creation.js';
export type { TensorOptions } from './creation.js';
export { cat, stack, where, complex, polar, matmul, linear } from './functional.js';
export { grad, noGrad, enableGrad, isGradEnabled } from './autograd.js';
export type { GradOptions } from './autograd.js';
export { tidy, keep, dispose, memory } from './memory.js';
export type { MemoryInfo } from './memory.js';
export {
  version, config, blas, cuda, setNumThreads, getNumThreads, setSmallGemm, tuneAllocator, allocatorSetByEnvironment, cpuCache, manualSeed, getRngState, setRngState, countOps,
} from './runtime.js';
export type { Config, BlasInfo, AllocatorOptions, CpuCacheStats, OpCounts } from './runtime.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export { mse, l1, huber, msae, relativeL2 } from './losses.js';
export type { Reduction } from './losses.js';
export * as pinn from './pinn/index.js';
export * as geometry from './geometry/index.js';
export * as io from './io/index.js';
export * as distributed from './distributed/index.js';
export { Registry, checkOptions, defaults as optionDefaults, describeOption, spellings } from './registry.js';
export type { RegistryEntry, OptionSchema, OptionSpec, OptionsOf, SpecOf } from './registry.js';
export { Trainer, ListenerError, NonFiniteError, callbacks, TRAINER_EVENT_TYPES, marchInTime } from './train/index.js';
export type * from './train/index.js';
export { dashboard, DashboardServer, RunView, DEFAULT_PORT as DASHBOARD_DEFAULT_PORT } from './dashboard/index.js';
export type { Dashboard, DashboardOptions, Snapshot as DashboardSnapshot } from './dashboard/index.js';
export * as mre from './mre/index.js';

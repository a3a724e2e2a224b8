// Loss weighting: how the per-term raw losses Lᵢ become Σ wᵢ Lᵢ. Every scheme is a small
// object with `weights(ctx)` called each step, and a state dict so a resumed run continues
// exactly. Adaptive schemes share one smoothing and one set of bounds (base.ts).
export type { LossWeighting, Weights, WeightingContext, Smoothing } from './base.js';
export { SMOOTHING_DEFAULTS } from './base.js';
export { StaticWeighting } from './static.js';
export { WarmupWeighting } from './warmup.js';
export { GradNormWeighting } from './grad_norm.js';
export { ReLoBRaLoWeighting } from './relobralo.js';
export { LRAWeighting } from './lra.js';
export { NTKWeighting } from './ntk.js';
export { weightings, buildWeighting } from './registry.js';
export type { WeightingType, WeightingSpec, WeightingFactory, WeightingBuildContext } from './registry.js';

// Geometry and collocation sampling (DeepXDE's geometry/ layout): unit-cube samplers, shapes,
// CSG, space × time, and conversion of points to tensors.
export { Random } from './random.js';
export {
  uniform, latinHypercube, sobol, halton, grid, sample, getSampler, SAMPLERS, SOBOL_MAX_DIM, HALTON_MAX_DIM,
} from './sampler.js';
export type { Sampler, SamplerName } from './sampler.js';
export { Geometry, toTensor, EPS, seed, defaultRandom } from './geometry.js';
export type { SampleOptions, BoundaryOptions, BoundarySample, BoundaryMap, Points, Side } from './geometry.js';
export { selectParts, matchesPart } from './parts.js';
export type { Where } from './parts.js';
export * as adf from './adf.js';
export { Box, Interval, Rectangle } from './box.js';
export { Disk } from './disk.js';
export { Polygon } from './polygon.js';
export { Union, Difference, Intersection } from './csg.js';
export type { CSGOptions, CSGArgs } from './csg.js';
export { TimeDomain, GeometryXTime } from './time.js';

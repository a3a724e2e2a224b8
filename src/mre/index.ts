// Elastography on voxel data: the data set, its files, scales, voxel sampling, the AHI baseline.
export { MREExample } from './example.js';
export type { MREExampleInput } from './example.js';
export { loadMRE, saveMRE } from './files.js';
export { CoordinateNormalization, valueScales } from './normalize.js';
export type { ValueScale } from './normalize.js';
export { splitVoxels, voxelPoints, voxelWave, voxelMu, voxelAnat } from './voxels.js';
export { ahi } from './ahi.js';
export type { AHIOptions, AHIResult } from './ahi.js';

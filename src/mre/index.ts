// Elastography on voxel data: the data set, its files, scales, voxel sampling, the AHI baseline.
export { MREExample } from './example.js';
export type { MREExampleInput } from './example.js';
export { loadMRE, saveMRE } from './files.js';
export { CoordinateNormalization, valueScales } from './normalize.js';
export { splitVoxels, voxelPoints, voxelWave, voxelMu, voxelAnat } from './voxels.js';
export { ahi } from './ahi.js';
export type { AHIOptions, AHIResult } from './ahi.js';
export { mrePhantom, phantomStiffness, DEFAULT_INCLUSIONS } from './phantom.js';
export type { PhantomOptions, Inclusion } from './phantom.js';
export { solveHelmholtz2D } from './helmholtz_fd.js';
export type { HelmholtzGrid, PlaneWaveDrive } from './helmholtz_fd.js';
export { createMREPINN, mreOutputNames } from './model.js';
export type { MREPINNOptions } from './model.js';
export { mreProblem } from './problem.js';
export type { MREProblemOptions, MRETask, MREEquation } from './problem.js';
export { evaluateMRE } from './evaluate.js';
export type { MREEvaluation } from './evaluate.js';

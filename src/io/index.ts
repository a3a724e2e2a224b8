export { saveSafetensors, loadSafetensors, encodeSafetensors, decodeSafetensors } from './safetensors.js';
export type { SafetensorsFile } from './safetensors.js';
export { writeFileAtomic } from './atomic.js';
export { writeCheckpoint, readCheckpoint, latestCheckpoint, pruneCheckpoints, readCheckpointConfig, CHECKPOINT_FORMAT } from './checkpoint_store.js';
export type { Manifest } from './checkpoint_store.js';
export { decodeNpy, encodeNpy, loadNpy, saveNpy, decodeNpz, encodeNpz, loadNpz, saveNpz } from './npy.js';
export { decodeNifti, encodeNifti, loadNifti, saveNifti } from './nifti.js';
export type { NiftiImage } from './nifti.js';
export type { NdArray, ArrayDType, ArrayData } from './ndarray.js';

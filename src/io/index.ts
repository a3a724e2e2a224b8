export { saveSafetensors, loadSafetensors, encodeSafetensors, decodeSafetensors } from './safetensors.js';
export type { SafetensorsFile } from './safetensors.js';
export { writeFileAtomic } from './atomic.js';
export { writeCheckpoint, readCheckpoint, latestCheckpoint, pruneCheckpoints, readCheckpointConfig, CHECKPOINT_FORMAT } from './checkpoint_store.js';
export type { Manifest } from './checkpoint_store.js';
export { EventFileWriter } from './tensorboard/index.js';

export { saveSafetensors, loadSafetensors, encodeSafetensors, decodeSafetensors } from './safetensors.js';
export type { SafetensorsFile } from './safetensors.js';
export { writeFileAtomic } from './atomic.js';

// A worker thread that draws field heatmaps (plots.ts) to PNG: Vega's layout of a 100 × 100
// grid is seconds of JavaScript, which on the training thread would stop training meanwhile.
// Messages: { id, data: FieldData } in, { id, png } or { id, error } out.
import { parentPort } from 'node:worker_threads';
import { type FieldData, fieldSpec, renderImages } from './plots.js';

parentPort!.on('message', ({ id, data }: { id: number; data: FieldData }) => {
  renderImages(fieldSpec(data)).then(
    ({ png }) => parentPort!.postMessage({ id, png }),
    (e: Error) => parentPort!.postMessage({ id, error: e?.message ?? String(e) }),
  );
});

// Field heatmaps as PNG bytes, drawn by a worker thread (render_worker.ts) so that training goes
// on while they are drawn: the CLI's TensorBoard images. Started at the first picture; close()
// ends it.
import { Worker } from 'node:worker_threads';
import { type FieldData } from './plots.js';

type Reply = { id: number; png?: Uint8Array; error?: string };

export class FieldImages {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { resolve: (png: Uint8Array) => void; reject: (e: Error) => void }>();
  private next = 0;

  render(data: FieldData): Promise<Uint8Array> {
    const w = this.worker ??= this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.postMessage({ id, data });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
    this.failAll(new Error('field images: closed before the picture was drawn'));
  }

  private start(): Worker {
    const w = new Worker(new URL('./render_worker.js', import.meta.url));
    w.on('message', ({ id, png, error }: Reply) => {
      const p = this.waiting.get(id);
      this.waiting.delete(id);
      if (error !== undefined || !png) p?.reject(new Error(`field images: ${error ?? 'no picture'}`));
      else p?.resolve(png);
    });
    w.on('error', (e) => this.failAll(new Error(`field images: the drawing thread failed: ${e.message}`, { cause: e })));
    w.on('exit', () => this.failAll(new Error('field images: the drawing thread exited')));
    return w;
  }

  private failAll(e: Error): void {
    for (const p of this.waiting.values()) p.reject(e);
    this.waiting.clear();
  }
}

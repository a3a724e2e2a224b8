// An event file TensorBoard reads while it grows: events.out.tfevents.<unix time>.<host>.<pid>.<n>
// in the log directory, a `file_version` event first, then summaries. Records are buffered and
// written whole, at most `flushMs` after the first one waiting (a timer; the Trainer yields to
// the event loop every few ms) and on close(): a TensorBoard watching the directory sees a step
// within that time, and a run killed mid-way leaves every record written before readable. A
// new writer never reuses a file: a resumed run adds a file beside the first one's.
import { closeSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DT_STRING, SESSION_START, type EventMessage, type SummaryValue, encodeEvent } from './proto.js';
import { frameRecord } from './record.js';
import { makeDirectory } from '../make_directory.js';

let filesOpened = 0;

/** PNG width, height and TensorBoard's colorspace (channels) from the IHDR chunk. */
function pngInfo(png: Uint8Array, tag: string): { width: number; height: number; colorspace: number } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 26 || sig.some((b, i) => png[i] !== b)) throw new Error(`TensorBoard: image '${tag}' is not a PNG`);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const channels: Record<number, number> = { 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 };
  return { width: view.getUint32(16), height: view.getUint32(20), colorspace: channels[png[25]] ?? 4 };
}

export class EventFileWriter {
  readonly path: string;
  private fd: number | null;
  private pending: Buffer[] = [];
  private timer: NodeJS.Timeout | null = null;
  private failed: Error | null = null;

  /** `flushMs`: the longest a record waits in memory (PyTorch's SummaryWriter: flush_secs = 120). */
  constructor(readonly logdir: string, readonly flushMs = 1000) {
    const name = `events.out.tfevents.${Math.floor(Date.now() / 1000)}.${hostname()}.${process.pid}.${filesOpened++}`;
    this.path = join(logdir, name);
    try {
      makeDirectory(logdir);
      this.fd = openSync(this.path, 'wx');
    } catch (e) {
      throw new Error(`TensorBoard: cannot write event files in ${logdir}: ${(e as Error).message}`, { cause: e });
    }
    this.write({ step: 0, fileVersion: 'brain.Event:2' });
  }

  /** Scalars (TensorBoard stores them as float32), one event for the step. */
  scalars(step: number, values: Record<string, number>): void {
    const value = Object.entries(values).map(([tag, v]): SummaryValue => ({ tag, simpleValue: v }));
    if (value.length) this.write({ step, summary: { value } });
  }

  /** Markdown, shown by TensorBoard's text plugin. */
  text(step: number, tag: string, markdown: string): void {
    const tensor = { dtype: DT_STRING, tensorShape: { dim: [] }, stringVal: [Buffer.from(markdown, 'utf8')] };
    this.write({ step, summary: { value: [{ tag, metadata: { pluginData: { pluginName: 'text' } }, tensor }] } });
  }

  /** A PNG, shown by TensorBoard's images plugin. */
  image(step: number, tag: string, png: Uint8Array): void {
    this.write({ step, summary: { value: [{ tag, image: { ...pngInfo(png, tag), encodedImageString: png } }] } });
  }

  /**
   * A session (re)start at `step`. TensorBoard takes a run's first one as its start and each
   * later one as a restart: it drops what it read before at this step and after.
   */
  sessionStart(step: number): void { this.write({ step, sessionLog: { status: SESSION_START } }); }

  /** Writes the buffered records now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.fd === null || this.pending.length === 0) return;
    const data = Buffer.concat(this.pending);
    let off = 0;
    try {
      while (off < data.length) off += writeSync(this.fd, data, off, data.length - off);
    } catch (e) {
      this.pending = [data.subarray(off)]; // whole records only ever follow what was written
      throw new Error(`TensorBoard: cannot write ${this.path}: ${(e as Error).message}`, { cause: e });
    }
    this.pending = [];
  }

  close(): void {
    if (this.fd === null) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  private write(e: { step: number } & Record<string, unknown>): void {
    if (this.fd === null) throw new Error(`TensorBoard: ${this.path} is closed`);
    if (this.failed) throw this.failed;
    this.pending.push(frameRecord(encodeEvent({ wallTime: Date.now() / 1000, ...e } as EventMessage)));
    // A timed flush that fails is reported by the next write (the unwritten records are kept).
    this.timer ??= setTimeout(() => { try { this.flush(); } catch (err) { this.failed = err as Error; } }, this.flushMs).unref();
  }
}

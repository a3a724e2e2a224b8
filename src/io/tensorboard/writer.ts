// An event file TensorBoard reads while it grows: events.out.tfevents.<unix time>.<host>.<pid>.<n>
// in the log directory, a `file_version` event first, then summaries. Each event is one write(2)
// of a whole record, so a TensorBoard watching the directory sees every step as it is written,
// and a run killed mid-way leaves every complete record readable. A new writer never reuses a
// file: a resumed run adds a file beside the first one's.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DT_STRING, type EventMessage, type SummaryValue, encodeEvent } from './proto.js';
import { frameRecord } from './record.js';

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

  constructor(readonly logdir: string) {
    const name = `events.out.tfevents.${Math.floor(Date.now() / 1000)}.${hostname()}.${process.pid}.${filesOpened++}`;
    this.path = join(logdir, name);
    try {
      mkdirSync(logdir, { recursive: true });
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
   * A (re)start at `step`: TensorBoard drops what earlier files hold at this step and after
   * (a run resumed from an earlier checkpoint than its last logged step, a NaN rollback).
   */
  sessionStart(step: number): void { this.write({ step, sessionLog: { status: 'START' } }); }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }

  private write(e: { step: number } & Record<string, unknown>): void {
    if (this.fd === null) throw new Error(`TensorBoard: ${this.path} is closed`);
    const record = frameRecord(encodeEvent({ wallTime: Date.now() / 1000, ...e } as EventMessage));
    try {
      let off = 0;
      while (off < record.length) off += writeSync(this.fd, record, off, record.length - off);
    } catch (e) {
      throw new Error(`TensorBoard: cannot write ${this.path}: ${(e as Error).message}`, { cause: e });
    }
  }
}

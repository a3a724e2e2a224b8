// events.jsonl in the run directory: every Trainer event as one `--json` line, appended, so that
// `pinn-torch dashboard <run-dir>` can follow a run that is still training (and replay one that
// ended). Lines are buffered and appended a few times a second, whole lines per write; a reader
// takes only lines that end in a newline. A resume appends to the same file.
import { closeSync, openSync, writeSync } from 'node:fs';
import { TRAINER_EVENT_TYPES, type TrainerEvents } from '../train/events.js';
import type { Trainer } from '../train/trainer.js';
import { jsonLine } from './progress.js';

export const EVENT_LOG = 'events.jsonl';

/** Appends `t`'s events to `path` until the returned function is called (which writes the rest). */
export function logEvents(t: Trainer, path: string, flushMs = 500): () => void {
  const fd = openSync(path, 'a');
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const chunk = Buffer.from(pending.join(''));
    pending = [];
    let off = 0;
    while (off < chunk.length) off += writeSync(fd, chunk, off);
  };
  const timer = setInterval(flush, flushMs);
  timer.unref();
  const offs = TRAINER_EVENT_TYPES.map((type) => {
    const listener = (data: unknown) => {
      pending.push(jsonLine(type, data));
      if (type === 'end' || type === 'error') flush();
    };
    t.on(type, listener as TrainerEvents[typeof type]);
    return () => t.off(type, listener as TrainerEvents[typeof type]);
  });
  return () => {
    offs.forEach((off) => off());
    clearInterval(timer);
    try { flush(); } finally { closeSync(fd); }
  };
}

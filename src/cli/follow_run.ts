// A run directory as a dashboard's RunView: config.json, then events.jsonl replayed and followed
// while the run trains (a resume appends to it), or, for a run from before events.jsonl, its
// metrics.json. Follows by polling the file's size: it works on every filesystem and costs one
// stat per interval.
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunView } from '../dashboard/view.js';
import type { FitResult, TrainerEvent } from '../train/events.js';
import { UsageError } from './errors.js';
import { EVENT_LOG } from './event_log.js';

export interface RunFollower { stop(): void }

/** Loads `runDir` into `view` (bad files are a UsageError naming file and line) and keeps following it every `pollMs`. */
export function followRun(runDir: string, view: RunView, o: { pollMs?: number; warn?: (s: string) => void } = {}): RunFollower {
  if (!existsSync(runDir)) throw new UsageError(`${runDir}: no such directory`);
  if (!statSync(runDir).isDirectory()) throw new UsageError(`${runDir}: not a directory (expected a run directory)`);
  const configPath = join(runDir, 'config.json'), logPath = join(runDir, EVENT_LOG), metricsPath = join(runDir, 'metrics.json');
  if (![configPath, logPath, metricsPath].some(existsSync)) {
    throw new UsageError(`${runDir}: not a run directory (none of config.json, ${EVENT_LOG}, metrics.json inside)`);
  }
  if (existsSync(configPath)) view.setConfig(readJson(configPath));
  const log = new LineReader(logPath);
  const replay = (warnOnly: boolean) => {
    for (const { line, n } of log.readNew()) {
      try {
        view.apply(parseEvent(line));
      } catch (e) {
        const message = `${logPath}:${n}: ${(e as Error).message}`;
        if (!warnOnly) throw new UsageError(message);
        o.warn?.(`${message} (line skipped)`);
      }
    }
  };
  let fromMetrics = false;
  const loadMetricsOnce = () => {
    // Only for runs without events.jsonl: its 'end' event is the same result without the history.
    if (fromMetrics || log.exists() || !existsSync(metricsPath)) return;
    const m = readJson(metricsPath) as { result?: FitResult };
    if (!m.result?.history) throw new UsageError(`${metricsPath}: no result with a history (a metrics.json from 'pinn-torch train' has one)`);
    view.loadMetrics(m.result);
    fromMetrics = true;
  };
  replay(false);
  loadMetricsOnce();
  const timer = setInterval(() => {
    try {
      replay(true);
      loadMetricsOnce();
    } catch (e) {
      o.warn?.((e as Error).message);
    }
  }, o.pollMs ?? 500);
  return { stop: () => clearInterval(timer) };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${path}: ${(e as Error).message}`);
  }
}

function parseEvent(line: string): TrainerEvent {
  let e: { type?: unknown; data?: unknown };
  try { e = JSON.parse(line); } catch { throw new Error('not JSON (each line of an event log is one JSON event)'); }
  if (!e || typeof e.type !== 'string' || typeof e.data !== 'object' || e.data === null) throw new Error('not an event ({"type": …, "data": {…}})');
  return e as TrainerEvent;
}

/** The complete lines appended to a file since the last call (a partly written last line waits). */
class LineReader {
  private offset = 0;
  private lineNo = 0;
  private rest = Buffer.alloc(0);
  constructor(private readonly path: string) {}

  exists(): boolean { return existsSync(this.path); }

  readNew(): Array<{ line: string; n: number }> {
    if (!this.exists()) return [];
    const size = statSync(this.path).size;
    if (size <= this.offset) return [];
    const fd = openSync(this.path, 'r');
    const buf = Buffer.alloc(size - this.offset);
    try {
      let got = 0;
      while (got < buf.length) {
        const n = readSync(fd, buf, got, buf.length - got, this.offset + got);
        if (n === 0) break;
        got += n;
      }
      this.offset += got;
      // Split on bytes, not characters: a read may end inside a multi-byte character.
      const bytes = Buffer.concat([this.rest, buf.subarray(0, got)]);
      const end = bytes.lastIndexOf(0x0a);
      this.rest = bytes.subarray(end + 1);
      if (end < 0) return [];
      return bytes.subarray(0, end).toString('utf8').split('\n').flatMap((line) => (++this.lineNo, line.trim() ? [{ line, n: this.lineNo }] : []));
    } finally {
      closeSync(fd);
    }
  }
}

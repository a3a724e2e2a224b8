// How a run shows itself: a progress bar on a terminal, plain lines in logs, one JSON event
// per line for scripts, or nothing. Each reporter only listens to the Trainer's events.
import cliProgress from 'cli-progress';
import type { Trainer } from '../train/trainer.js';
import { TRAINER_EVENT_TYPES, type StepEvent, type TrainerEvents } from '../train/events.js';

export type OutputMode = 'bar' | 'plain' | 'json' | 'quiet';

const num = (v: number) => (Number.isFinite(v) ? v.toExponential(2) : String(v));
export function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
const terms = (e: StepEvent) => Object.entries(e.losses).map(([k, v]) => `${k} ${num(v)}`).join(' ');
const coefficients = (c: Record<string, number>) => Object.entries(c).map(([k, v]) => `${k}=${v.toPrecision(5)}`).join(' ');

function on<K extends keyof TrainerEvents>(t: Trainer, event: K, fn: TrainerEvents[K], offs: Array<() => void>): void {
  t.on(event, fn as never);
  offs.push(() => t.off(event, fn as never));
}

/** Deprecated aliases the Trainer still emits, which the CLI's outputs leave out. */
type Deprecated = 'lbfgsIteration';
// Fails to compile when the Trainer gains an event that TRAINER_EVENT_TYPES does not list.
const _everyEventListed: [Exclude<keyof TrainerEvents, Deprecated | (typeof TRAINER_EVENT_TYPES)[number]>] extends [never] ? true : never = true;
void _everyEventListed;

/**
 * What `--json` prints for one event: the Trainer's payload, less what a script should not
 * depend on (the end event's history, which is in metrics.json, and deprecated aliases); an
 * error as its name and message.
 */
export function jsonLine(type: (typeof TRAINER_EVENT_TYPES)[number], data: unknown): string {
  const payload = type === 'end' ? { ...(data as object), history: undefined }
    : type === 'phaseEnd' ? { ...(data as object), lbfgsStopReason: undefined }
      : type === 'error' ? { name: (data as Error).name, message: (data as Error).message }
        : data;
  return JSON.stringify({ type, data: payload }) + '\n';
}

/** Attaches the reporter for `mode`; returns a function that detaches it (and clears the bar). */
export function report(t: Trainer, mode: OutputMode, write = (s: string) => process.stderr.write(s)): () => void {
  const offs: Array<() => void> = [];
  if (mode === 'quiet') return () => {};
  if (mode === 'json') {
    // Every event the Trainer emits, from the library's own list (docs/cli.md, --json).
    for (const type of TRAINER_EVENT_TYPES) on(t, type, ((data: unknown) => process.stdout.write(jsonLine(type, data))) as never, offs);
    return () => offs.forEach((f) => f());
  }

  let lastError = '';
  const log = mode === 'bar' ? barLog() : (s: string) => write(s + '\n');
  const bar = mode === 'bar' ? startBar() : null;
  let lastLine = 0;
  on(t, 'start', (e) => {
    log(`${e.resumed ? 'resuming at' : 'training from'} step ${e.step} of ${e.totalSteps} (${e.parameters} parameters; ${e.phases.map((p) => `${p.name} ${p.steps}`).join(' → ')})`);
    bar?.bar.start(e.totalSteps, e.step, payload(null));
  }, offs);
  on(t, 'phaseStart', (e) => log(`phase ${e.phase} (${e.optimizer}, ${e.steps} steps)`), offs);
  on(t, 'step', (e) => {
    if (bar) { bar.bar.update(e.step, payload(e)); return; }
    const now = Date.now();
    if (now - lastLine < 2000 && e.phaseStep !== 1) return;
    lastLine = now;
    const c = coefficients(e.coefficients);
    log(`[${e.phase}] step ${e.step}/${e.totalSteps} loss ${num(e.total)} (${terms(e)})${c ? ` ${c}` : ''} lr ${num(e.lr)} ${e.stepsPerSecond.toFixed(1)} it/s ETA ${duration(e.eta)}${lastError}`);
  }, offs);
  on(t, 'evaluation', (e) => {
    lastError = ` rel.L2 ${num(e.relL2.all)}`;
    if (!bar) log(`step ${e.step}: relative L2 error ${num(e.relL2.all)} (${Object.entries(e.relL2).filter(([k]) => k !== 'all').map(([k, v]) => `${k} ${num(v)}`).join(', ')})`);
  }, offs);
  on(t, 'checkpoint', (e) => { if (e.reason !== 'periodic' || !bar) log(`checkpoint (${e.reason}) at step ${e.step}: ${e.path}`); }, offs);
  on(t, 'nonFinite', (e) => log(`non-finite ${e.term} at step ${e.step}: ${e.action === 'rollback' ? `rolled back to step ${e.restoredStep}, lr ${num(e.lr ?? NaN)}` : 'stopping'}`), offs);
  on(t, 'converged', (e) => log(`converged at step ${e.step}: ${e.reason}`), offs);
  on(t, 'earlyStop', (e) => log(`early stop at step ${e.step}: ${e.reason}`), offs);
  on(t, 'phaseEnd', (e) => log(`phase ${e.phase} ended at step ${e.step} (${e.reason}${e.optimizerStopReason ? `; optimizer stop: ${e.optimizerStopReason}` : ''})`), offs);
  return () => { offs.forEach((f) => f()); bar?.stop(); };

  function payload(e: StepEvent | null) {
    return {
      phase: e?.phase ?? '', loss: e ? num(e.total) : '-', terms: e ? terms(e) : '', lr: e ? num(e.lr) : '-',
      sps: e ? e.stepsPerSecond.toFixed(1) : '-', eta: e ? duration(e.eta) : '?', err: lastError,
    };
  }

  function startBar() {
    const multi = new cliProgress.MultiBar({
      format: '{phase} [{bar}] {value}/{total} | loss {loss} | {terms} | lr {lr} | {sps} it/s | ETA {eta}{err}',
      barsize: 24, hideCursor: true, clearOnComplete: false, stopOnComplete: false, etaBuffer: 50,
    }, cliProgress.Presets.shades_classic);
    return { multi, bar: multi.create(0, 0, payload(null)), stop: () => multi.stop() };
  }
  function barLog() {
    return (s: string) => { if (bar) bar.multi.log(s + '\n'); else write(s + '\n'); };
  }
}

// A live dashboard for a Trainer: `const d = await dashboard(trainer, { port: 0 }); …; await d.close()`.
// It listens to the Trainer's events (the only thing it reads) and serves them on a local page.
import { TRAINER_EVENT_TYPES, type TrainerEvent, type TrainerEvents } from '../train/events.js';
import type { Trainer } from '../train/trainer.js';
import { type DashboardOptions, DashboardServer } from './server.js';
import { RunView } from './view.js';

export { DEFAULT_PORT, DashboardServer, type DashboardOptions } from './server.js';
export { RunView, type Snapshot, type Delta, type RunHead, type Curves, type RunStatus } from './view.js';

export interface Dashboard {
  /** The page's address (with `?token=` when one is required). */
  readonly url: string;
  readonly token: string | null;
  /** Stops listening to the Trainer, sends the last update and closes the server. */
  close(): Promise<void>;
}

/**
 * Serves a live page for `trainer` on http://127.0.0.1:<port>/ (default port 8765, 0 for any
 * free one): loss curves, LR, errors, progress, coefficients, the config (the trainer's
 * `options.config` and phases). Start it before `fit()`; it keeps serving after fit() ends,
 * until `close()`.
 */
export async function dashboard(trainer: Trainer, o: DashboardOptions = {}): Promise<Dashboard> {
  if (!trainer || typeof trainer.on !== 'function') throw new TypeError('dashboard: the first argument must be a Trainer');
  const view = new RunView();
  view.setConfig({ phases: trainer.phases, ...(trainer.options.config !== undefined ? { config: trainer.options.config } : {}) });
  const server = await new DashboardServer(view, o).listen();
  const offs = TRAINER_EVENT_TYPES.map((type) => {
    const listener = (data: unknown) => view.apply({ type, data } as TrainerEvent);
    trainer.on(type, listener as TrainerEvents[typeof type]);
    return () => trainer.off(type, listener as TrainerEvents[typeof type]);
  });
  return {
    url: server.url,
    token: server.token,
    async close() { offs.forEach((off) => off()); await server.close(); },
  };
}

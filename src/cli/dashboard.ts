// `pinn-torch dashboard <run-dir>`: serves a run's dashboard from its files (follow_run.ts) until
// Ctrl-C or SIGTERM, whether the run still trains in another process or ended long ago.
import { resolve } from 'node:path';
import { type DashboardOptions, DashboardServer } from '../dashboard/server.js';
import { RunView } from '../dashboard/view.js';
import { UsageError } from './errors.js';
import { followRun } from './follow_run.js';

export async function serveRun(path: string, o: DashboardOptions): Promise<number> {
  const runDir = resolve(path);
  const view = new RunView();
  const follower = followRun(runDir, view, { warn: (s) => process.stderr.write(`pinn-torch: warning: ${s}\n`) });
  let server: DashboardServer;
  try {
    server = await new DashboardServer(view, { ...o, plots: runDir }).listen();
  } catch (e) {
    follower.stop();
    throw e instanceof Error && /^dashboard:/.test(e.message) ? new UsageError(e.message) : e;
  }
  process.stdout.write(`pinn-torch: dashboard of ${runDir} (${view.status}) on ${server.url} (Ctrl-C to stop)\n`);
  await new Promise<void>((done) => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); done(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  follower.stop();
  await server.close();
  return 0;
}

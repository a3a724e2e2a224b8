// `handleSignals` (deprecated: pass an AbortSignal, the CLI shows how): SIGINT or SIGTERM stop
// fit() after the current step, as an abort does; a second one ends the process as it would
// have without the handler.
import { type Callback } from '../callback.js';
import { type Trainer } from '../trainer.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export class StopOnSignals implements Callback {
  readonly name = 'stopOnSignals';
  private onSignal: ((s: NodeJS.Signals) => void) | null = null;

  onFitStart(t: Trainer): void {
    this.onSignal = (s) => {
      if (t.stopRequested('aborted')) { this.remove(); process.kill(process.pid, s); return; }
      t.stop('aborted');
    };
    for (const s of SIGNALS) process.on(s, this.onSignal);
  }

  teardown(): void { this.remove(); }

  private remove(): void {
    if (this.onSignal) for (const s of SIGNALS) process.off(s, this.onSignal);
    this.onSignal = null;
  }
}

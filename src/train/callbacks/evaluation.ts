// Relative L2 error against the problem's reference every `every` steps ('evaluation' events,
// history.evaluations).
import { type Callback } from '../callback.js';
import { type Trainer } from '../trainer.js';

export class Evaluation implements Callback {
  readonly name = 'evaluation';

  constructor(readonly every: number) {}

  onStepEnd(t: Trainer): void {
    if (t.progress.step % this.every !== 0) return;
    const e = t.evaluate();
    t.history.evaluations.push(e);
    t.send('evaluation', e);
  }
}

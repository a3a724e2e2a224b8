// 'step' events every `logEvery` steps and at each phase's last step: losses, weights, speed,
// ETA and where the time went since the previous one.
import { type Callback, type StepEnd } from '../callback.js';
import { seconds } from '../step.js';
import { type Trainer } from '../trainer.js';

export class StepEvents implements Callback {
  readonly name = 'stepEvents';
  private window = { at: 0, steps: 0 };

  constructor(readonly logEvery = 1) {
    if (!(Number.isInteger(logEvery) && logEvery >= 1)) throw new RangeError(`Trainer: logEvery must be a positive integer, got ${String(logEvery)}`);
  }

  onFitStart(): void { this.window = { at: seconds(), steps: 0 }; }

  onStepEnd(t: Trainer, s: StepEnd): void {
    this.window.steps++;
    const { step, phaseStep, phaseIndex } = t.progress;
    if (step % this.logEvery !== 0 && !s.lastOfPhase) return;
    const now = seconds();
    const stepsPerSecond = this.window.steps / Math.max(now - this.window.at, 1e-9);
    const totalSteps = t.totalSteps;
    t.send('step', {
      phase: t.phaseNames[phaseIndex], phaseIndex, step, phaseStep, totalSteps,
      losses: s.losses, weights: s.weights, weighted: Object.fromEntries(Object.entries(s.losses).map(([k, l]) => [k, l * (s.weights[k] ?? 0)])),
      total: s.total, lr: t.lr(), gradNorm: s.gradNorm, coefficients: t.problem.coefficientValues(),
      stepTime: s.stepTime, stepsPerSecond, eta: (totalSteps - step) / stepsPerSecond, elapsed: t.elapsed(), timing: t.drainTiming(),
    });
    this.window = { at: now, steps: 0 };
  }
}

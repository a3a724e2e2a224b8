// The callback contract. The Trainer's loop does one thing: steps (sampling → losses →
// weighting → backward → optimizer → scheduler). Everything around the steps — checkpoints,
// evaluation, held-out validation, convergence, early stopping, time budgets, step events, the
// NaN guard — is a callback with hooks, and a callback's state is part of every checkpoint, so a
// new monitor never touches the loop or the checkpoint schema.
//
// Hooks run in the order the callbacks were given (the built-in ones first, in the order of
// defaultCallbacks()), synchronously unless they return a promise. A hook that throws stops
// fit(), which rejects with that error.
import { type Tensor } from '../tensor.js';
import { type FitResult, type StopReason } from './events.js';
import { type Trainer } from './trainer.js';

/** What one training step measured, as plain numbers (one read-back from the device). */
export interface StepValues {
  /** Raw (unweighted) loss per term, the weights used, their weighted total, ‖∇θ total‖₂. */
  losses: Record<string, number>;
  weights: Record<string, number>;
  total: number;
  gradNorm: number;
}

export interface StepEnd extends StepValues {
  /** Seconds the step took. */
  stepTime: number;
  /** True for the last step of its phase. */
  lastOfPhase: boolean;
}

export interface PhaseInfo {
  /** The phase that started or ended (its index into options.phases, and its name). */
  phaseIndex: number;
  phase: string;
  /** Why it ended (onPhaseEnd only). */
  reason?: StopReason;
}

export interface FitEnd {
  stopReason: StopReason;
  /** Set by a callback that put other parameters into the model (held-out validation's restoreBest). */
  restored: boolean;
}

/**
 * A training callback. Only `name` is required; implement the hooks you need. `name` is also
 * the key of the callback's state in checkpoints, so it must be unique within a Trainer.
 *
 * ```ts
 * class LossLog implements Callback {
 *   readonly name = 'lossLog';
 *   totals: number[] = [];
 *   onStepEnd(_t: Trainer, s: StepEnd) { this.totals.push(s.total); }
 *   stateDict() { return { totals: this.totals }; }
 *   loadStateDict(s: { totals: number[] }) { this.totals = [...s.totals]; }
 * }
 * new Trainer({ problem, model, phases, callbacks: [new LossLog()] });
 * ```
 */
export interface Callback {
  readonly name: string;
  /** fit() starts (after a resume: the restored state is in place). */
  onFitStart?(trainer: Trainer): void | Promise<void>;
  /** A phase starts: its optimizer exists and the model is in the phase's dtype. */
  onPhaseStart?(trainer: Trainer, phase: PhaseInfo): void | Promise<void>;
  /** Before each step; call trainer.stop() to end the phase or the fit before it runs. */
  onStepStart?(trainer: Trainer): void | Promise<void>;
  /** After each step: trainer.progress.step counts it and trainer.history holds it. */
  onStepEnd?(trainer: Trainer, step: StepEnd): void | Promise<void>;
  /**
   * A phase ended and training moves on: trainer.progress already points at the next phase
   * (phaseIndex = phases.length after the last). Not called when fit() stops inside a phase.
   */
  onPhaseEnd?(trainer: Trainer, phase: PhaseInfo): void | Promise<void>;
  /**
   * A loss or the gradient of the step that was about to run is NaN/Inf; no parameter changed.
   * Return true when handled (e.g. rolled back); when no callback handles it, fit() rejects.
   */
  onNonFinite?(trainer: Trainer, term: string): boolean | Promise<boolean>;
  /** fit() ends (not after an error); what it returns is merged into fit()'s result. */
  onFitEnd?(trainer: Trainer, end: FitEnd): Partial<FitResult> | void | Promise<Partial<FitResult> | void>;
  /** fit() resolved or rejected: release what onFitStart took (listeners, handles). */
  teardown?(trainer: Trainer): void;
  /** JSON-able state, saved in every checkpoint (trainer.json, under callbacks[name]). */
  stateDict?(): unknown;
  /** Tensors to save with the state (callbacks.safetensors, as `<name>.<key>`). */
  tensors?(): Record<string, Tensor>;
  /** Restores what stateDict() and tensors() gave (from a checkpoint or a NaN-guard snapshot). */
  loadStateDict?(state: unknown, tensors: Record<string, Tensor>): void;
  /** Frees what the callback holds (Trainer.dispose()). */
  dispose?(): void;
}

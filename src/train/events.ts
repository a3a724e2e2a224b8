// What a Trainer tells its listeners, in order: start, phaseStart, (step | optimizerIteration |
// evaluation | resample | checkpoint | nonFinite)*, phaseEnd, … , converged | earlyStop?, end.
// `error` replaces `end` when training fails. Every payload is plain JSON (numbers, strings).

/** Seconds spent per part of the step, summed since the last step event (the MRE seed's split). */
export interface Timing { sampling: number; forward: number; loss: number; backward: number; optimizer: number }

export interface StartEvent {
  /** Completed steps before this fit (non-zero after a resume). */
  step: number;
  totalSteps: number;
  phases: Array<{ name: string; steps: number; optimizer: string }>;
  resumed: boolean;
  parameters: number;
}

export interface PhaseStartEvent { phase: string; phaseIndex: number; steps: number; optimizer: string; step: number }

export interface StepEvent {
  phase: string;
  phaseIndex: number;
  /** Completed steps over all phases (1 after the first step). */
  step: number;
  /** Completed steps in this phase. */
  phaseStep: number;
  totalSteps: number;
  /** Raw (unweighted) loss per term, and the weights and weighted losses used this step. */
  losses: Record<string, number>;
  weights: Record<string, number>;
  weighted: Record<string, number>;
  total: number;
  lr: number;
  /** ‖∇θ total‖₂ over every trained parameter, before the optimizer step. */
  gradNorm: number;
  /** Trainable PDE coefficients (inverse problems). */
  coefficients: Record<string, number>;
  /** Seconds for this step, steps per second since the last step event, seconds left at that pace. */
  stepTime: number;
  stepsPerSecond: number;
  eta: number;
  elapsed: number;
  timing: Timing;
}

/** One inner iteration of an optimizer that iterates within a step (L-BFGS, BFGS). */
export interface OptimizerIterationEvent {
  phase: string; step: number; iteration: number; totalIterations: number; loss: number; funcEvals: number; stepSize: number;
}
/** @deprecated the old name of OptimizerIterationEvent. */
export type LBFGSIterationEvent = OptimizerIterationEvent;

export interface EvaluationEvent {
  step: number;
  /** ‖u − u_ref‖₂ / ‖u_ref‖₂ over the evaluation points, per output and over all outputs. */
  relL2: Record<string, number> & { all: number };
}

/** A condition's mean squared residual on held-out points (TrainerOptions.validation). */
export interface ValidationEvent { step: number; condition: string; value: number; best: number | null; bestStep: number | null }

export interface ResampleEvent { step: number; strategy: string; points: Record<string, number> }

export type CheckpointReason = 'periodic' | 'phaseEnd' | 'end' | 'abort' | 'signal' | 'best';
export interface CheckpointEvent { step: number; path: string; reason: CheckpointReason; metric?: number }

export interface ConvergedEvent { step: number; reason: string }
export interface EarlyStopEvent { step: number; reason: string; best: number; bestStep: number }

export interface NonFiniteEvent {
  step: number;
  /** The first loss term (or 'gradient') found to be NaN/Inf. */
  term: string;
  action: 'stop' | 'rollback';
  /** After a rollback: the step training resumes from and the lowered learning rate. */
  restoredStep?: number;
  lr?: number;
}

export interface PhaseEndEvent { phase: string; phaseIndex: number; step: number; phaseSteps: number; reason: StopReason;
  /** Why the phase's last optimizer step returned, for optimizers that iterate within a step (L-BFGS, BFGS). */
  optimizerStopReason?: string;
  /** @deprecated the old name of `optimizerStopReason`; goes in the next version. */
  lbfgsStopReason?: string;
}

export type StopReason = 'completed' | 'converged' | 'earlyStop' | 'timeBudget' | 'aborted' | 'nonFinite';

export interface MetricsHistory {
  step: number[];
  phase: number[];
  total: number[];
  lr: number[];
  gradNorm: number[];
  stepTime: number[];
  /** Raw loss per term, aligned with `step`. */
  losses: Record<string, number[]>;
  coefficients: Record<string, number[]>;
  evaluations: EvaluationEvent[];
  /** Held-out residuals (TrainerOptions.validation), oldest first. */
  validation: Array<{ step: number; value: number }>;
}

export interface FitResult {
  stopReason: StopReason;
  steps: number;
  /** Raw losses and weighted total of the last step (evaluated before its update, as a closure sees them); after restoreBest, of the restored parameters. */
  losses: Record<string, number>;
  total: number;
  coefficients: Record<string, number>;
  relL2?: Record<string, number>;
  history: MetricsHistory;
  /** Total seconds per part of the step over the whole fit. */
  timing: Timing & { total: number };
  lastCheckpoint?: string;
  bestCheckpoint?: string;
  /** The lowest held-out residual, its step, and whether the model was set back to it. */
  validation?: { best: number; bestStep: number; restored: boolean };
}

// A type alias (not an interface) so it satisfies typed-emitter's index-signature constraint.
export type TrainerEvents = {
  start: (e: StartEvent) => void;
  phaseStart: (e: PhaseStartEvent) => void;
  step: (e: StepEvent) => void;
  optimizerIteration: (e: OptimizerIterationEvent) => void;
  /** @deprecated the old name of `optimizerIteration` (emitted to `on()` listeners only); goes in the next version. */
  lbfgsIteration: (e: OptimizerIterationEvent) => void;
  evaluation: (e: EvaluationEvent) => void;
  validation: (e: ValidationEvent) => void;
  resample: (e: ResampleEvent) => void;
  checkpoint: (e: CheckpointEvent) => void;
  converged: (e: ConvergedEvent) => void;
  earlyStop: (e: EarlyStopEvent) => void;
  nonFinite: (e: NonFiniteEvent) => void;
  phaseEnd: (e: PhaseEndEvent) => void;
  end: (e: FitResult) => void;
  error: (e: Error) => void;
};

/**
 * Every event type a Trainer emits, in the order of TrainerEvents (deprecated aliases left
 * out). The CLI's `--json` stream and anything else that lists events derive from this.
 */
export const TRAINER_EVENT_TYPES = [
  'start', 'phaseStart', 'step', 'optimizerIteration', 'evaluation', 'validation', 'resample', 'checkpoint',
  'converged', 'earlyStop', 'nonFinite', 'phaseEnd', 'end', 'error',
] as const satisfies ReadonlyArray<keyof TrainerEvents>;

/** One event as a tagged union, for `for await (const e of trainer.events())` and `--json`. */
export type TrainerEvent = { [K in keyof TrainerEvents]: { type: K; data: Parameters<TrainerEvents[K]>[0] } }[keyof TrainerEvents];

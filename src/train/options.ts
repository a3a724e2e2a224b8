// What a Trainer is given. Phases name their optimizer and scheduler declaratively (PyTorch's
// class names and camelCase options) so that a checkpoint can record and rebuild them.
import { checkPositiveInt } from '../checks.js';
import { ProcessGroup } from '../distributed/process_group.js';
import { type Device, parseDevice } from '../dtype.js';
import { type Module } from '../nn/module.js';
import { type Problem } from '../pinn/problem.js';
import { type LossWeighting } from '../pinn/weighting/index.js';
import { type SamplingStrategy } from '../pinn/sampling.js';
import { type Tensor } from '../tensor.js';
import { checkPhases } from './build.js';
import { type Callback } from './callback.js';
import { type TensorBoardOptions } from './callbacks/tensorboard.js';
import { type ValidationOptions } from './callbacks/validation.js';

/** The optimizer and scheduler names a phase may give: the registry's (optim/registry.ts), in PyTorch's spelling, any case, or an alias. */
export type { OptimizerType, SchedulerType } from '../optim/registry.js';
import { type OptimizerType, type SchedulerType } from '../optim/registry.js';

export interface PhaseSpec {
  /** Shown in events; defaults to the optimizer type. */
  name?: string;
  /** Optimizer steps in this phase (for L-BFGS: calls to step(), each up to maxIter iterations). */
  steps: number;
  /** The optimizer and its options, e.g. { type: 'Adam', lr: 1e-3 } or { type: 'LBFGS', maxIter: 20, lineSearchFn: 'strong_wolfe' } (`BFGS` takes the same plus update); names as in optim/registry.ts, any case. */
  optimizer: { type: OptimizerType } & Record<string, unknown>;
  /**
   * Cast the model and the problem to this dtype when the phase starts (they stay so after it).
   * E.g. Adam in float32, then L-BFGS in float64: in float32 the line search cannot resolve the
   * decrease of a small loss and L-BFGS stops after a few iterations.
   */
  dtype?: 'float32' | 'float64';
  /**
   * Wall-clock seconds for this phase: when spent, the phase ends (reason 'timeBudget') and the
   * next one starts. Time already spent counts across a resume.
   */
  timeBudget?: number;
  /** Stepped once per optimizer step (ReduceLROnPlateau with the step's total loss). */
  scheduler?: { type: SchedulerType } & Record<string, unknown>;
}

export interface CheckpointOptions {
  dir: string;
  /** Save every this many steps (0: only at phase ends, abort and the end). */
  every?: number;
  /** Keep the newest N periodic checkpoints (default 3); the best is kept besides. */
  keepLast?: number;
  /** Also keep the checkpoint with the lowest value of this metric ('total' or 'relL2'). */
  best?: 'total' | 'relL2';
}

export interface TrainerOptions {
  problem: Problem;
  model: Module;
  /**
   * Where to train ('cpu', 'cuda', 'cuda:N'): the model and everything the problem holds move
   * there when the Trainer is made; points drawn later (resampling) follow. Checked first: an
   * unavailable device is one error before any work.
   */
  device?: Device | string;
  phases: PhaseSpec[];
  weighting?: LossWeighting;
  sampling?: SamplingStrategy[];
  /** Emit a step event every this many steps (default 1; history is recorded every step regardless). */
  logEvery?: number;
  /** Evaluate relative L2 against problem.reference every this many steps (needs evalPoints). */
  evalEvery?: number;
  /** Where relative L2 is measured; defaults to the points of a reference given as data. */
  evalPoints?: Tensor;
  /**
   * A condition's mean squared residual on held-out points, every `every` steps (a 'validation'
   * event); `restoreBest` ends fit() on the parameters where it was lowest. Needs no reference.
   */
  validation?: ValidationOptions;
  checkpoint?: CheckpointOptions;
  /**
   * TensorBoard event files in `logdir`: per step event the losses (raw, weighted), weights,
   * total, LR, gradient norm, coefficients and the timing split; relative L2 and held-out
   * residuals; the plan and config as text; `images` every `imageEvery` evaluations.
   */
  tensorboard?: TensorBoardOptions;
  /** Stop when the total loss changes by less than `tol` (relative) over `window` steps, or falls below `targetLoss`. */
  convergence?: { tol?: number; window?: number; targetLoss?: number };
  /** Stop when `metric` has not improved by `minDelta` (relative) for `patience` steps. */
  earlyStopping?: { patience: number; minDelta?: number; metric?: 'total' | 'relL2' };
  /** Wall-clock budget in seconds for fit() (a phase may have its own, PhaseSpec.timeBudget). */
  timeBudget?: number;
  /**
   * On a NaN/Inf loss or gradient: stop with an error (default), or roll back to the last good
   * state (taken when a phase starts and every `every` steps, default 100) and scale the LR by
   * `lrFactor` (default 0.5), at most `maxRollbacks` times (default 3).
   */
  nanGuard?: 'stop' | { action: 'rollback'; lrFactor?: number; maxRollbacks?: number; every?: number };
  /** Stops fit() after the current step (an 'abort' checkpoint is written, fit() resolves with stopReason 'aborted'). */
  signal?: AbortSignal;
  /**
   * @deprecated pass `signal` and abort it from your own SIGINT handler (the CLI does): the
   * Trainer leaves processes to its caller. Still works: SIGINT/SIGTERM stop fit() as an abort.
   */
  handleSignals?: boolean;
  /**
   * Your own callbacks (see train/callback.ts for the hooks), run after the built-in ones that
   * the other options stand for; each one's stateDict() is saved in every checkpoint.
   */
  callbacks?: Callback[];
  /** Yield to the event loop every this many milliseconds of training (default 20). */
  yieldEvery?: number;
  /**
   * Train data-parallel in this process group (distributed.init()): each rank evaluates its
   * share of every term's points, gradients and losses are summed over ranks, and every rank
   * takes the same step as one process would on all the points. Checkpoints are written by rank 0.
   */
  distributed?: ProcessGroup;
  /** Saved verbatim with every checkpoint (the CLI stores its run config here). */
  config?: unknown;
}

/** Checks what the Trainer itself reads (callbacks check their own options); returns the phases to train. */
export function checkOptions(o: TrainerOptions): PhaseSpec[] {
  if (!o || typeof o !== 'object') throw new Error('Trainer: options must be an object');
  if (!o.problem || !Array.isArray(o.problem.conditions)) throw new Error('Trainer: options.problem must be a pinn.Problem');
  if (!o.model || typeof o.model.forward !== 'function') throw new Error('Trainer: options.model must be an nn.Module');
  const phases = checkPhases(o.phases);
  if (o.evalEvery !== undefined) checkPositiveInt('Trainer', 'evalEvery', o.evalEvery);
  if (o.evalEvery !== undefined && (!(o.evalPoints ?? o.problem.referencePoints) || !o.problem.reference)) throw new Error('Trainer: evalEvery needs evalPoints and a problem with a reference solution');
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new TypeError('Trainer: signal must be an AbortSignal');
  if (o.distributed !== undefined) {
    if (!(o.distributed instanceof ProcessGroup)) throw new TypeError('Trainer: distributed must be a ProcessGroup (from distributed.init())');
    if (o.distributed.isDestroyed) throw new Error('Trainer: the distributed process group is destroyed');
  }
  return phases;
}

/** Moves the model and problem to options.device, if given; an unavailable device fails here, before anything moves. */
export function placeOnDevice(o: TrainerOptions): void {
  if (o.device === undefined) return;
  const device = parseDevice('Trainer', o.device)[2];
  o.model.to(device);
  o.problem.to({ device });
}

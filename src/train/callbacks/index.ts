// The built-in callbacks, and the list a Trainer's options stand for.
import { type Tensor } from '../../tensor.js';
import { type Callback } from '../callback.js';
import { type TrainerOptions } from '../options.js';
import { type DataParallel } from '../../distributed/data_parallel.js';
import { Checkpointing } from './checkpoint.js';
import { DataParallelSync } from './data_parallel.js';
import { Convergence } from './convergence.js';
import { EarlyStopping } from './early_stopping.js';
import { Evaluation } from './evaluation.js';
import { NaNGuard } from './nan_guard.js';
import { StepEvents } from './step_events.js';
import { StopOnSignals } from './stop_on_signals.js';
import { TensorBoard } from './tensorboard.js';
import { TimeBudget } from './time_budget.js';
import { Validation } from './validation.js';

export { Checkpointing, Convergence, DataParallelSync, EarlyStopping, Evaluation, NaNGuard, StepEvents, StopOnSignals, TensorBoard, TimeBudget, Validation };
export { NonFiniteError } from './nan_guard.js';

/**
 * The callbacks that options stand for, in the order their hooks run, then the caller's own
 * (options.callbacks). On a step's end: step event, evaluation, held-out validation, TensorBoard
 * images, periodic checkpoint, NaN-guard snapshot, convergence, early stopping. When fit() ends, validation puts
 * back the best parameters before the last checkpoint is written.
 */
export function defaultCallbacks(o: TrainerOptions, params: Tensor[], parallel: DataParallel | null = null): Callback[] {
  const list: Callback[] = [new StepEvents(o.logEvery ?? 1)];
  if (o.evalEvery !== undefined) list.push(new Evaluation(o.evalEvery));
  if (o.validation) list.push(new Validation(o.validation, o.problem, params));
  if (o.tensorboard) list.push(new TensorBoard(o.tensorboard));
  if (o.checkpoint) list.push(new Checkpointing(o.checkpoint));
  if (o.nanGuard !== undefined && o.nanGuard !== 'stop') list.push(new NaNGuard(o.nanGuard));
  if (o.convergence) list.push(new Convergence(o.convergence));
  if (o.earlyStopping) list.push(new EarlyStopping(o.earlyStopping));
  if (o.timeBudget !== undefined || o.phases.some((p) => p.timeBudget !== undefined)) list.push(new TimeBudget(o.timeBudget));
  if (o.handleSignals) list.push(new StopOnSignals());
  const own = o.callbacks ?? [];
  if (!Array.isArray(own)) throw new TypeError('Trainer: callbacks must be an array of Callback objects');
  own.forEach((c, i) => {
    if (!c || typeof c !== 'object' || typeof c.name !== 'string' || !c.name) throw new TypeError(`Trainer: callbacks[${i}] must be an object with a name (the key of its state in checkpoints)`);
  });
  list.push(...own);
  if (parallel) list.push(new DataParallelSync(parallel)); // last: its stop vote sees every other hook's
  const names = list.map((c) => c.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`Trainer: two callbacks are named '${dup}' (a name is the key of its state in checkpoints; built-in: ${names.slice(0, list.length - own.length).join(', ')})`);
  return list;
}

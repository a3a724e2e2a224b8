// The optimizers and LR schedulers a declarative spec ({ type: 'Adam', lr: 1e-3 }) can name:
// a Trainer phase, a checkpoint, a CLI config. Names are PyTorch's class names; any case and
// the listed aliases are accepted too (src/registry.ts). Each option's bounds are the ones the
// class itself checks, so a spec that passes here is one the constructor takes.
// To add one: its class in this folder, an entry here; the Trainer and the CLI need no edit.
import { type NameOf, type OptionSchema, Registry, type RegistryEntry, type SpecOf } from '../registry.js';
import { type Tensor } from '../tensor.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import { BFGS } from './bfgs.js';
import { LBFGS } from './lbfgs.js';
import { MultiAdam } from './multi_adam.js';
import { type Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';
import * as sched from './lr_scheduler/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOptimizer = Optimizer<any>;
export type Scheduler = sched.LRScheduler | sched.ReduceLROnPlateau;
export type OptimizerFactory = (params: Tensor[], options: Record<string, unknown>) => AnyOptimizer;
export type SchedulerFactory = (optimizer: AnyOptimizer, options: Record<string, unknown>) => Scheduler;

const lr = (d: number) => ({ kind: 'number', min: 0, default: d, doc: 'learning rate' }) as const;
const weightDecay = (d: number) => ({ kind: 'number', min: 0, default: d, doc: 'weight decay (L2 penalty; decoupled in AdamW)' }) as const;
const maximize = { kind: 'boolean', default: false, doc: 'maximize the objective instead of minimizing' } as const;
const adam = (wd: number) => ({
  lr: lr(1e-3),
  betas: { kind: 'array', items: { kind: 'number', min: 0, max: 1, exclusiveMax: true, doc: 'decay rate' }, minItems: 2, maxItems: 2, default: [0.9, 0.999], doc: 'decay rates of the first and second moment estimates' },
  eps: { kind: 'number', min: 0, default: 1e-8, doc: 'added to the denominator for numerical stability' },
  weightDecay: weightDecay(wd),
  amsgrad: { kind: 'boolean', default: false, doc: 'use the running maximum of the second moment (AMSGrad)' },
  maximize,
}) as const;
/** The options L-BFGS and BFGS share (optim/quasi_newton.ts). */
const quasiNewton = {
  lr: lr(1),
  maxIter: { kind: 'integer', min: 1, default: 20, doc: 'iterations per step() call' },
  maxEval: { kind: 'integer', min: 1, doc: 'function evaluations per step() call (default 5/4 of maxIter)' },
  toleranceGrad: { kind: 'number', min: 0, default: 1e-7, doc: 'stop when the largest |gradient| entry is at most this' },
  toleranceChange: { kind: 'number', min: 0, default: 1e-9, doc: 'stop when the loss or the step changes by at most this' },
  lineSearchFn: { kind: 'string-enum', values: ['strong_wolfe'], nullable: true, default: null, doc: "'strong_wolfe', or null for a fixed step of lr" },
} as const;

const OPTIMIZER_ENTRIES = [
  {
    name: 'SGD', doc: 'stochastic gradient descent, with momentum and Nesterov (torch.optim.SGD)',
    options: {
      lr: { kind: 'number', min: 0, required: true, doc: 'learning rate' },
      momentum: { kind: 'number', min: 0, default: 0, doc: 'momentum factor' },
      dampening: { kind: 'number', default: 0, doc: 'dampening of the momentum' },
      weightDecay: weightDecay(0),
      nesterov: { kind: 'boolean', default: false, doc: 'Nesterov momentum (needs momentum > 0 and dampening 0)' },
      maximize,
    },
    create: (p, o) => new SGD(p, o as never),
  },
  { name: 'Adam', doc: 'Adam (torch.optim.Adam)', options: adam(0), create: (p, o) => new Adam(p, o) },
  { name: 'AdamW', doc: 'Adam with decoupled weight decay (torch.optim.AdamW)', options: adam(1e-2), create: (p, o) => new AdamW(p, o) },
  {
    name: 'MultiAdam', doc: 'Adam with moments per loss term, each term normalised on its own (Yao et al. 2023); a loss weighting has no effect under it',
    options: { lr: lr(1e-3), betas: adam(0).betas, eps: adam(0).eps, maximize },
    create: (p, o) => new MultiAdam(p, o),
  },
  {
    name: 'RMSprop', doc: 'RMSprop (torch.optim.RMSprop)',
    options: {
      lr: lr(1e-2),
      alpha: { kind: 'number', min: 0, default: 0.99, doc: 'smoothing constant' },
      eps: { kind: 'number', min: 0, default: 1e-8, doc: 'added to the denominator for numerical stability' },
      weightDecay: weightDecay(0),
      momentum: { kind: 'number', min: 0, default: 0, doc: 'momentum factor' },
      centered: { kind: 'boolean', default: false, doc: 'normalize by the estimated variance of the gradient' },
      maximize,
    },
    create: (p, o) => new RMSprop(p, o),
  },
  {
    name: 'LBFGS', aliases: ['L-BFGS'], doc: 'limited-memory BFGS (torch.optim.LBFGS); one step is up to maxIter iterations',
    options: { ...quasiNewton, historySize: { kind: 'integer', min: 1, default: 100, doc: 'curvature pairs kept' } },
    create: (p, o) => new LBFGS(p, o),
  },
  {
    name: 'BFGS', doc: 'BFGS with a dense inverse-Hessian estimate, self-scaled by default; one step is up to maxIter iterations',
    options: {
      ...quasiNewton,
      update: { kind: 'string-enum', values: ['bfgs', 'ssbfgs', 'ssbroyden'], default: 'ssbfgs', doc: 'the update formula: self-scaled BFGS, self-scaled Broyden, or textbook BFGS' },
      maxHessianBytes: { kind: 'number', min: 0, exclusiveMin: true, default: 2 ** 30, doc: 'refuse an inverse-Hessian estimate larger than this many bytes' },
    },
    create: (p, o) => new BFGS(p, o),
  },
] as const satisfies ReadonlyArray<RegistryEntry<OptimizerFactory>>;

const lastEpoch = { kind: 'integer', min: -1, default: -1, doc: '-1 starts afresh; otherwise resumes after that epoch' } as const;
const gamma = (d?: number) => ({ kind: 'number', min: 0, exclusiveMin: true, ...(d === undefined ? { required: true } : { default: d }), doc: 'multiplicative factor of the decay' }) as const;
const totalIters = { kind: 'integer', min: 1, default: 5, doc: 'epochs over which the factor applies' } as const;

const SCHEDULER_ENTRIES = [
  {
    name: 'StepLR', aliases: ['step'], doc: 'decays the lr by gamma every stepSize epochs',
    options: { stepSize: { kind: 'integer', min: 1, required: true, doc: 'epochs between decays' }, gamma: gamma(0.1), lastEpoch },
    create: (opt, o) => new sched.StepLR(opt, o as never),
  },
  {
    name: 'MultiStepLR', aliases: ['multistep'], doc: 'decays the lr by gamma at each milestone',
    options: { milestones: { kind: 'array', items: { kind: 'integer', min: 0, doc: 'an epoch' }, required: true, doc: 'epochs at which the lr decays' }, gamma: gamma(0.1), lastEpoch },
    create: (opt, o) => new sched.MultiStepLR(opt, o as never),
  },
  {
    name: 'ExponentialLR', aliases: ['exponential'], doc: 'decays the lr by gamma every epoch',
    options: { gamma: gamma(), lastEpoch },
    create: (opt, o) => new sched.ExponentialLR(opt, o as never),
  },
  {
    name: 'CosineAnnealingLR', aliases: ['cosine'], doc: 'cosine annealing from the initial lr to etaMin over tMax epochs',
    options: {
      tMax: { kind: 'integer', min: 1, required: true, doc: 'epochs of a half period' },
      etaMin: { kind: 'number', min: 0, default: 0, doc: 'the lowest lr' },
      lastEpoch,
    },
    create: (opt, o) => new sched.CosineAnnealingLR(opt, o as never),
  },
  {
    name: 'LinearLR', aliases: ['linear'], doc: 'scales the lr linearly from startFactor to endFactor over totalIters epochs',
    options: {
      startFactor: { kind: 'number', min: 0, exclusiveMin: true, max: 1, default: 1 / 3, doc: 'factor at the first epoch' },
      endFactor: { kind: 'number', min: 0, max: 1, default: 1, doc: 'factor from totalIters on' },
      totalIters, lastEpoch,
    },
    create: (opt, o) => new sched.LinearLR(opt, o),
  },
  {
    name: 'ConstantLR', aliases: ['constant'], doc: 'scales the lr by factor for totalIters epochs',
    options: { factor: { kind: 'number', min: 0, exclusiveMin: true, max: 1, default: 1 / 3, doc: 'the factor' }, totalIters, lastEpoch },
    create: (opt, o) => new sched.ConstantLR(opt, o),
  },
  {
    name: 'ReduceLROnPlateau', aliases: ['plateau'], doc: 'lowers the lr when the loss stops improving (stepped with the step\'s total loss)',
    options: {
      mode: { kind: 'string-enum', values: ['min', 'max'], default: 'min', doc: "'min': lower is better; 'max': higher is" },
      factor: { kind: 'number', min: 0, max: 1, exclusiveMax: true, default: 0.1, doc: 'new lr = lr · factor' },
      patience: { kind: 'integer', min: 0, default: 10, doc: 'epochs without improvement before lowering' },
      threshold: { kind: 'number', min: 0, default: 1e-4, doc: 'what counts as an improvement' },
      thresholdMode: { kind: 'string-enum', values: ['rel', 'abs'], default: 'rel', doc: "'rel': relative to the best; 'abs': an absolute margin" },
      cooldown: { kind: 'integer', min: 0, default: 0, doc: 'epochs to wait after lowering' },
      minLr: { kind: 'number', min: 0, default: 0, doc: 'the lr never goes below this' },
      eps: { kind: 'number', min: 0, default: 1e-8, doc: 'changes smaller than this are ignored' },
    },
    create: (opt, o) => new sched.ReduceLROnPlateau(opt, o),
  },
] as const satisfies ReadonlyArray<RegistryEntry<SchedulerFactory>>;

/** The entries' types, for types derived from their schemas (OptionsOf, SpecOf). */
export type OptimizerEntry = (typeof OPTIMIZER_ENTRIES)[number];
export type SchedulerEntry = (typeof SCHEDULER_ENTRIES)[number];

/** The optimizers a spec can name. */
export const optimizers = new Registry<RegistryEntry<OptimizerFactory> & { options: OptionSchema }>('optimizer', OPTIMIZER_ENTRIES);
/** The LR schedulers a spec can name. */
export const schedulers = new Registry<RegistryEntry<SchedulerFactory> & { options: OptionSchema }>('scheduler', SCHEDULER_ENTRIES);

/** Every spelling of an optimizer name the types know ('Adam', 'adam', 'L-BFGS', …). */
export type OptimizerType = NameOf<OptimizerEntry>;
export type SchedulerType = NameOf<SchedulerEntry>;
/** A declarative optimizer spec, typed by its entry's options: { type: 'Adam', lr: 1e-3 }. */
export type OptimizerSpec = SpecOf<OptimizerEntry>;
export type SchedulerSpec = SpecOf<SchedulerEntry>;

/** Builds the optimizer `spec` names over `params`. */
export function buildOptimizer(spec: { type: string } & Record<string, unknown>, params: Tensor[]): AnyOptimizer {
  const { type, ...options } = spec;
  return optimizers.get(type).create(params, options);
}

/** Builds the scheduler `spec` names over `optimizer`. */
export function buildScheduler(spec: { type: string } & Record<string, unknown>, optimizer: AnyOptimizer): Scheduler {
  const { type, ...options } = spec;
  return schedulers.get(type).create(optimizer, options);
}

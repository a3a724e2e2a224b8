// One training step: sampling strategies → losses (forward + derivatives) → weighting →
// backward → optimizer → scheduler, timed by part (the MRE seed's split). It asks optimizers
// and schedulers what they need (a closure, a metric), never what they are.
import { performance } from 'node:perf_hooks';
import { grad } from '../autograd.js';
import { stack } from '../functional.js';
import { tidy } from '../memory.js';
import { type DataParallel } from '../distributed/data_parallel.js';
import { zerosLike } from '../creation.js';
import { type Module } from '../nn/module.js';
import { type Problem } from '../pinn/problem.js';
import { type LossWeighting } from '../pinn/weighting/index.js';
import { type PhaseStep } from '../pinn/phase_step.js';
import { type SamplingStrategy } from '../pinn/sampling.js';
import { type Tensor } from '../tensor.js';
import { type Scheduler } from './build.js';
import { type StepValues } from './callback.js';
import { type Timing } from './events.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOptimizer = import('../optim/optimizer.js').Optimizer<any>;

export const seconds = () => performance.now() / 1000;
export const zeroTiming = (): Timing => ({ sampling: 0, forward: 0, loss: 0, backward: 0, optimizer: 0 });

/** Thrown inside a step whose loss or gradient is NaN/Inf, before any parameter changed. */
export class NonFiniteSignal {
  constructor(readonly values: StepValues, readonly term: string) {}
}

export interface StepParts {
  problem: Problem;
  model: Module;
  params: Tensor[];
  weighting: LossWeighting;
  sampling: SamplingStrategy[];
  /** Told when a sampling strategy drew new points (the Trainer sends a 'resample' event). */
  onResample(strategy: string, points: Record<string, number>): void;
  /** Data-parallel training: this rank's share of the points, and the sums over ranks. */
  parallel?: DataParallel | null;
}

export class Stepper {
  /** Seconds per part since the last drain(), and over the whole fit. */
  timing = zeroTiming();
  readonly total = zeroTiming();
  private readonly residualTerms: string[];

  constructor(private readonly p: StepParts) { this.residualTerms = p.problem.residualTerms(); }

  /**
   * One optimizer step at global step `step` (`at`: its phase and the steps of it completed), and
   * the seconds it took; throws NonFiniteSignal before any parameter changes.
   */
  run(step: number, optimizer: AnyOptimizer, scheduler: Scheduler | null, at?: PhaseStep): StepValues & { stepTime: number } {
    const t0 = seconds();
    for (const s of this.p.sampling) {
      if (s.apply(step, this.p.problem, this.p.model, at)) {
        optimizer.objectiveChanged(); // new points, new objective: the old loss and gradient no longer pair with it
        this.p.onResample(s.name, Object.fromEntries(this.p.problem.conditions.map((c) => [c.name, c.points.shape[0]])));
      }
    }
    this.timing.sampling += seconds() - t0;
    const values: { v?: StepValues } = {};
    if (optimizer.needsClosure) {
      // It evaluates the loss itself (several times); the rest of its time is its own.
      const inner = () => this.timing.forward + this.timing.loss + this.timing.backward;
      const before = inner(), t1 = seconds();
      optimizer.step(() => this.evaluate(step, values, optimizer, at));
      this.timing.optimizer += Math.max(0, seconds() - t1 - (inner() - before));
    } else {
      tidy(() => { this.evaluate(step, values, optimizer, at); }); // returns nothing: tidy would keep a returned tensor
      const t1 = seconds();
      optimizer.step();
      this.timing.optimizer += seconds() - t1;
    }
    const v = values.v!;
    if (scheduler) {
      if (scheduler.needsMetric) scheduler.step(v.total);
      else scheduler.step();
    }
    return { ...v, stepTime: seconds() - t0 };
  }

  /** Losses, weights and backward for one evaluation; returns the total (graph freed by the caller's tidy). */
  private evaluate(step: number, values: { v?: StepValues }, optimizer: AnyOptimizer, at?: PhaseStep): Tensor {
    const { problem, model, params, parallel } = this.p;
    const t0 = seconds();
    model.zeroGrad();
    for (const p of problem.parameters()) p.grad = null;
    const local = problem.losses(model);
    const raw = parallel ? parallel.scale(local) : local;
    const t1 = seconds();
    const names = Object.keys(raw);
    const weights = this.p.weighting.weights({
      step, at, raw, params, base: Object.fromEntries(problem.conditions.map((c) => [c.name, c.weight])),
      residualTerms: this.residualTerms, problem, model, ...(parallel ? { allreduce: (ts: Tensor[]) => parallel.allreduce(ts) } : {}),
    });
    let total = problem.total(raw, weights);
    const t2 = seconds();
    if (optimizer.needsTermGradients) this.termBackward(raw, weights, optimizer);
    else total.backward();
    let grads = params.map((p) => p.grad).filter((g): g is Tensor => g !== null);
    let reported = [...names.map((k) => raw[k]), total.detach()];
    if (parallel) {
      // Every rank sends the same list: a parameter this rank's points do not reach gets a zero gradient.
      for (const p of params) if (p.grad === null) p.grad = zerosLike(p);
      grads = params.map((p) => p.grad!);
      const sums = stack(reported).to('float64');
      parallel.allreduce([sums, ...grads]);
      reported = names.map((_, i) => sums.select(0, i)).concat(sums.select(0, names.length));
      total = reported[names.length].to(total.dtype); // the global loss, for an optimizer's line search
    }
    // One crossing for every number the step reports: raw losses, total, ‖∇θ‖².
    const gradSq = grads.map((g) => g.square().sum()).reduce((a, b) => a.add(b), total.detach().mul(0));
    const nums = (parallel ? stack([...reported, gradSq.to('float64')]) : stack([...reported, gradSq]).to('float64')).data() as Float64Array;
    const v: StepValues = {
      losses: Object.fromEntries(names.map((k, i) => [k, nums[i]])),
      weights, total: nums[names.length], gradNorm: Math.sqrt(nums[names.length + 1]),
    };
    this.timing.forward += t1 - t0;
    this.timing.loss += t2 - t1;
    this.timing.backward += seconds() - t2; // with the sums over ranks, when data-parallel
    if (!values.v) { // the first evaluation of the step is the one reported and checked
      values.v = v;
      const bad = names.find((k) => !Number.isFinite(v.losses[k])) ?? (!Number.isFinite(v.total) ? 'total' : !Number.isFinite(v.gradNorm) ? 'gradient' : null);
      if (bad) throw new NonFiniteSignal(v, bad);
    }
    return total;
  }

  /**
   * Each weighted term's gradient on its own, for an optimizer that balances the terms itself
   * (terms held at weight 0 are left out, as in the total); their sum becomes .grad, for the
   * step's reports and checks.
   */
  private termBackward(raw: Record<string, Tensor>, weights: Record<string, number> | undefined, optimizer: AnyOptimizer): void {
    const { problem, params, parallel } = this.p;
    if (parallel) throw new Error(`data-parallel training: ${optimizer.constructor.name} needs each term's gradient, and only the summed gradient is reduced over ranks`);
    const terms = problem.conditions.map((c) => [c.name, weights?.[c.name] ?? c.weight] as const).filter(([, w]) => w !== 0);
    const perTerm = terms.map(([name, w]) => grad([w === 1 ? raw[name] : raw[name].mul(w)], params, { retainGraph: true, allowUnused: true }));
    const byParam = new Map(params.map((p, i) => [p, perTerm.map((gs) => gs[i])] as const));
    for (const [p, gs] of byParam) {
      const present = gs.filter((g): g is Tensor => g !== null);
      p.grad = present.length ? present.reduce((a, b) => a.add(b)) : null;
    }
    optimizer.setTermGradients(new Map([...byParam].filter(([p]) => p.grad !== null)));
  }

  /** The timing since the last drain (it then starts again from zero), added to the fit's total. */
  drain(): Timing {
    const t = this.timing;
    for (const k of Object.keys(t) as (keyof Timing)[]) this.total[k] += t[k];
    this.timing = zeroTiming();
    return t;
  }
}

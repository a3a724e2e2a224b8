// The iteration shared by L-BFGS and BFGS, as torch/optim/lbfgs.py runs it: a search direction
// from the curvature seen so far, a step along it (strong-Wolfe line search or a fixed step), the
// new pair (s, y) handed to the curvature model, and PyTorch's stopping rules. Subclasses say how
// curvature is kept (lbfgs.ts: the last m pairs; bfgs.ts: a dense inverse-Hessian estimate).
// Scalars are JS doubles; vectors are flat tensors of all parameters.
import { enableGrad, noGrad } from '../autograd.js';
import { zeros } from '../creation.js';
import { cat, stack } from '../functional.js';
import { keep, tidy } from '../memory.js';
import { Tensor } from '../tensor.js';
import { type ObjFunc, strongWolfe } from './line_search.js';
import { floats, item } from './readback.js';
import { checkPositiveInt, checkRange } from '../checks.js';
import { type Closure, Optimizer, type OptimizerIteration, type ParamGroup, type ParamsInput, type ParamState } from './optimizer.js';

export interface QuasiNewtonOptions {
  lr: number; maxIter: number; maxEval: number; toleranceGrad: number; toleranceChange: number;
  lineSearchFn: 'strong_wolfe' | null;
}

/** What onIteration receives from a quasi-Newton optimizer: the common fields and the largest |gradient| entry. */
export interface QuasiNewtonIteration extends OptimizerIteration {
  gradMaxAbs: number;
}

/** Why the last step() returned (PyTorch decides the same way but does not say). */
export type QuasiNewtonStopReason = 'maxIter' | 'maxEval' | 'toleranceGrad' | 'toleranceChange' | 'lossChange' | 'directionalDerivative';

/** The options both quasi-Newton optimizers take. */
export const LOOP_OPTIONS = ['lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'lineSearchFn'] as const;

/** PyTorch's LBFGS defaults, shared: maxEval is 5/4 of maxIter. */
export function loopDefaults(maxIter: unknown = 20): QuasiNewtonOptions {
  // A maxIter that is no number (a BigInt, a string) is refused by validate(), not here in the arithmetic.
  const n = typeof maxIter === 'number' ? maxIter : 20;
  return { lr: 1, maxIter: n, maxEval: Math.floor((n * 5) / 4), toleranceGrad: 1e-7, toleranceChange: 1e-9, lineSearchFn: null };
}

/**
 * s = x₊ − x = t·d and y = g₊ − g, with y·s and y·y already read back; gPrev is g, g the new
 * gradient g₊, d the direction the step was taken along.
 */
export interface CurvaturePair { s: Tensor; y: Tensor; ys: number; yy: number; gPrev: Tensor; g: Tensor; d: Tensor; t: number }

/** State keys every quasi-Newton optimizer keeps (between step() calls and in state dicts). */
const LOOP_KEYS = { keys: ['funcEvals', 'nIter'], optional: ['d', 't', 'prevFlatGrad', 'prevLoss'] };

const forget = (t: Tensor): undefined => { t.dispose(); return undefined; };

/**
 * One group only; step(closure) runs up to maxIter iterations and keeps its curvature for the
 * next call. `onIteration` reports every inner iteration; `lastStopReason` says why the last
 * step ended.
 */
export abstract class QuasiNewton<O extends QuasiNewtonOptions> extends Optimizer<O> {
  lastStopReason: QuasiNewtonStopReason | null = null;
  protected readonly params: Tensor[];

  constructor(params: ParamsInput<O>, defaults: O, onIteration?: (i: QuasiNewtonIteration) => void) {
    super(params, defaults);
    const name = this.constructor.name;
    if (this.paramGroups.length !== 1) throw new Error(`${name}: doesn't support per-parameter options (parameter groups)`);
    this.params = this.paramGroups[0].params;
    this.onIteration = onIteration as ((i: OptimizerIteration) => void) | undefined; // it is always called with a QuasiNewtonIteration
  }

  /** Options common to both: call from a subclass's validate. */
  protected validateLoop(g: ParamGroup<O>): void {
    const name = this.constructor.name;
    checkRange(name, 'lr', g.lr, 0, Infinity);
    for (const k of ['maxIter', 'maxEval'] as const) checkPositiveInt(name, k, g[k]);
    checkRange(name, 'toleranceGrad', g.toleranceGrad, 0, Infinity);
    checkRange(name, 'toleranceChange', g.toleranceChange, 0, Infinity);
    if (g.lineSearchFn !== null && g.lineSearchFn !== 'strong_wolfe') throw new Error(`${name}: lineSearchFn must be 'strong_wolfe' or null, got ${String(g.lineSearchFn)}`);
  }

  protected stateSpec(): { keys: string[]; optional: string[]; paramShaped: string[]; counters: string[] } {
    return { keys: LOOP_KEYS.keys, optional: [...LOOP_KEYS.optional, ...this.curvatureKeys()], paramShaped: [], counters: LOOP_KEYS.keys };
  }

  /** State keys the curvature model adds. */
  protected abstract curvatureKeys(): string[];
  /**
   * The first direction of a run (no previous gradient to pair with). `null` when no curvature
   * is known: the step is then −g with PyTorch's cautious first step size.
   */
  protected abstract firstDirection(state: ParamState, g: Tensor): Tensor | null;
  /**
   * Takes in the step just taken and the gradient change it made; returns the next direction
   * −H₊g₊ when it came cheaper along the way (BFGS), else nothing (direction() then gives it).
   */
  protected abstract update(state: ParamState, pair: CurvaturePair): Tensor | void;
  /** The search direction −H g from the curvature taken in so far. */
  protected abstract direction(state: ParamState, g: Tensor): Tensor;
  /**
   * The direction was no descent direction, or the line search found no decrease along it. True
   * when the curvature model dropped what it had, so that the iteration restarts from −g; false
   * stops the step (PyTorch's L-BFGS stops).
   */
  protected restart(_state: ParamState): boolean { return false; }
  /** Called as step() ends, to write into `state` what the curvature model holds elsewhere. */
  protected saveCurvature(_state: ParamState): void {}

  /**
   * The loss is now a different function (new collocation points, say): the last gradient and
   * step no longer pair with the next ones. By default everything is forgotten; BFGS keeps its
   * Hessian estimate as a warm start.
   */
  override objectiveChanged(): void { this.resetState(); }

  /** It evaluates the loss itself, several times per step (line search). */
  override get needsClosure(): boolean { return true; }
  override get stopReason(): string | null { return this.lastStopReason; }

  /** Drops the last gradient and step (they pair with the old objective), keeping the curvature. */
  protected forgetLastStep(): void {
    for (const state of this.state.values()) {
      for (const k of LOOP_KEYS.optional) {
        if (state[k] instanceof Tensor) (state[k] as Tensor).dispose();
        delete state[k];
      }
    }
  }

  private gatherFlatGrad(): Tensor {
    return cat(this.params.map((p) => { const g = p.grad; return g === null ? zeros([p.numel], { dtype: p.dtype, device: p.device }) : g.reshape(-1); }));
  }
  private addGrad(stepSize: number, update: Tensor): void {
    let offset = 0;
    for (const p of this.params) {
      p.add_(update.narrow(0, offset, p.numel).view([...p.shape]), stepSize);
      offset += p.numel;
    }
  }
  private setParams(data: Tensor[]): void { this.params.forEach((p, i) => p.copy_(data[i])); }

  step(closure?: Closure): number {
    const name = this.constructor.name;
    if (!closure) throw new Error(`${name}: step needs a closure that recomputes the loss (with backward) and returns it`);
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn } = this.paramGroups[0];
    const p0 = this.params[0];
    if (!this.state.has(p0)) this.state.set(p0, { funcEvals: 0, nIter: 0 });
    const state = this.state.get(p0)!;
    const evaluate = (): number => enableGrad(() => this.evaluate(closure));

    return noGrad(() => tidy(() => {
      const origLoss = evaluate();
      let loss = origLoss;
      let currentEvals = 1;
      state.funcEvals = (state.funcEvals as number) + 1;
      let flatGrad = this.gatherFlatGrad();
      if (item(flatGrad.abs().max()) <= toleranceGrad) {
        this.lastStopReason = 'toleranceGrad';
        return origLoss;
      }
      let d = state.d as Tensor | undefined;
      let t = state.t as number | undefined;
      let prevFlatGrad = state.prevFlatGrad as Tensor | undefined;
      let prevLoss = state.prevLoss as number | undefined;
      let nIter = 0;
      let reason: QuasiNewtonStopReason = 'maxIter';
      /** Lets the curvature model start over from −g (see restart); true if it did. */
      const restarted = (): boolean => {
        if (!this.restart(state)) return false;
        prevFlatGrad = forget(prevFlatGrad!);
        return true;
      };

      while (nIter < maxIter) {
        nIter++;
        state.nIter = (state.nIter as number) + 1;
        let cautious = false;
        if (prevFlatGrad === undefined) {
          const first = this.firstDirection(state, flatGrad);
          cautious = first === null;
          d = first ?? flatGrad.neg();
        } else {
          const y = flatGrad.sub(prevFlatGrad);
          const s = d!.mul(t!);
          const [ys, yy] = floats(stack([s, y]).matmul(y)); // y·s and y·y in one read-back
          d = this.update(state, { s, y, ys, yy, gPrev: prevFlatGrad, g: flatGrad, d: d!, t: t! }) ?? this.direction(state, flatGrad);
        }
        // Kept only when it goes into the state at the end: if the step throws, the scope frees it.
        if (prevFlatGrad === undefined) prevFlatGrad = flatGrad.clone();
        else prevFlatGrad.copy_(flatGrad);
        prevLoss = loss;
        t = cautious ? Math.min(1, 1 / item(flatGrad.abs().sum())) * lr : lr;
        const gtd = item(flatGrad.matmul(d!));
        if (gtd > -toleranceChange) {
          if (restarted()) { nIter--; state.nIter = (state.nIter as number) - 1; continue; } // the same iteration, from −g
          reason = 'directionalDerivative'; break;
        }

        let lsFuncEvals = 0;
        if (lineSearchFn !== null) {
          const xInit = this.params.map((p) => p.clone());
          const dir = d!;
          const obj: ObjFunc = (stepSize) => {
            this.addGrad(stepSize, dir);
            const l = evaluate();
            const fg = this.gatherFlatGrad();
            this.setParams(xInit);
            return [l, fg];
          };
          [loss, flatGrad, t, lsFuncEvals] = strongWolfe(obj, t, dir, loss, flatGrad, gtd);
          this.addGrad(t, dir);
        } else {
          this.addGrad(t, d!);
          if (nIter !== maxIter) {
            loss = evaluate();
            flatGrad = this.gatherFlatGrad();
            lsFuncEvals = 1;
          }
        }
        const gradMaxAbs = item(flatGrad.abs().max()); // read back once: the report and the stop test
        currentEvals += lsFuncEvals;
        state.funcEvals = (state.funcEvals as number) + lsFuncEvals;
        const info: QuasiNewtonIteration = {
          iteration: nIter, totalIterations: state.nIter as number, loss, funcEvals: state.funcEvals as number,
          stepSize: t!, gradMaxAbs,
        };
        this.onIteration?.(info);
        if (nIter === maxIter) { reason = 'maxIter'; break; }
        if (currentEvals >= maxEval) { reason = 'maxEval'; break; }
        if (gradMaxAbs <= toleranceGrad) { reason = 'toleranceGrad'; break; }
        if (item(d!.mul(t!).abs().max()) <= toleranceChange) {
          if (t === 0 && restarted()) continue;
          reason = 'toleranceChange'; break;
        }
        if (Math.abs(loss - prevLoss) < toleranceChange) { reason = 'lossChange'; break; }
      }
      this.lastStopReason = reason;
      if (state.d instanceof Tensor && state.d !== d) state.d.dispose();
      state.d = keep(d!);
      state.t = t!;
      this.saveCurvature(state);
      if (prevFlatGrad) { state.prevFlatGrad = keep(prevFlatGrad); state.prevLoss = prevLoss!; } else { delete state.prevFlatGrad; delete state.prevLoss; }
      return origLoss;
    }));
  }
}

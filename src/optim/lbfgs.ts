// L-BFGS with optional strong-Wolfe line search, ported from torch/optim/lbfgs.py so that
// iterates, function-evaluation counts and stopping match PyTorch's (iterates to rounding: the
// two-loop recursion, in lbfgs_history.ts, takes its dot products from stored inner products).
// Scalars (step sizes, curvature products) are JS doubles; vectors are flat tensors of all
// parameters.
import { enableGrad, noGrad } from '../autograd.js';
import { zeros } from '../creation.js';
import { cat, stack } from '../functional.js';
import { keep, tidy } from '../memory.js';
import { Tensor } from '../tensor.js';
import { CurvatureHistory, type SavedProducts, floats } from './lbfgs_history.js';
import { type Closure, type OptimizerStateDict, Optimizer, type ParamGroup, type ParamsInput, type ParamState, checkRange } from './optimizer.js';

export interface LBFGSIteration {
  /** Iterations in this step() call, and in total across calls. */
  iteration: number; totalIterations: number;
  loss: number; funcEvals: number; stepSize: number; gradMaxAbs: number;
}

export interface LBFGSOptions {
  lr: number; maxIter: number; maxEval: number; toleranceGrad: number; toleranceChange: number;
  historySize: number; lineSearchFn: 'strong_wolfe' | null;
}

/** Why the last step() returned (PyTorch decides the same way but does not say). */
export type LBFGSStopReason = 'maxIter' | 'maxEval' | 'toleranceGrad' | 'toleranceChange' | 'lossChange' | 'directionalDerivative';

const item = (t: Tensor) => t.item() as number;

function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: [number, number]): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 ** 2 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

type ObjFunc = (t: number) => [number, Tensor];

/** Strong-Wolfe line search (Nocedal & Wright, Alg. 3.5/3.6), as PyTorch's _strong_wolfe. */
function strongWolfe(obj: ObjFunc, t: number, d: Tensor, f: number, g: Tensor, gtd: number,
  c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25): [number, Tensor, number, number] {
  const dNorm = item(d.abs().max());
  let [fNew, gNew] = obj(t);
  let lsFuncEvals = 1;
  let gtdNew = item(gNew.matmul(d));
  let tPrev = 0, fPrev = f, gPrev = g, gtdPrev = gtd;
  let done = false, lsIter = 0;
  let bracket: number[] = [], bracketF: number[] = [], bracketG: Tensor[] = [], bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      [bracket, bracketF, bracketG] = [[t], [fNew], [gNew]];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]];
      break;
    }
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    [tPrev, fPrev, gPrev, gtdPrev] = [tmp, fNew, gNew, gtdNew];
    [fNew, gNew] = obj(t);
    lsFuncEvals++;
    gtdNew = item(gNew.matmul(d));
    lsIter++;
  }
  if (lsIter === maxLs) {
    [bracket, bracketF, bracketG] = [[0, t], [f, fNew], [g, gNew]];
  }
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
    t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
    const bMax = Math.max(...bracket), bMin = Math.min(...bracket);
    const eps = 0.1 * (bMax - bMin);
    if (Math.min(bMax - t, t - bMin) < eps) {
      if (insufProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    [fNew, gNew] = obj(t);
    lsFuncEvals++;
    gtdNew = item(gNew.matmul(d));
    lsIter++;
    if (fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos]) {
      bracket[highPos] = t; bracketF[highPos] = fNew; bracketG[highPos] = gNew; bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) done = true;
      else if (gtdNew * (bracket[highPos] - bracket[lowPos]) >= 0) {
        bracket[highPos] = bracket[lowPos]; bracketF[highPos] = bracketF[lowPos];
        bracketG[highPos] = bracketG[lowPos]; bracketGtd[highPos] = bracketGtd[lowPos];
      }
      bracket[lowPos] = t; bracketF[lowPos] = fNew; bracketG[lowPos] = gNew; bracketGtd[lowPos] = gtdNew;
    }
  }
  return [bracketF[lowPos], bracketG[lowPos], bracket[lowPos], lsFuncEvals];
}

/**
 * Limited-memory BFGS, as torch.optim.LBFGS: one group only; step(closure) runs up to
 * maxIter iterations and keeps its history for the next call. `onIteration` reports every
 * inner iteration; `lastStopReason` says why the last step ended.
 */
export class LBFGS extends Optimizer<LBFGSOptions> {
  onIteration?: (info: LBFGSIteration) => void;
  lastStopReason: LBFGSStopReason | null = null;
  private readonly params: Tensor[];
  private history: CurvatureHistory | null = null;

  constructor(params: ParamsInput<LBFGSOptions>, o: Partial<LBFGSOptions> & { onIteration?: (i: LBFGSIteration) => void } = {}) {
    const { onIteration, ...options } = o;
    const maxIter = options.maxIter ?? 20;
    super(params, {
      lr: 1, maxIter, maxEval: Math.floor((maxIter * 5) / 4), toleranceGrad: 1e-7, toleranceChange: 1e-9,
      historySize: 100, lineSearchFn: null, ...options,
    });
    if (this.paramGroups.length !== 1) throw new Error("LBFGS: doesn't support per-parameter options (parameter groups)");
    this.params = this.paramGroups[0].params;
    this.onIteration = onIteration;
  }

  protected validate(g: ParamGroup<LBFGSOptions>): void {
    checkRange('LBFGS', 'lr', g.lr, 0, Infinity);
    for (const k of ['maxIter', 'maxEval', 'historySize'] as const) {
      if (!Number.isInteger(g[k]) || g[k] < 1) throw new RangeError(`LBFGS: ${k} must be a positive integer, got ${g[k]}`);
    }
    checkRange('LBFGS', 'toleranceGrad', g.toleranceGrad, 0, Infinity);
    checkRange('LBFGS', 'toleranceChange', g.toleranceChange, 0, Infinity);
    if (g.lineSearchFn !== null && g.lineSearchFn !== 'strong_wolfe') throw new Error(`LBFGS: lineSearchFn must be 'strong_wolfe' or null, got ${String(g.lineSearchFn)}`);
  }
  protected stateSpec(): { keys: string[]; optional: string[]; paramShaped: string[] } {
    return { keys: ['funcEvals', 'nIter'], optional: ['d', 't', 'oldDirs', 'oldStps', 'ro', 'hDiag', 'prevFlatGrad', 'prevLoss', 'sy', 'yy', 'ringStart'], paramShaped: [] };
  }

  /** Checks that the curvature lists of a state dict agree with each other before anything changes. */
  override loadStateDict(sd: OptimizerStateDict): void {
    for (const [id, st] of Object.entries(sd?.state ?? {})) {
      const m = Array.isArray(st.oldDirs) ? st.oldDirs.length : 0;
      const where = `LBFGS.loadStateDict: state '${id}'`;
      for (const k of ['oldStps', 'ro'] as const) {
        if (m && (!Array.isArray(st[k]) || (st[k] as unknown[]).length !== m)) throw new Error(`${where}.${k} must list ${m} entries, one per stored pair (oldDirs)`);
      }
      for (const k of ['sy', 'yy'] as const) {
        const v = st[k];
        if (v !== undefined && (!Array.isArray(v) || v.length !== m * m || !v.every((x) => typeof x === 'number'))) {
          throw new Error(`${where}.${k} must hold ${m}×${m} numbers (inner products of the ${m} stored pairs)`);
        }
      }
      const start = st.ringStart;
      if (start !== undefined && !(Number.isInteger(start) && (start as number) >= 0)) throw new Error(`${where}.ringStart must be a non-negative integer, got ${JSON.stringify(start)}`);
    }
    super.loadStateDict(sd);
    this.dropHistory();
  }

  override resetState(): void {
    super.resetState();
    this.dropHistory();
  }

  private dropHistory(): void {
    this.history?.dispose();
    this.history = null;
  }

  /** The history over these lists, rebuilt when they are new (a loaded state), or dtype, device or size changed. */
  private curvature(state: ParamState, dirs: Tensor[], stps: Tensor[], ro: number[], historySize: number, like: Tensor): CurvatureHistory {
    if (this.history?.fits(dirs, like, historySize)) return this.history;
    const saved = state.sy !== undefined && this.history === null ? { sy: state.sy, yy: state.yy, ringStart: state.ringStart ?? 0 } as SavedProducts : undefined;
    const next = new CurvatureHistory(dirs, stps, ro, historySize, like, saved);
    this.dropHistory();
    this.history = next;
    return next;
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
    if (!closure) throw new Error('LBFGS: step needs a closure that recomputes the loss (with backward) and returns it');
    const g = this.paramGroups[0];
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = g;
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
      let oldDirs = (state.oldDirs as Tensor[] | undefined) ?? [];
      let oldStps = (state.oldStps as Tensor[] | undefined) ?? [];
      let ro = (state.ro as number[] | undefined) ?? [];
      let hDiag = (state.hDiag as number | undefined) ?? 1;
      let prevFlatGrad = state.prevFlatGrad as Tensor | undefined;
      let prevLoss = state.prevLoss as number | undefined;
      let nIter = 0;
      let reason: LBFGSStopReason = 'maxIter';

      while (nIter < maxIter) {
        nIter++;
        state.nIter = (state.nIter as number) + 1;
        if (state.nIter === 1) {
          d = flatGrad.neg();
          oldDirs = []; oldStps = []; ro = []; hDiag = 1;
        } else {
          const y = flatGrad.sub(prevFlatGrad!);
          const s = d!.mul(t!);
          const [ys, yy] = floats(stack([s, y]).matmul(y)); // y·s and y·y in one read-back
          const history = this.curvature(state, oldDirs, oldStps, ro, historySize, flatGrad);
          if (ys > 1e-10) {
            history.push(s, y, 1 / ys, historySize);
            hDiag = ys / yy;
          }
          d = history.direction(flatGrad, hDiag);
        }
        if (prevFlatGrad === undefined) prevFlatGrad = keep(flatGrad.clone());
        else prevFlatGrad.copy_(flatGrad);
        prevLoss = loss;
        t = state.nIter === 1 ? Math.min(1, 1 / item(flatGrad.abs().sum())) * lr : lr;
        const gtd = item(flatGrad.matmul(d!));
        if (gtd > -toleranceChange) { reason = 'directionalDerivative'; break; }

        let lsFuncEvals = 0;
        let optCond = false;
        if (lineSearchFn !== null) {
          const xInit = this.params.map((p) => p.clone());
          const dir = d!;
          const obj: ObjFunc = (step) => {
            this.addGrad(step, dir);
            const l = evaluate();
            const fg = this.gatherFlatGrad();
            this.setParams(xInit);
            return [l, fg];
          };
          [loss, flatGrad, t, lsFuncEvals] = strongWolfe(obj, t, dir, loss, flatGrad, gtd);
          this.addGrad(t, dir);
          optCond = item(flatGrad.abs().max()) <= toleranceGrad;
        } else {
          this.addGrad(t, d!);
          if (nIter !== maxIter) {
            loss = evaluate();
            flatGrad = this.gatherFlatGrad();
            optCond = item(flatGrad.abs().max()) <= toleranceGrad;
            lsFuncEvals = 1;
          }
        }
        currentEvals += lsFuncEvals;
        state.funcEvals = (state.funcEvals as number) + lsFuncEvals;
        this.onIteration?.({
          iteration: nIter, totalIterations: state.nIter as number, loss, funcEvals: state.funcEvals as number,
          stepSize: t!, gradMaxAbs: item(flatGrad.abs().max()),
        });
        if (nIter === maxIter) { reason = 'maxIter'; break; }
        if (currentEvals >= maxEval) { reason = 'maxEval'; break; }
        if (optCond) { reason = 'toleranceGrad'; break; }
        if (item(d!.mul(t!).abs().max()) <= toleranceChange) { reason = 'toleranceChange'; break; }
        if (Math.abs(loss - prevLoss) < toleranceChange) { reason = 'lossChange'; break; }
      }
      this.lastStopReason = reason;
      if (state.d instanceof Tensor && state.d !== d) state.d.dispose();
      state.d = keep(d!);
      state.t = t!;
      state.oldDirs = oldDirs; state.oldStps = oldStps; state.ro = ro; state.hDiag = hDiag;
      if (this.history) Object.assign(state, this.history.saved());
      state.prevFlatGrad = prevFlatGrad!; state.prevLoss = prevLoss!;
      return origLoss;
    }));
  }
}

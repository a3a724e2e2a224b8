// L-BFGS, ported from torch/optim/lbfgs.py so that iterates, function-evaluation counts and
// stopping match PyTorch's (iterates to rounding: the two-loop recursion, in lbfgs_history.ts,
// takes its dot products from stored inner products). The iteration itself is quasi_newton.ts.
import { checkNonNegativeInt, checkOptions, checkPositiveInt } from '../checks.js';
import { Tensor } from '../tensor.js';
import { CurvatureHistory, type SavedProducts } from './lbfgs_history.js';
import { type OptimizerStateDict, type ParamGroup, type ParamsInput, type ParamState } from './optimizer.js';
import { type SerializedValue, type StateValue } from './serialize.js';
import { type CurvaturePair, LOOP_OPTIONS, QuasiNewton, loopDefaults, type QuasiNewtonIteration, type QuasiNewtonOptions, type QuasiNewtonStopReason } from './quasi_newton.js';

export interface LBFGSOptions extends QuasiNewtonOptions { historySize: number }
export type LBFGSIteration = QuasiNewtonIteration;
export type LBFGSStopReason = QuasiNewtonStopReason;

/**
 * Limited-memory BFGS, as torch.optim.LBFGS: the inverse-Hessian estimate is built from the last
 * `historySize` pairs (s, y), each iteration, scaled by hDiag = y·s / y·y of the newest.
 */
export class LBFGS extends QuasiNewton<LBFGSOptions> {
  private history: CurvatureHistory | null = null;

  constructor(params: ParamsInput<LBFGSOptions>, o: Partial<LBFGSOptions> & { onIteration?: (i: LBFGSIteration) => void } = {}) {
    const { onIteration, ...options } = checkOptions('LBFGS', o) as typeof o;
    super(params, { ...loopDefaults(options.maxIter), historySize: 100, ...options }, onIteration);
  }

  protected optionNames() { return [...LOOP_OPTIONS, 'historySize']; }
  protected validate(g: ParamGroup<LBFGSOptions>): void {
    this.validateLoop(g);
    checkPositiveInt('LBFGS', 'historySize', g.historySize);
  }
  protected curvatureKeys(): string[] { return ['oldDirs', 'oldStps', 'ro', 'hDiag', 'sy', 'yy', 'ringStart']; }

  /** Checks that the curvature lists of a state dict agree with each other before anything changes. */
  override loadStateDict(sd: OptimizerStateDict<SerializedValue | StateValue>): void {
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
      if (start !== undefined) checkNonNegativeInt('LBFGS.loadStateDict', `state '${id}'.ringStart`, start);
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

  protected firstDirection(state: ParamState): null {
    for (const k of ['oldDirs', 'oldStps'] as const) for (const v of (state[k] as Tensor[] | undefined) ?? []) v.dispose();
    this.dropHistory();
    Object.assign(state, { oldDirs: [], oldStps: [], ro: [], hDiag: 1 });
    return null;
  }

  protected update(state: ParamState, { s, y, ys, yy }: CurvaturePair): void {
    const { historySize } = this.paramGroups[0];
    const history = this.curvature(state, state.oldDirs as Tensor[], state.oldStps as Tensor[], state.ro as number[], historySize, s);
    if (ys > 1e-10) {
      history.push(s, y, 1 / ys, historySize);
      state.hDiag = ys / yy;
    }
  }

  protected direction(state: ParamState, g: Tensor): Tensor { return this.history!.direction(g, state.hDiag as number); }

  protected override saveCurvature(state: ParamState): void {
    if (this.history) Object.assign(state, this.history.saved());
  }
}

// The seed's model.test(): the trained networks on every voxel of the grid, in physical units —
// u predicted, true and their difference, μ likewise, the AHI baseline on the same data — and
// the relative L2 errors over the mask (and over the held-out voxels). AHI inverts the task's equation.
import { noGrad } from '../autograd.js';
import { tidy } from '../memory.js';
import { type Module } from '../nn/module.js';
import { ahi, type AHIResult } from './ahi.js';
import { type MREExample } from './example.js';
import { type MRETask } from './problem.js';
import { voxelPoints } from './voxels.js';

export interface MREEvaluation {
  /** Interleaved complex [frequency][component][voxel], like MREExample.wave. */
  uPred: Float64Array; uDiff: Float64Array;
  /** μ per voxel (Pa); the difference where the data has the truth. */
  muPred: Float64Array; muDiff?: Float64Array;
  ahi: AHIResult;
  /** Relative L2 errors: ‖pred − true‖ / ‖true‖ over the voxels named. */
  metrics: {
    waveMask: number; waveTest: number;
    muMask?: number; muTest?: number;
    /** On the voxels where AHI has an estimate: the network's μ error, and AHI's. */
    muOnAhiVoxels?: number; ahiOnAhiVoxels?: number;
  };
}

export function evaluateMRE(e: MREExample, task: MRETask, model: Module, { ahiSigma = 0, chunk = 4096 } = {}): MREEvaluation {
  const V = e.voxels, F = e.frequencies.length, C = e.components;
  const nOut = task.problem.outputs.length, muCol = nOut - 1;
  const out = new Float64Array(V * nOut);
  const first = model.parameters()[0];
  const dtype = (first?.dtype ?? 'float64') as 'float32' | 'float64', device = first?.device ?? 'cpu';
  noGrad(() => {
    for (let start = 0; start < V; start += chunk) {
      const idx = Array.from({ length: Math.min(chunk, V - start) }, (_, i) => start + i);
      tidy(() => {
        const x = task.normalization.normalize(voxelPoints(e, idx)).to({ dtype, device });
        out.set(Float64Array.from(model.forward(x).to({ dtype: 'float64', device: 'cpu' }).data() as Float64Array), start * nOut);
      });
    }
  });
  const uPred = new Float64Array(2 * F * C * V), uDiff = new Float64Array(uPred.length);
  const muPred = new Float64Array(V);
  for (let v = 0; v < V; v++) {
    for (let k = 0; k < 2 * F * C; k++) {
      const fc = k >> 1, at = 2 * (fc * V + v) + (k & 1);
      uPred[at] = out[v * nOut + k] * task.scales.wave;
      uDiff[at] = uPred[at] - e.wave[at];
    }
    muPred[v] = out[v * nOut + muCol] * task.scales.mu;
  }
  const baseline = ahi(e, { sigma: ahiSigma, equation: task.equation });
  const all = e.maskedVoxels(), test = task.split.test;
  const waveErr = (voxels: ArrayLike<number>) => {
    let d = 0, s = 0;
    for (let fc = 0; fc < F * C; fc++) for (const v of Array.from(voxels)) for (const o of [0, 1]) { const at = 2 * (fc * V + v) + o; d += uDiff[at] ** 2; s += e.wave[at] ** 2; }
    return Math.sqrt(d / s);
  };
  const relL2 = (pred: Float64Array, truth: Float64Array, voxels: ArrayLike<number>) => {
    let d = 0, s = 0;
    for (const v of Array.from(voxels)) { d += (pred[v] - truth[v]) ** 2; s += truth[v] ** 2; }
    return Math.sqrt(d / s);
  };
  const metrics: MREEvaluation['metrics'] = { waveMask: waveErr(all), waveTest: test.length ? waveErr(test) : NaN };
  let muDiff: Float64Array | undefined;
  if (e.mu) {
    const truth = e.mu;
    muDiff = muPred.map((m, v) => m - truth[v]);
    metrics.muMask = relL2(muPred, truth, all);
    metrics.muTest = test.length ? relL2(muPred, truth, test) : NaN;
    const valid = Array.from(all).filter((v) => baseline.valid[v]);
    metrics.muOnAhiVoxels = relL2(muPred, truth, valid);
    metrics.ahiOnAhiVoxels = relL2(baseline.mu, truth, valid);
  }
  return { uPred, uDiff, muPred, muDiff, ahi: baseline, metrics };
}

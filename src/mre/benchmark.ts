// The seed's model.benchmark(n_iters): where a training iteration's time goes — drawing the
// voxels (data), the networks' forward pass on them (model), and the losses with their
// derivatives and the backward pass (loss) — as seconds per iteration and shares.
import { tidy } from '../memory.js';
import { type Module } from '../nn/module.js';
import { type MRETask } from './problem.js';

export interface MREBenchmark { data: number; model: number; loss: number; total: number }

export function benchmarkMRE(task: MRETask, model: Module, nIters = 100, { print = true } = {}): MREBenchmark {
  if (!(Number.isInteger(nIters) && nIters >= 1)) throw new RangeError(`benchmarkMRE: nIters must be a positive integer, got ${nIters}`);
  const t = { data: 0, model: 0, loss: 0 };
  const now = () => Number(process.hrtime.bigint()) / 1e9;
  for (let i = 0; i < nIters; i++) {
    let s = now();
    task.sampling.apply(i, task.problem);
    t.data += now() - s;
    s = now();
    tidy(() => { model.forward(task.problem.conditions[0].evaluationPoints).data(); });
    t.model += now() - s;
    s = now();
    tidy(() => {
      const total = task.problem.total(task.problem.losses(model));
      total.backward();
      total.item();
    });
    model.zeroGrad();
    t.loss += now() - s;
  }
  const per = { data: t.data / nIters, model: t.model / nIters, loss: t.loss / nIters, total: (t.data + t.model + t.loss) / nIters };
  if (print) {
    const pct = (v: number) => `${Math.round((100 * v) / per.total)}%`;
    console.log(`Data time/iter:  ${per.data.toFixed(3)}s (${pct(per.data)})`);
    console.log(`Model time/iter: ${per.model.toFixed(3)}s (${pct(per.model)})`);
    console.log(`Loss time/iter:  ${per.loss.toFixed(3)}s (${pct(per.loss)})`);
    console.log(`Total time/iter: ${per.total.toFixed(3)}s`);
  }
  return per;
}

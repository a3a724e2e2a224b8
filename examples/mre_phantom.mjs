// Elastography on the phantom (src/mre/phantom.ts): a 3 kPa background with a 6 kPa and a 1.5 kPa
// inclusion, 90 Hz, 41 × 41 voxels of 2 mm, the wave field from a finite-difference solve of the
// equation trained (a scalar Helmholtz field, or with --equation navier-cauchy a vector field of
// ∇·[μ(∇u+∇uᵀ)] + ρω²u = 0), 1 % complex Gaussian noise. MREPINN (SIREN u network, μ network)
// is trained on 80 % of the masked voxels with the seed's losses; the stiffness it finds is
// compared with the truth and with the algebraic inversion (AHI) of the same noisy data, over the mask.
//
//   node examples/mre_phantom.mjs [--steps 3000] [--equation helmholtz] [--pde 0.1] [--warmup 500]
//                                 [--lr 1e-3] [--points 1024] [--n 41] [--noise 0.01] [--preset quick-test|full-training]
//                                 [--save phantom.npz] [--plot runs/mre-phantom/fields]
// A preset takes the seed's configuration (its weights, schedule, steps and learning rate); the
// flags after it override. Prints progress every 100 steps and the errors at the end; --plot
// writes <base>.svg/.png: Re u, μ and AHI's μ, each beside the truth and the |error| (mask only).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fieldSpec, render } from '../dist/cli/plots.js';
import { Trainer, mre } from '../dist/index.js';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const preset = args.preset ? mre.MRE_PRESETS[args.preset] : undefined;
if (args.preset && !preset) throw new Error(`unknown preset '${args.preset}' (known: ${Object.keys(mre.MRE_PRESETS).join(', ')})`);
const num = (k, d) => (args[k] === undefined ? d : Number(args[k]));

const t0 = Date.now();
const problemOptions = preset
  ? { ...preset.problem, ...(args.equation ? { equation: args.equation } : {}) }
  : { equation: args.equation ?? 'helmholtz', lossWeights: [1, 0, num('pde', 0.1), 0], pdeWarmupIters: num('warmup', 500), nPoints: num('points', 1024) };
const equation = problemOptions.equation ?? 'helmholtz';
const example = mre.mrePhantom({ n: num('n', 41), noise: num('noise', 0.01), seed: 1, equation });
if (args.save) mre.saveMRE(args.save, example);
const task = mre.mreProblem(example, problemOptions);
const model = mre.createMREPINN(example, { ...(preset?.model ?? { siren: true }), seed: 0 });
const steps = num('steps', preset?.steps ?? 3000), lr = num('lr', preset?.lr ?? 1e-3);
console.log(`phantom ${example.shape.join('×')} voxels, ${task.split.train.length} for training, ${task.split.test.length} held out (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

const trainer = new Trainer({ problem: task.problem, model, phases: [{ optimizer: { type: 'adam', lr }, steps }], weighting: task.weighting, sampling: [task.sampling] });
trainer.on('step', (e) => {
  if (e.step % 100 === 0 || e.step === steps) console.log(`${e.step}/${steps} loss ${e.total.toExponential(3)} ${Object.entries(e.losses ?? {}).map(([k, v]) => `${k} ${Number(v).toExponential(2)}`).join(' ')} ${((Date.now() - t0) / 1000).toFixed(0)} s`);
});
await trainer.fit();
const evaluation = mre.evaluateMRE(example, task, model);
const { metrics } = evaluation;
if (args.plot) {
  // Heatmaps want rows of constant y with x fastest; voxels are [x][y] (y fastest). Outside the mask: no value.
  const [nx, ny] = example.shape, V = nx * ny;
  const image = (value) => Float64Array.from({ length: V }, (_, k) => { const v = (k % nx) * ny + Math.floor(k / nx); return example.mask[v] ? value(v) : NaN; });
  const axis = (n, k) => Array.from({ length: n }, (_, i) => 1000 * (example.origin[k] + i * example.spacing[k]));
  mkdirSync(dirname(args.plot), { recursive: true });
  const files = await render(fieldSpec({
    axes: ['x (mm)', 'y (mm)'], xs: axis(nx, 0), ys: axis(ny, 1), title: `MRE phantom, ${steps} steps`,
    fields: [
      { name: example.components === 1 ? 'Re u' : 'Re u_x', prediction: image((v) => evaluation.uPred[2 * v]), reference: image((v) => example.wave[2 * v]) },
      { name: 'μ (kPa), MREPINN', prediction: image((v) => evaluation.muPred[v] / 1000), reference: image((v) => example.mu[v] / 1000) },
      { name: 'μ (kPa), AHI', prediction: image((v) => evaluation.ahi.mu[v] / 1000), reference: image((v) => example.mu[v] / 1000) },
    ],
  }), args.plot);
  console.log(`plots: ${files.join(', ')}`);
}
console.log(JSON.stringify({ steps, seconds: (Date.now() - t0) / 1000, ...metrics }, null, 1));
// AHI's smoothing, swept: its error over the voxels where it has an estimate.
// On a vector wave, also the Helmholtz AHI component by component (it drops ∇(∇·u)).
for (const form of equation === 'helmholtz' ? ['helmholtz'] : [equation, 'helmholtz']) {
  const ahiErrors = [0, 1, 1.5, 2].map((sigma) => {
    const r = mre.ahi(example, { sigma, equation: form });
    let d = 0, t = 0;
    for (const v of example.maskedVoxels()) if (r.valid[v]) { d += (r.mu[v] - example.mu[v]) ** 2; t += example.mu[v] ** 2; }
    return `σ ${sigma}: ${(100 * Math.sqrt(d / t)).toFixed(1)} %`;
  });
  console.log(`AHI (${form}) by smoothing (voxels): ${ahiErrors.join(', ')}`);
}
console.log(`stiffness, relative L2 over the mask: MREPINN ${(100 * metrics.muMask).toFixed(1)} %; on AHI's voxels MREPINN ${(100 * metrics.muOnAhiVoxels).toFixed(1)} %, AHI ${(100 * metrics.ahiOnAhiVoxels).toFixed(1)} %`);

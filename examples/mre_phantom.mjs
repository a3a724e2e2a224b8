// Elastography on the phantom (src/mre/phantom.ts): a 3 kPa background with a 6 kPa and a 1.5 kPa
// inclusion, 90 Hz, 41 × 41 voxels of 2 mm, the wave field from a finite-difference Helmholtz
// solve, 1 % complex Gaussian noise. MREPINN (SIREN u network, μ network) is trained on 80 % of
// the masked voxels with the seed's losses; the stiffness it finds is compared with the truth
// and with the algebraic Helmholtz inversion (AHI) of the same noisy data, over the mask.
//
//   node examples/mre_phantom.mjs [--steps 3000] [--equation helmholtz] [--pde 0.1] [--warmup 500]
//                                 [--lr 1e-3] [--n 41] [--noise 0.01] [--preset quick-test|full-training]
//                                 [--save phantom.npz]
// A preset takes the seed's configuration (its weights, schedule, steps and learning rate); the
// flags after it override. Prints progress every 100 steps and the errors at the end.
import { Trainer, mre } from '../dist/index.js';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const preset = args.preset ? mre.MRE_PRESETS[args.preset] : undefined;
if (args.preset && !preset) throw new Error(`unknown preset '${args.preset}' (known: ${Object.keys(mre.MRE_PRESETS).join(', ')})`);
const num = (k, d) => (args[k] === undefined ? d : Number(args[k]));

const t0 = Date.now();
const example = mre.mrePhantom({ n: num('n', 41), noise: num('noise', 0.01), seed: 1 });
if (args.save) mre.saveMRE(args.save, example);
const problemOptions = preset
  ? { ...preset.problem, ...(args.equation ? { equation: args.equation } : {}) }
  : { equation: args.equation ?? 'helmholtz', lossWeights: [1, 0, num('pde', 0.1), 0], pdeWarmupIters: num('warmup', 500), nPoints: 1024 };
const task = mre.mreProblem(example, problemOptions);
const model = mre.createMREPINN(example, { ...(preset?.model ?? { siren: true }), seed: 0 });
const steps = num('steps', preset?.steps ?? 3000), lr = num('lr', preset?.lr ?? 1e-3);
console.log(`phantom ${example.shape.join('×')} voxels, ${task.split.train.length} for training, ${task.split.test.length} held out (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

const trainer = new Trainer({ problem: task.problem, model, phases: [{ optimizer: { type: 'adam', lr }, steps }], weighting: task.weighting, sampling: [task.sampling] });
trainer.on('step', (e) => {
  if (e.step % 100 === 0 || e.step === steps) console.log(`${e.step}/${steps} loss ${e.total.toExponential(3)} ${Object.entries(e.losses ?? {}).map(([k, v]) => `${k} ${Number(v).toExponential(2)}`).join(' ')} ${((Date.now() - t0) / 1000).toFixed(0)} s`);
});
await trainer.fit();
const { metrics } = mre.evaluateMRE(example, task, model);
console.log(JSON.stringify({ steps, seconds: (Date.now() - t0) / 1000, ...metrics }, null, 1));
console.log(`stiffness, relative L2 over the mask: MREPINN ${(100 * metrics.muMask).toFixed(1)} %; on AHI's voxels MREPINN ${(100 * metrics.muOnAhiVoxels).toFixed(1)} %, AHI ${(100 * metrics.ahiOnAhiVoxels).toFixed(1)} %`);

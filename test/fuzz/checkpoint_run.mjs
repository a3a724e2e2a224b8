// A small checkpointed run for the checkpoint fuzz suite, in its own process:
//   node checkpoint_run.mjs fresh <root> [hidden]   trains, checkpointing every 10 steps, and stops (aborts) at step 30
//   node checkpoint_run.mjs resume <root> [hidden]  resumes from <root> and trains to step 40
// Prints one JSON line: { ok: true, steps, total } or { ok: false, stage: 'load' | 'fit', message }
// for an Error.
// Anything else (a crash, a hang, a non-Error throw) is for the suite to catch.
import { Trainer, geometry as G, nn, pinn, tensor } from '../../dist/index.js';

const [mode, root, hidden = '8'] = process.argv.slice(2);

function options() {
  // −u'' = π² sin πx on (0, 1), u(0) = u(1) = 0.
  const interior = G.toTensor(new G.Interval(0, 1).interior(32, { sampler: 'sobol', seed: 3 }), 1, { dtype: 'float64' });
  const problem = new pinn.Problem({
    inputs: ['x'], outputs: ['u'],
    conditions: [
      new pinn.PDE('pde', interior, pinn.pdes.poisson((x) => x.mul(Math.PI).sin().mul(Math.PI ** 2), { spatial: ['x'] })),
      new pinn.DirichletBC('bc', tensor([[0], [1]], { dtype: 'float64' }), 0, { output: 'u' }),
    ],
  });
  const model = new nn.MLP([1, Number(hidden), 1], { seed: 0, dtype: 'float64' });
  return {
    problem, model, checkpoint: { dir: root, every: 10, keepLast: 5 },
    phases: [{ optimizer: { type: 'adam', lr: 1e-2 }, scheduler: { type: 'StepLR', stepSize: 5, gamma: 0.9 }, steps: 40 }],
  };
}

let stage = 'load';
try {
  const stop = new AbortController();
  const trainer = mode === 'fresh' ? new Trainer({ ...options(), signal: stop.signal }) : await Trainer.resume(root, options());
  if (mode === 'fresh') trainer.on('step', (e) => { if (e.step === 30) stop.abort(); });
  stage = 'fit';
  const result = await trainer.fit();
  console.log(JSON.stringify({ ok: true, steps: result.steps, total: result.total }));
} catch (e) {
  if (!(e instanceof Error)) throw e;
  console.log(JSON.stringify({ ok: false, stage, message: e.message }));
}

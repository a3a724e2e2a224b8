// Is a seed's Burgers result a property of the setup or of pinn-torch? Trains the classic setup's
// Adam phase (examples/burgers_seeds.mjs) here and, at the same time, in PyTorch eager from the
// same initial weights on the same points, and prints both relative L2 errors after Adam.
//
//   node examples/burgers_vs_pytorch.mjs [--seed 3] [--adam 15000]
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Trainer, geometry as G, nn, pinn, tensor } from '../dist/index.js';

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i < 0 ? fallback : process.argv[i + 1]; };
const seed = Number(arg('seed', 3)), adamSteps = Number(arg('adam', 15000));
const nu = 0.01 / Math.PI, sizes = [2, 20, 20, 20, 1];
const domain = new G.GeometryXTime(new G.Interval(-1, 1), new G.TimeDomain(0, 1));
const opts = { sampler: 'halton', seed };
const [pde, bc, ic] = [domain.interior(2540, opts), domain.boundary(80, opts).points, domain.initial(160, opts)];
const grid = [];
for (let i = 0; i < 256; i++) for (let j = 0; j < 100; j++) grid.push(-1 + (2 * i) / 255, j / 99);
const gridPoints = tensor(grid, { dtype: 'float64' }).view([-1, 2]);
const exact = pinn.references.burgers(nu)(gridPoints);
const model = new nn.MLP(sizes, { activation: 'tanh', init: 'xavierNormal', seed, dtype: 'float32' });

const casePath = join(tmpdir(), `pinn-torch-burgers-${process.pid}.json`);
const weights = Object.fromEntries(Object.entries(model.stateDict()).map(([k, v]) => [k, { shape: v.shape, data: Array.from(v.data()) }]));
writeFileSync(casePath, JSON.stringify({ nu, sizes, pde: Array.from(pde), bc: Array.from(bc), ic: Array.from(ic), grid, exact: Array.from(exact.data()), weights }));
const script = new URL('./burgers_vs_pytorch.py', import.meta.url).pathname;
const torchRun = promisify(execFile)('/usr/bin/python3', [script, casePath, String(adamSteps)], { maxBuffer: 1 << 20 });

const t = (rows) => G.toTensor(rows, 2, { dtype: 'float32' });
const problem = new pinn.Problem({
  inputs: ['x', 't'], outputs: ['u'], constants: { nu },
  conditions: [
    new pinn.PDE('pde', t(pde), pinn.pdes.burgers()),
    new pinn.DirichletBC('bc', t(bc), 0, { output: 'u' }),
    new pinn.InitialCondition('ic', t(ic), (x) => x.narrow(1, 0, 1).mul(Math.PI).sin().neg(), { output: 'u' }),
  ],
  reference: (x) => exact.to(x.dtype).clone(),
});
const trainer = new Trainer({ problem, model, evalPoints: gridPoints.to('float32'), evalEvery: adamSteps, phases: [{ optimizer: { type: 'adam', lr: 1e-3 }, steps: adamSteps }] });
const ours = await trainer.fit();
const theirs = JSON.parse((await torchRun).stdout);
console.log(JSON.stringify({ seed, adamSteps, pinnTorch: ours.relL2.all, pytorch: theirs.relL2 }));

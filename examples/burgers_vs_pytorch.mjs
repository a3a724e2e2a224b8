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
import { Trainer, pinn, tensor } from '../dist/index.js';

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i < 0 ? fallback : process.argv[i + 1]; };
const seed = Number(arg('seed', 3)), adamSteps = Number(arg('adam', 15000));
const nu = 0.01 / Math.PI;
// The library's recipe (pinn.problems.burgers): 2540 interior, 80 boundary, 160 initial points
// (Halton, drawn with the seed), float32; its network 2 → [20]×3 → 1, tanh, Glorot normal.
const problem = pinn.problems.burgers({ nu, interior: 2540, boundary: 80, initial: 160, sampler: 'halton', seed, dtype: 'float32' });
const model = problem.recipe.createModel({ seed });
const sizes = model.sizes;
const rows = (name) => Array.from(problem.conditions.find((c) => c.name === name).points.data());
const [pde, bc, ic] = ['pde', 'bc', 'ic'].map(rows);
const grid = [];
for (let i = 0; i < 256; i++) for (let j = 0; j < 100; j++) grid.push(-1 + (2 * i) / 255, j / 99);
const gridPoints = tensor(grid, { dtype: 'float64' }).view([-1, 2]);
// Both sides evaluate on the grid in float32: the reference at those points (the recipe keeps it).
const evalPoints = gridPoints.to('float32');
const exact = problem.reference(evalPoints.to('float64'));
const casePath = join(tmpdir(), `pinn-torch-burgers-${process.pid}.json`);
const weights = Object.fromEntries(Object.entries(model.stateDict()).map(([k, v]) => [k, { shape: v.shape, data: Array.from(v.data()) }]));
writeFileSync(casePath, JSON.stringify({ nu, sizes, pde: Array.from(pde), bc: Array.from(bc), ic: Array.from(ic), grid, exact: Array.from(exact.data()), weights }));
const script = new URL('./burgers_vs_pytorch.py', import.meta.url).pathname;
const torchRun = promisify(execFile)('/usr/bin/python3', [script, casePath, String(adamSteps)], { maxBuffer: 1 << 20 });

const trainer = new Trainer({ problem, model, evalPoints, evalEvery: adamSteps, phases: [{ optimizer: { type: 'adam', lr: 1e-3 }, steps: adamSteps }] });
const ours = await trainer.fit();
const theirs = JSON.parse((await torchRun).stdout);
console.log(JSON.stringify({ seed, adamSteps, pinnTorch: ours.relL2.all, pytorch: theirs.relL2 }));

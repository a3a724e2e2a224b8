// Writes the cached reference grids of the Allen–Cahn and KdV problems (jaxpi's setups):
//   accuracy/data/<name>.f32   101 times × 256 x, little-endian float32, time-major
//   accuracy/data/<name>.json  the equation, the grid, the solver settings and a convergence check
// by the Fourier-spectral ETDRK4 of accuracy/lib/spectral.mjs (about a minute with the checks).
//   node accuracy/data/generate.mjs [--only allen-cahn,kdv] [--no-convergence]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR } from '../lib/common.mjs';
import { SETTINGS, TIMES, solve } from '../lib/spectral.mjs';

const argv = process.argv.slice(2);
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1].split(',') : Object.keys(SETTINGS);
const convergence = !argv.includes('--no-convergence');
const NX = 256; // stored x nodes (every n/256-th solver node)

const EQ = {
  'allen-cahn': 'u_t − 1e-4 u_xx + 5u³ − 5u = 0, x ∈ [−1, 1) periodic, t ∈ [0, 1], u(x, 0) = x² cos πx',
  kdv: 'u_t + u u_x + 0.022² u_xxx = 0, x ∈ [−1, 1) periodic, t ∈ [0, 1], u(x, 0) = cos πx',
};

for (const name of only) {
  const s = SETTINGS[name];
  if (!s) throw new Error(`unknown equation '${name}' (${Object.keys(SETTINGS).join(', ')})`);
  const t0 = Date.now();
  const { x, snapshots } = solve(name);
  const seconds = (Date.now() - t0) / 1000;
  const stride = s.n / NX;
  const u = new Float32Array(TIMES.length * NX);
  snapshots.forEach((snap, i) => { for (let j = 0; j < NX; j++) u[i * NX + j] = snap[j * stride]; });
  let check = null;
  if (convergence) {
    // Twice the nodes and half the step: the largest difference at t = 0.5 and 1 bounds the error.
    const fine = solve(name, { n: 2 * s.n, dt: s.dt / 2, times: [0.5, 1] });
    const coarse = [snapshots[50], snapshots[100]];
    let d = 0;
    coarse.forEach((c, k) => { for (let j = 0; j < s.n; j++) d = Math.max(d, Math.abs(c[j] - fine.snapshots[k][2 * j])); });
    check = { against: { n: 2 * s.n, dt: s.dt / 2 }, times: [0.5, 1], maxAbsDiff: Number(d.toPrecision(3)) };
  }
  const meta = {
    name, equation: EQ[name],
    solver: { method: 'Fourier-spectral ETDRK4 (Cox–Matthews; Kassam–Trefethen contour coefficients, 64 points), 2/3-rule dealiasing of the nonlinear term', nodes: s.n, dt: s.dt, generator: 'accuracy/data/generate.mjs', seconds: Number(seconds.toFixed(1)) },
    grid: { x: Array.from({ length: NX }, (_, j) => x[j * stride]), t: TIMES, layout: 'float32 little-endian, time-major: u[i*nx + j] = u(x_j, t_i)' },
    convergence: check,
  };
  writeFileSync(join(DATA_DIR, `${name}.f32`), Buffer.from(u.buffer));
  writeFileSync(join(DATA_DIR, `${name}.json`), JSON.stringify(meta, null, 1) + '\n');
  console.log(`${name}: ${s.n} nodes, dt ${s.dt}, ${seconds.toFixed(1)} s${check ? `; vs ${check.against.n} nodes / dt ${check.against.dt}: max |Δu| ${check.maxAbsDiff}` : ''}`);
}

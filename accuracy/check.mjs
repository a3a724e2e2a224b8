// Self-check of every accuracy problem's reference solution (no training):
//  - closed forms (and the Cole–Hopf tensor quadrature): the reference, as a tensor function, is
//    put through the problem's own conditions in place of the network (autograd derivatives):
//    every PDE, boundary, initial and periodic residual must vanish; and it must agree with the
//    problem's `reference` at the evaluation points;
//  - spectral references (Allen–Cahn, KdV): the cached grid is recomputed by the generator's
//    solver, compared with an independent solver where one exists (pinn.references.allenCahn,
//    fourth-order finite differences + RK4), and the problem's own PDE residual is evaluated on
//    spectral x-derivatives and central time differences of the solver's output; the initial
//    condition of the problem is compared with the grid at t = 0.
//   node accuracy/check.mjs [--only name,name]
import { arange, pinn, setNumThreads, tensor, tidy } from '../dist/index.js';
import { loadProblem, selectNames } from './lib/problems.mjs';
import { loadGrid } from './lib/common.mjs';
import { SETTINGS, TIMES, derivative, solve } from './lib/spectral.mjs';

setNumThreads(1);
const argv = process.argv.slice(2);
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : null;
const rows = [];
const record = (problem, check, value, tol) => {
  const pass = Number.isFinite(value) && value <= tol;
  rows.push({ problem, check, value, tol, pass });
  console.log(`${pass ? 'ok  ' : 'FAIL'} ${problem.padEnd(16)} ${check.padEnd(58)} ${value.toExponential(2)} (≤ ${tol.toExponential(0)})`);
};
const maxAbs = (ts) => Math.max(...ts.map((t) => t.abs().max().item()));

async function closedForm(p) {
  const { problem, evalPoints } = p.build({ dtype: 'float64', seed: 0, trueCoefficients: true });
  const fake = { forward: p.exact };
  const tol = p.checkTolerance ?? 1e-9;
  for (const c of problem.conditions) {
    const n = Math.min(c.points.shape[0], 300);
    const v = tidy(() => c.withRows(arange(0, n, 1, { dtype: 'int64' }), () => maxAbs(problem.residualsAt(fake, c))));
    record(p.name, `${c.constructor.name} '${c.name}': max |residual| of the reference (${n} pts)`, v, tol);
  }
  if (p.checkPoints) {
    // extra points where the reference is hardest (e.g. at Burgers' shock), for the PDE residual
    const pts = p.checkPoints('float64');
    const pde = problem.conditions.find((c) => c instanceof pinn.PDE && !(c instanceof pinn.OperatorBC));
    const v = tidy(() => maxAbs(problem.residualsAt(fake, pde, pts)));
    record(p.name, `PDE '${pde.name}' residual at ${pts.shape[0]} ${p.checkPointsLabel ?? 'extra points'}`, v, p.checkPointsTolerance ?? tol);
  }
  if (problem.reference) {
    const v = tidy(() => p.exact(evalPoints).sub(problem.reference(evalPoints)).abs().max().item());
    record(p.name, `reference at the ${evalPoints.shape[0]} evaluation points vs exact`, v, p.name.includes('burgers') ? 1e-6 : 1e-12);
  }
}

async function spectral(p) {
  const name = p.name;
  const { problem } = p.build({ dtype: 'float64', seed: 0 });
  const grid = loadGrid(name), nx = grid.x.length;
  // 1. the cache is what the generator's solver gives now
  const fresh = solve(name), stride = SETTINGS[name].n / nx;
  let d = 0;
  fresh.snapshots.forEach((s, i) => { for (let j = 0; j < nx; j++) d = Math.max(d, Math.abs(s[j * stride] - grid.u[i * nx + j])); });
  record(name, `cached grid vs a fresh ETDRK4 solve (${SETTINGS[name].n} modes, dt ${SETTINGS[name].dt})`, d, 1e-6);
  record(name, `convergence recorded by the generator (vs ${grid.meta.convergence?.against.n} modes, dt/2)`, grid.meta.convergence?.maxAbsDiff ?? NaN, 1e-6);
  // 2. an independent solver
  if (name === 'allen-cahn') {
    const pts = [], ref = [];
    for (let i = 0; i < TIMES.length; i += 10) for (let j = 0; j < nx; j += 4) { pts.push([grid.x[j], TIMES[i]]); ref.push(grid.u[i * nx + j]); }
    const fd = pinn.references.allenCahn()(tensor(pts, { dtype: 'float64' })).data();
    record(name, `vs pinn.references.allenCahn (FD4 + RK4), ${pts.length} grid points`, Math.max(...ref.map((r, i) => Math.abs(r - fd[i]))), 1e-5);
  }
  // 3. the problem's own PDE residual on the solver's output
  const pde = problem.conditions.find((c) => c instanceof pinn.PDE && !(c instanceof pinn.OperatorBC));
  const h = 5 * SETTINGS[name].dt;
  for (const t0 of [0.2, 0.5, 0.9]) {
    const { x, snapshots: [um, u, up] } = solve(name, { times: [t0 - h, t0, t0 + h] });
    const n = u.length, colT = (a) => tensor(Float64Array.from(a), { shape: [n, 1] });
    const ut = u.map((_, j) => (up[j] - um[j]) / (2 * h));
    const cols = new Map([['u|x', colT(derivative(u, 1))], ['u|x,x', colT(derivative(u, 2))], ['u|x,x,x', colT(derivative(u, 3))], ['u|t', colT(ut)]]);
    const X = tensor(Float64Array.from(Array.from(x).flatMap((xi) => [xi, t0])), { shape: [n, 2] });
    const d = new pinn.Derivatives(X, colT(u), ['x', 't'], ['u'], cols);
    const r = tidy(() => maxAbs(pde.residuals(d, problem.coefficients)));
    if (d.misses.size) throw new Error(`${name}: the residual asked for ${[...d.misses].join(', ')}, not computed here`);
    const scale = Math.max(...ut.map(Math.abs));
    record(name, `PDE residual at t = ${t0} (spectral u_x…, central u_t, h ${h}) / max|u_t|`, r / scale, 1e-4);
  }
  // 4. the periodic conditions pair x = −1 with x = 1 at equal times: they vanish for a function
  //    periodic in x with all its derivatives, and not for one that is not (u = x)
  const periodic = (x) => x.narrow(1, 0, 1).mul(Math.PI).cos().mul(x.narrow(1, 1, 1).add(1)).add(x.narrow(1, 0, 1).mul(3 * Math.PI).sin().mul(x.narrow(1, 1, 1).square()));
  for (const c of problem.conditions.filter((c) => c instanceof pinn.PeriodicBC || c instanceof pinn.OperatorBC)) {
    const on = tidy(() => maxAbs(problem.residualsAt({ forward: periodic }, c)));
    record(name, `${c.constructor.name} '${c.name}' on cos πx (1 + t) + sin 3πx t²`, on, 1e-9);
  }
  const value = problem.conditions.find((c) => c instanceof pinn.PeriodicBC && !c.options.derivative);
  const off = tidy(() => maxAbs(problem.residualsAt({ forward: (x) => x.narrow(1, 0, 1) }, value)));
  record(name, `PeriodicBC '${value.name}' on u = x: residual 2 expected, |r − 2|`, Math.abs(off - 2), 1e-12);
  // 5. the problem's initial condition is the grid's t = 0
  const ic = problem.conditions.find((c) => c instanceof pinn.InitialCondition);
  const xs = tensor(Float64Array.from(grid.x.flatMap((xi) => [xi, 0])), { shape: [nx, 2] });
  const g = ic.value(xs).reshape(-1).data();
  record(name, `problem's initial condition vs the grid at t = 0`, Math.max(...grid.x.map((_, j) => Math.abs(g[j] - grid.u[j]))), 1e-6);
}

const t0 = Date.now();
for (const name of selectNames(only)) {
  const p = await loadProblem(name);
  try {
    if (p.exact) await closedForm(p);
    else await spectral(p);
  } catch (e) {
    rows.push({ problem: name, check: 'error', value: NaN, tol: 0, pass: false });
    console.log(`FAIL ${name.padEnd(16)} ${e.stack ?? e}`);
  }
}
const failed = rows.filter((r) => !r.pass);
console.log(`\n${rows.length - failed.length}/${rows.length} checks passed over ${new Set(rows.map((r) => r.problem)).size} problems in ${((Date.now() - t0) / 1000).toFixed(0)} s${failed.length ? `; FAILED: ${failed.map((r) => `${r.problem}: ${r.check}`).join('; ')}` : ''}`);
process.exitCode = failed.length ? 1 : 0;

// The seed's PINN suites on the 2-D elastic-wave problem (ρ = 1, λ = 1, μ = 0.5), float32.
// PyTorch runs the same work written the way a careful user would (each gradient row once).
import { nn, noGrad, optim, pinn, rand, tidy, keep } from '../../dist/index.js';
import { atenOps } from '../lib/op_counts.mjs';

/** Frees what a case built (modules, problems, optimizers, tensors). */
const dispose = (things) => { for (const t of things) t.dispose(); };

const CONSTANTS = { rho: 1, lambda: 1, mu: 0.5 };
const REF = [3, 64, 64, 64, 2];

/**
 * The library's elastic-wave recipe on N uniform random points (the global stream, as the
 * PyTorch side draws them); with boundary or initial points, the zero-valued terms PyTorch's
 * 'step' case adds (bc on ux and uy, displacement and velocity of ux only), which are a cost
 * case and not the recipe's boundary and initial data.
 */
function elasticProblem(nInterior, nBoundary = 0, nInitial = 0) {
  const interior = keep(rand([nInterior, 3]));
  if (!nBoundary && !nInitial) return pinn.problems.elasticWave2D({ ...CONSTANTS, interior, boundary: 0, initial: 0, loss: 'mse' });
  const conditions = [new pinn.PDE('pde', interior, pinn.pdes.elasticWave2D(), { loss: 'mse' })];
  if (nBoundary) {
    conditions.push(new pinn.DirichletBC('bc_ux', keep(rand([nBoundary, 3])), 0, { output: 'ux', loss: 'mse' }));
    conditions.push(new pinn.DirichletBC('bc_uy', conditions[1].points, 0, { output: 'uy', loss: 'mse' }));
  }
  if (nInitial) {
    const ic = tidy(() => keep(rand([nInitial, 3]).mul(rand([1]).mul(0).add(1)))); // t column is irrelevant to cost
    conditions.push(new pinn.InitialCondition('ic_ux', ic, 0, { output: 'ux', loss: 'mse' }));
    conditions.push(new pinn.InitialVelocity('iv_ux', ic, 0, { output: 'ux', loss: 'mse' }));
  }
  return new pinn.Problem({ inputs: ['x', 'y', 't'], outputs: ['ux', 'uy'], constants: CONSTANTS, conditions });
}

function stepCase(name, sizes, n, extra = {}) {
  return {
    name, inner: 5,
    js() {
      const problem = elasticProblem(n, extra.boundary ?? 0, extra.initial ?? 0);
      const net = new nn.MLP(sizes, { seed: 0, init: 'default' });
      const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
      const step = () => tidy(() => { opt.zeroGrad(); problem.total(problem.losses(net)).backward(); opt.step(); });
      const run = () => { for (let i = 0; i < 5; i++) step(); };
      return Object.assign(run, { facts: () => ({ atenOpsPerStep: atenOps(step) }), dispose: () => dispose([opt, net, problem]) });
    },
    torch: { suite: 'pinn', params: { kind: 'step', sizes, n, boundary: extra.boundary ?? 0, initial: extra.initial ?? 0 } },
  };
}

/** Each loss term alone: the PDE residual on 1000 points, the boundary term (ux = uy = 0) and the
 * initial term (displacement and velocity of ux) on 100 points each. */
function termCase(term) {
  const label = { pde: 'PDE residual, N 1000', bc: 'boundary condition, N 100', ic: 'initial condition (value and velocity), N 100' }[term];
  const n = term === 'pde' ? 1000 : 100;
  return {
    name: `loss term alone: ${label}`, inner: 5, points: n,
    js() {
      const problem = term === 'pde' ? elasticProblem(n) : termProblem(term, n);
      const net = new nn.MLP(REF, { seed: 0, init: 'default' });
      return Object.assign(() => { for (let i = 0; i < 5; i++) tidy(() => problem.total(problem.losses(net)).item()); }, { dispose: () => dispose([net, problem]) });
    },
    torch: { suite: 'pinn', params: { kind: 'term', term, sizes: REF, n } },
  };
}

/** A problem of only the boundary ('bc') or only the initial ('ic') terms of elasticProblem. */
function termProblem(term, n) {
  const points = keep(rand([n, 3]));
  const conditions = term === 'bc'
    ? [new pinn.DirichletBC('bc_ux', points, 0, { output: 'ux', loss: 'mse' }), new pinn.DirichletBC('bc_uy', points, 0, { output: 'uy', loss: 'mse' })]
    : [new pinn.InitialCondition('ic_ux', points, 0, { output: 'ux', loss: 'mse' }), new pinn.InitialVelocity('iv_ux', points, 0, { output: 'ux', loss: 'mse' })];
  return new pinn.Problem({ inputs: ['x', 'y', 't'], outputs: ['ux', 'uy'], constants: CONSTANTS, conditions });
}

/** backward() alone: the loss graph is built outside the time; the gradients' bytes are reported. */
const backwardOnly = {
  name: 'backward alone (graph built untimed), N 1000', inner: 5, selfTimed: true, variants: ['func'],
  js() {
    const problem = elasticProblem(1000); const net = new nn.MLP(REF, { seed: 0, init: 'default' });
    const fn = () => {
      let ns = 0;
      for (let i = 0; i < 5; i++) {
        tidy(() => {
          net.zeroGrad();
          const loss = problem.total(problem.losses(net));
          const t0 = process.hrtime.bigint(); loss.backward(); ns += Number(process.hrtime.bigint() - t0);
        });
      }
      return ns;
    };
    const facts = () => ({ gradientBytes: net.parameters().reduce((a, p) => a + (p.grad ? p.grad.numel * 4 : 0), 0) });
    return Object.assign(fn, { facts, dispose: () => dispose([net, problem]) });
  },
  torch: { suite: 'pinn', params: { kind: 'backward-only', sizes: REF, n: 1000 } },
};

// The seed's forward-pass batches (32, 128, 512, 2048), with throughput.
const forward = [32, 128, 512, 2048].map((n) => ({
  name: `forward, batch ${n}`, inner: 20, points: n,
  js() {
    const net = new nn.MLP(REF, { seed: 0, init: 'default' }); const x = keep(rand([n, 3]));
    return Object.assign(() => noGrad(() => tidy(() => { for (let i = 0; i < 20; i++) net.forward(x); })), { dispose: () => dispose([net, x]) });
  },
  torch: { suite: 'pinn', params: { kind: 'forward', sizes: REF, n } },
}));

export default {
  name: 'pinn',
  cases: [
    ...forward,
    {
      name: 'loss (residual with 2nd derivatives), N 1000', inner: 5, variants: ['func'],
      js() {
        const problem = elasticProblem(1000); const net = new nn.MLP(REF, { seed: 0, init: 'default' });
        return Object.assign(() => { for (let i = 0; i < 5; i++) tidy(() => problem.total(problem.losses(net)).item()); }, { dispose: () => dispose([net, problem]) });
      },
      torch: { suite: 'pinn', params: { kind: 'loss', sizes: REF, n: 1000 } },
    },
    {
      name: 'loss + backward, N 1000', inner: 5, variants: ['func'],
      js() {
        const problem = elasticProblem(1000); const net = new nn.MLP(REF, { seed: 0, init: 'default' });
        return Object.assign(() => { for (let i = 0; i < 5; i++) tidy(() => { net.zeroGrad(); problem.total(problem.losses(net)).backward(); }); }, { dispose: () => dispose([net, problem]) });
      },
      torch: { suite: 'pinn', params: { kind: 'backward', sizes: REF, n: 1000 } },
    },
    ...['pde', 'bc', 'ic'].map(termCase),
    backwardOnly,
    { ...stepCase('epoch: 1000 interior / 100 boundary / 100 initial, Adam', REF, 1000, { boundary: 100, initial: 100 }), variants: ['func'] },
    ...[[3, 32, 32, 2], [3, 64, 64, 64, 2], [3, 128, 128, 128, 128, 2], [3, 256, 256, 2], [3, 64, 64, 64, 64, 64, 64, 2]]
      .map((s) => stepCase(`network ${s.slice(1, -1).join('×')}, step N 1000`, s, 1000)),
    // The seed's batch scaling: 16, 64, 256, 1024, 4096 points per step.
    ...[16, 64, 256, 1024, 4096].map((n) => ({ ...stepCase(`batch ${n}, step 3→64×3→2`, REF, n), points: n })),
  ],
};

// One optimizer step on the reference MLP 3 → [64]×3 → 2, beside torch.optim.
import { keep, manualSeed, nn, noGrad, optim, rand, randn, tidy } from '../../dist/index.js';

const SIZES = [3, 64, 64, 64, 2];

export default {
  name: 'optim',
  cases: [
    {
      name: 'Adam step, MLP 3→[64]×3→2',
      inner: 20,
      js() {
        const net = new nn.MLP(SIZES, { init: 'default', seed: 0 });
        for (const p of net.parameters()) { const g = randn([...p.shape]); p.grad = g; g.dispose(); } // the grad holds its own reference
        const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
        return Object.assign(() => { for (let i = 0; i < 20; i++) opt.step(); }, { dispose: () => { opt.dispose(); net.zeroGrad(); net.dispose(); } });
      },
      torch: { suite: 'optim', params: { optimizer: 'adam', sizes: SIZES, n: 1000 } },
    },
    lbfgs('L-BFGS step (5 iterations, strong Wolfe) from a fixed start, MLP 3→[64]×3→2, N=1000',
      { maxIter: 5, historySize: 10, lineSearchFn: 'strong_wolfe', lr: 1 }),
    // A full history, where the two-loop recursion is most of the optimizer's own work. Without
    // a line search every iteration is one evaluation on both sides, whatever rounding does to
    // the trajectory.
    lbfgs('L-BFGS 120 iterations with history 100 (no line search) from a fixed start, MLP 3→[64]×3→2, N=1000',
      { maxIter: 120, historySize: 100, lineSearchFn: null, lr: 0.1 }),
    // The Burgers L-BFGS phase's sizes: 921 parameters, where per-call overhead, not memory, is the cost.
    lbfgs('the same, 300 iterations, MLP 2→[20]×3→1 float64, N=2540',
      { maxIter: 300, historySize: 100, lineSearchFn: null, lr: 0.1 }, { sizes: [2, 20, 20, 20, 1], n: 2540, dtype: 'float64' }),
  ],
};

/**
 * One LBFGS.step per call from the same start with a fresh optimizer on both sides (the same
 * weights and data: manualSeed(0) draws what torch.manual_seed(0) does), so both do the same
 * iterations and evaluations instead of diverging trajectories.
 */
function lbfgs(name, o, { sizes = SIZES, n = 1000, dtype = 'float32' } = {}) {
  return {
    name,
    inner: 1,
    js() {
      manualSeed(0);
      const net = new nn.MLP(sizes, { init: 'default', dtype });
      const x = keep(rand([n, sizes[0]], { dtype })), y = keep(rand([n, sizes.at(-1)], { dtype }));
      const params = net.parameters(), start = tidy(() => params.map((p) => keep(p.detach().clone())));
      const closure = () => { net.zeroGrad(); const l = net.forward(x).sub(y).square().mean(); l.backward(); return l; };
      const run = () => tidy(() => {
        noGrad(() => params.forEach((p, i) => p.copy_(start[i])));
        const opt = new optim.LBFGS(params, { ...o, toleranceChange: 0, toleranceGrad: 0 });
        opt.step(closure);
        opt.dispose();
      });
      return Object.assign(run, { dispose: () => { net.zeroGrad(); net.dispose(); for (const t of [x, y, ...start]) t.dispose(); } });
    },
    torch: { suite: 'optim', params: { optimizer: 'lbfgs', sizes, n, dtype, ...o } },
  };
}

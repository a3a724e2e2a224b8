// One optimizer step on the reference MLP 3 → [64]×3 → 2, beside torch.optim.
import { manualSeed, nn, noGrad, optim, rand, randn, tidy, keep } from '../../dist/index.js';

const SIZES = [3, 64, 64, 64, 2];

export default {
  name: 'optim',
  cases: [
    {
      name: 'Adam step, MLP 3→[64]×3→2',
      inner: 20,
      js() {
        const net = new nn.MLP(SIZES, { init: 'default', seed: 0 });
        for (const p of net.parameters()) p.grad = keep(randn([...p.shape]));
        const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
        return Object.assign(() => { for (let i = 0; i < 20; i++) opt.step(); }, { dispose: () => { opt.dispose(); net.zeroGrad(); net.dispose(); } });
      },
      torch: { suite: 'optim', params: { optimizer: 'adam', sizes: SIZES, n: 1000 } },
    },
    {
      // Every call restores the same start and a fresh optimizer on both sides (the same weights
      // and data: manualSeed(0) draws what torch.manual_seed(0) does), so both do the same
      // iterations and line-search evaluations instead of diverging trajectories.
      name: 'L-BFGS step (5 iterations, strong Wolfe) from a fixed start, MLP 3→[64]×3→2, N=1000',
      inner: 1,
      js() {
        manualSeed(0);
        const net = new nn.MLP(SIZES, { init: 'default' });
        const x = keep(rand([1000, 3])), y = keep(rand([1000, 2]));
        const params = net.parameters(), start = params.map((p) => keep(p.detach().clone()));
        const closure = () => { net.zeroGrad(); const l = net.forward(x).sub(y).square().mean(); l.backward(); return l; };
        const run = () => tidy(() => {
          noGrad(() => params.forEach((p, i) => p.copy_(start[i])));
          const opt = new optim.LBFGS(params, { lr: 1, maxIter: 5, historySize: 10, lineSearchFn: 'strong_wolfe', toleranceChange: 0, toleranceGrad: 0 });
          opt.step(closure);
          opt.dispose();
        });
        return Object.assign(run, { dispose: () => { net.zeroGrad(); net.dispose(); for (const t of [x, y, ...start]) t.dispose(); } });
      },
      torch: { suite: 'optim', params: { optimizer: 'lbfgs', sizes: SIZES, n: 1000, maxIter: 5 } },
    },
  ],
};

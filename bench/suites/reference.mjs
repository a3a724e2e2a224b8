// Issue #7's reference step: MLP (x, y, t) → 3×64 tanh → (ux, uy), float32, N = 1000, 2-D
// elastic-wave residual (ρ = 1, λ = 1, μ = 0.5), loss = mean(r₁²) + mean(r₂²), backward,
// Adam (lr 1e-3); one step per call. pinn-torch uses Problem's default derivatives ('auto':
// forward-mode through the MLP); PyTorch the standard nested autograd.grad(create_graph=True).
// The 'autograd' case is pinn-torch on PyTorch's algorithm, to separate algorithm from bridge.
import { keep, nn, optim, pinn, rand, tidy } from '../../dist/index.js';
import { atenOps } from '../lib/op_counts.mjs';

const SIZES = [3, 64, 64, 64, 2];

function referenceStep(derivatives) {
  // The library's recipe on 1000 uniform random points (the global stream, as PyTorch draws them), PDE term only.
  const problem = pinn.problems.elasticWave2D({ rho: 1, lambda: 1, mu: 0.5, interior: keep(rand([1000, 3])), boundary: 0, initial: 0, loss: 'mse', derivatives });
  const net = new nn.MLP(SIZES, { seed: 0, init: 'default' });
  const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
  const step = () => tidy(() => { opt.zeroGrad(); problem.total(problem.losses(net)).backward(); opt.step(); });
  step(); // the first step learns which derivatives the residual asks for
  return Object.assign(step, { dispose: () => { opt.dispose(); net.dispose(); problem.dispose(); } });
}
const fiveSteps = (s) => Object.assign(() => { for (let i = 0; i < 5; i++) s(); }, { facts: () => ({ atenOpsPerStep: atenOps(s) }), dispose: s.dispose });

const torch = { suite: 'pinn', params: { kind: 'step', sizes: SIZES, n: 1000 } };

export default {
  name: 'reference',
  cases: [
    // PyTorch 2.x also runs it with torch.func and under torch.compile (once: both cases send the same step).
    { name: 'reference step (forward-mode derivatives)', inner: 5, js: () => fiveSteps(referenceStep('auto')), torch, variants: ['func', 'compile', 'func+compile'] },
    { name: 'reference step, nested autograd', inner: 5, js: () => fiveSteps(referenceStep('autograd')), torch },
  ],
};

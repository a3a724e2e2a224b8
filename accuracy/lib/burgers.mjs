// Burgers u_t + u u_x = ν u_xx on [−1, 1] × [0, 1], u(x, 0) = −sin πx, u(±1, t) = 0 (Raissi et al.'s
// setup): the Cole–Hopf solution as a tensor function, differentiable by autograd in x and t, so
// check.mjs can put it through the problems' own residuals. An independent implementation of
// pinn.references.burgers (same quadrature idea: η = √(4νt)·z on a z-grid, in log space).
import { linspace } from '../../dist/index.js';
import { col } from './common.mjs';

export const NU = 0.01 / Math.PI;

/** u(x, t) for x [N, 2] (t > 0 where derivatives are taken: √t is not differentiable at 0). */
export function coleHopf(x, { nu = NU, nodes = 2001, zMax = 9 } = {}) {
  const z = linspace(-zMax, zMax, nodes, { dtype: x.dtype }).reshape(1, -1);
  const s = col(x, 1).mul(4 * nu).sqrt();              // [N, 1]
  const y = col(x, 0).sub(s.mul(z));                   // [N, M]
  const e = z.square().neg().sub(y.mul(Math.PI).cos().div(2 * Math.PI * nu));
  const w = e.sub(e.max(1, true).detach()).exp();      // the shift cancels in the ratio
  return y.mul(Math.PI).sin().mul(w).sum(1, true).div(w.sum(1, true)).neg();
}

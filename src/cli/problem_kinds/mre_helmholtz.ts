// The constant-stiffness elastography problem on synthetic plane-wave data: pinn.problems.mre.
import { z } from 'zod';
import * as pinn from '../../pinn/index.js';
import { count, positive, problemKind, sampler } from './kind.js';
import { dtypeOf, fromRecipe } from './recipe.js';

export const mreHelmholtz = problemKind({
  name: 'mre-helmholtz',
  doc: 'μ(x)∇²u + ρω²u = 0 on [0,1]², u the plane wave of a tissue of one stiffness, μ(x) learned by a second network (outputs u_re, u_im, mu)',
  schema: z.strictObject({
    type: z.literal('mre-helmholtz'),
    rho: positive, omega: positive,
    /** Stiffness of the tissue that produced the synthetic wave data; the network must find it. */
    stiffness: positive,
    points: count, sampler,
    /** Hidden layers of the separate stiffness network. */
    stiffnessHidden: z.array(count).min(1),
  }),
  build: (p, ctx) => {
    const { type: _, ...o } = p;
    const problem = pinn.problems.mre({ ...o, seed: ctx.seed, dtype: dtypeOf(ctx) }) as pinn.RecipeProblem;
    return fromRecipe(problem, ctx, { axes: ['x', 'y'], ranges: [[0, 1], [0, 1]], n: 41, fill: (x, y) => [x, y], title: 'displacement and stiffness' });
  },
});

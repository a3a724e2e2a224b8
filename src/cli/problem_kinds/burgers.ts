// Burgers' equation u_t + u u_x = ν u_xx with u(x, 0) = −sin πx: pinn.problems.burgers.
import { z } from 'zod';
import * as pinn from '../../pinn/index.js';
import { count, positive, problemKind, sampler } from './kind.js';
import { dtypeOf, fromRecipe } from './recipe.js';

export const burgers = problemKind({
  name: 'burgers',
  doc: "u_t + u u_x = ν u_xx on x ∈ [−1,1], t ∈ [0,1], u(x,0) = −sin πx, Cole–Hopf reference (output u)",
  schema: z.strictObject({
    type: z.literal('burgers'),
    nu: positive, interior: count, boundary: count, initial: count, sampler,
  }),
  build: (p, ctx) => {
    const { type: _, ...o } = p;
    const problem = pinn.problems.burgers({ ...o, seed: ctx.seed, dtype: dtypeOf(ctx) }) as pinn.RecipeProblem;
    return fromRecipe(problem, ctx, { axes: ['x', 't'], ranges: [[-1, 1], [0, 1]], n: 101, fill: (x, t) => [x, t], title: 'u(x, t)' });
  },
});

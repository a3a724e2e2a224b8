// −∇²u = 2π² sin πx sin πy on the unit square, u = 0 on its boundary: pinn.problems.poisson2D.
import { z } from 'zod';
import * as pinn from '../../pinn/index.js';
import { count, problemKind, sampler } from './kind.js';
import { dtypeOf, fromRecipe } from './recipe.js';

export const poisson2D = problemKind({
  name: 'poisson-2d',
  doc: '−∇²u = 2π² sin πx sin πy on [0,1]², u = 0 on the boundary, imposed exactly (output u)',
  schema: z.strictObject({ type: z.literal('poisson-2d'), points: count, sampler }),
  build: (p, ctx) => {
    const { type: _, ...o } = p;
    const problem = pinn.problems.poisson2D({ ...o, seed: ctx.seed, dtype: dtypeOf(ctx) }) as pinn.RecipeProblem;
    return fromRecipe(problem, ctx, { axes: ['x', 'y'], ranges: [[0, 1], [0, 1]], n: 51, fill: (x, y) => [x, y], title: 'u' });
  },
});

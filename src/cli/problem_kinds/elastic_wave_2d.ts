// 2-D isotropic elastic waves (the Rust seed's problem): pinn.problems.elasticWave2D.
import { z } from 'zod';
import * as pinn from '../../pinn/index.js';
import { count, positive, problemKind, sampler } from './kind.js';
import { dtypeOf, fromRecipe } from './recipe.js';

export const elasticWave2D = problemKind({
  name: 'elastic-wave-2d',
  doc: 'ρ u_tt = (λ+2μ)∇(∇·u) − μ∇×∇×u on [0,1]² × [0,1], plane P and S waves as reference (outputs ux, uy)',
  schema: z.strictObject({
    type: z.literal('elastic-wave-2d'),
    rho: positive, lambda: positive, mu: positive,
    /** Plane waves of wavenumber k: P-wave amplitude A in ux, S-wave amplitude B in uy. */
    k: positive, A: z.number(), B: z.number(),
    interior: count, boundary: count, initial: count, sampler,
    /** Time of the field plots (the evaluation grid covers all times). */
    plotTime: z.number().min(0).max(1),
  }),
  build: (p, ctx) => {
    const { type: _, plotTime, ...o } = p;
    const problem = pinn.problems.elasticWave2D({ ...o, seed: ctx.seed, dtype: dtypeOf(ctx) }) as pinn.RecipeProblem;
    return fromRecipe(problem, ctx, { axes: ['x', 'y'], ranges: [[0, 1], [0, 1]], n: 61, fill: (x, y) => [x, y, plotTime], title: `t = ${plotTime}` });
  },
});

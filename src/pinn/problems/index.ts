// Ready-made problems ("recipes"): each returns a RecipeProblem, a Problem with its reference
// solution and what training it needs (domain, suggested network, where new points come from,
// an evaluation grid). Options take defaults (the CLI presets' values) and are checked.
//   const problem = pinn.problems.burgers({ nu: 0.01 / Math.PI });
//   const model = problem.recipe.createModel({ seed: 0 });
export { elasticWave2D, type ElasticWave2DOptions } from './elastic_wave_2d.js';
export { mre, type MreOptions } from './mre.js';
export { poisson2D, type Poisson2DOptions } from './poisson_2d.js';
export { burgers, type BurgersOptions } from './burgers.js';
export { RecipeProblem, type RecipeInfo, type ModelOptions, type PointKind, type CommonOptions } from './recipe.js';

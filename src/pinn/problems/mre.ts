// Magnetic resonance elastography (the elastography seed's problem), scalar Helmholtz form:
//   μ(x) ∇²u + ρ ω² u = 0,   u complex (outputs u_re, u_im),   (x, y) ∈ [0, 1]²,
// an inverse problem: the displacement u is observed (synthetic data: the plane wave
// u = exp(i k x), k = ω √(ρ/μ₀), of a tissue of stiffness μ₀) and the stiffness μ(x) is a third
// output, learned by a second network; the reference is that wave and μ ≡ μ₀.
import { cat } from '../../functional.js';
import { type DType } from '../../dtype.js';
import { Rectangle } from '../../geometry/box.js';
import { type SamplerName } from '../../geometry/sampler.js';
import { Concat } from '../../nn/concat.js';
import { type Tensor } from '../../tensor.js';
import { PDE, PointSetData } from '../conditions.js';
import * as pdes from '../pdes.js';
import { helmholtzPlaneWave } from '../references.js';
import { type CommonOptions, RecipeProblem, checkWeights, col, is, mlp, planeGrid, pointsOf, readOptions, redraws, termOptions } from './recipe.js';

export interface MreOptions extends CommonOptions {
  /** Density ρ (default 1) and angular frequency ω (default 2π). */
  rho?: number; omega?: number;
  /** Stiffness μ₀ of the tissue that produced the wave data; the network must find it (default 1). */
  stiffness?: number;
  /** Points for both the data and the PDE: how many (default 800), or the points [N, 2]. */
  points?: number | Tensor;
  /** Hidden layers of the separate stiffness network (default [16, 16]). */
  stiffnessHidden?: number[];
}

const NAME = 'mre';

export function mre(options: MreOptions = {}): RecipeProblem<MreOptions> {
  const o = readOptions<MreOptions>(NAME, options, {
    rho: 1, omega: 2 * Math.PI, stiffness: 1, points: 800, stiffnessHidden: [16, 16],
    seed: 0, sampler: 'sobol' as SamplerName, dtype: 'float64' as DType, loss: 'msae', derivatives: 'auto',
  }, { rho: is.positive, omega: is.positive, stiffness: is.positive, points: is.points(2), stiffnessHidden: is.widths });
  const terms = ['wave', 'pde'];
  checkWeights(NAME, o.weights, terms);
  const dtype: DType = options.dtype ?? (typeof o.points === 'number' ? o.dtype : o.points.dtype as DType);
  const wave = helmholtzPlaneWave({ rho: o.rho, omega: o.omega, mu: o.stiffness });
  const square = new Rectangle([0, 0], [1, 1]);
  const X = pointsOf(o.points, 2, dtype, (n) => square.interior(n, { sampler: o.sampler, seed: o.seed }))!;
  const model = { hidden: [32, 32, 32], activation: 'tanh' as const, init: 'xavierNormal' as const };
  return new RecipeProblem({
    inputs: ['x', 'y'], outputs: ['u_re', 'u_im', 'mu'], constants: { rho: o.rho, omega: o.omega }, dtype, derivatives: o.derivatives,
    conditions: [
      new PointSetData('wave', X, wave(X), { outputs: ['u_re', 'u_im'], ...termOptions(o, 'wave') }),
      new PDE('pde', X, pdes.helmholtz({ muOutput: 'mu' }), termOptions(o, 'pde')),
    ],
    // The displacement is the data's plane wave; the stiffness should come out constant.
    reference: (x) => cat([wave(x), col(x, 0).mul(0).add(o.stiffness)], 1),
  }, {
    name: NAME,
    equation: 'μ(x)∇²u + ρω²u = 0 on [0, 1]², u complex and observed, the stiffness μ(x) learned',
    options: { ...o, dtype },
    domain: square,
    model,
    // Separate displacement and stiffness networks, as MREPINN does (the stiffness one seeded seed + 1).
    createModel: (m = {}) => {
      const seed = m.seed ?? o.seed;
      return new Concat(mlp(2, 2, m, model, dtype, seed), mlp(2, 1, { ...m, hidden: o.stiffnessHidden, seed: seed + 1 }, model, dtype, seed + 1));
    },
    // 'wave' has none: its points carry the observed displacements.
    sources: (kind = 'fresh') => ({ pde: redraws(square, o.sampler, kind).interior }),
    evalPoints: (e = {}) => planeGrid([0, 1], [0, 1], 41, e.dtype ?? dtype),
  });
}

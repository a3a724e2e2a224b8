// Poisson's equation on the unit square with a closed-form solution:
//   −∇²u = 2π² sin πx sin πy on [0, 1]²,  u = 0 on the boundary;  u = sin πx sin πy.
// The boundary condition is imposed exactly: u = x(1−x) y(1−y) · N(x, y), so the only loss term
// is the PDE's.
import { type DType } from '../../dtype.js';
import { Rectangle } from '../../geometry/box.js';
import { type SamplerName } from '../../geometry/sampler.js';
import { type Tensor } from '../../tensor.js';
import { PDE } from '../conditions.js';
import * as pdes from '../pdes.js';
import { poisson2D as exact } from '../references.js';
import { type CommonOptions, RecipeProblem, checkWeights, col, is, mlp, planeGrid, pointsOf, readOptions, redraws, termOptions } from './recipe.js';

export interface Poisson2DOptions extends CommonOptions {
  /** Interior (PDE) points: how many (default 600), or the points [N, 2]. */
  points?: number | Tensor;
}

const NAME = 'poisson2D';

export function poisson2D(options: Poisson2DOptions = {}): RecipeProblem<Poisson2DOptions> {
  const o = readOptions<Poisson2DOptions>(NAME, options, {
    points: 600, seed: 0, sampler: 'sobol' as SamplerName, dtype: 'float64' as DType, loss: 'msae', derivatives: 'auto',
  }, { points: is.points(2) });
  checkWeights(NAME, o.weights, ['pde']);
  const dtype: DType = options.dtype ?? (typeof o.points === 'number' ? o.dtype : o.points.dtype as DType);
  const square = new Rectangle([0, 0], [1, 1]);
  const X = pointsOf(o.points, 2, dtype, (n) => square.interior(n, { sampler: o.sampler, seed: o.seed }))!;
  const model = { hidden: [32, 32, 32], activation: 'tanh' as const, init: 'xavierNormal' as const };
  return new RecipeProblem({
    inputs: ['x', 'y'], outputs: ['u'], dtype, derivatives: o.derivatives,
    conditions: [new PDE('pde', X, pdes.poisson(exact.source), termOptions(o, 'pde'))],
    // u = x(1−x)y(1−y)·N: zero on the boundary by construction
    outputTransform: (x, u) => col(x, 0).mul(col(x, 0).rsub(1)).mul(col(x, 1)).mul(col(x, 1).rsub(1)).mul(u),
    reference: exact.solution,
  }, {
    name: NAME,
    equation: '−∇²u = 2π² sin πx sin πy on [0, 1]², u = 0 on the boundary (imposed exactly)',
    options: { ...o, dtype },
    domain: square,
    model,
    createModel: (m = {}) => mlp(2, 1, m, model, dtype, o.seed),
    sources: (kind = 'fresh') => ({ pde: redraws(square, o.sampler, kind).interior }),
    evalPoints: (e = {}) => planeGrid([0, 1], [0, 1], 51, e.dtype ?? dtype),
  });
}

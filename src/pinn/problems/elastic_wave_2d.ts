// 2-D isotropic elastic waves (the Rust seed's problem):
//   ρ u_tt = (λ+2μ) ∇(∇·u) − μ ∇×∇×u,   u = (ux, uy),   (x, y, t) ∈ [0, 1]² × [0, 1],
// with the superposed plane P wave (in ux) and S wave (in uy) as exact solution,
//   ux = A sin(k x − ω_p t), uy = B sin(k x − ω_s t), ω_p = k √((λ+2μ)/ρ), ω_s = k √(μ/ρ),
// which also gives the boundary values, the initial displacement and the initial velocity.
import { type DType } from '../../dtype.js';
import { Rectangle } from '../../geometry/box.js';
import { GeometryXTime, TimeDomain } from '../../geometry/time.js';
import { type SamplerName } from '../../geometry/sampler.js';
import { tensor } from '../../creation.js';
import { type Tensor } from '../../tensor.js';
import { type Condition, DirichletBC, InitialCondition, InitialVelocity, PDE } from '../conditions.js';
import * as pdes from '../pdes.js';
import { elasticPlaneWaves } from '../references.js';
import { type CommonOptions, RecipeProblem, checkWeights, col, gridRows, is, mlp, pointsOf, readOptions, redraws, termOptions } from './recipe.js';

export interface ElasticWave2DOptions extends CommonOptions {
  /** Density ρ, Lamé parameters λ and μ (default 1 each). */
  rho?: number; lambda?: number; mu?: number;
  /** Wavenumber of both plane waves (default π), P-wave amplitude A in ux (default 1), S-wave amplitude B in uy (default 0.5). */
  k?: number; A?: number; B?: number;
  /** Interior (PDE) points: how many to draw (default 2000), or the points [N, 3] themselves. */
  interior?: number | Tensor;
  /** Boundary points for ux and uy (default 400; 0: no boundary terms), or the points. */
  boundary?: number | Tensor;
  /** Initial-time points for displacement and velocity (default 400; 0: no initial terms), or the points. */
  initial?: number | Tensor;
}

const NAME = 'elasticWave2D';

export function elasticWave2D(options: ElasticWave2DOptions = {}): RecipeProblem<ElasticWave2DOptions> {
  const o = readOptions<ElasticWave2DOptions>(NAME, options, {
    rho: 1, lambda: 1, mu: 1, k: Math.PI, A: 1, B: 0.5, interior: 2000, boundary: 400, initial: 400,
    seed: 0, sampler: 'sobol' as SamplerName, dtype: 'float32' as DType, loss: 'msae', derivatives: 'auto',
  }, {
    rho: is.positive, lambda: is.positive, mu: is.positive, k: is.positive, A: is.finite, B: is.finite,
    interior: is.points(3), boundary: is.points(3, 0), initial: is.points(3, 0),
  });
  const terms = ['pde', ...(o.boundary === 0 ? [] : ['bc_ux', 'bc_uy']), ...(o.initial === 0 ? [] : ['ic_ux', 'ic_uy', 'iv_ux', 'iv_uy'])];
  checkWeights(NAME, o.weights, terms);
  // Points given as tensors set the dtype unless the caller set one.
  const given = [o.interior, o.boundary, o.initial].find((p): p is Tensor => typeof p !== 'number');
  const dtype: DType = options.dtype ?? given?.dtype as DType | undefined ?? o.dtype;

  const constants = { rho: o.rho, lambda: o.lambda, mu: o.mu };
  const wp = o.k * Math.sqrt((o.lambda + 2 * o.mu) / o.rho), ws = o.k * Math.sqrt(o.mu / o.rho);
  const reference = elasticPlaneWaves({ ...constants, k: o.k, A: o.A, B: o.B });
  const component = (i: number) => (x: Tensor) => reference(x).narrow(1, i, 1);
  // ∂/∂t of amplitude·sin(kx − ωt) at t = 0
  const velocity = (amplitude: number, omega: number) => (x: Tensor) => col(x, 0).mul(o.k).cos().mul(-amplitude * omega);
  const domain = new GeometryXTime(new Rectangle([0, 0], [1, 1]), new TimeDomain(0, 1));
  const draw = { sampler: o.sampler, seed: o.seed };
  // Terms on the same points share one forward pass and one derivative cache.
  const interior = pointsOf(o.interior, 3, dtype, (n) => domain.interior(n, draw))!;
  const boundary = pointsOf(o.boundary, 3, dtype, (n) => domain.boundary(n, draw).points);
  const initial = pointsOf(o.initial, 3, dtype, (n) => domain.initial(n, draw));
  const t = (term: string) => termOptions(o, term);
  const conditions: Condition[] = [new PDE('pde', interior, pdes.elasticWave2D(), t('pde'))];
  if (boundary) {
    conditions.push(
      new DirichletBC('bc_ux', boundary, component(0), { output: 'ux', ...t('bc_ux') }),
      new DirichletBC('bc_uy', boundary, component(1), { output: 'uy', ...t('bc_uy') }));
  }
  if (initial) {
    conditions.push(
      new InitialCondition('ic_ux', initial, component(0), { output: 'ux', ...t('ic_ux') }),
      new InitialCondition('ic_uy', initial, component(1), { output: 'uy', ...t('ic_uy') }),
      new InitialVelocity('iv_ux', initial, velocity(o.A, wp), { output: 'ux', ...t('iv_ux') }),
      new InitialVelocity('iv_uy', initial, velocity(o.B, ws), { output: 'uy', ...t('iv_uy') }));
  }
  const model = { hidden: [64, 64, 64], activation: 'tanh' as const, init: 'xavierNormal' as const };
  return new RecipeProblem({ inputs: ['x', 'y', 't'], outputs: ['ux', 'uy'], constants, dtype, derivatives: o.derivatives, conditions, reference }, {
    name: NAME,
    equation: 'ρ u_tt = (λ+2μ)∇(∇·u) − μ∇×∇×u on [0, 1]² × [0, 1], plane P (ux) and S (uy) waves',
    options: { ...o, dtype },
    domain,
    model,
    createModel: (m = {}) => mlp(3, 2, m, model, dtype, o.seed),
    sources: (kind = 'fresh') => {
      const next = redraws(domain, o.sampler, kind);
      return Object.fromEntries(terms.map((term) => [term, term === 'pde' ? next.interior : term.startsWith('bc') ? next.boundary : next.initial]));
    },
    // 41 × 41 in space, 11 times; x outer, t fastest
    evalPoints: (e = {}) => tensor(gridRows([{ lo: 0, hi: 1, n: 41 }, { lo: 0, hi: 1, n: 41 }, { lo: 0, hi: 1, n: 11 }]), { dtype: e.dtype ?? dtype }),
  });
}

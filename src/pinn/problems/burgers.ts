// Burgers' equation (Raissi et al. 2019's setup; DeepXDE's example):
//   u_t + u u_x = ν u_xx,  x ∈ [−1, 1], t ∈ [0, 1],  u(x, 0) = −sin πx,  u(±1, t) = 0,
// ν = 0.01/π by default; the reference is the Cole–Hopf solution by quadrature
// (pinn.references.burgers), memoized for the last point sets asked (evaluation grids).
import { tensor } from '../../creation.js';
import { noGrad } from '../../autograd.js';
import { type DType } from '../../dtype.js';
import { Interval } from '../../geometry/box.js';
import { type SamplerName } from '../../geometry/sampler.js';
import { GeometryXTime, TimeDomain } from '../../geometry/time.js';
import { tidy } from '../../memory.js';
import { type Tensor } from '../../tensor.js';
import { type Condition, DirichletBC, InitialCondition, PDE } from '../conditions.js';
import * as pdes from '../pdes.js';
import { burgers as coleHopf } from '../references.js';
import { type CommonOptions, RecipeProblem, checkWeights, col, is, mlp, planeGrid, pointsOf, readOptions, redraws, termOptions } from './recipe.js';

export interface BurgersOptions extends CommonOptions {
  /** Viscosity ν (default 0.01/π). */
  nu?: number;
  /** Interior (PDE) points: how many (default 2540), or the points [N, 2] (x, t). */
  interior?: number | Tensor;
  /** Boundary points x = ±1 (default 80; 0: no boundary term), or the points. */
  boundary?: number | Tensor;
  /** Initial-time points (default 160; 0: no initial term), or the points. */
  initial?: number | Tensor;
}

const NAME = 'burgers';

/**
 * The Cole–Hopf quadrature costs ~0.1-0.5 ms a point (4001 nodes): the values of the last `keep` point sets asked
 * are kept (as host arrays) and returned again when the same points (by value) come back, as an
 * evaluation grid does every evaluation, in whatever dtype it comes.
 */
function memoized(f: (x: Tensor) => Tensor, keep = 2): (x: Tensor) => Tensor {
  const seen: Array<{ rows: Float64Array; values: Float64Array; cols: number }> = [];
  return (x) => {
    const rows = noGrad(() => tidy(() => x.to('float64').data() as Float64Array));
    const hit = seen.find((s) => s.rows.length === rows.length && s.rows.every((v, i) => v === rows[i]));
    if (hit) return tensor(hit.values, { shape: [x.shape[0], hit.cols] }).to({ dtype: x.dtype });
    // Computed at the points as given (rounded to their dtype), in float64, whatever the dtype asked.
    const u = f(x.dtype === 'float64' ? x : x.to('float64'));
    const values = noGrad(() => tidy(() => u.data() as Float64Array));
    seen.unshift({ rows, values, cols: u.shape[1] });
    seen.length = Math.min(seen.length, keep);
    return u.dtype === x.dtype ? u : u.to({ dtype: x.dtype });
  };
}

export function burgers(options: BurgersOptions = {}): RecipeProblem<BurgersOptions> {
  const o = readOptions<BurgersOptions>(NAME, options, {
    nu: 0.01 / Math.PI, interior: 2540, boundary: 80, initial: 160,
    seed: 0, sampler: 'halton' as SamplerName, dtype: 'float32' as DType, loss: 'msae', derivatives: 'auto',
  }, { nu: is.positive, interior: is.points(2), boundary: is.points(2, 0), initial: is.points(2, 0) });
  const terms = ['pde', ...(o.boundary === 0 ? [] : ['bc']), ...(o.initial === 0 ? [] : ['ic'])];
  checkWeights(NAME, o.weights, terms);
  const given = [o.interior, o.boundary, o.initial].find((p): p is Tensor => typeof p !== 'number');
  const dtype: DType = options.dtype ?? given?.dtype as DType | undefined ?? o.dtype;
  const domain = new GeometryXTime(new Interval(-1, 1), new TimeDomain(0, 1));
  const draw = { sampler: o.sampler, seed: o.seed };
  const interior = pointsOf(o.interior, 2, dtype, (n) => domain.interior(n, draw))!;
  const boundary = pointsOf(o.boundary, 2, dtype, (n) => domain.boundary(n, draw).points);
  const initial = pointsOf(o.initial, 2, dtype, (n) => domain.initial(n, draw));
  const conditions: Condition[] = [new PDE('pde', interior, pdes.burgers(), termOptions(o, 'pde'))];
  if (boundary) conditions.push(new DirichletBC('bc', boundary, 0, { output: 'u', ...termOptions(o, 'bc') }));
  if (initial) conditions.push(new InitialCondition('ic', initial, (x) => col(x, 0).mul(Math.PI).sin().neg(), { output: 'u', ...termOptions(o, 'ic') }));
  const model = { hidden: [20, 20, 20], activation: 'tanh' as const, init: 'xavierNormal' as const };
  return new RecipeProblem({
    inputs: ['x', 't'], outputs: ['u'], constants: { nu: o.nu }, dtype, derivatives: o.derivatives, conditions,
    reference: memoized(coleHopf(o.nu)),
  }, {
    name: NAME,
    equation: 'u_t + u u_x = ν u_xx on [−1, 1] × [0, 1], u(x, 0) = −sin πx, u(±1, t) = 0',
    options: { ...o, dtype },
    domain,
    model,
    createModel: (m = {}) => mlp(2, 1, m, model, dtype, o.seed),
    sources: (kind = 'fresh') => {
      const next = redraws(domain, o.sampler, kind);
      return Object.fromEntries(terms.map((term) => [term, term === 'pde' ? next.interior : term === 'bc' ? next.boundary : next.initial]));
    },
    // 101 × 101 over (x, t), t outer, x fastest
    evalPoints: (e = {}) => planeGrid([-1, 1], [0, 1], 101, e.dtype ?? dtype),
  });
}

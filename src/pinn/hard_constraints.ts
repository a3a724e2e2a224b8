// Exact Dirichlet conditions through the network's output (Sukumar & Srivastava 2022):
//   u(x) = g(x) + φ(x)·N(x),
// with φ the geometry's approximate distance function (Geometry.distance), zero on the boundary
// or on the parts chosen, so u = g there whatever the network N returns, and no boundary loss
// term is needed. g only has to be right on those parts; inside it is any smooth extension.
import { Geometry } from '../geometry/geometry.js';
import { type Where, selectParts } from '../geometry/parts.js';
import { cat } from '../functional.js';
import { Tensor } from '../tensor.js';
import { type OutputTransform } from './problem.js';

/** Boundary values: a number, or a function of the points x [N, inputs] giving [N, 1] (or [N, k] for all k outputs at once). */
export type BoundaryValue = number | ((x: Tensor) => Tensor);

export interface DirichletTransformOptions {
  /** Boundary parts where u = g (names or group prefixes of geometry.boundaryParts); default the whole boundary. */
  where?: Where;
  /** The output constrained: a column index, or a name looked up in `outputs`; default every output. */
  output?: number | string;
  /** The problem's output names, to give `output` by name. */
  outputs?: readonly string[];
}

/**
 * An output transform (x, u) ↦ g(x) + φ(x)·u for Problem's `outputTransform`, so the
 * output(s) equal g exactly on the boundary parts chosen. Only the `output` column changes
 * when one is given; for different conditions on several outputs, chain transforms:
 * (x, u) => t2(x, t1(x, u)).
 */
export function dirichletTransform(geometry: Geometry, g: BoundaryValue, o: DirichletTransformOptions = {}): OutputTransform {
  const op = 'dirichletTransform';
  if (!(geometry instanceof Geometry)) throw new TypeError(`${op}: geometry must be a geometry.Geometry, got ${geometry === null ? 'null' : typeof geometry}`);
  if (typeof g !== 'function' && !(typeof g === 'number' && Number.isFinite(g))) {
    throw new TypeError(`${op}: g must be a finite number or a function of x, got ${typeof g === 'number' ? g : typeof g}`);
  }
  if (typeof o !== 'object' || o === null) throw new TypeError(`${op}: options must be an object, got ${o === null ? 'null' : typeof o}`);
  if (o.where !== undefined) selectParts(op, geometry.boundaryParts, o.where); // unknown names fail now, not in the first step
  const column = outputIndex(op, o.output, o.outputs);
  const where = o.where;

  return (x: Tensor, u: Tensor): Tensor => {
    if (!(u instanceof Tensor) || u.ndim !== 2 || u.shape[0] !== x.shape[0]) {
      throw new Error(`${op}: the model output must be [N, outputs] for ${x.shape[0]} points, got ${u instanceof Tensor ? `[${u.shape.join(', ')}]` : typeof u}`);
    }
    if (column !== null && column >= u.shape[1]) throw new RangeError(`${op}: output ${column} is out of range for a model with ${u.shape[1]} outputs`);
    const phi = geometry.distance(x, { where });
    const target = column === null ? u : u.narrow(1, column, 1);
    const constrained = phi.mul(target).add(boundaryValue(op, g, x, target.shape[1]));
    if (column === null) return constrained;
    const k = u.shape[1];
    const pieces = [column > 0 ? u.narrow(1, 0, column) : null, constrained, column < k - 1 ? u.narrow(1, column + 1, k - column - 1) : null];
    return cat(pieces.filter((t): t is Tensor => t !== null), 1);
  };
}

function outputIndex(op: string, output: number | string | undefined, outputs: readonly string[] | undefined): number | null {
  if (output === undefined) return null;
  if (typeof output === 'number') {
    if (!Number.isSafeInteger(output) || output < 0) throw new RangeError(`${op}: output must be a column index ≥ 0 or a name, got ${output}`);
    return output;
  }
  if (typeof output !== 'string') throw new TypeError(`${op}: output must be a column index or a name, got ${typeof output}`);
  if (!Array.isArray(outputs)) throw new TypeError(`${op}: output '${output}' is a name, so pass outputs (the problem's output names) too`);
  const i = outputs.indexOf(output);
  if (i < 0) throw new Error(`${op}: unknown output '${output}' (outputs: ${outputs.join(', ')})`);
  return i;
}

/** g at x: a number as is, a function's result checked to be [N, 1] or [N, k]. */
function boundaryValue(op: string, g: BoundaryValue, x: Tensor, k: number): Tensor | number {
  if (typeof g === 'number') return g;
  const v = g(x);
  if (!(v instanceof Tensor) || v.ndim !== 2 || v.shape[0] !== x.shape[0] || (v.shape[1] !== 1 && v.shape[1] !== k)) {
    throw new Error(`${op}: g(x) must return a [${x.shape[0]}, 1]${k > 1 ? ` or [${x.shape[0]}, ${k}]` : ''} tensor, got ${v instanceof Tensor ? `[${v.shape.join(', ')}]` : typeof v}`);
  }
  return v;
}

// Whether a problem's periodic boundary conditions can hold exactly by construction: when every
// PeriodicBC pairs points that differ only in one input, by one and the same shift P, a network
// that sees that input only through [cos 2πx/P, sin 2πx/P] (nn.PeriodicEmbedding) takes equal
// values, and equal derivatives of every order, at both points of every pair. Read off the
// points (pointsB − pointsA), never off which equation the problem is.
import { tidy } from '../memory.js';
import { PeriodicBC } from '../pinn/conditions/periodic.js';
import { type Problem } from '../pinn/problem.js';

export type ExactPeriodicity =
  | { input: number; period: number; terms: string[]; reason: string }
  | { input: null; reason: string | null };

/** Per input column: the shift every pair of `c` shares (0 for none), or null when the pairs disagree. */
function shifts(c: PeriodicBC): (number | null)[] {
  return tidy(() => {
    const a = c.points.detach().to({ dtype: 'float64', device: 'cpu' }), b = c.partner.detach().to({ dtype: 'float64', device: 'cpu' });
    const d = b.sub(a);
    const lo = d.min(0).data() as Float64Array, hi = d.max(0).data() as Float64Array;
    const scale = Math.max(1, a.abs().max().item() as number, b.abs().max().item() as number);
    // Rounding of the points' own dtype (float32 points: ~1e-7 relative), never a real spread.
    const tol = (c.points.dtype === 'float64' ? 1e-12 : 1e-5) * scale;
    return Array.from(lo, (l, k) => (hi[k] - l > tol ? null : Math.abs((l + hi[k]) / 2) <= tol ? 0 : (l + hi[k]) / 2));
  });
}

/**
 * The input and period of an exact periodic embedding, with the terms it makes hold exactly;
 * or, with input null, why there is none (reason null: the problem has no PeriodicBC).
 */
export function exactPeriodicity(problem: Problem): ExactPeriodicity {
  const periodic = problem.conditions.filter((c): c is PeriodicBC => c instanceof PeriodicBC);
  if (periodic.length === 0) return { input: null, reason: null };
  const no = (why: string): ExactPeriodicity => ({ input: null, reason: `no exact periodic embedding: ${why}; the periodic terms stay in the objective` });
  if (problem.outputTransform) return no('an output transform may depend on the inputs non-periodically');
  let found: { input: number; shift: number } | null = null;
  for (const c of periodic) {
    const s = shifts(c);
    const name = `'${c.name}'`;
    if (s.some((v) => v === null)) return no(`the pairs of ${name} differ by unequal shifts`);
    const moved = s.flatMap((v, k) => (v === 0 ? [] : [k]));
    if (moved.length !== 1) return no(`the pairs of ${name} differ in ${moved.length === 0 ? 'no input' : moved.map((k) => problem.inputs[k]).join(' and ')}`);
    const input = moved[0], shift = s[input]!;
    if (found && (found.input !== input || Math.abs(Math.abs(found.shift) - Math.abs(shift)) > 1e-12 * Math.abs(shift))) {
      return no(`${name} pairs points ${shift} apart in ${problem.inputs[input]}, another term ${found.shift} apart in ${problem.inputs[found.input]}`);
    }
    found ??= { input, shift };
  }
  const period = Math.abs(found!.shift), terms = periodic.map((c) => c.name), x = problem.inputs[found!.input];
  return {
    input: found!.input, period, terms,
    reason: `every periodic term (${terms.join(', ')}) pairs points ${period} apart in ${x} alone: ${x} enters the network as [cos 2π${x}/P, sin 2π${x}/P] with P = ${period}, so those terms hold exactly (every derivative included) and leave the objective`,
  };
}

// Approximate distance functions (ADFs) as differentiable tensor expressions, after Sukumar &
// Srivastava (2022), "Exact imposition of boundary conditions with distance functions in
// physics-informed deep neural networks", CMAME 389, 114333, and Rvachev's R-functions.
//
// Every function maps points x [N, d] to φ [N, 1] in x's dtype. "Normalised to first order"
// means |∇φ| = 1 on the zero set (away from corners), so φ behaves like a distance next to it.
import { type Tensor } from '../tensor.js';

/** Column j of x, [N, 1]. */
export const column = (x: Tensor, j: number): Tensor => x.narrow(1, j, 1);

/**
 * R₀-conjunction φ₁ ∧ φ₂ = φ₁ + φ₂ − √(φ₁² + φ₂²): positive where both are, zero where one is
 * zero and the other ≥ 0, negative elsewhere. Where φ₁ = 0 < φ₂ its gradient is ∇φ₁, so it
 * keeps first-order normalisation; it is smooth except where both vanish (corners).
 */
export function rAnd(a: Tensor, b: Tensor): Tensor {
  return a.add(b).sub(a.square().add(b.square()).sqrt());
}

/** R₀-disjunction φ₁ ∨ φ₂ = φ₁ + φ₂ + √(φ₁² + φ₂²): positive where either is, zero where one is zero and the other ≤ 0. */
export function rOr(a: Tensor, b: Tensor): Tensor {
  return a.add(b).add(a.square().add(b.square()).sqrt());
}

/** φ₁ ∧ φ₂ ∧ …, folded left. */
export function rAndAll(terms: readonly Tensor[]): Tensor { return terms.reduce((acc, t) => rAnd(acc, t)); }
/** φ₁ ∨ φ₂ ∨ …, folded left. */
export function rOrAll(terms: readonly Tensor[]): Tensor { return terms.reduce((acc, t) => rOr(acc, t)); }

/**
 * Trimming (Sukumar & Srivastava, eq. for a trimmed segment):
 *   φ = √(f² + ((√(t² + f⁴) − t)/2)²)
 * is zero exactly where f = 0 and t ≥ 0, positive elsewhere, and ≈ |f| next to {f = 0, t > 0}.
 * Unsigned: its gradient on the zero set itself is undefined (autograd gives NaN there).
 */
export function trim(f: Tensor, t: Tensor): Tensor {
  const f2 = f.square();
  const g = t.square().add(f2.square()).sqrt().sub(t).mul(0.5);
  return f2.add(g.square()).sqrt();
}

/** Signed distance to the line through a and b in the plane, positive on its left (a → b counter-clockwise around the left side). */
export function line(x: Tensor, a: readonly number[], b: readonly number[]): Tensor {
  const dx = b[0] - a[0], dy = b[1] - a[1], len = Math.hypot(dx, dy);
  return column(x, 1).sub(a[1]).mul(dx / len).sub(column(x, 0).sub(a[0]).mul(dy / len));
}

/**
 * ADF of the segment ab: the line's distance trimmed by t = ((L/2)² − |x − c|²)/L, which is
 * positive on the disk with the segment as diameter (c its midpoint, L its length). Zero exactly
 * on the segment, positive everywhere else.
 */
export function segment(x: Tensor, a: readonly number[], b: readonly number[]): Tensor {
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]), cx = (a[0] + b[0]) / 2, cy = (a[1] + b[1]) / 2;
  const r2 = column(x, 0).sub(cx).square().add(column(x, 1).sub(cy).square());
  return trim(line(x, a, b), r2.rsub((len / 2) ** 2).div(len));
}

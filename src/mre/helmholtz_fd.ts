// A finite-difference solver of the heterogeneous Helmholtz equation on a 2-D grid,
//   ∇·(μ∇u) + ρω²u = 0,   u complex,
// with the Robin (first-order absorbing) condition ∂u/∂n − iku = g on the whole boundary,
// k = ω√(ρ/μ) of the boundary voxel. Driving it with g = ∂u₀/∂n − iku₀ of a plane wave u₀
// makes u₀ itself the exact solution when μ is uniform: the check of the solver. The Robin
// condition lets energy leave, so the problem has no resonances, with real μ.
//
// Discretisation: the five-point stencil Σ_d μ_face (u_nb − u)/h_d² + ρω²u = 0, μ on a face the
// mean of its two voxels; at the boundary a ghost voxel u_g = u_in + 2h ∂u/∂n (second order).
// The banded system (half bandwidth ny) is solved by banded_solve.ts.
import { bandedSolve } from './banded_solve.js';

export interface HelmholtzGrid {
  /** Voxels along x and y, and their spacing. */
  shape: [number, number];
  spacing: [number, number];
  /** μ per voxel (C order, [nx, ny]), positive. */
  mu: Float64Array;
  density: number;
  omega: number;
}

/** The incident plane wave u₀(x) = exp(i k (d·x)), with x measured from voxel [0, 0]. */
export interface PlaneWaveDrive { k: number; direction: [number, number] }

/** u (interleaved complex, C order [nx, ny]) solving the equation driven by the plane wave. */
export function solveHelmholtz2D(g: HelmholtzGrid, drive: PlaneWaveDrive): Float64Array {
  const [nx, ny] = g.shape, [hx, hy] = g.spacing, N = nx * ny;
  if (g.mu.length !== N || !g.mu.every((m) => m > 0)) throw new Error(`solveHelmholtz2D: mu must be ${N} positive values`);
  const rw2 = g.density * g.omega ** 2;
  const [dx, dy] = drive.direction;
  const u0 = (i: number, j: number): [number, number] => { const p = drive.k * (dx * i * hx + dy * j * hy); return [Math.cos(p), Math.sin(p)]; };
  const kl = ny, ku = ny, W = 2 * kl + ku + 1;
  const A = new Float64Array(2 * N * W), b = new Float64Array(2 * N);
  const at = (r: number, c: number) => 2 * (r * W + (c - r + kl));
  const add = (r: number, c: number, re: number, im = 0) => { const p = at(r, c); A[p] += re; A[p + 1] += im; };
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) {
      const r = i * ny + j, muP = g.mu[r];
      const kP = g.omega * Math.sqrt(g.density / muP);
      add(r, r, rw2);
      // Each axis: the two neighbours, or a ghost one outside.
      for (const [axis, n, h, s] of [[0, nx, hx, i], [1, ny, hy, j]] as const) {
        const stride = axis === 0 ? ny : 1;
        for (const side of [-1, 1]) {
          const t = s + side;
          if (t >= 0 && t < n) {
            const q = r + side * stride, muF = (muP + g.mu[q]) / 2;
            add(r, q, muF / (h * h)); add(r, r, -muF / (h * h));
            continue;
          }
          // Ghost across the boundary with outward normal `side` along this axis:
          // u_g = u_in + 2h(ik u_P + g_P), g_P = ∂u₀/∂n − ik u₀ = ik(d·n − 1) u₀.
          const inner = r - side * stride, c = muP / (h * h);
          add(r, inner, c);
          add(r, r, -c, c * 2 * h * kP);
          const dn = side * (axis === 0 ? dx : dy);
          const [ur, ui] = u0(i, j);
          // g = ik(dn − 1)(ur + i ui) = k(dn − 1)(−ui + i ur); it moves to the right-hand side.
          const gr = -drive.k * (dn - 1) * ui, gi = drive.k * (dn - 1) * ur;
          b[2 * r] -= c * 2 * h * gr; b[2 * r + 1] -= c * 2 * h * gi;
        }
      }
    }
  }
  return bandedSolve(A, b, N, kl, ku, 'solveHelmholtz2D');
}

// A finite-difference solver of the heterogeneous Helmholtz equation on a 2-D grid,
//   ∇·(μ∇u) + ρω²u = 0,   u complex,
// with the Robin (first-order absorbing) condition ∂u/∂n − iku = g on the whole boundary,
// k = ω√(ρ/μ) of the boundary voxel. Driving it with g = ∂u₀/∂n − iku₀ of a plane wave u₀
// makes u₀ itself the exact solution when μ is uniform: the check of the solver. The Robin
// condition lets energy leave, so the problem has no resonances, with real μ.
//
// Discretisation: the five-point stencil Σ_d μ_face (u_nb − u)/h_d² + ρω²u = 0, μ on a face the
// mean of its two voxels; at the boundary a ghost voxel u_g = u_in + 2h ∂u/∂n (second order).
// The banded system (half bandwidth ny) is solved by Gaussian elimination with partial pivoting.

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
  return bandedSolve(A, b, N, kl, ku);
}

/** Solves the banded complex system in place (partial pivoting within the band). */
function bandedSolve(A: Float64Array, b: Float64Array, N: number, kl: number, ku: number): Float64Array {
  const W = 2 * kl + ku + 1, reach = kl + ku;
  const at = (r: number, c: number) => 2 * (r * W + (c - r + kl));
  for (let k = 0; k < N; k++) {
    const last = Math.min(N - 1, k + kl), end = Math.min(N - 1, k + reach);
    let p = k, best = -1;
    for (let i = k; i <= last; i++) { const q = at(i, k), m = A[q] * A[q] + A[q + 1] * A[q + 1]; if (m > best) { best = m; p = i; } }
    if (!(best > 0)) throw new Error(`solveHelmholtz2D: the system is singular at unknown ${k}`);
    if (p !== k) {
      for (let j = k; j <= end; j++) {
        const x = at(k, j), y = at(p, j);
        for (const o of [0, 1]) { const t = A[x + o]; A[x + o] = A[y + o]; A[y + o] = t; }
      }
      for (const o of [0, 1]) { const t = b[2 * k + o]; b[2 * k + o] = b[2 * p + o]; b[2 * p + o] = t; }
    }
    const d = at(k, k), dr = A[d], di = A[d + 1], dd = dr * dr + di * di;
    for (let i = k + 1; i <= last; i++) {
      const q = at(i, k), ar = A[q], ai = A[q + 1];
      if (ar === 0 && ai === 0) continue;
      const lr = (ar * dr + ai * di) / dd, li = (ai * dr - ar * di) / dd; // l = a / d
      for (let j = k + 1; j <= end; j++) {
        const x = at(k, j), y = at(i, j), xr = A[x], xi = A[x + 1];
        if (xr === 0 && xi === 0) continue;
        A[y] -= lr * xr - li * xi; A[y + 1] -= lr * xi + li * xr;
      }
      const br = b[2 * k], bi = b[2 * k + 1];
      b[2 * i] -= lr * br - li * bi; b[2 * i + 1] -= lr * bi + li * br;
    }
  }
  const x = new Float64Array(2 * N);
  for (let k = N - 1; k >= 0; k--) {
    let sr = b[2 * k], si = b[2 * k + 1];
    for (let j = k + 1, end = Math.min(N - 1, k + reach); j <= end; j++) {
      const q = at(k, j), ar = A[q], ai = A[q + 1];
      sr -= ar * x[2 * j] - ai * x[2 * j + 1]; si -= ar * x[2 * j + 1] + ai * x[2 * j];
    }
    const d = at(k, k), dr = A[d], di = A[d + 1], dd = dr * dr + di * di;
    x[2 * k] = (sr * dr + si * di) / dd; x[2 * k + 1] = (si * dr - sr * di) / dd;
  }
  return x;
}

// Gaussian elimination with partial pivoting within the band, for the finite-difference
// solvers of the phantoms (helmholtz_fd.ts, navier_cauchy_fd.ts): their systems are banded.
/**
 * Solves A x = b for a complex banded A in place. A holds N rows of W = 2·kl + ku + 1 interleaved
 * complex entries, entry (r, c) at 2·(r·W + c − r + kl): the extra kl columns take the fill-in of
 * row swaps. `where` names the caller in the error for a singular system.
 */
export function bandedSolve(A: Float64Array, b: Float64Array, N: number, kl: number, ku: number, where: string): Float64Array {
  const W = 2 * kl + ku + 1, reach = kl + ku;
  const at = (r: number, c: number) => 2 * (r * W + (c - r + kl));
  for (let k = 0; k < N; k++) {
    const last = Math.min(N - 1, k + kl), end = Math.min(N - 1, k + reach);
    let p = k, best = -1;
    for (let i = k; i <= last; i++) { const q = at(i, k), m = A[q] * A[q] + A[q + 1] * A[q + 1]; if (m > best) { best = m; p = i; } }
    if (!(best > 0)) throw new Error(`${where}: the system is singular at unknown ${k}`);
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

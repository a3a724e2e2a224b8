// Fourier-spectral ETDRK4 (Cox & Matthews 2002, with the contour-integral coefficients of Kassam &
// Trefethen 2005) for 1-D periodic equations u_t = L u + N(u) on [−1, 1): the reference solutions
// of the Allen–Cahn and KdV problems (jaxpi's setups). Plain JavaScript, no tensors: the solver
// must not share code with what it checks. `node accuracy/data/generate.mjs` writes the cached grids.

/** In-place iterative radix-2 FFT of (re, im); `inverse` scales by 1/n. n must be a power of two. */
export function fft(re, im, inverse = false) {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) { let t = re[i]; re[i] = re[j]; re[j] = t; t = im[i]; im[i] = im[j]; im[j] = t; }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / len, wr = Math.cos(ang), wi = Math.sin(ang), half = len >> 1;
    for (let i = 0; i < n; i += len) {
      let cr = 1, ci = 0;
      for (let k = 0; k < half; k++) {
        const a = i + k, b = a + half;
        const xr = re[b] * cr - im[b] * ci, xi = re[b] * ci + im[b] * cr;
        re[b] = re[a] - xr; im[b] = im[a] - xi; re[a] += xr; im[a] += xi;
        const nr = cr * wr - ci * wi; ci = cr * wi + ci * wr; cr = nr;
      }
    }
  }
  if (inverse) for (let i = 0; i < n; i++) { re[i] /= n; im[i] /= n; }
}

/** Angular wavenumbers of n nodes on a period of length 2: k = π·(0, 1, …, n/2 − 1, −n/2, …, −1). */
export function wavenumbers(n) {
  return Float64Array.from({ length: n }, (_, j) => Math.PI * (j < n / 2 ? j : j - n));
}

/** ∂ᵐu/∂xᵐ of real periodic samples u (n nodes on [−1, 1)), spectrally (the Nyquist mode dropped for odd m). */
export function derivative(u, m) {
  const n = u.length, k = wavenumbers(n), re = Float64Array.from(u), im = new Float64Array(n);
  fft(re, im);
  for (let j = 0; j < n; j++) {
    // (ik)^m = k^m · i^m
    const km = (j === n / 2 && m % 2 === 1) ? 0 : k[j] ** m;
    const q = m % 4; // i^m: 1, i, −1, −i
    const [a, b] = [re[j] * km, im[j] * km];
    if (q === 0) { re[j] = a; im[j] = b; } else if (q === 1) { re[j] = -b; im[j] = a; } else if (q === 2) { re[j] = -a; im[j] = -b; } else { re[j] = b; im[j] = -a; }
  }
  fft(re, im, true);
  return re;
}

/**
 * Solves u_t = L u + N(u) with ETDRK4 on n periodic nodes x_j = −1 + 2j/n.
 * @param o.n nodes (power of two); o.dt step; o.times output times (multiples of dt, ascending)
 * @param o.linear (k) → [Re, Im] of the linear symbol at wavenumber k
 * @param o.nonlinear (u: Float64Array physical, k) → { kind: 'physical', values } (N(u) in physical
 *   space) or the Fourier-space product the caller fills: here N(u) = g(u) in physical space
 *   followed by a multiplier m(k) = [Re, Im], given as { g, multiplier }
 * @param o.u0 (x) → initial value; o.dealias: zero the top third of N's modes (2/3 rule)
 * @returns { x, snapshots: Float64Array[] } (one per output time, physical values at the nodes)
 */
export function etdrk4({ n, dt, times, linear, g, multiplier = () => [1, 0], u0, dealias = true, contour = 64 }) {
  const k = wavenumbers(n);
  const x = Float64Array.from({ length: n }, (_, j) => -1 + (2 * j) / n);
  // Per-mode coefficients (complex): E, E2, Q, f1, f2, f3, and N's multiplier with the mask.
  const Er = new Float64Array(n), Ei = new Float64Array(n), E2r = new Float64Array(n), E2i = new Float64Array(n);
  const Qr = new Float64Array(n), Qi = new Float64Array(n);
  const f1r = new Float64Array(n), f1i = new Float64Array(n), f2r = new Float64Array(n), f2i = new Float64Array(n), f3r = new Float64Array(n), f3i = new Float64Array(n);
  const Mr = new Float64Array(n), Mi = new Float64Array(n);
  const cexp = (a, b) => { const e = Math.exp(a); return [e * Math.cos(b), e * Math.sin(b)]; };
  const cmul = (a, b, c, d) => [a * c - b * d, a * d + b * c];
  const cdiv = (a, b, c, d) => { const s = c * c + d * d; return [(a * c + b * d) / s, (b * c - a * d) / s]; };
  for (let j = 0; j < n; j++) {
    const [lr, li] = linear(k[j]);
    [Er[j], Ei[j]] = cexp(dt * lr, dt * li);
    [E2r[j], E2i[j]] = cexp((dt * lr) / 2, (dt * li) / 2);
    let q = [0, 0], a1 = [0, 0], a2 = [0, 0], a3 = [0, 0];
    for (let m = 0; m < contour; m++) {
      const th = (Math.PI * (m + 0.5) * 2) / contour;
      const zr = dt * lr + Math.cos(th), zi = dt * li + Math.sin(th); // z = hL + r on a circle of radius 1
      const [ezr, ezi] = cexp(zr, zi), [eh_r, eh_i] = cexp(zr / 2, zi / 2);
      const [z2r, z2i] = cmul(zr, zi, zr, zi), [z3r, z3i] = cmul(z2r, z2i, zr, zi);
      const t = cdiv(eh_r - 1, eh_i, zr, zi); q = [q[0] + t[0], q[1] + t[1]];
      // f1: (−4 − z + e^z (4 − 3z + z²)) / z³
      let [pr, pi] = cmul(ezr, ezi, 4 - 3 * zr + z2r, -3 * zi + z2i);
      let u = cdiv(-4 - zr + pr, -zi + pi, z3r, z3i); a1 = [a1[0] + u[0], a1[1] + u[1]];
      // f2: (2 + z + e^z (−2 + z)) / z³
      [pr, pi] = cmul(ezr, ezi, -2 + zr, zi);
      u = cdiv(2 + zr + pr, zi + pi, z3r, z3i); a2 = [a2[0] + u[0], a2[1] + u[1]];
      // f3: (−4 − 3z − z² + e^z (4 − z)) / z³
      [pr, pi] = cmul(ezr, ezi, 4 - zr, -zi);
      u = cdiv(-4 - 3 * zr - z2r + pr, -3 * zi - z2i + pi, z3r, z3i); a3 = [a3[0] + u[0], a3[1] + u[1]];
    }
    Qr[j] = (dt * q[0]) / contour; Qi[j] = (dt * q[1]) / contour;
    f1r[j] = (dt * a1[0]) / contour; f1i[j] = (dt * a1[1]) / contour;
    f2r[j] = (dt * a2[0]) / contour; f2i[j] = (dt * a2[1]) / contour;
    f3r[j] = (dt * a3[0]) / contour; f3i[j] = (dt * a3[1]) / contour;
    const keep = !dealias || Math.abs(j < n / 2 ? j : j - n) < n / 3;
    [Mr[j], Mi[j]] = keep ? multiplier(k[j]) : [0, 0];
  }
  const wr = new Float64Array(n), wi = new Float64Array(n);
  /** N(v) in Fourier space into (outR, outI). */
  const N = (vr, vi, outR, outI) => {
    wr.set(vr); wi.set(vi);
    fft(wr, wi, true);
    for (let j = 0; j < n; j++) { outR[j] = g(wr[j]); outI[j] = 0; }
    fft(outR, outI);
    for (let j = 0; j < n; j++) { const a = outR[j], b = outI[j]; outR[j] = a * Mr[j] - b * Mi[j]; outI[j] = a * Mi[j] + b * Mr[j]; }
  };
  const vr = Float64Array.from(x, u0), vi = new Float64Array(n);
  fft(vr, vi);
  const arr = () => new Float64Array(n);
  const [Nvr, Nvi, ar, ai, Nar, Nai, br, bi, Nbr, Nbi, cr, ci, Ncr, Nci] = Array.from({ length: 14 }, arr);
  const step = () => {
    N(vr, vi, Nvr, Nvi);
    for (let j = 0; j < n; j++) {
      ar[j] = E2r[j] * vr[j] - E2i[j] * vi[j] + Qr[j] * Nvr[j] - Qi[j] * Nvi[j];
      ai[j] = E2r[j] * vi[j] + E2i[j] * vr[j] + Qr[j] * Nvi[j] + Qi[j] * Nvr[j];
    }
    N(ar, ai, Nar, Nai);
    for (let j = 0; j < n; j++) {
      br[j] = E2r[j] * vr[j] - E2i[j] * vi[j] + Qr[j] * Nar[j] - Qi[j] * Nai[j];
      bi[j] = E2r[j] * vi[j] + E2i[j] * vr[j] + Qr[j] * Nai[j] + Qi[j] * Nar[j];
    }
    N(br, bi, Nbr, Nbi);
    for (let j = 0; j < n; j++) {
      const sr = 2 * Nbr[j] - Nvr[j], si = 2 * Nbi[j] - Nvi[j];
      cr[j] = E2r[j] * ar[j] - E2i[j] * ai[j] + Qr[j] * sr - Qi[j] * si;
      ci[j] = E2r[j] * ai[j] + E2i[j] * ar[j] + Qr[j] * si + Qi[j] * sr;
    }
    N(cr, ci, Ncr, Nci);
    for (let j = 0; j < n; j++) {
      const s2r = 2 * (Nar[j] + Nbr[j]), s2i = 2 * (Nai[j] + Nbi[j]);
      const nr = Er[j] * vr[j] - Ei[j] * vi[j] + f1r[j] * Nvr[j] - f1i[j] * Nvi[j] + f2r[j] * s2r - f2i[j] * s2i + f3r[j] * Ncr[j] - f3i[j] * Nci[j];
      const ni = Er[j] * vi[j] + Ei[j] * vr[j] + f1r[j] * Nvi[j] + f1i[j] * Nvr[j] + f2r[j] * s2i + f2i[j] * s2r + f3r[j] * Nci[j] + f3i[j] * Ncr[j];
      vr[j] = nr; vi[j] = ni;
    }
  };
  const physical = () => { const a = Float64Array.from(vr), b = Float64Array.from(vi); fft(a, b, true); return a; };
  const snapshots = [];
  let stepsDone = 0;
  for (const t of times) {
    const target = Math.round(t / dt);
    if (Math.abs(target * dt - t) > 1e-9 * Math.max(1, t)) throw new Error(`etdrk4: output time ${t} is not a multiple of dt = ${dt}`);
    if (target < stepsDone) throw new Error('etdrk4: output times must ascend');
    while (stepsDone < target) { step(); stepsDone++; }
    snapshots.push(physical());
  }
  return { x, snapshots };
}

/** The two equations, as jaxpi states them (examples/allen_cahn, examples/kdv). */
export const EQUATIONS = {
  // u_t = 1e-4 u_xx + 5u − 5u³: L = 5 − 1e-4 k², N = −5u³
  'allen-cahn': {
    D: 1e-4,
    linear: (k) => [5 - 1e-4 * k * k, 0],
    g: (u) => -5 * u * u * u,
    multiplier: () => [1, 0],
    u0: (x) => x * x * Math.cos(Math.PI * x),
  },
  // u_t = −u u_x − δ² u_xxx, δ = 0.022: L = −δ² (ik)³ = i δ² k³, N = −½ ∂x(u²) → −½ ik · F(u²)
  kdv: {
    delta: 0.022,
    linear: (k) => [0, 0.022 ** 2 * k ** 3],
    g: (u) => u * u,
    multiplier: (k) => [0, -0.5 * k],
    u0: (x) => Math.cos(Math.PI * x),
  },
};

/** Output times 0, 0.01, …, 1 (as jaxpi's grids: 201 there, 101 here). */
export const TIMES = Array.from({ length: 101 }, (_, i) => i / 100);

/**
 * The settings the cached grids are computed with (generate.mjs) and checked against (check.mjs).
 * Measured when chosen, max |Δu| at t = 1: Allen–Cahn 2048 vs 4096 nodes 3e-10, dt 2e-4 vs 1e-4
 * 1.5e-11; KdV 512 nodes / dt 2e-5 vs 1024 / 1e-5 5e-11 (generate.mjs records its own check).
 */
export const SETTINGS = {
  'allen-cahn': { n: 2048, dt: 2e-4 },
  kdv: { n: 512, dt: 2e-5 },
};

/** Solves equation `name` at `times` with the given (or the cached grids') settings. */
export function solve(name, { n, dt, times = TIMES, dealias = true } = {}) {
  const e = EQUATIONS[name], s = SETTINGS[name];
  return etdrk4({ n: n ?? s.n, dt: dt ?? s.dt, times, linear: e.linear, g: e.g, multiplier: e.multiplier, u0: e.u0, dealias });
}

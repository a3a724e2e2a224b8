// Point generators on the unit hypercube [0, 1)^d, returning a row-major Float64Array of n×d.
//
// Every random choice comes from a `Random` (or a seed), so the same seed gives the same points
// and a generator restored with `setState` continues exactly. The low-discrepancy sequences are
// randomised per call (Sobol: linear matrix scramble + digital shift; Halton: random digit
// permutations), so resampling with a new seed — or with the same generator, which has moved
// on — gives NEW, still low-discrepancy points. (Resampling a deterministic sequence would
// silently return the same points every time.) Pass `null` as the generator for the classical,
// unscrambled sequences.
import { checkInteger, checkNonNegativeInt, checkOneOf, checkOptions, checkPositiveInt, need } from '../checks.js';
import { invalidArgument } from '../errors.js';
import { Random } from './random.js';

export type SamplerName = 'uniform' | 'lhs' | 'sobol' | 'halton' | 'grid';
export const SAMPLERS: readonly SamplerName[] = ['uniform', 'lhs', 'sobol', 'halton', 'grid'];

/** A point generator: n points of [0, 1)^d, row-major, drawing its randomness from `rng`. */
export type Sampler = (n: number, d: number, rng: Random) => Float64Array;

export function checkCount(op: string, n: unknown, d: unknown = 1): void {
  checkPositiveInt(op, 'n', n);
  checkPositiveInt(op, 'd', d);
  // Coordinates are drawn as one Float64Array (and rejection may draw more): past this, memory runs out.
  if ((n as number) * (d as number) > MAX_COORDINATES) {
    throw new RangeError(`${op}: ${String(n)} points need ${(((n as number) * (d as number) * 8) / 2 ** 30).toFixed(1)} GiB of coordinates; at most ${MAX_COORDINATES} coordinates per call (draw in batches)`);
  }
}

/** 2²⁷ coordinates (1 GiB of float64) per sampling call. */
const MAX_COORDINATES = 2 ** 27;

function generator(op: string, rng: unknown): Random {
  if (rng instanceof Random) return rng;
  if (typeof rng === 'number') return new Random(checkInteger(op, 'rng', rng));
  throw invalidArgument(op, 'rng', 'a Random or an integer seed', rng);
}

/** Independent uniform points: x_ij = next() of xoshiro128**, filled row by row. */
export function uniform(n: number, d: number, rng: Random | number): Float64Array {
  checkCount('uniform', n, d);
  const r = generator('uniform', rng);
  const out = new Float64Array(n * d);
  for (let i = 0; i < out.length; i++) out[i] = r.next();
  return out;
}

/**
 * Latin hypercube: x_ij = (π_j(i) + U_ij) / n with an independent random permutation π_j of
 * {0, …, n − 1} per dimension (Fisher–Yates) and U_ij uniform on [0, 1). In every dimension each
 * stratum [k/n, (k+1)/n) holds exactly one point.
 */
export function latinHypercube(n: number, d: number, rng: Random | number): Float64Array {
  checkCount('latinHypercube', n, d);
  const r = generator('latinHypercube', rng);
  const out = new Float64Array(n * d);
  const perm = new Int32Array(n);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = n - 1; i > 0; i--) { const k = r.int(i + 1); const t = perm[i]; perm[i] = perm[k]; perm[k] = t; }
    for (let i = 0; i < n; i++) out[i * d + j] = (perm[i] + r.next()) / n;
  }
  return out;
}

// Joe & Kuo (2008) direction numbers, file new-joe-kuo-6.21201 (the table scipy uses), for
// dimensions 2–21: [s, a, m₁ … m_s] — s the degree of the primitive polynomial, a its inner
// coefficients as bits, m_k the initial odd direction integers (m_k < 2^k).
const JOE_KUO: readonly [number, number, readonly number[]][] = [
  [1, 0, [1]], [2, 1, [1, 3]], [3, 1, [1, 3, 1]], [3, 2, [1, 1, 1]], [4, 1, [1, 1, 3, 3]], [4, 4, [1, 3, 5, 13]],
  [5, 2, [1, 1, 5, 5, 17]], [5, 4, [1, 1, 5, 5, 5]], [5, 7, [1, 1, 7, 11, 19]], [5, 11, [1, 1, 5, 1, 1]],
  [5, 13, [1, 1, 1, 3, 11]], [5, 14, [1, 3, 5, 5, 31]], [6, 1, [1, 3, 3, 9, 7, 49]], [6, 13, [1, 1, 1, 15, 21, 21]],
  [6, 16, [1, 3, 1, 13, 27, 49]], [6, 19, [1, 1, 1, 15, 7, 5]], [6, 22, [1, 3, 1, 15, 13, 25]],
  [6, 25, [1, 1, 5, 5, 19, 61]], [7, 1, [1, 3, 7, 11, 23, 15, 103]], [7, 4, [1, 3, 7, 13, 13, 15, 69]],
];
/** The most dimensions `sobol` supports. */
export const SOBOL_MAX_DIM = JOE_KUO.length + 1;
const BITS = 32;

let directionCache: Uint32Array[] = [];

/**
 * Direction numbers V_jk = m_jk·2^(32−k), k = 1…32. Dimension 1 has m_k = 1; the others
 * follow Bratley–Fox's recurrence
 *   V_k = V_{k−s} ⊕ (V_{k−s} ≫ s) ⊕ a₁V_{k−1} ⊕ a₂V_{k−2} ⊕ … ⊕ a_{s−1}V_{k−s+1}.
 */
function directions(d: number): Uint32Array[] {
  for (let j = directionCache.length; j < d; j++) {
    const vj = new Uint32Array(BITS);
    if (j === 0) {
      for (let k = 0; k < BITS; k++) vj[k] = 2 ** (BITS - 1 - k);
    } else {
      const [s, a, m] = JOE_KUO[j - 1];
      for (let k = 0; k < s; k++) vj[k] = m[k] * 2 ** (BITS - 1 - k);
      for (let k = s; k < BITS; k++) {
        let x = (vj[k - s] ^ (vj[k - s] >>> s)) >>> 0;
        for (let l = 1; l < s; l++) if ((a >>> (s - 1 - l)) & 1) x = (x ^ vj[k - l]) >>> 0;
        vj[k] = x;
      }
    }
    directionCache = [...directionCache, vj];
  }
  return directionCache.slice(0, d);
}

/** Parity of the set bits of a 32-bit integer. */
function parity(x: number): number {
  x ^= x >>> 16; x ^= x >>> 8; x ^= x >>> 4; x ^= x >>> 2; x ^= x >>> 1;
  return x & 1;
}

/**
 * Sobol points (Joe–Kuo direction numbers, up to 21 dimensions, 32-bit digits) in Gray-code
 * order: x_{i+1} = x_i ⊕ V_c with c the index of the lowest zero bit of i, starting from
 * x_0 = 0 — the origin is NOT skipped (as scipy's `Sobol` with `scramble=False`); pass `skip`
 * to start later. With a generator the points are scrambled as scipy's default, preserving the
 * net structure: a random linear matrix scramble (Matoušek) y = L·x over GF(2) with L lower
 * triangular with unit diagonal in digit order (applied to the direction numbers), then a random
 * digital shift y ⊕ e per dimension. Each scrambled point is uniform on [0, 1)^d and the first
 * 2^m points still put exactly one point in each stratum [k/2^m, (k+1)/2^m) of every axis.
 * Balance properties are best when n is a power of two.
 */
export function sobol(n: number, d: number, rng: Random | number | null, options?: { skip?: number }): Float64Array {
  checkCount('sobol', n, d);
  need(d <= SOBOL_MAX_DIM, 'sobol', 'd', `at most ${SOBOL_MAX_DIM} (dimensions supported)`, d);
  const skip = checkNonNegativeInt('sobol', 'skip', checkOptions('sobol', options, ['skip']).skip ?? 0);
  need(n + skip <= 2 ** BITS, 'sobol', 'skip + n', `at most 2^${BITS} (points in the sequence)`, n + skip);
  let v = directions(d);
  const shift = new Uint32Array(d);
  if (rng !== null) {
    const r = generator('sobol', rng);
    v = v.map((vj) => {
      // Rows of L: row k has its diagonal bit (digit k) and random bits at the more significant digits.
      const rows = new Uint32Array(BITS);
      for (let k = 0; k < BITS; k++) rows[k] = ((k === 0 ? 0 : r.nextUint32() & (0xffffffff << (BITS - k))) | (2 ** (BITS - 1 - k))) >>> 0;
      return vj.map((x) => {
        let y = 0;
        for (let k = 0; k < BITS; k++) if (parity(rows[k] & x)) y += 2 ** (BITS - 1 - k);
        return y;
      });
    });
    for (let j = 0; j < d; j++) shift[j] = r.nextUint32();
  }
  const x = new Uint32Array(d);
  const out = new Float64Array(n * d);
  // Jump to index `skip` directly: the Gray code g = skip ⊕ (skip ≫ 1) says which V's are in x.
  if (skip > 0) {
    let g = skip ^ Math.floor(skip / 2);
    for (let k = 0; g > 0; k++, g = Math.floor(g / 2)) if (g % 2 === 1) for (let j = 0; j < d; j++) x[j] ^= v[j][k];
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) out[i * d + j] = ((x[j] ^ shift[j]) >>> 0) / 2 ** BITS;
    let c = 0, idx = i + skip; // lowest zero bit of the index: the Gray-code bit that flips next
    while (idx % 2 === 1) { idx = Math.floor(idx / 2); c++; }
    if (c < BITS) for (let j = 0; j < d; j++) x[j] ^= v[j][c];
  }
  return out;
}

/** The first 20 primes: Halton bases, one per dimension. */
const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71];
export const HALTON_MAX_DIM = PRIMES.length;

/**
 * Halton points: coordinate j of point i is the radical inverse of i in the j-th prime base b,
 *   x_ij = Σ_{k≥1} σ_jk(a_k(i)) · b^(−k),   i = Σ_k a_k(i) · b^(k−1),
 * starting at i = 0 (the origin; pass `skip` to start later). Unscrambled (generator `null`)
 * σ_jk is the identity; with a generator each digit position k of each dimension gets an
 * independent random permutation σ_jk of {0, …, b − 1}, applied to the trailing zero digits too
 * (up to 2⁻⁵³ resolution), so every point is uniform on [0, 1)^d while the stratification of the
 * sequence is kept. Up to 20 dimensions.
 */
export function halton(n: number, d: number, rng: Random | number | null, options?: { skip?: number }): Float64Array {
  checkCount('halton', n, d);
  need(d <= PRIMES.length, 'halton', 'd', `at most ${PRIMES.length} (dimensions supported)`, d);
  const skip = checkNonNegativeInt('halton', 'skip', checkOptions('halton', options, ['skip']).skip ?? 0);
  const r = rng === null ? null : generator('halton', rng);
  const out = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const b = PRIMES[j];
    const depth = Math.ceil(53 / Math.log2(b)); // digits until b^(−depth) ≤ 2⁻⁵³
    const perms: Int32Array[] = [];
    for (let k = 0; k < depth; k++) {
      const p = Int32Array.from({ length: b }, (_, t) => t);
      if (r) for (let t = b - 1; t > 0; t--) { const u = r.int(t + 1); const s = p[t]; p[t] = p[u]; p[u] = s; }
      perms.push(p);
    }
    for (let i = 0; i < n; i++) {
      let idx = i + skip, x = 0, f = 1 / b;
      for (let k = 0; k < depth; k++, f /= b) {
        if (r === null && idx === 0) break; // identity permutations: the remaining digits add 0
        const digit = idx % b;
        idx = (idx - digit) / b;
        x += perms[k][digit] * f;
      }
      out[i * d + j] = x < 1 ? x : 1 - 2 ** -53;
    }
  }
  return out;
}

/**
 * A regular grid of cell centres: k = n^(1/d) points per axis at (m + ½)/k, m = 0 … k − 1,
 * the last coordinate varying fastest. Deterministic; n must be a perfect d-th power.
 */
export function grid(n: number, d: number, _rng?: Random | number | null): Float64Array {
  checkCount('grid', n, d);
  const k = Math.round(n ** (1 / d));
  if (k ** d !== n) {
    const lower = Math.max(1, Math.floor(n ** (1 / d))) ** d, upper = (Math.floor(n ** (1 / d)) + 1) ** d;
    need(false, 'grid', 'n', `k^${d} for an integer k, to form a regular grid in ${d} dimensions (e.g. ${lower === n ? upper : lower} or ${upper})`, n);
  }
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let m = i;
    for (let j = d - 1; j >= 0; j--) { out[i * d + j] = ((m % k) + 0.5) / k; m = Math.floor(m / k); }
  }
  return out;
}

const BY_NAME: Record<SamplerName, Sampler> = {
  uniform: (n, d, rng) => uniform(n, d, rng),
  lhs: (n, d, rng) => latinHypercube(n, d, rng),
  sobol: (n, d, rng) => sobol(n, d, rng),
  halton: (n, d, rng) => halton(n, d, rng),
  grid: (n, d) => grid(n, d),
};

/** The sampler called `name`; throws, listing the known names, for any other. */
export function getSampler(name: unknown, op = 'getSampler'): Sampler {
  return BY_NAME[checkOneOf(op, 'sampler', name, SAMPLERS)];
}

/** n×d points from the sampler called `name`; `rng` drives the randomisation and advances, so calls differ. */
export function sample(name: SamplerName, n: number, d: number, rng: Random | number): Float64Array {
  return getSampler(name, 'sample')(n, d, generator('sample', rng));
}

// Points in the unit hypercube [0, 1)^d, row-major Float64Array of n×d. Low-discrepancy
// sequences are randomised per call (Sobol: random digital shift; Halton: random start and
// Cranley–Patterson shift), so resampling with the generator's next state gives new points —
// resampling a deterministic sequence would silently change nothing.
import { Random } from './random.js';

export type SamplerName = 'uniform' | 'lhs' | 'sobol' | 'halton' | 'grid';
export const SAMPLERS: SamplerName[] = ['uniform', 'lhs', 'sobol', 'halton', 'grid'];

export function checkCount(op: string, n: unknown, d: unknown): void {
  if (!Number.isInteger(n) || (n as number) < 1) throw new RangeError(`${op}: number of points must be a positive integer, got ${String(n)}`);
  if (!Number.isInteger(d) || (d as number) < 1) throw new RangeError(`${op}: dimension must be a positive integer, got ${String(d)}`);
}

export function uniform(n: number, d: number, rng: Random): Float64Array {
  checkCount('uniform', n, d);
  const out = new Float64Array(n * d);
  for (let i = 0; i < out.length; i++) out[i] = rng.next();
  return out;
}

/** Latin hypercube: in every dimension each of the n strata [k/n, (k+1)/n) holds one point. */
export function latinHypercube(n: number, d: number, rng: Random): Float64Array {
  checkCount('latinHypercube', n, d);
  const out = new Float64Array(n * d);
  const perm = new Int32Array(n);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = n - 1; i > 0; i--) { const k = rng.int(i + 1); [perm[i], perm[k]] = [perm[k], perm[i]]; }
    for (let i = 0; i < n; i++) out[i * d + j] = (perm[i] + rng.next()) / n;
  }
  return out;
}

// Joe & Kuo (2008) direction numbers (new-joe-kuo-6.21201), dimensions 2–12: [s, a, m₁…m_s].
const JOE_KUO: [number, number, number[]][] = [
  [1, 0, [1]], [2, 1, [1, 3]], [3, 1, [1, 3, 1]], [3, 2, [1, 1, 1]], [4, 1, [1, 1, 3, 3]], [4, 4, [1, 3, 5, 13]],
  [5, 2, [1, 1, 5, 5, 17]], [5, 4, [1, 1, 5, 5, 5]], [5, 7, [1, 1, 7, 11, 19]], [5, 11, [1, 1, 5, 1, 1]], [5, 13, [1, 1, 1, 3, 11]],
];
export const SOBOL_MAX_DIM = JOE_KUO.length + 1;
const BITS = 32;

function directions(d: number): Uint32Array[] {
  const v: Uint32Array[] = [];
  const first = new Uint32Array(BITS);
  for (let k = 0; k < BITS; k++) first[k] = (1 << (BITS - 1 - k)) >>> 0;
  v.push(first);
  for (let j = 1; j < d; j++) {
    const [s, a, m] = JOE_KUO[j - 1];
    const vj = new Uint32Array(BITS);
    for (let k = 0; k < s; k++) vj[k] = (m[k] << (BITS - 1 - k)) >>> 0;
    for (let k = s; k < BITS; k++) {
      let x = (vj[k - s] ^ (vj[k - s] >>> s)) >>> 0;
      for (let l = 1; l < s; l++) if ((a >>> (s - 1 - l)) & 1) x = (x ^ vj[k - l]) >>> 0;
      vj[k] = x;
    }
    v.push(vj);
  }
  return v;
}

/**
 * Sobol points (Gray-code order, starting at the origin), with a random digital shift
 * (XOR by a random 32-bit mask per dimension) unless `scramble` is false. Up to 12 dimensions.
 */
export function sobol(n: number, d: number, rng: Random | null, { skip = 0 } = {}): Float64Array {
  checkCount('sobol', n, d);
  if (d > SOBOL_MAX_DIM) throw new RangeError(`sobol: at most ${SOBOL_MAX_DIM} dimensions are supported, got ${d}`);
  const v = directions(d);
  const shift = Uint32Array.from({ length: d }, () => (rng ? rng.nextUint32() : 0));
  const x = new Uint32Array(d);
  const out = new Float64Array(n * d);
  const total = n + skip;
  for (let i = 0; i < total; i++) {
    if (i >= skip) for (let j = 0; j < d; j++) out[(i - skip) * d + j] = ((x[j] ^ shift[j]) >>> 0) / 2 ** 32;
    let c = 0; // index of the lowest zero bit of i: the Gray-code bit that flips next
    while ((i >>> c) & 1) c++;
    for (let j = 0; j < d; j++) x[j] = (x[j] ^ v[j][c]) >>> 0;
  }
  return out;
}

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71];

function radicalInverse(i: number, base: number): number {
  let f = 1, r = 0;
  while (i > 0) { f /= base; r += f * (i % base); i = Math.floor(i / base); }
  return r;
}

/** Halton points (radical inverses in prime bases), from a random start, randomly shifted mod 1. */
export function halton(n: number, d: number, rng: Random | null): Float64Array {
  checkCount('halton', n, d);
  if (d > PRIMES.length) throw new RangeError(`halton: at most ${PRIMES.length} dimensions are supported, got ${d}`);
  const start = rng ? 1 + rng.int(1 << 20) : 1;
  const shift = Array.from({ length: d }, () => (rng ? rng.next() : 0));
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) out[i * d + j] = (radicalInverse(start + i, PRIMES[j]) + shift[j]) % 1;
  }
  return out;
}

/** A regular grid of cell centres: ⌈n^(1/d)⌉ per side, truncated to n points (deterministic). */
export function grid(n: number, d: number): Float64Array {
  checkCount('grid', n, d);
  const side = Math.ceil(n ** (1 / d) - 1e-9);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let k = i;
    for (let j = d - 1; j >= 0; j--) { out[i * d + j] = ((k % side) + 0.5) / side; k = Math.floor(k / side); }
  }
  return out;
}

/** n×d points by sampler name; `rng` drives the randomisation (and advances, so calls differ). */
export function sample(name: SamplerName, n: number, d: number, rng: Random): Float64Array {
  switch (name) {
    case 'uniform': return uniform(n, d, rng);
    case 'lhs': return latinHypercube(n, d, rng);
    case 'sobol': return sobol(n, d, rng);
    case 'halton': return halton(n, d, rng);
    case 'grid': return grid(n, d);
    default: throw new Error(`unknown sampler '${String(name)}' (known: ${SAMPLERS.join(', ')})`);
  }
}

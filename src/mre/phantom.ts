// A synthetic elastography data set with a known stiffness: a square of tissue (background μ)
// holding round stiff and soft inclusions with smooth edges, driven by a plane shear wave at
// one frequency. The wave field is the finite-difference solution of ∇·(μ∇u) + ρω²u = 0
// (helmholtz_fd.ts) on a grid `refine` times finer than the data's, sampled at the data's
// voxels, so the data carry the discretisation error of the fine grid only (second order:
// refine 4 on 41 voxels is about 1 % of |u| in phase, far less in local wavenumber).
// With equation 'navier-cauchy' the field is a vector (ux, uy) solving the seed's
// ∇·[μ(∇u+∇uᵀ)] + ρω²u = 0 (navier_cauchy_fd.ts), driven by a plane shear wave of the same
// direction polarised in the plane; its solve costs 8× the scalar one per grid, so it refines
// 2× by default (the stencil's dispersion then makes the fine grid's waves about 1 % slower in
// the background, 2 % in the soft inclusion: μ as seen by the data is that much lower).
import { Random } from '../geometry/random.js';
import { MREExample } from './example.js';
import { solveHelmholtz2D } from './helmholtz_fd.js';
import { solveNavierCauchy2D } from './navier_cauchy_fd.js';
import { type MREEquation } from './problem.js';

export interface Inclusion {
  /** Centre and radius as fractions of the side; μ inside (Pa). */
  center: [number, number]; radius: number; mu: number;
}

export interface PhantomOptions {
  /** Voxels per side of the data (default 41) and the side length in metres (default 0.08). */
  n?: number; size?: number;
  /** Driving frequency in Hz (default 90) and density (default 1000 kg/m³). */
  frequency?: number; density?: number;
  /** Background shear modulus in Pa (default 3000). */
  background?: number;
  /** Default: a stiff (6 kPa) and a soft (1.5 kPa) inclusion. */
  inclusions?: Inclusion[];
  /** Width of the inclusions' edges as a fraction of the side (default 0.03). */
  edge?: number;
  /** Direction of the incident wave, radians from the x axis (default 0.4). */
  angle?: number;
  /** The wave equation: a scalar Helmholtz field (default) or a 2-component Navier–Cauchy one. */
  equation?: MREEquation;
  /** Solve on a grid this many times finer (default 4 for Helmholtz, 2 for Navier–Cauchy). */
  refine?: number;
  /** Navier–Cauchy: the absorbing layer around the grid, in background shear wavelengths (default 0.6). */
  absorb?: number;
  /** Voxels along each edge left out of the mask (default 2). */
  margin?: number;
  /** Complex Gaussian noise, as a fraction of the RMS |u| over the mask (default 0), and its seed. */
  noise?: number; seed?: number;
}

export const DEFAULT_INCLUSIONS: Inclusion[] = [
  { center: [0.35, 0.4], radius: 0.14, mu: 6000 },
  { center: [0.68, 0.65], radius: 0.11, mu: 1500 },
];

/** μ(x, y) of the phantom, x and y as fractions of the side. */
export function phantomStiffness(x: number, y: number, { background = 3000, inclusions = DEFAULT_INCLUSIONS, edge = 0.03 }: PhantomOptions = {}): number {
  let mu = background;
  for (const c of inclusions) {
    const r = Math.hypot(x - c.center[0], y - c.center[1]);
    mu += (c.mu - background) * 0.5 * (1 - Math.tanh((r - c.radius) / edge));
  }
  return mu;
}

export function mrePhantom(options: PhantomOptions = {}): MREExample {
  const { n = 41, size = 0.08, frequency = 90, density = 1000, background = 3000, angle = 0.4, equation = 'helmholtz', margin = 2, noise = 0, seed = 0, absorb = 0.6 } = options;
  if (equation !== 'helmholtz' && equation !== 'navier-cauchy') throw new Error(`mrePhantom: equation must be 'helmholtz' or 'navier-cauchy', got ${JSON.stringify(equation)}`);
  const refine = options.refine ?? (equation === 'helmholtz' ? 4 : 2);
  if (!(Number.isInteger(n) && n >= 5)) throw new RangeError(`mrePhantom: n must be an integer >= 5, got ${n}`);
  if (!(Number.isInteger(refine) && refine >= 1)) throw new RangeError(`mrePhantom: refine must be a positive integer, got ${refine}`);
  if (!(Number.isInteger(margin) && margin >= 0 && 2 * margin < n)) throw new RangeError(`mrePhantom: margin must be an integer in [0, ${Math.ceil(n / 2) - 1}], got ${margin}`);
  if (!(absorb >= 0 && Number.isFinite(absorb))) throw new RangeError(`mrePhantom: absorb must be a number of wavelengths >= 0, got ${absorb}`);
  if (!(noise >= 0)) throw new RangeError(`mrePhantom: noise must be >= 0, got ${noise}`);
  const omega = 2 * Math.PI * frequency;
  const fine = (n - 1) * refine + 1, hFine = size / (fine - 1);
  const muFine = new Float64Array(fine * fine);
  for (let i = 0; i < fine; i++) for (let j = 0; j < fine; j++) muFine[i * fine + j] = phantomStiffness(i / (fine - 1), j / (fine - 1), options);
  const grid = { shape: [fine, fine] as [number, number], spacing: [hFine, hFine] as [number, number], mu: muFine, density, omega };
  const k = omega * Math.sqrt(density / background), direction: [number, number] = [Math.cos(angle), Math.sin(angle)];
  const C = equation === 'helmholtz' ? 1 : 2;
  const uFine = C === 1 ? solveHelmholtz2D(grid, { k, direction }) : solveNavierCauchy2D(grid, { k, direction, polarization: 'shear' }, { pad: Math.round(absorb * 2 * Math.PI / k / hFine) });
  const V = n * n, F = fine * fine, wave = new Float64Array(2 * C * V), mu = new Float64Array(V), mask = new Uint8Array(V);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = i * n + j, q = i * refine * fine + j * refine;
      for (let c = 0; c < C; c++) { wave[2 * (c * V + v)] = uFine[2 * (c * F + q)]; wave[2 * (c * V + v) + 1] = uFine[2 * (c * F + q) + 1]; }
      mu[v] = muFine[q];
      mask[v] = i >= margin && i < n - margin && j >= margin && j < n - margin ? 1 : 0;
    }
  }
  if (noise > 0) {
    let s2 = 0, m = 0;
    for (let c = 0; c < C; c++) for (let v = 0; v < V; v++) if (mask[v]) { s2 += wave[2 * (c * V + v)] ** 2 + wave[2 * (c * V + v) + 1] ** 2; m++; }
    const sd = noise * Math.sqrt(s2 / m / 2); // per real and imaginary part: E|noise|² = noise² · mean |u_c|²
    const rng = new Random(seed);
    for (let i = 0; i < 2 * C * V; i++) wave[i] += sd * gaussian(rng);
  }
  const h = size / (n - 1);
  return new MREExample({
    wave: { dtype: 'complex128', shape: [1, C, n, n], data: wave }, mask: { dtype: 'uint8', shape: [n, n], data: mask },
    mu: { dtype: 'float64', shape: [n, n], data: mu }, frequencies: [frequency], spacing: [h, h], density,
  });
}

/** A standard normal draw (Box–Muller). */
function gaussian(rng: Random): number {
  const u = 1 - rng.next(), v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

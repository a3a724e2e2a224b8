// A finite-difference solver of the heterogeneous time-harmonic Navier–Cauchy equation of the
// MRE-PINN seed on a 2-D grid, u = (ux, uy) complex,
//   ∇·[μ(∇u + ∇uᵀ)] + ρω²u = 0,   component i: Σⱼ ∂ⱼ(μ ∂ⱼuᵢ) + Σⱼ ∂ⱼ(μ ∂ᵢuⱼ) + ρω²uᵢ,
// the operator pinn/pdes.ts's navierCauchy trains (its product-rule expansion is the same
// operator). In a uniform μ it carries shear waves, k² = ρω²/μ, and (∇(∇·u)) pressure-like
// waves, k² = ρω²/(2μ): plane waves of either kind solve it exactly, the check of the solver.
//
// Discretisation, second order: ∂ⱼ(μ ∂ⱼw) by the five-point stencil with μ on a face the mean
// of its two voxels (as helmholtz_fd.ts); the mixed ∂ⱼ(μ ∂ᵢw), i ≠ j, by central differences of
// the central differences, μ taken at the two neighbours along j (nine-point, corners included).
//
// Excitation and boundary: an incident plane wave u₀ (shear or pressure) of the background, and
// the scattered field u_s = u − u₀ solving L(μ̃)u_s = −L(μ)u₀. Around the grid lies an absorbing
// layer of `pad` nodes where μ continues from the edge and turns complex, μ̃ = μ(1 + iη),
// η rising as the square of the depth to `damping`, and u_s = 0 on its outer edge; the layer
// swallows the scattered waves, which gives the problem no resonances. On the grid itself μ̃ = μ,
// so u₀ + u_s satisfies the discrete equation exactly there. The system, unknowns ordered
// (node, component), has half bandwidth 2·ny + 3 and goes to banded_solve.ts.
import { bandedSolve } from './banded_solve.js';

export interface NavierCauchyGrid {
  /** Voxels along x and y, and their spacing. */
  shape: [number, number];
  spacing: [number, number];
  /** μ per voxel (C order, [nx, ny]), positive; muImag, when given, its imaginary part. */
  mu: Float64Array;
  muImag?: Float64Array;
  density: number;
  omega: number;
}

/**
 * The incident plane wave u₀(x) = p·exp(i k (d·x)), x measured from voxel [0, 0]: shear, p ⊥ d
 * (p = (−d_y, d_x)), or pressure, p = d. For it to solve the equation in the background μ_b,
 * k = ω√(ρ/μ_b) for shear, ω√(ρ/(2μ_b)) for pressure.
 */
export interface VectorPlaneWave { k: number; direction: [number, number]; polarization?: 'shear' | 'pressure' }

export interface AbsorbingLayer {
  /** Nodes of absorbing layer around the grid (default 12), and the largest η in it (default 2). */
  pad?: number; damping?: number;
}

/** u (interleaved complex, [component][voxel], voxels C order [nx, ny]) solving the equation driven by the wave. */
export function solveNavierCauchy2D(g: NavierCauchyGrid, drive: VectorPlaneWave, { pad = 12, damping = 2 }: AbsorbingLayer = {}): Float64Array {
  const [nx, ny] = g.shape, n = nx * ny;
  checkGrid('solveNavierCauchy2D', g);
  if (!(Number.isInteger(pad) && pad >= 0)) throw new RangeError(`solveNavierCauchy2D: pad must be an integer >= 0, got ${pad}`);
  if (!(damping >= 0 && Number.isFinite(damping))) throw new RangeError(`solveNavierCauchy2D: damping must be a number >= 0, got ${damping}`);
  const NX = nx + 2 * pad, NY = ny + 2 * pad, N = NX * NY;
  // μ on the padded grid: the edge's value continued outward, complex with depth into the layer.
  const muRe = new Float64Array(N), muIm = new Float64Array(N), muBare = new Float64Array(N);
  for (let I = 0; I < NX; I++) {
    for (let J = 0; J < NY; J++) {
      const i = clamp(I - pad, nx), j = clamp(J - pad, ny), v = i * ny + j, q = I * NY + J;
      const depth = Math.max(pad - I, I - (nx - 1 + pad), pad - J, J - (ny - 1 + pad), 0);
      const eta = pad > 0 ? damping * (depth / pad) ** 2 : 0;
      muBare[q] = g.mu[v];
      muRe[q] = g.mu[v] - eta * (g.muImag?.[v] ?? 0);
      muIm[q] = (g.muImag?.[v] ?? 0) + eta * g.mu[v];
    }
  }
  const padded = { shape: [NX, NY] as [number, number], spacing: g.spacing, density: g.density, omega: g.omega };
  const incident = planeWave(padded, drive, pad);
  // Right-hand side: −L(μ)u₀ at the inner nodes (μ without the layer's damping); u_s = 0 on the edge.
  const source = applyOperator({ ...padded, mu: muBare, muImag: g.muImag ? padMuImag(g, pad, NX, NY) : undefined }, incident);
  const kl = 2 * NY + 3, W = 3 * kl + 1;
  const A = new Float64Array(2 * 2 * N * W), b = new Float64Array(2 * 2 * N);
  const at = (r: number, c: number) => 2 * (r * W + (c - r + kl));
  for (let I = 0; I < NX; I++) {
    for (let J = 0; J < NY; J++) {
      const q = I * NY + J;
      for (let c = 0; c < 2; c++) {
        const r = 2 * q + c;
        if (I === 0 || J === 0 || I === NX - 1 || J === NY - 1) { A[at(r, r)] = 1; continue; }
        stencil(padded, muRe, muIm, I, J, c, (node, comp, re, im) => { const p = at(r, 2 * node + comp); A[p] += re; A[p + 1] += im; });
        b[2 * r] = -source[2 * (c * N + q)]; b[2 * r + 1] = -source[2 * (c * N + q) + 1];
      }
    }
  }
  const us = bandedSolve(A, b, 2 * N, kl, kl, 'solveNavierCauchy2D');
  const u = new Float64Array(4 * n);
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) {
      const v = i * ny + j, q = (i + pad) * NY + (j + pad);
      for (let c = 0; c < 2; c++) {
        for (let o = 0; o < 2; o++) u[2 * (c * n + v) + o] = incident[2 * (c * N + q) + o] + us[2 * (2 * q + c) + o];
      }
    }
  }
  return u;
}

/**
 * The discrete operator L(μ)u = ∇·[μ(∇u + ∇uᵀ)] + ρω²u applied to u ([component][voxel],
 * interleaved complex) at the grid's inner voxels; NaN on its edge, where the stencil leaves it.
 */
export function navierCauchyOperator2D(g: NavierCauchyGrid, u: Float64Array): Float64Array {
  checkGrid('navierCauchyOperator2D', g);
  const n = g.shape[0] * g.shape[1];
  if (u.length !== 4 * n) throw new Error(`navierCauchyOperator2D: u must hold 2 complex components per voxel (${4 * n} values), got ${u.length}`);
  return applyOperator(g, u);
}

function applyOperator(g: NavierCauchyGrid, u: Float64Array): Float64Array {
  const [nx, ny] = g.shape, n = nx * ny;
  const muIm = g.muImag ?? new Float64Array(n);
  const out = new Float64Array(4 * n).fill(NaN);
  for (let i = 1; i < nx - 1; i++) {
    for (let j = 1; j < ny - 1; j++) {
      const v = i * ny + j;
      for (let c = 0; c < 2; c++) {
        let sr = 0, si = 0;
        stencil(g, g.mu, muIm, i, j, c, (node, comp, re, im) => {
          const ur = u[2 * (comp * n + node)], ui = u[2 * (comp * n + node) + 1];
          sr += re * ur - im * ui; si += re * ui + im * ur;
        });
        out[2 * (c * n + v)] = sr; out[2 * (c * n + v) + 1] = si;
      }
    }
  }
  return out;
}

type Emit = (node: number, component: number, re: number, im: number) => void;

/** The coefficients of row (voxel [i, j], component c) of L(μ), μ = muRe + i·muIm; [i, j] inner. */
function stencil(g: { shape: [number, number]; spacing: [number, number]; density: number; omega: number }, muRe: Float64Array, muIm: Float64Array, i: number, j: number, c: number, emit: Emit): void {
  const ny = g.shape[1], h = g.spacing, P = i * ny + j;
  const stride = [ny, 1];
  emit(P, c, g.density * g.omega ** 2, 0);
  // Σⱼ ∂ⱼ(μ ∂ⱼu_c) plus the j = c term of Σⱼ ∂ⱼ(μ ∂_c uⱼ): axis c counts twice.
  for (let a = 0; a < 2; a++) {
    const w = (a === c ? 2 : 1) / (h[a] * h[a]);
    for (const s of [-1, 1]) {
      const Q = P + s * stride[a], fr = w * (muRe[P] + muRe[Q]) / 2, fi = w * (muIm[P] + muIm[Q]) / 2;
      emit(Q, c, fr, fi); emit(P, c, -fr, -fi);
    }
  }
  // ∂_a(μ ∂_c u_a), a ≠ c: [μ ∂_c u_a](P + e_a) − [μ ∂_c u_a](P − e_a), over 2h_a.
  const a = 1 - c, w = 1 / (4 * h[a] * h[c]);
  for (const s of [-1, 1]) {
    const Q = P + s * stride[a], fr = s * w * muRe[Q], fi = s * w * muIm[Q];
    emit(Q + stride[c], a, fr, fi); emit(Q - stride[c], a, -fr, -fi);
  }
}

/** u₀ on the padded grid ([component][node], interleaved complex), x from the unpadded voxel [0, 0]. */
function planeWave(g: { shape: [number, number]; spacing: [number, number] }, drive: VectorPlaneWave, pad: number): Float64Array {
  const { k, direction: [dx, dy], polarization = 'shear' } = drive;
  if (!(k > 0 && Number.isFinite(k))) throw new RangeError(`solveNavierCauchy2D: the drive's k must be positive, got ${k}`);
  if (polarization !== 'shear' && polarization !== 'pressure') throw new Error(`solveNavierCauchy2D: polarization must be 'shear' or 'pressure', got ${JSON.stringify(polarization)}`);
  const norm = Math.hypot(dx, dy);
  if (!(norm > 0)) throw new Error('solveNavierCauchy2D: the drive direction must be a nonzero vector');
  const d = [dx / norm, dy / norm], p = polarization === 'shear' ? [-d[1], d[0]] : d;
  const [NX, NY] = g.shape, N = NX * NY, [hx, hy] = g.spacing;
  const u = new Float64Array(4 * N);
  for (let I = 0; I < NX; I++) {
    for (let J = 0; J < NY; J++) {
      const q = I * NY + J, phase = k * (d[0] * (I - pad) * hx + d[1] * (J - pad) * hy);
      for (let c = 0; c < 2; c++) { u[2 * (c * N + q)] = p[c] * Math.cos(phase); u[2 * (c * N + q) + 1] = p[c] * Math.sin(phase); }
    }
  }
  return u;
}

function padMuImag(g: NavierCauchyGrid, pad: number, NX: number, NY: number): Float64Array {
  const [nx, ny] = g.shape, out = new Float64Array(NX * NY);
  for (let I = 0; I < NX; I++) for (let J = 0; J < NY; J++) out[I * NY + J] = g.muImag![clamp(I - pad, nx) * ny + clamp(J - pad, ny)];
  return out;
}

function checkGrid(where: string, g: NavierCauchyGrid): void {
  const [nx, ny] = g.shape, n = nx * ny;
  if (!(Number.isInteger(nx) && Number.isInteger(ny) && nx >= 3 && ny >= 3)) throw new Error(`${where}: shape must be two integers >= 3, got [${g.shape.join(', ')}]`);
  if (g.mu.length !== n || !g.mu.every((m) => m > 0)) throw new Error(`${where}: mu must be ${n} positive values`);
  if (g.muImag && (g.muImag.length !== n || !g.muImag.every(Number.isFinite))) throw new Error(`${where}: muImag must be ${n} finite values`);
}

function clamp(i: number, n: number): number { return Math.min(n - 1, Math.max(0, i)); }

// Algebraic Helmholtz inversion (AHI), the "direct" baseline of elastography: from
// μ∇²u + ρω²u = 0 at each voxel, μ = −ρω²u / ∇²u. With several components c and frequencies f,
// the least-squares μ of the equations μ·∇²u_fc = −ρω_f²·u_fc:
//   μ = Σ_fc conj(∇²u_fc)·(−ρω_f² u_fc) / Σ_fc |∇²u_fc|²,
// its real part the storage modulus reported. The Laplacian is the second-order central
// difference on the grid; u is first smoothed by a Gaussian of `sigma` voxels inside the mask
// (normalised convolution: the mask's outside does not leak in), as the seed's baseline does.
// Voxels whose stencil leaves the mask get no estimate (NaN; `valid` says which have one).
//
// With equation 'navier-cauchy' (a vector wave, one component per axis) the same least squares
// runs on the seed's ∇·[μ(∇u+∇uᵀ)] + ρω²u = 0 with μ locally uniform, μ(∇²u + ∇(∇·u)) = −ρω²u:
// component i's operator is ∇²uᵢ + Σⱼ ∂ᵢ∂ⱼuⱼ, the mixed derivatives by central differences, so
// the stencil reaches the diagonal neighbours too. Both forms drop ∇μ, as every direct inversion does.
import { type MREExample } from './example.js';
import { type MREEquation } from './problem.js';

export interface AHIOptions {
  /** Gaussian smoothing of u, in voxels (0: none; default 1). */
  sigma?: number;
  /** The equation inverted (default 'helmholtz', component by component). */
  equation?: MREEquation;
}

export interface AHIResult {
  /** Re μ per voxel (C order); NaN outside the mask and where the stencil leaves it. */
  mu: Float64Array;
  /** Im μ (the loss modulus) likewise. */
  muImag: Float64Array;
  /** 1 where μ has an estimate. */
  valid: Uint8Array;
}

export function ahi(e: MREExample, { sigma = 1, equation = 'helmholtz' }: AHIOptions = {}): AHIResult {
  if (!(sigma >= 0 && Number.isFinite(sigma))) throw new RangeError(`ahi: sigma must be a number of voxels >= 0, got ${sigma}`);
  if (equation !== 'helmholtz' && equation !== 'navier-cauchy') throw new Error(`ahi: equation must be 'helmholtz' or 'navier-cauchy', got ${JSON.stringify(equation)}`);
  if (equation === 'navier-cauchy' && e.components !== e.rank) throw new Error(`ahi: the Navier–Cauchy form needs a vector wave (${e.rank} components on this ${e.rank}-D grid), the data has ${e.components}`);
  const nc = equation === 'navier-cauchy';
  const V = e.voxels, rank = e.rank, shape = e.shape;
  const strides = shape.map((_, k) => shape.slice(k + 1).reduce((a, b) => a * b, 1));
  const sub = (i: number, k: number) => Math.floor(i / strides[k]) % shape[k];
  // A voxel has a Laplacian when it and its 2·rank neighbours (and for Navier–Cauchy the diagonal
  // ones) are inside the grid and the mask.
  const valid = new Uint8Array(V);
  for (let i = 0; i < V; i++) {
    if (!e.mask[i]) continue;
    let ok = true;
    for (let k = 0; k < rank && ok; k++) {
      const s = sub(i, k);
      ok = s > 0 && s < shape[k] - 1 && e.mask[i - strides[k]] === 1 && e.mask[i + strides[k]] === 1;
    }
    for (let k = 0; k < rank && ok && nc; k++) {
      for (let l = k + 1; l < rank && ok; l++) for (const a of [-1, 1]) for (const b of [-1, 1]) ok = ok && e.mask[i + a * strides[k] + b * strides[l]] === 1;
    }
    valid[i] = ok ? 1 : 0;
  }
  const num = new Float64Array(2 * V), den = new Float64Array(V);
  const omegas = e.omegas;
  for (let f = 0; f < e.frequencies.length; f++) {
    const rw2 = e.density * omegas[f] ** 2;
    const u = Array.from({ length: e.components }, (_, c) => smooth(e, f, c, sigma, strides));
    const second = (w: Float64Array, i: number, k: number, o: number) => (w[2 * (i - strides[k]) + o] - 2 * w[2 * i + o] + w[2 * (i + strides[k]) + o]) / e.spacing[k] ** 2;
    const mixed = (w: Float64Array, i: number, k: number, l: number, o: number) => {
      const sk = strides[k], sl = strides[l];
      return (w[2 * (i + sk + sl) + o] - w[2 * (i + sk - sl) + o] - w[2 * (i - sk + sl) + o] + w[2 * (i - sk - sl) + o]) / (4 * e.spacing[k] * e.spacing[l]);
    };
    for (let c = 0; c < e.components; c++) {
      for (let i = 0; i < V; i++) {
        if (!valid[i]) continue;
        let lr = 0, li = 0;
        for (let k = 0; k < rank; k++) { lr += second(u[c], i, k, 0); li += second(u[c], i, k, 1); }
        // ∂_c(∇·u): the c-th second derivative of u_c, and the mixed ones of the others.
        if (nc) {
          for (let j = 0; j < rank; j++) {
            lr += j === c ? second(u[c], i, c, 0) : mixed(u[j], i, c, j, 0);
            li += j === c ? second(u[c], i, c, 1) : mixed(u[j], i, c, j, 1);
          }
        }
        // conj(L)·(−ρω²u)
        const br = -rw2 * u[c][2 * i], bi = -rw2 * u[c][2 * i + 1];
        num[2 * i] += lr * br + li * bi;
        num[2 * i + 1] += lr * bi - li * br;
        den[i] += lr * lr + li * li;
      }
    }
  }
  const mu = new Float64Array(V).fill(NaN), muImag = new Float64Array(V).fill(NaN);
  for (let i = 0; i < V; i++) {
    if (!valid[i] || den[i] === 0) { valid[i] = 0; continue; }
    mu[i] = num[2 * i] / den[i];
    muImag[i] = num[2 * i + 1] / den[i];
  }
  return { mu, muImag, valid };
}

/** u_fc (interleaved complex) smoothed inside the mask by a separable Gaussian of sigma voxels. */
function smooth(e: MREExample, f: number, c: number, sigma: number, strides: number[]): Float64Array {
  const V = e.voxels, offset = 2 * (f * e.components + c) * V;
  let u = new Float64Array(2 * V), w = new Float64Array(V);
  for (let i = 0; i < V; i++) {
    const m = e.mask[i];
    u[2 * i] = m * e.wave[offset + 2 * i];
    u[2 * i + 1] = m * e.wave[offset + 2 * i + 1];
    w[i] = m;
  }
  if (sigma === 0) return u;
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, j) => Math.exp(-((j - radius) ** 2) / (2 * sigma * sigma)));
  for (let k = 0; k < e.rank; k++) {
    const n = e.shape[k], stride = strides[k];
    const u2 = new Float64Array(2 * V), w2 = new Float64Array(V);
    for (let i = 0; i < V; i++) {
      const s = Math.floor(i / stride) % n;
      let sr = 0, si = 0, sw = 0;
      for (let j = -radius; j <= radius; j++) {
        const t = s + j;
        if (t < 0 || t >= n) continue;
        const q = i + j * stride, g = kernel[j + radius];
        sr += g * u[2 * q]; si += g * u[2 * q + 1]; sw += g * w[q];
      }
      u2[2 * i] = sr; u2[2 * i + 1] = si; w2[i] = sw;
    }
    u = u2; w = w2;
  }
  for (let i = 0; i < V; i++) {
    if (!e.mask[i] || w[i] === 0) { u[2 * i] = 0; u[2 * i + 1] = 0; continue; }
    u[2 * i] /= w[i]; u[2 * i + 1] /= w[i];
  }
  return u;
}

// Scales as MREPINN uses them: coordinates centred on the grid and divided by its extent, so the
// network sees [−½, ½] along every axis, whatever the voxel size; displacement and stiffness
// shifted by their mean over the mask and divided by their spread, so the network's outputs are
// of order one. Each map has its inverse; the physics (the PDE) stays in physical units.
import { tensor } from '../creation.js';
import { type Tensor } from '../tensor.js';
import { type MREExample } from './example.js';

/** x ↦ (x − center) / extent per axis, and back. */
export class CoordinateNormalization {
  constructor(readonly center: number[], readonly extent: number[]) {
    if (center.length !== extent.length || !extent.every((e) => e > 0)) throw new Error(`CoordinateNormalization: center [${center}] and positive extent [${extent}] per axis`);
  }

  /** The grid's: center = origin + spacing·(n − 1)/2, extent = spacing·(n − 1). */
  static of(e: MREExample): CoordinateNormalization {
    return new CoordinateNormalization(e.shape.map((n, k) => e.origin[k] + e.spacing[k] * (n - 1) / 2), e.shape.map((n, k) => e.spacing[k] * (n - 1)));
  }

  normalize(x: Tensor): Tensor {
    return x.sub(this.row(this.center, x)).div(this.row(this.extent, x));
  }

  denormalize(xn: Tensor): Tensor {
    return xn.mul(this.row(this.extent, xn)).add(this.row(this.center, xn));
  }

  private row(v: number[], like: Tensor): Tensor {
    return tensor(v, { dtype: like.dtype as 'float32' | 'float64', shape: [1, v.length] }).to({ device: like.device });
  }
}

/** y ↦ loc + scale·y: how a network's order-one output becomes a physical value. */
export interface ValueScale { loc: number; scale: number }

/**
 * The data's scales over the mask: the wave's real and imaginary parts (each component, each
 * frequency together) share loc 0 and scale = RMS |u|, as a complex field has no preferred
 * phase; the stiffness has loc = mean μ and scale = its standard deviation (or the mean when μ
 * is constant). With no μ ground truth, `muGuess` (Pa) gives both.
 */
export function valueScales(e: MREExample, muGuess?: number): { wave: ValueScale; mu: ValueScale } {
  const voxels = e.maskedVoxels();
  let sum2 = 0;
  for (let f = 0; f < e.frequencies.length; f++) {
    for (let c = 0; c < e.components; c++) for (const i of voxels) { const [re, im] = e.waveAt(f, c, i); sum2 += re * re + im * im; }
  }
  const rms = Math.sqrt(sum2 / (voxels.length * e.frequencies.length * e.components)) || 1;
  let mu: ValueScale;
  if (e.mu) {
    let s = 0, s2 = 0;
    for (const i of voxels) { s += e.mu[i]; s2 += e.mu[i] ** 2; }
    const mean = s / voxels.length, sd = Math.sqrt(Math.max(0, s2 / voxels.length - mean * mean));
    mu = { loc: mean, scale: sd > 1e-6 * mean ? sd : mean };
  } else {
    if (!(muGuess !== undefined && muGuess > 0)) throw new Error('valueScales: the example has no stiffness (mu); give muGuess, a typical shear modulus in Pa');
    mu = { loc: muGuess, scale: muGuess };
  }
  return { wave: { loc: 0, scale: rms }, mu };
}

// Scales as MREPINN uses them: coordinates centred on the grid and divided by its extent, so the
// network sees [−½, ½] (along the longest axis), whatever the voxel size; displacement and
// stiffness divided by their typical size, so the network's outputs are of order one. Unlike
// MREPINN, one extent serves every axis: the Laplacian keeps its form in the scaled coordinates.
// Each map has its inverse.
import { tensor } from '../creation.js';
import { type Tensor } from '../tensor.js';
import { type MREExample } from './example.js';

/** x ↦ (x − center) / extent per axis, and back. */
export class CoordinateNormalization {
  constructor(readonly center: number[], readonly extent: number[]) {
    if (center.length !== extent.length || !extent.every((e) => e > 0)) throw new Error(`CoordinateNormalization: center [${center}] and positive extent [${extent}] per axis`);
  }

  /** The grid's: center = origin + spacing·(n − 1)/2, extent = the largest spacing·(n − 1), on every axis. */
  static of(e: MREExample): CoordinateNormalization {
    const L = Math.max(...e.shape.map((n, k) => e.spacing[k] * (n - 1)));
    return new CoordinateNormalization(e.shape.map((n, k) => e.origin[k] + e.spacing[k] * (n - 1) / 2), e.shape.map(() => L));
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

/**
 * The data's typical sizes over the mask: RMS |u| (all components and frequencies together: a
 * complex field has no preferred phase), the RMS of the anatomical channels, and the mean μ
 * (or `muGuess`, Pa, when the data has no stiffness). The network's outputs are u / wave,
 * anat / anat and μ / mu: linear maps, so the PDEs keep their form.
 */
export function valueScales(e: MREExample, muGuess?: number): { wave: number; anat: number; mu: number } {
  const voxels = e.maskedVoxels();
  let sum2 = 0;
  for (let f = 0; f < e.frequencies.length; f++) {
    for (let c = 0; c < e.components; c++) for (const i of voxels) { const [re, im] = e.waveAt(f, c, i); sum2 += re * re + im * im; }
  }
  const wave = Math.sqrt(sum2 / (voxels.length * e.frequencies.length * e.components)) || 1;
  let a2 = 0;
  if (e.anat) for (let c = 0; c < e.anatChannels; c++) for (const i of voxels) a2 += e.anat[c * e.voxels + i] ** 2;
  const anat = e.anat ? Math.sqrt(a2 / (voxels.length * e.anatChannels)) || 1 : 1;
  let mu: number;
  if (e.mu) {
    let s = 0;
    for (const i of voxels) s += e.mu[i];
    mu = s / voxels.length;
  } else {
    if (!(muGuess !== undefined && muGuess > 0)) throw new Error('valueScales: the example has no stiffness (mu); give muGuess, a typical shear modulus in Pa');
    mu = muGuess;
  }
  return { wave, anat, mu };
}

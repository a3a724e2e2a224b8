// Voxels as training data: a seeded train/test split of the mask, and the tensors of a set of
// voxels (their coordinates, wave values, stiffness, anatomy) for the loss terms.
import { tensor } from '../creation.js';
import { Random } from '../geometry/random.js';
import { type Tensor } from '../tensor.js';
import { type MREExample } from './example.js';

/**
 * Splits the masked voxels at random into `train` and `test` (held out for evaluation); both
 * sorted, disjoint, together the whole mask. `testFraction` in [0, 1).
 */
export function splitVoxels(e: MREExample, { testFraction = 0.2, seed = 0 }: { testFraction?: number; seed?: number } = {}): { train: Int32Array; test: Int32Array } {
  if (!(testFraction >= 0 && testFraction < 1)) throw new RangeError(`splitVoxels: testFraction must be in [0, 1), got ${testFraction}`);
  const all = Array.from(e.maskedVoxels());
  const rng = new Random(seed);
  for (let i = all.length - 1; i > 0; i--) { const j = rng.int(i + 1); [all[i], all[j]] = [all[j], all[i]]; }
  const nTest = Math.floor(all.length * testFraction);
  if (all.length - nTest < 1) throw new Error(`splitVoxels: no training voxel left (${all.length} in the mask)`);
  const sorted = (a: number[]) => Int32Array.from(a).sort();
  return { test: sorted(all.slice(0, nTest)), train: sorted(all.slice(nTest)) };
}

/** Physical coordinates [n, rank] (float64) of the voxels. */
export function voxelPoints(e: MREExample, voxels: ArrayLike<number>): Tensor {
  const rows = Array.from(voxels, (i) => e.position(i));
  return tensor(rows.flat(), { dtype: 'float64', shape: [rows.length, e.rank] });
}

/** Wave values at frequency `f`: [n, 2·components], columns re, im of each component in turn. */
export function voxelWave(e: MREExample, voxels: ArrayLike<number>, f = 0): Tensor {
  if (!(Number.isInteger(f) && f >= 0 && f < e.frequencies.length)) throw new RangeError(`voxelWave: frequency index ${f} outside 0..${e.frequencies.length - 1}`);
  const out: number[] = [];
  for (const i of Array.from(voxels)) for (let c = 0; c < e.components; c++) out.push(...e.waveAt(f, c, i));
  return tensor(out, { dtype: 'float64', shape: [voxels.length, 2 * e.components] });
}

/** The true stiffness [n, 1] at the voxels. */
export function voxelMu(e: MREExample, voxels: ArrayLike<number>): Tensor {
  if (!e.mu) throw new Error('voxelMu: the example has no stiffness (mu)');
  const mu = e.mu;
  return tensor(Array.from(voxels, (i) => mu[i]), { dtype: 'float64', shape: [voxels.length, 1] });
}

/** The anatomical channels [n, channels] at the voxels. */
export function voxelAnat(e: MREExample, voxels: ArrayLike<number>): Tensor {
  if (!e.anat) throw new Error('voxelAnat: the example has no anatomical channels (anat)');
  const anat = e.anat, V = e.voxels, C = e.anatChannels;
  const out: number[] = [];
  for (const i of Array.from(voxels)) for (let c = 0; c < C; c++) out.push(anat[c * V + i]);
  return tensor(out, { dtype: 'float64', shape: [voxels.length, C] });
}

// An MREExample on disk, in the formats elastography data comes in:
//   *.npz          one archive: wave (complex [F, C, ...grid]), mask, mu?, anat?, frequencies,
//                  spacing, origin, density (as numpy.savez writes them);
//   *.safetensors  the same names, the wave split into 'wave.real' and 'wave.imag' (safetensors
//                  has no complex dtype), the scalars as 1-element tensors;
//   a folder       NIfTI images wave.nii.gz ([x, y, z, F, C]: frequencies along NIfTI's time
//                  axis, components along its fifth), mask.nii.gz, mu.nii.gz?, anat.nii.gz?
//                  ([x, y, z, channels]) on one grid, and mre.json {frequencies, density, rank}.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tensor } from '../creation.js';
import { writeFileAtomic } from '../io/atomic.js';
import { type NdArray, transpose } from '../io/ndarray.js';
import { loadNifti, saveNifti } from '../io/nifti.js';
import { loadNpz, saveNpz } from '../io/npy.js';
import { decodeSafetensors, encodeSafetensors } from '../io/safetensors.js';
import { readFile } from '../io/npy.js';
import { dispose } from '../memory.js';
import { type Tensor } from '../tensor.js';
import { MREExample, type MREExampleInput } from './example.js';
import { makeDirectory } from '../io/make_directory.js';

type Format = 'npz' | 'safetensors' | 'nifti';

function formatOf(path: string): Format {
  if (path.endsWith('.npz')) return 'npz';
  if (path.endsWith('.safetensors')) return 'safetensors';
  if (!/\.[a-z0-9]+$/i.test(path) || (existsSync(path) && statSync(path).isDirectory())) return 'nifti';
  throw new Error(`${path}: unknown MRE data format (expected .npz, .safetensors, or a folder of NIfTI images)`);
}

const f64 = (values: number[], shape = [values.length]): NdArray => ({ dtype: 'float64', shape, data: Float64Array.from(values) });
const numbers = (a: NdArray | undefined): number[] | undefined => (a ? Array.from(a.data as ArrayLike<number | bigint>, Number) : undefined);

/** The example's arrays under the names the files use. */
function arraysOf(e: MREExample): Record<string, NdArray> {
  const out: Record<string, NdArray> = {
    wave: { dtype: 'complex128', shape: [e.frequencies.length, e.components, ...e.shape], data: e.wave },
    mask: { dtype: 'bool', shape: e.shape, data: e.mask },
    frequencies: f64(e.frequencies), spacing: f64(e.spacing), origin: f64(e.origin), density: f64([e.density], []),
  };
  if (e.mu) out.mu = { dtype: 'float64', shape: e.shape, data: e.mu };
  if (e.anat) out.anat = { dtype: 'float64', shape: [e.anatChannels, ...e.shape], data: e.anat };
  return out;
}

function fromArrays(a: Record<string, NdArray | undefined>, where: string): MREExample {
  for (const name of ['wave', 'mask', 'frequencies', 'spacing']) if (!a[name]) throw new Error(`${where}: no '${name}' array (found: ${Object.keys(a).sort().join(', ') || 'none'})`);
  const density = numbers(a.density);
  try {
    return new MREExample({
      wave: a.wave!, mask: a.mask!, mu: a.mu, anat: a.anat, frequencies: numbers(a.frequencies)!, spacing: numbers(a.spacing)!,
      origin: numbers(a.origin), density: density?.[0],
    });
  } catch (e) {
    (e as Error).message = `${where}: ${(e as Error).message}`;
    throw e;
  }
}

export function saveMRE(path: string, example: MREExample): void {
  const format = formatOf(path);
  const arrays = arraysOf(example);
  if (format === 'npz') return saveNpz(path, arrays);
  if (format === 'safetensors') {
    const { wave, ...rest } = arrays;
    const parts = split(wave);
    const tensors: Record<string, Tensor> = {};
    try {
      for (const [k, v] of Object.entries({ ...rest, 'wave.real': parts.real, 'wave.imag': parts.imag })) {
        tensors[k] = tensor(v.data as Float64Array | Uint8Array, { dtype: v.dtype === 'bool' ? 'bool' : 'float64', shape: v.shape.length ? v.shape : [1] });
      }
      writeFileAtomic(path, encodeSafetensors(tensors, { format: 'pinn-torch MRE example' }));
    } finally {
      dispose(tensors);
    }
    return;
  }
  makeDirectory(path);
  const grid3 = [...example.shape, ...new Array(3 - example.rank).fill(1)];
  const image = (a: NdArray) => ({ array: a, spacing: example.spacing, origin: example.origin });
  const rank = example.rank;
  // [F, C, ...grid] → [...grid, F, C], then the grid padded to 3 axes.
  const wave = transpose(arrays.wave, [...Array.from({ length: rank }, (_, i) => i + 2), 0, 1]);
  saveNifti(join(path, 'wave.nii.gz'), image({ ...wave, shape: [...grid3, example.frequencies.length, example.components] }));
  saveNifti(join(path, 'mask.nii.gz'), image({ dtype: 'uint8', shape: example.shape, data: example.mask }));
  if (arrays.mu) saveNifti(join(path, 'mu.nii.gz'), image(arrays.mu));
  if (arrays.anat) {
    const anat = transpose(arrays.anat, [...Array.from({ length: rank }, (_, i) => i + 1), 0]);
    saveNifti(join(path, 'anat.nii.gz'), image({ ...anat, shape: [...grid3, example.anatChannels] }));
  }
  writeFileAtomic(join(path, 'mre.json'), Buffer.from(JSON.stringify({ frequencies: example.frequencies, density: example.density, rank }, null, 2) + '\n'));
}

export function loadMRE(path: string): MREExample {
  const format = formatOf(path);
  if (format === 'npz') return fromArrays(loadNpz(path), path);
  if (format === 'safetensors') {
    const { tensors } = decodeSafetensors(readFile(path), path);
    try {
      const a: Record<string, NdArray> = {};
      for (const [k, t] of Object.entries(tensors)) a[k] = { dtype: t.dtype as NdArray['dtype'], shape: [...t.shape], data: t.data() as NdArray['data'] };
      if (a['wave.real'] && a['wave.imag']) a.wave = join2(a['wave.real'], a['wave.imag'], path);
      return fromArrays(a, path);
    } finally {
      dispose(tensors);
    }
  }
  return loadNiftiFolder(path);
}

function loadNiftiFolder(path: string): MREExample {
  const metaPath = join(path, 'mre.json');
  let meta: { frequencies?: number[]; density?: number; rank?: number };
  try {
    meta = JSON.parse(readFileSync(metaPath, 'utf8'));
  } catch (e) {
    throw new Error(`${metaPath}: cannot read the data set's description (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const rank = meta.rank ?? 3;
  if (rank !== 2 && rank !== 3) throw new Error(`${metaPath}: 'rank' must be 2 or 3, got ${JSON.stringify(meta.rank)}`);
  const mask = loadNifti(join(path, 'mask.nii.gz'));
  const grid = mask.array.shape.slice(0, rank);
  const onGrid = (name: string, lead: number) => {
    const file = join(path, `${name}.nii.gz`);
    if (name !== 'wave' && !existsSync(file)) return undefined;
    const img = loadNifti(file);
    const same = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 1e-6 * Math.max(1, Math.abs(b[i])));
    const imgGrid = img.array.shape.slice(0, rank);
    if (!imgGrid.every((n, i) => n === grid[i]) || !same(img.spacing.slice(0, rank), mask.spacing.slice(0, rank)) || !same(img.origin.slice(0, rank), mask.origin.slice(0, rank))) {
      throw new Error(`${file}: its grid (shape [${imgGrid.join(', ')}], spacing [${img.spacing.join(', ')}], origin [${img.origin.join(', ')}]) is not the mask's (shape [${grid.join(', ')}], spacing [${mask.spacing.join(', ')}], origin [${mask.origin.join(', ')}])`);
    }
    const tail = img.array.shape.slice(3); // after the 3 NIfTI spatial axes
    const lead3 = rank === 3 ? [] : [img.array.shape[2] ?? 1];
    if (lead3.some((n) => n !== 1)) throw new Error(`${file}: a 2-D data set has 1 voxel along z, this image has ${lead3[0]}`);
    const extra = [...tail, ...new Array(Math.max(0, lead - tail.length)).fill(1)].slice(0, lead);
    const squeezed: NdArray = { ...img.array, shape: [...grid, ...extra] };
    // [...grid, ...extra] → [...extra, ...grid]
    return transpose(squeezed, [...extra.map((_, i) => rank + i), ...grid.map((_, i) => i)]);
  };
  return fromArrays({
    wave: onGrid('wave', 2)!, mask: { ...mask.array, shape: grid }, mu: onGrid('mu', 0), anat: onGrid('anat', 1),
    frequencies: f64(meta.frequencies ?? []), spacing: f64(mask.spacing.slice(0, rank)), origin: f64(mask.origin.slice(0, rank)),
    ...(meta.density !== undefined ? { density: f64([meta.density]) } : {}),
  }, path);
}

function split(wave: NdArray): { real: NdArray; imag: NdArray } {
  const n = wave.data.length / 2, re = new Float64Array(n), im = new Float64Array(n);
  for (let i = 0; i < n; i++) { re[i] = Number(wave.data[2 * i]); im[i] = Number(wave.data[2 * i + 1]); }
  return { real: { dtype: 'float64', shape: wave.shape, data: re }, imag: { dtype: 'float64', shape: wave.shape, data: im } };
}

function join2(re: NdArray, im: NdArray, where: string): NdArray {
  if (re.shape.join() !== im.shape.join()) throw new Error(`${where}: 'wave.real' has shape [${re.shape.join(', ')}], 'wave.imag' [${im.shape.join(', ')}]`);
  const out = new Float64Array(re.data.length * 2);
  for (let i = 0; i < re.data.length; i++) { out[2 * i] = Number(re.data[i]); out[2 * i + 1] = Number(im.data[i]); }
  return { dtype: 'complex128', shape: re.shape, data: out };
}

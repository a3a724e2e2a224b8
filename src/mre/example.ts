// An elastography (MRE) data set on a voxel grid, as the elastography seed's MREExample holds
// it: complex displacement per frequency, a tissue mask, and optionally the true stiffness and
// anatomical image channels. Values are float64 on the host; everything is checked once, here,
// with errors that name the array and the voxel.
import { type NdArray, isComplexDType, isFloatDType, numel, subscripts, toFloat64 } from '../io/ndarray.js';

/** What a data set is made from (the arrays as loaded from a file, or built in code). */
export interface MREExampleInput {
  /** Complex displacement, shape [frequencies, components, ...grid]; components 1 (scalar) or the grid's rank (vector). */
  wave: NdArray;
  /** The tissue mask, shape grid (2-D [nx, ny] or 3-D [nx, ny, nz]): bool or integers 0/1. */
  mask: NdArray;
  /** Driving frequencies in Hz, one per wave frequency. */
  frequencies: number[];
  /** Voxel size per axis (metres), and the position of voxel [0, 0(, 0)] (default 0). */
  spacing: number[];
  origin?: number[];
  /** Tissue density ρ (default 1000 kg/m³, water). */
  density?: number;
  /** True shear modulus μ (Pa), real, shape grid: positive inside the mask. */
  mu?: NdArray;
  /** Anatomical image channels, real, shape [channels, ...grid]. */
  anat?: NdArray;
}

export class MREExample {
  /** Grid shape, spacing and origin (one entry per axis). */
  readonly shape: number[];
  readonly spacing: number[];
  readonly origin: number[];
  readonly frequencies: number[];
  readonly density: number;
  /** 1 for a scalar field, the grid's rank for a vector field. */
  readonly components: number;
  /** Interleaved complex, [frequency][component][voxel (C order)][re, im]. */
  readonly wave: Float64Array;
  readonly mask: Uint8Array;
  readonly mu?: Float64Array;
  /** [channel][voxel]. */
  readonly anat?: Float64Array;
  readonly anatChannels: number;

  constructor(input: MREExampleInput) {
    const where = 'MREExample';
    if (!input || typeof input !== 'object') throw new TypeError(`${where}: expected an object with wave, mask, frequencies and spacing`);
    const { wave, mask, frequencies, spacing, origin, density = 1000, mu, anat } = input;
    for (const [name, a] of [['wave', wave], ['mask', mask]] as const) if (!isArray(a)) throw new TypeError(`${where}: '${name}' is required (an array with dtype, shape and data)`);
    for (const [name, a] of [['mu', mu], ['anat', anat]] as const) if (a !== undefined && !isArray(a)) throw new TypeError(`${where}: '${name}' must be an array with dtype, shape and data`);

    const grid = mask.shape;
    if (grid.length !== 2 && grid.length !== 3) throw new Error(`${where}: the mask sets the grid and must be 2-D or 3-D, got shape [${grid.join(', ')}]`);
    if (!grid.every((n) => n >= 2)) throw new Error(`${where}: every grid axis needs at least 2 voxels, got [${grid.join(', ')}]`);
    if (isComplexDType(mask.dtype) || isFloatDType(mask.dtype)) throw new TypeError(`${where}: 'mask' must be bool or integer (0/1), got ${mask.dtype}`);
    const rank = grid.length;
    this.shape = [...grid];
    this.spacing = checkVector(`${where}: 'spacing'`, spacing, rank, (v) => v > 0, 'positive');
    this.origin = checkVector(`${where}: 'origin'`, origin ?? new Array(rank).fill(0), rank, () => true, 'finite');
    if (!Array.isArray(frequencies) || frequencies.length === 0) throw new Error(`${where}: 'frequencies' must be a non-empty array of Hz`);
    this.frequencies = checkVector(`${where}: 'frequencies'`, frequencies, frequencies.length, (v) => v > 0, 'positive');
    if (!(typeof density === 'number' && Number.isFinite(density) && density > 0)) throw new Error(`${where}: 'density' must be a positive number, got ${density}`);
    this.density = density;

    this.mask = Uint8Array.from(toFloat64(mask), (v, i) => {
      if (v !== 0 && v !== 1) throw new Error(`${where}: 'mask' must hold 0 or 1, got ${v} at voxel [${subscripts(i, grid).join(', ')}]`);
      return v;
    });
    if (!this.mask.some((v) => v)) throw new Error(`${where}: the mask selects no voxel`);

    if (!isComplexDType(wave.dtype)) throw new TypeError(`${where}: 'wave' must be complex (complex64 or complex128), got ${wave.dtype}`);
    const [F, C, ...waveGrid] = wave.shape;
    if (wave.shape.length !== rank + 2 || !sameShape(waveGrid, grid)) {
      throw new Error(`${where}: 'wave' must have shape [frequencies, components, ${grid.join(', ')}], got [${wave.shape.join(', ')}] (grid mismatch with the mask)`);
    }
    if (F !== this.frequencies.length) throw new Error(`${where}: 'wave' has ${F} frequencies, 'frequencies' lists ${this.frequencies.length}`);
    if (C !== 1 && C !== rank) throw new Error(`${where}: 'wave' has ${C} components; expected 1 (scalar) or ${rank} (a vector on a ${rank}-D grid)`);
    this.components = C;
    this.wave = toFloat64(wave);
    this.checkFinite('wave', this.wave, 2, [F, C]);

    if (mu) {
      if (!isFloatDType(mu.dtype)) throw new TypeError(`${where}: 'mu' must be real float32 or float64, got ${mu.dtype}`);
      if (!sameShape(mu.shape, grid)) throw new Error(`${where}: 'mu' has shape [${mu.shape.join(', ')}], the grid is [${grid.join(', ')}]`);
      this.mu = toFloat64(mu);
      this.checkFinite('mu', this.mu, 1, []);
      const bad = this.mu.findIndex((v, i) => this.mask[i] === 1 && !(v > 0));
      if (bad >= 0) throw new Error(`${where}: 'mu' must be positive inside the mask, got ${this.mu[bad]} at voxel [${subscripts(bad, grid).join(', ')}]`);
    }
    this.anatChannels = 0;
    if (anat) {
      if (!isFloatDType(anat.dtype)) throw new TypeError(`${where}: 'anat' must be real float32 or float64, got ${anat.dtype}`);
      if (anat.shape.length !== rank + 1 || !sameShape(anat.shape.slice(1), grid)) throw new Error(`${where}: 'anat' must have shape [channels, ${grid.join(', ')}], got [${anat.shape.join(', ')}]`);
      this.anat = toFloat64(anat);
      this.anatChannels = anat.shape[0];
      this.checkFinite('anat', this.anat, 1, [this.anatChannels]);
    }
  }

  get rank(): number { return this.shape.length; }
  get voxels(): number { return numel(this.shape); }
  /** Angular frequencies ω = 2πf. */
  get omegas(): number[] { return this.frequencies.map((f) => 2 * Math.PI * f); }
  /** Flat indices (C order) of the voxels inside the mask. */
  maskedVoxels(): Int32Array {
    const out: number[] = [];
    this.mask.forEach((m, i) => { if (m) out.push(i); });
    return Int32Array.from(out);
  }

  /** Physical coordinates of voxel i: origin + spacing · subscripts. */
  position(i: number): number[] {
    return subscripts(i, this.shape).map((s, k) => this.origin[k] + this.spacing[k] * s);
  }

  /** The wave at frequency f, component c, voxel i, as [re, im]. */
  waveAt(f: number, c: number, i: number): [number, number] {
    const k = 2 * ((f * this.components + c) * this.voxels + i);
    return [this.wave[k], this.wave[k + 1]];
  }

  /** NaN or Inf anywhere is an error naming the array, the voxel and whether it is in the mask. */
  private checkFinite(name: string, data: Float64Array, width: number, lead: number[]): void {
    for (let k = 0; k < data.length; k++) {
      if (Number.isFinite(data[k])) continue;
      const element = Math.floor(k / width), voxel = element % this.voxels;
      const at = [...subscripts(Math.floor(element / this.voxels), lead), ...subscripts(voxel, this.shape)];
      throw new Error(`MREExample: '${name}' has ${data[k]} at [${at.join(', ')}], ${this.mask[voxel] ? 'inside' : 'outside'} the mask`
        + (this.mask[voxel] ? '' : ' (fill voxels outside the tissue with 0: the PDE\'s finite differences read them)'));
    }
  }
}

function isArray(a: unknown): a is NdArray {
  return !!a && typeof a === 'object' && Array.isArray((a as NdArray).shape) && ArrayBuffer.isView((a as NdArray).data) && typeof (a as NdArray).dtype === 'string';
}
function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
function checkVector(what: string, v: unknown, n: number, ok: (x: number) => boolean, kind: string): number[] {
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && ok(x))) {
    throw new Error(`${what} must be ${n} ${kind} numbers (one per ${what.includes('frequencies') ? 'frequency' : 'grid axis'}), got ${JSON.stringify(v)}`);
  }
  return [...v];
}

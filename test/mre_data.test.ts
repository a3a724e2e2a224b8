// The elastography data set: checks on what it is made from, its files in three formats (one of
// them written by NumPy), the coordinate scaling and the train/test split of the mask.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mre, tidy } from '../src/index.js';
import { saveNifti, loadNifti } from '../src/io/nifti.js';
import { type NdArray } from '../src/io/ndarray.js';

const PY = '/usr/bin/python3';
const hasNumpy = (() => { try { execFileSync(PY, ['-c', 'import numpy'], { stdio: 'ignore' }); return true; } catch { return false; } })();
const dir = mkdtempSync(join(tmpdir(), 'pinn-mre-'));

// A 2-D vector example: grid 4 × 3, 2 frequencies, 2 components; the mask leaves out a corner.
const grid = [4, 3], V = 12;
const wave = (): NdArray => ({ dtype: 'complex128', shape: [2, 2, ...grid], data: Float64Array.from({ length: 2 * 2 * V * 2 }, (_, k) => Math.sin(k + 1)) });
const mask = (): NdArray => ({ dtype: 'bool', shape: grid, data: Uint8Array.from({ length: V }, (_, i) => (i === 0 ? 0 : 1)) });
const mu = (): NdArray => ({ dtype: 'float64', shape: grid, data: Float64Array.from({ length: V }, (_, i) => 3000 + 100 * i) });
const anat = (): NdArray => ({ dtype: 'float32', shape: [1, ...grid], data: Float32Array.from({ length: V }, (_, i) => i / 4) });
const base = () => ({ wave: wave(), mask: mask(), mu: mu(), anat: anat(), frequencies: [60, 90], spacing: [2 ** -9, 2 ** -8], origin: [-0.25, 0.5], density: 1050 });

describe('MREExample', () => {
  it('holds the arrays as float64 with their grid; positions follow origin + spacing · index', () => {
    const e = new mre.MREExample(base());
    expect([e.shape, e.rank, e.components, e.anatChannels, e.voxels]).toEqual([[4, 3], 2, 2, 1, 12]);
    expect(e.maskedVoxels()).toHaveLength(11);
    expect(e.position(7)).toEqual([-0.25 + 2 * 2 ** -9, 0.5 + 1 * 2 ** -8]); // voxel 7 = [2, 1]
    // frequency 1, component 0, voxel 5: entry ((1·2 + 0)·12 + 5)·2
    expect(e.waveAt(1, 0, 5)).toEqual([Math.sin(58 + 1), Math.sin(59 + 1)]);
    expect(e.omegas).toEqual([120 * Math.PI, 180 * Math.PI]);
  });

  it('refuses what does not fit, naming the array and the voxel', () => {
    const make = (patch: object) => () => new mre.MREExample({ ...base(), ...patch });
    expect(make({ mu: { dtype: 'float64', shape: [3, 4], data: new Float64Array(12) } })).toThrow(/MREExample: 'mu' has shape \[3, 4\], the grid is \[4, 3\]/);
    expect(make({ wave: { dtype: 'complex128', shape: [2, 2, 4, 4], data: new Float64Array(128) } })).toThrow(/'wave' must have shape \[frequencies, components, 4, 3\], got \[2, 2, 4, 4\] \(grid mismatch with the mask\)/);
    expect(make({ wave: { dtype: 'float64', shape: [2, 2, 4, 3], data: new Float64Array(48) } })).toThrow(/'wave' must be complex \(complex64 or complex128\), got float64/);
    expect(make({ mask: { dtype: 'float32', shape: grid, data: new Float32Array(12) } })).toThrow(/'mask' must be bool or integer \(0\/1\), got float32/);
    expect(make({ mask: { dtype: 'uint8', shape: grid, data: Uint8Array.from({ length: 12 }, (_, i) => (i === 4 ? 2 : 1)) } })).toThrow(/'mask' must hold 0 or 1, got 2 at voxel \[1, 1\]/);
    expect(make({ mask: { dtype: 'uint8', shape: grid, data: new Uint8Array(12) } })).toThrow(/the mask selects no voxel/);
    expect(make({ frequencies: [60] })).toThrow(/'wave' has 2 frequencies, 'frequencies' lists 1/);
    expect(make({ spacing: [1e-3, 0] })).toThrow(/'spacing' must be 2 positive numbers \(one per grid axis\), got \[0.001,0\]/);
    expect(make({ mu: { dtype: 'float64', shape: grid, data: Float64Array.from({ length: 12 }, (_, i) => (i === 6 ? -1 : 1)) } })).toThrow(/'mu' must be positive inside the mask, got -1 at voxel \[2, 0\]/);
    const nanAt = (k: number) => { const w = wave(); w.data[k] = NaN; return w; };
    // entry 2·(((1·2 + 1)·12 + 0)) + 1 = 73: frequency 1, component 1, voxel 0 (outside the mask), imaginary part
    expect(make({ wave: nanAt(73) })).toThrow(/'wave' has NaN at \[1, 1, 0, 0\], outside the mask \(fill voxels outside the tissue with 0/);
    expect(make({ wave: nanAt(2 * 13) })).toThrow(/'wave' has NaN at \[0, 1, 0, 1\], inside the mask$/);
    const a = anat(); a.data[11] = Infinity;
    expect(make({ anat: a })).toThrow(/'anat' has Infinity at \[0, 3, 2\], inside the mask/);
    expect(make({ wave: { dtype: 'complex128', shape: [2, 3, 4, 3], data: new Float64Array(144) } })).toThrow(/'wave' has 3 components; expected 1 \(scalar\) or 2 \(a vector on a 2-D grid\)/);
    expect(() => new mre.MREExample({ ...base(), mask: undefined } as never)).toThrow(/'mask' is required/);
  });
});

describe('MREExample files: .npz, .safetensors, a folder of NIfTI images', () => {
  const same = (a: mre.MREExample, b: mre.MREExample) => {
    for (const k of ['shape', 'spacing', 'origin', 'frequencies', 'density', 'components', 'anatChannels'] as const) expect(b[k], k).toEqual(a[k]);
    expect(Array.from(b.wave)).toEqual(Array.from(a.wave));
    expect(Array.from(b.mask)).toEqual(Array.from(a.mask));
    expect(Array.from(b.mu!)).toEqual(Array.from(a.mu!));
    expect(Array.from(b.anat!)).toEqual(Array.from(a.anat!));
  };
  it('round-trips exactly in each format, 2-D and 3-D', () => {
    const e2 = new mre.MREExample(base());
    const e3 = new mre.MREExample({
      wave: { dtype: 'complex64', shape: [1, 1, 3, 2, 2], data: Float32Array.from({ length: 24 }, (_, k) => k - 7.5) },
      mask: { dtype: 'int64', shape: [3, 2, 2], data: BigInt64Array.from({ length: 12 }, () => 1n) },
      mu: { dtype: 'float32', shape: [3, 2, 2], data: Float32Array.from({ length: 12 }, (_, i) => 1 + i) },
      anat: { dtype: 'float64', shape: [2, 3, 2, 2], data: Float64Array.from({ length: 24 }, (_, i) => i) },
      frequencies: [50], spacing: [0.5, 0.25, 2], density: 1000,
    });
    for (const [name, e] of [['2d', e2], ['3d', e3]] as const) {
      for (const file of [`${name}.npz`, `${name}.safetensors`, `${name}-nifti`]) {
        mre.saveMRE(join(dir, file), e);
        same(e, mre.loadMRE(join(dir, file)));
      }
    }
  });

  it.skipIf(!hasNumpy)('loads an .npz that NumPy wrote', () => {
    execFileSync(PY, ['-c', `import numpy as np, sys
x = np.arange(5)[:, None] * 1e-3; y = np.arange(4)[None, :] * 1e-3
u = np.exp(1j * 2 * np.pi * x / 4e-3) + 0 * y
np.savez(sys.argv[1], wave=u[None, None].astype(np.complex128), mask=np.ones((5, 4), dtype=bool), frequencies=np.array([80.0]),
         spacing=np.array([1e-3, 1e-3]), origin=np.array([0.0, 0.0]), mu=np.full((5, 4), 2500.0))`, join(dir, 'numpy.npz')]);
    const e = mre.loadMRE(join(dir, 'numpy.npz'));
    expect([e.shape, e.components, e.frequencies, e.density]).toEqual([[5, 4], 1, [80], 1000]);
    const [re, im] = e.waveAt(0, 0, 4 * 1 + 2); // x index 1: exp(iπ/2) = i
    expect(re).toBeCloseTo(0, 15);
    expect(im).toBeCloseTo(1, 15);
  });

  it('damaged or inconsistent files are errors naming the file', () => {
    const e = new mre.MREExample(base());
    mre.saveMRE(join(dir, 'ok.safetensors'), e);
    const bytes = readFileSync(join(dir, 'ok.safetensors'));
    writeFileSync(join(dir, 'cut.safetensors'), bytes.subarray(0, bytes.length - 16));
    expect(() => mre.loadMRE(join(dir, 'cut.safetensors'))).toThrow(/cut\.safetensors: .*(outside the|truncated)/);
    if (hasNumpy) {
      execFileSync(PY, ['-c', 'import numpy as np, sys; np.savez(sys.argv[1], wave=np.zeros((1, 1, 2, 2), complex), frequencies=np.array([1.0]), spacing=np.array([1.0, 1.0]))', join(dir, 'nomask.npz')]);
      expect(() => mre.loadMRE(join(dir, 'nomask.npz'))).toThrow(/nomask\.npz: no 'mask' array \(found: frequencies, spacing, wave\)/);
      execFileSync(PY, ['-c', 'import numpy as np, sys; np.savez(sys.argv[1], wave=np.zeros((1, 1, 2, 2), complex), mask=np.ones((2, 3), bool), frequencies=np.array([1.0]), spacing=np.array([1.0, 1.0]))', join(dir, 'grid.npz')]);
      expect(() => mre.loadMRE(join(dir, 'grid.npz'))).toThrow(/grid\.npz: MREExample: 'wave' must have shape \[frequencies, components, 2, 3\]/);
    }
    // A NIfTI folder whose stiffness image lies on another grid (different spacing).
    mre.saveMRE(join(dir, 'moved'), e);
    const muImg = loadNifti(join(dir, 'moved', 'mu.nii.gz'));
    saveNifti(join(dir, 'moved', 'mu.nii.gz'), { ...muImg, spacing: [1e-3, 1e-3] });
    expect(() => mre.loadMRE(join(dir, 'moved'))).toThrow(/moved\/mu\.nii\.gz: its grid \(shape \[4, 3\], spacing \[0\.001\d*, 0\.001.*is not the mask's/);
    expect(() => mre.loadMRE(join(dir, 'nothing'))).toThrow(/nothing\/mre\.json: cannot read the data set's description \(ENOENT\)/);
    expect(() => mre.saveMRE(join(dir, 'x.h5'), e)).toThrow(/x\.h5: unknown MRE data format/);
  });
});

describe('coordinates, scales and voxel split', () => {
  it('coordinates map the grid onto [−½, ½] along its longest axis, the same scale on each, and back (to rounding)', () => tidy(() => {
    const e = new mre.MREExample(base());
    const n = mre.CoordinateNormalization.of(e);
    const all = mre.voxelPoints(e, Array.from({ length: V }, (_, i) => i));
    const xn = n.normalize(all);
    // extents 3·2⁻⁹ and 2·2⁻⁸: the longer (y) maps onto [−½, ½], x onto ±¾ of that
    expect(Array.from(xn.min(0).data() as Float64Array)).toEqual([-0.375, -0.5]);
    expect(Array.from(xn.max(0).data() as Float64Array)).toEqual([0.375, 0.5]);
    expect(n.denormalize(xn).sub(all).abs().max().item()).toBeLessThan(1e-15);
    expect(mre.valueScales(e).mu).toBeCloseTo((3100 + 4100) / 2, 9); // mean over voxels 1..11
  }));

  it('splits the mask into disjoint sorted train and test voxels, reproducibly by seed', () => {
    const e = new mre.MREExample(base());
    const a = mre.splitVoxels(e, { testFraction: 0.3, seed: 1 });
    expect(a.test).toHaveLength(3);
    expect([...a.train, ...a.test].sort((x, y) => x - y)).toEqual(Array.from(e.maskedVoxels()));
    expect(Array.from(a.train)).toEqual([...a.train].sort((x, y) => x - y));
    expect(mre.splitVoxels(e, { testFraction: 0.3, seed: 1 })).toEqual(a);
    expect(mre.splitVoxels(e, { testFraction: 0.3, seed: 2 }).test).not.toEqual(a.test);
    expect(() => mre.splitVoxels(e, { testFraction: 1 })).toThrow(/testFraction must be in \[0, 1\), got 1/);
  });

  it('voxel tensors: columns re, im per component, at the listed voxels', () => tidy(() => {
    const e = new mre.MREExample(base());
    const u = mre.voxelWave(e, [3, 9], 1);
    expect(u.shape).toEqual([2, 4]);
    expect(Array.from(u.data() as Float64Array)).toEqual([...e.waveAt(1, 0, 3), ...e.waveAt(1, 1, 3), ...e.waveAt(1, 0, 9), ...e.waveAt(1, 1, 9)]);
    expect(Array.from(mre.voxelMu(e, [3, 9]).data() as Float64Array)).toEqual([3300, 3900]);
    expect(Array.from(mre.voxelAnat(e, [4]).data() as Float64Array)).toEqual([1]);
  }));
});

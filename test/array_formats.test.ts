// .npy/.npz and NIfTI against independent writers and readers: NumPy writes, we read; we write,
// NumPy reads (NIfTI: its header parsed field by field with struct, its data with numpy in
// Fortran order). Damaged files are errors that name the file and what is wrong.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeNifti, loadNifti, saveNifti } from '../src/io/nifti.js';
import { type NdArray } from '../src/io/ndarray.js';
import { decodeNpy, loadNpy, loadNpz, saveNpy, saveNpz } from '../src/io/npy.js';

const PY = '/usr/bin/python3';
const hasNumpy = (() => { try { execFileSync(PY, ['-c', 'import numpy'], { stdio: 'ignore' }); return true; } catch { return false; } })();
const py = (script: string, ...args: string[]) => execFileSync(PY, ['-c', script, ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'pinn-arrays-'));

// A 3×4×2 complex field with distinct entries, so any axis mix-up shows.
const complexField: NdArray = { dtype: 'complex128', shape: [3, 4, 2], data: Float64Array.from({ length: 48 }, (_, i) => (i % 2 ? -1 : 1) * (i + 0.25)) };

describe.skipIf(!hasNumpy)('.npy and .npz against NumPy (needs /usr/bin/python3 with numpy)', () => {
  it('reads what numpy.save / numpy.savez_compressed write, every dtype, C order', () => {
    py(`import numpy as np, sys
d = sys.argv[1]
c = (np.arange(24).reshape(3, 4, 2) + 0.25) * (1 - 2j)
np.save(d + '/c.npy', c)
np.savez_compressed(d + '/all.npz', c=c, f=np.arange(6, dtype=np.float32).reshape(2, 3), m=np.array([[True, False], [False, True]]),
                    i=np.array([-3, 7], dtype=np.int64), s=np.array(2.5))`, dir);
    const c = loadNpy(join(dir, 'c.npy'));
    expect(c.dtype).toBe('complex128');
    expect(c.shape).toEqual([3, 4, 2]);
    // element [1, 2, 1] is index 13: (13.25)(1 − 2i)
    expect([c.data[26], c.data[27]]).toEqual([13.25, -26.5]);
    const z = loadNpz(join(dir, 'all.npz'));
    expect(Object.keys(z).sort()).toEqual(['c', 'f', 'i', 'm', 's']);
    expect(z.f.dtype).toBe('float32');
    expect(Array.from(z.f.data as Float32Array)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(z.m).toEqual({ dtype: 'bool', shape: [2, 2], data: Uint8Array.from([1, 0, 0, 1]) });
    expect(Array.from(z.i.data as BigInt64Array, Number)).toEqual([-3, 7]);
    expect(z.s.shape).toEqual([]);
    expect(Array.from(z.s.data as Float64Array)).toEqual([2.5]);
  });

  it('writes what numpy.load reads back exactly', () => {
    saveNpy(join(dir, 'mine.npy'), complexField);
    saveNpz(join(dir, 'mine.npz'), { c: complexField, m: { dtype: 'bool', shape: [2], data: Uint8Array.from([0, 1]) } });
    const out = py(`import numpy as np, sys, json
a = np.load(sys.argv[1] + '/mine.npy'); z = np.load(sys.argv[1] + '/mine.npz')
print(json.dumps([str(a.dtype), a.shape, a[1, 2, 1].real, a[1, 2, 1].imag, str(z['m'].dtype), z['m'].tolist(), bool((z['c'] == a).all())]))`, dir);
    expect(JSON.parse(out)).toEqual(['complex128', [3, 4, 2], 26.25, -27.25, 'bool', [false, true], true]);
  });

  it('damaged files: truncated data, big-endian, Fortran order, not a zip, not npy', () => {
    py(`import numpy as np, sys
d = sys.argv[1]
np.save(d + '/big.npy', np.arange(3, dtype='>f8'))
np.save(d + '/fortran.npy', np.asfortranarray(np.ones((2, 3))))
np.save(d + '/good.npy', np.ones((4, 4)))`, dir);
    const good = readFileSync(join(dir, 'good.npy'));
    writeFileSync(join(dir, 'short.npy'), good.subarray(0, good.length - 8));
    expect(() => loadNpy(join(dir, 'short.npy'))).toThrow(/short\.npy: has 120 data bytes, shape \[4, 4\] of float64 needs 128 \(truncated\?\)/);
    expect(() => loadNpy(join(dir, 'big.npy'))).toThrow(/big\.npy: big-endian dtype '>f8' is not supported/);
    expect(() => loadNpy(join(dir, 'fortran.npy'))).toThrow(/fortran\.npy: Fortran-order arrays are not supported/);
    expect(() => decodeNpy(Uint8Array.from([1, 2, 3]), 'x.npy')).toThrow(/x\.npy: not a \.npy file/);
    writeFileSync(join(dir, 'bad.npz'), good);
    expect(() => loadNpz(join(dir, 'bad.npz'))).toThrow(/bad\.npz: not a readable zip archive/);
    expect(() => loadNpy(join(dir, 'missing.npy'))).toThrow(/missing\.npy: cannot read \(ENOENT\)/);
  });
});

// The NIfTI-1 header fields we rely on, read with struct at their offsets in the standard.
const READ_NIFTI = `import numpy as np, struct, sys, gzip, json
b = open(sys.argv[1], 'rb').read()
if b[:2] == b'\\x1f\\x8b': b = gzip.decompress(b)
dims = struct.unpack('<8h', b[40:56]); code = struct.unpack('<h', b[70:72])[0]
pix = struct.unpack('<8f', b[76:108]); off = struct.unpack('<f', b[108:112])[0]
srow = struct.unpack('<12f', b[280:328]); magic = b[344:348]
dt = {16: '<f4', 64: '<f8', 2: 'u1', 1792: '<c16', 32: '<c8'}[code]
a = np.frombuffer(b, dtype=dt, offset=int(off), count=int(np.prod(dims[1:dims[0]+1]))).reshape(dims[1:dims[0]+1], order='F')
print(json.dumps({'shape': list(a.shape), 'dtype': str(a.dtype), 'pix': pix[1:4], 'srow': srow, 'magic': magic.decode('latin1'),
  'values': [[float(v.real), float(np.imag(v))] for v in a.reshape(-1)]}))`;

describe.skipIf(!hasNumpy)('NIfTI-1 (.nii, .nii.gz) against a reader written from the standard', () => {
  it('writes x-fastest data and an axis-aligned affine that the standard reader sees; reads it back', () => {
    for (const name of ['f.nii', 'f.nii.gz']) {
      saveNifti(join(dir, name), { array: complexField, spacing: [0.5, 0.25, 2], origin: [-1, 3, 0.5] });
      const ref = JSON.parse(py(READ_NIFTI, join(dir, name)));
      expect(ref.shape).toEqual([3, 4, 2]);
      expect(ref.dtype).toBe('complex128');
      expect(ref.pix).toEqual([0.5, 0.25, 2]);
      expect(ref.srow).toEqual([0.5, 0, 0, -1, 0, 0.25, 0, 3, 0, 0, 2, 0.5]);
      expect(ref.magic).toBe('n+1\0');
      // C-order element k of ours is C-order element k of numpy's (reshaped with order='F').
      expect(ref.values.flat()).toEqual(Array.from(complexField.data));
      const back = loadNifti(join(dir, name));
      expect(back.array).toEqual(complexField);
      expect(back.spacing).toEqual([0.5, 0.25, 2]);
      expect(back.origin).toEqual([-1, 3, 0.5]);
    }
  });

  it('reads a file the standard writer made (numpy, struct) with scaling, and refuses damaged ones', () => {
    py(`import numpy as np, struct, sys
h = bytearray(352)
struct.pack_into('<i', h, 0, 348)
struct.pack_into('<8h', h, 40, 2, 3, 2, 1, 1, 1, 1, 1)
struct.pack_into('<hh', h, 70, 4, 16)                     # int16
struct.pack_into('<8f', h, 76, 1, 2.0, 3.0, 1, 1, 1, 1, 1)
struct.pack_into('<fff', h, 108, 352, 0.5, 10)            # vox_offset, scl_slope, scl_inter
struct.pack_into('<hh', h, 252, 1, 0)                     # qform only
struct.pack_into('<6f', h, 256, 0, 0, 0, 7, 8, 9)         # no rotation, offset (7, 8, 9)
h[344:348] = b'n+1\\0'
data = np.array([[1, 2], [3, 4], [5, 6]], dtype='<i2')   # [x, y]
open(sys.argv[1], 'wb').write(bytes(h) + data.tobytes(order='F'))`, join(dir, 'ref.nii'));
    const img = loadNifti(join(dir, 'ref.nii'));
    expect(img.array.shape).toEqual([3, 2]);
    expect(Array.from(img.array.data as Float64Array)).toEqual([10.5, 11, 11.5, 12, 12.5, 13]);
    expect(img.spacing).toEqual([2, 3]);
    expect(img.origin).toEqual([7, 8]);
    const bytes = readFileSync(join(dir, 'ref.nii'));
    expect(() => decodeNifti(bytes.subarray(0, bytes.length - 2), 'cut.nii')).toThrow(/cut\.nii: dims \[3, 2\] of int16 need 12 bytes after offset 352, the file has 10: truncated/);
    const gz = gzipSync(bytes);
    expect(() => decodeNifti(gz.subarray(0, gz.length - 10), 'cut.nii.gz')).toThrow(/cut\.nii\.gz: cannot decompress the gzip stream \(unexpected end of file\)/);
    const noMagic = Uint8Array.from(bytes); noMagic[344] = 0x41;
    expect(() => decodeNifti(noMagic, 'x.nii')).toThrow(/x\.nii: not a NIfTI-1 file/);
    const rotated = Buffer.from(bytes); rotated.writeFloatLE(0.5, 256);
    expect(() => decodeNifti(rotated, 'r.nii')).toThrow(/r\.nii: the qform is rotated/);
  });
});

// NIfTI-1 images (.nii, .nii.gz) as NdArrays on an axis-aligned voxel grid. The header is read
// and written by nifti-reader-js; the voxel data, stored x-fastest (Fortran order), is turned
// into our C-order arrays of shape [nx, ny, nz, …] here. The grid is taken as axis-aligned:
// spacing from pixdim, origin from the sform translation (or the qform offset); a rotated
// (oblique) affine is refused rather than silently dropped. NIfTI keeps spacing and origin in
// float32, so they come back rounded to float32.
import { gunzipSync, gzipSync } from 'node:zlib';
import * as nifti from 'nifti-reader-js';
import { writeFileAtomic } from './atomic.js';
import { type ArrayDType, type NdArray, dataLength, isComplexDType, numel } from './ndarray.js';
import { readFile } from './npy.js';

const { NIFTI1 } = nifti;
const CODES: Partial<Record<number, ArrayDType>> = {
  [NIFTI1.TYPE_UINT8]: 'uint8', [NIFTI1.TYPE_INT8]: 'int8', [NIFTI1.TYPE_INT16]: 'int16', [NIFTI1.TYPE_UINT16]: 'uint16',
  [NIFTI1.TYPE_INT32]: 'int32', [NIFTI1.TYPE_UINT32]: 'uint32', [NIFTI1.TYPE_INT64]: 'int64',
  [NIFTI1.TYPE_FLOAT32]: 'float32', [NIFTI1.TYPE_FLOAT64]: 'float64', [NIFTI1.TYPE_COMPLEX64]: 'complex64', [NIFTI1.TYPE_COMPLEX128]: 'complex128',
};
const CODE_OF = Object.fromEntries(Object.entries(CODES).map(([k, v]) => [v, Number(k)])) as Record<ArrayDType, number>;
const ARRAYS = {
  uint8: Uint8Array, bool: Uint8Array, int8: Int8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array,
  int64: BigInt64Array, float32: Float32Array, float64: Float64Array, complex64: Float32Array, complex128: Float64Array,
} as const;

/** An image: its voxels (C order, shape [nx, ny, nz, …] with the header's dims) and its grid. */
export interface NiftiImage { array: NdArray; spacing: number[]; origin: number[] }

/**
 * Reorders between x-fastest (NIfTI, Fortran) and C order for `shape`; `toC` picks the
 * direction. `width` is the number of typed-array entries per element (2 for complex).
 */
function reorder<T extends NdArray['data']>(src: T, shape: number[], width: number, toC: boolean): T {
  const out = new (src.constructor as new (n: number) => T)(src.length);
  const n = numel(shape), rank = shape.length;
  const cStride = new Array<number>(rank), fStride = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) { cStride[i] = s; s *= shape[i]; }
  for (let i = 0, s = 1; i < rank; i++) { fStride[i] = s; s *= shape[i]; }
  const idx = new Array<number>(rank).fill(0);
  for (let c = 0; c < n; c++) {
    let f = 0;
    for (let i = 0; i < rank; i++) f += idx[i] * fStride[i];
    const [from, to] = toC ? [f, c] : [c, f];
    for (let k = 0; k < width; k++) (out as any)[to * width + k] = (src as any)[from * width + k];
    for (let i = rank - 1; i >= 0; i--) { if (++idx[i] < shape[i]) break; idx[i] = 0; }
  }
  return out;
}

export function decodeNifti(bytes: Uint8Array, where = 'NIfTI data'): NiftiImage {
  const fail = (msg: string) => new Error(`${where}: ${msg}`);
  let buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) { // gzip; node's zlib, which refuses a truncated stream
      const plain = gunzipSync(bytes);
      buffer = plain.buffer.slice(plain.byteOffset, plain.byteOffset + plain.byteLength) as ArrayBuffer;
    }
  } catch (e) {
    throw fail(`cannot decompress the gzip stream (${(e as Error).message}): truncated or damaged`);
  }
  if (buffer.byteLength < 348 || !nifti.isNIFTI1(buffer)) throw fail(nifti.isNIFTI2(buffer) ? 'NIfTI-2 files are not supported' : 'not a NIfTI-1 file (no n+1 magic)');
  const h = nifti.readHeader(buffer) as InstanceType<typeof NIFTI1>;
  if (!h.littleEndian) throw fail('big-endian NIfTI files are not supported');
  const dtype = CODES[h.datatypeCode];
  if (!dtype) throw fail(`datatype code ${h.datatypeCode} is not supported (integers, float32/64, complex64/128)`);
  const rank = h.dims[0];
  if (!(rank >= 1 && rank <= 7)) throw fail(`dim[0] = ${rank}, expected 1 to 7`);
  const shape = h.dims.slice(1, rank + 1);
  if (!shape.every((d) => Number.isInteger(d) && d >= 1)) throw fail(`invalid dims [${shape.join(', ')}]`);
  const itemBytes = ARRAYS[dtype].BYTES_PER_ELEMENT;
  const need = dataLength(dtype, shape) * itemBytes;
  const offset = Math.max(352, Math.round(h.vox_offset));
  if (offset + need > buffer.byteLength) throw fail(`dims [${shape.join(', ')}] of ${dtype} need ${need} bytes after offset ${offset}, the file has ${Math.max(0, buffer.byteLength - offset)}: truncated`);
  const raw = new ARRAYS[dtype](buffer.slice(offset, offset + need));
  let data = reorder(raw, shape, isComplexDType(dtype) ? 2 : 1, true) as NdArray['data'];
  const slope = h.scl_slope, inter = h.scl_inter;
  if (slope && (slope !== 1 || inter) && !isComplexDType(dtype)) {
    if (data instanceof BigInt64Array) throw fail('scaled int64 data is not supported');
    data = Float64Array.from(data as ArrayLike<number>, (v) => v * slope + inter);
  }
  const spatial = Math.min(rank, 3);
  const spacing = h.pixDims.slice(1, spatial + 1).map(Math.abs);
  let origin: number[];
  if (h.sform_code > 0) {
    const a = h.affine;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (i !== j && a[i][j] !== 0) throw fail('the sform is oblique (rotated); only axis-aligned grids are supported');
    origin = [a[0][3], a[1][3], a[2][3]].slice(0, spatial);
  } else {
    if (h.qform_code > 0 && (h.quatern_b || h.quatern_c || h.quatern_d)) throw fail('the qform is rotated; only axis-aligned grids are supported');
    origin = [h.qoffset_x, h.qoffset_y, h.qoffset_z].slice(0, spatial);
  }
  return { array: { dtype: (slope && (slope !== 1 || inter) && !isComplexDType(dtype)) ? 'float64' : dtype, shape, data }, spacing, origin };
}

/** NIfTI-1 bytes (single file, n+1) of an image; bool arrays are written as uint8. */
export function encodeNifti({ array, spacing, origin }: NiftiImage): Uint8Array {
  const dtype = array.dtype === 'bool' ? 'uint8' : array.dtype;
  const code = CODE_OF[dtype];
  if (!code) throw new Error(`NIfTI: cannot store dtype ${array.dtype}`);
  const rank = array.shape.length;
  if (rank < 1 || rank > 7) throw new Error(`NIfTI: arrays of rank 1 to 7, got shape [${array.shape.join(', ')}]`);
  if (array.data.length !== dataLength(array.dtype, array.shape)) throw new Error(`NIfTI: ${array.data.length} values for shape [${array.shape.join(', ')}] of ${array.dtype}`);
  const h = new NIFTI1();
  h.littleEndian = true;
  h.dims = [rank, ...array.shape, ...new Array(7 - rank).fill(1)];
  h.datatypeCode = code;
  h.numBitsPerVoxel = ARRAYS[dtype].BYTES_PER_ELEMENT * 8 * (isComplexDType(dtype) ? 2 : 1);
  h.pixDims = [1, ...[0, 1, 2].map((i) => spacing[i] ?? 1), 1, 1, 1, 1];
  h.vox_offset = 352;
  h.scl_slope = 1;
  h.xyzt_units = 2; // millimetres is NIfTI's convention; the values are whatever unit the data set uses (metres for MRE)
  h.qform_code = 1;
  h.sform_code = 1;
  const o = [0, 1, 2].map((i) => origin[i] ?? 0);
  [h.qoffset_x, h.qoffset_y, h.qoffset_z] = o;
  h.affine = [[h.pixDims[1], 0, 0, o[0]], [0, h.pixDims[2], 0, o[1]], [0, 0, h.pixDims[3], o[2]], [0, 0, 0, 1]];
  h.magic = 'n+1';
  const header = new Uint8Array(h.toArrayBuffer(false)); // 348 bytes + 4 extension bytes (zero: none)
  const data = array.dtype === 'bool' ? Uint8Array.from(array.data as Uint8Array) : array.data;
  const ordered = reorder(data, array.shape, isComplexDType(dtype) ? 2 : 1, false);
  const out = new Uint8Array(352 + ordered.byteLength);
  out.set(header.subarray(0, 352));
  out.set(new Uint8Array(ordered.buffer, ordered.byteOffset, ordered.byteLength), 352);
  return out;
}

/** Writes .nii, or gzip-compressed .nii.gz when the path says so. */
export function saveNifti(path: string, image: NiftiImage): void {
  const bytes = encodeNifti(image);
  writeFileAtomic(path, path.endsWith('.gz') ? gzipSync(bytes) : bytes);
}

export function loadNifti(path: string): NiftiImage {
  return decodeNifti(readFile(path), path);
}

// NumPy's .npy (one array) and .npz (a zip of .npy files, as numpy.savez writes) formats.
// Parsing and writing the .npy bytes is npyjs's; it does not check the data against the header
// (a truncated file would come back short) nor reject big-endian or Fortran-order arrays, so
// those checks are here. Zip archives are fflate's.
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { dump, parse } from 'npyjs';
import { writeFileAtomic } from './atomic.js';
import { type ArrayDType, type NdArray, dataLength } from './ndarray.js';

// npyjs's codes (descr without the byte-order character) ↔ ours.
const FROM_CODE: Record<string, ArrayDType> = {
  f4: 'float32', f8: 'float64', c8: 'complex64', c16: 'complex128', b1: 'bool', u1: 'uint8', i1: 'int8',
  i2: 'int16', u2: 'uint16', i4: 'int32', u4: 'uint32', i8: 'int64',
};
const TO_CODE = Object.fromEntries(Object.entries(FROM_CODE).map(([k, v]) => [v, k])) as Record<ArrayDType, string>;
const BYTES: Record<ArrayDType, number> = {
  float32: 4, float64: 8, complex64: 4, complex128: 8, bool: 1, uint8: 1, int8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8,
};

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('npy: big-endian hosts are not supported');

/** Parses .npy bytes; `where` names the file (or archive member) in errors. */
export function decodeNpy(bytes: Uint8Array, where = '.npy data'): NdArray {
  const fail = (msg: string) => new Error(`${where}: ${msg}`);
  if (bytes.length < 10 || bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') throw fail('not a .npy file (no \\x93NUMPY magic)');
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer; // aligned, own copy
  const headerLength = bytes[6] >= 2 ? new DataView(buffer).getUint32(8, true) : new DataView(buffer).getUint16(8, true);
  const headerStart = bytes[6] >= 2 ? 12 : 10;
  if (headerStart + headerLength > bytes.length) throw fail(`header of ${headerLength} bytes runs past the end of the file (${bytes.length} bytes): truncated`);
  const header = strFromU8(bytes.subarray(headerStart, headerStart + headerLength), true);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined) throw fail(`malformed header ${JSON.stringify(header.trim())}`);
  if (/'fortran_order'\s*:\s*True/.test(header)) throw fail('Fortran-order arrays are not supported (save with numpy.ascontiguousarray)');
  if (descr.startsWith('>')) throw fail(`big-endian dtype '${descr}' is not supported (save with .astype('<${descr.slice(1)}'))`);
  const dtype = FROM_CODE[descr.replace(/^[<|=]/, '')];
  if (!dtype) throw fail(`dtype '${descr}' is not supported (float32/64, complex64/128, bool, (u)int8-32, int64)`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw fail(`invalid shape (${shapeText})`);
  const need = dataLength(dtype, shape) * BYTES[dtype];
  const have = bytes.length - headerStart - headerLength;
  if (have !== need) throw fail(`has ${have} data bytes, shape [${shape.join(', ')}] of ${dtype} needs ${need}${have < need ? ' (truncated?)' : ''}`);
  let parsed;
  try {
    parsed = parse(buffer);
  } catch (e) {
    throw fail((e as Error).message);
  }
  // npyjs returns a plain boolean array for b1; keep bools as bytes.
  const data = dtype === 'bool' ? Uint8Array.from(parsed.data as unknown as boolean[], (b) => (b ? 1 : 0)) : parsed.data;
  return { dtype, shape, data: data as NdArray['data'] };
}

/** .npy bytes of an array (format version 1.0, little-endian, C order). */
export function encodeNpy(a: NdArray): Uint8Array {
  const code = TO_CODE[a.dtype];
  if (!code) throw new Error(`npy: unsupported dtype ${a.dtype}`);
  if (a.data.length !== dataLength(a.dtype, a.shape)) throw new Error(`npy: ${a.data.length} values for shape [${a.shape.join(', ')}] of ${a.dtype}`);
  return new Uint8Array(dump(a.data as any, a.shape, { dtype: code as any })); // the code given: npyjs would infer it from the typed array
}

export function saveNpy(path: string, a: NdArray): void {
  writeFileAtomic(path, encodeNpy(a));
}

export function loadNpy(path: string): NdArray {
  return decodeNpy(readFile(path), path);
}

/** The arrays of an .npz archive by name (member 'x.npy' is 'x'). */
export function decodeNpz(bytes: Uint8Array, where = '.npz data'): Record<string, NdArray> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new Error(`${where}: not a readable zip archive (${(e as Error).message})`);
  }
  const out: Record<string, NdArray> = {};
  for (const [name, member] of Object.entries(files)) {
    if (!name.endsWith('.npy')) throw new Error(`${where}: member '${name}' is not a .npy file`);
    out[name.slice(0, -4)] = decodeNpy(member, `${where} ['${name}']`);
  }
  return out;
}

export function encodeNpz(arrays: Record<string, NdArray>, { compress = true } = {}): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [name, a] of Object.entries(arrays)) files[`${name}.npy`] = encodeNpy(a);
  return zipSync(files, { level: compress ? 6 : 0 });
}

export function saveNpz(path: string, arrays: Record<string, NdArray>, options?: { compress?: boolean }): void {
  writeFileAtomic(path, encodeNpz(arrays, options));
}

export function loadNpz(path: string): Record<string, NdArray> {
  return decodeNpz(readFile(path), path);
}

export function readFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

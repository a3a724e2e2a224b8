// The safetensors format (Hugging Face): an 8-byte little-endian header length N, a JSON header
// of N bytes {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}},
// then the raw little-endian data. PyTorch reads it with the `safetensors` package; the format
// is simple enough that any language can (test/safetensors.test.ts reads it with plain Python).
import { readFileSync } from 'node:fs';
import { tensor } from '../creation.js';
import { type DType } from '../dtype.js';
import { dispose } from '../memory.js';
import { Tensor } from '../tensor.js';
import { writeFileAtomic } from './atomic.js';

const CODE: Partial<Record<DType, string>> = { float32: 'F32', float64: 'F64', int32: 'I32', int64: 'I64', uint8: 'U8', bool: 'BOOL' };
const DTYPE: Record<string, DType> = Object.fromEntries(Object.entries(CODE).map(([k, v]) => [v, k as DType]));
const SIZE: Record<string, number> = { F32: 4, F64: 8, I32: 4, I64: 8, U8: 1, BOOL: 1 };
const ARRAY: Record<string, new (b: ArrayBuffer) => ArrayBufferView> = {
  F32: Float32Array, F64: Float64Array, I32: Int32Array, I64: BigInt64Array, U8: Uint8Array, BOOL: Uint8Array,
};

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('safetensors: big-endian hosts are not supported');

export interface SafetensorsFile { tensors: Record<string, Tensor>; metadata: Record<string, string> }

/** Serialises tensors (moved to CPU) into safetensors bytes; names are sorted for stable output. */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array[] {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new TypeError(`safetensors: metadata '${k}' must be a string`);
    header.__metadata__ = metadata;
  }
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const name of Object.keys(tensors).sort()) {
    const t = tensors[name];
    if (!(t instanceof Tensor) || t.isDisposed) throw new TypeError(`safetensors: '${name}' is not a live Tensor`);
    const code = CODE[t.dtype];
    if (!code) throw new Error(`safetensors: '${name}' has dtype ${t.dtype}, which safetensors cannot store (store real and imaginary parts separately)`);
    const data = t.data();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    header[name] = { dtype: code, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    blobs.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8); // align the data to 8 bytes, as the reference writer does
  const head = Buffer.from(json, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(head.length));
  return [len, head, ...blobs];
}

export function saveSafetensors(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/** Parses safetensors bytes; every inconsistency is an error that says what is wrong and where. */
/** The JSON header of a safetensors file and the data bytes after it (checked, not decoded). */
export function readSafetensorsHeader(bytes: Uint8Array, where = 'safetensors data'): { header: Record<string, any>; data: Uint8Array } {
  const fail = (msg: string) => new Error(`${where}: ${msg}`);
  if (bytes.length < 8) throw fail(`too short to be a safetensors file (${bytes.length} bytes)`);
  const n = Number(Buffer.from(bytes.buffer, bytes.byteOffset, 8).readBigUInt64LE(0));
  if (n > bytes.length - 8) throw fail(`header length ${n} exceeds the file (${bytes.length} bytes): truncated or not safetensors`);
  let header: Record<string, any>;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, n).toString('utf8'));
  } catch (e) {
    throw fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw fail('header must be a JSON object');
  return { header, data: bytes.subarray(8 + n) };
}

export function decodeSafetensors(bytes: Uint8Array, where = 'safetensors data'): SafetensorsFile {
  const fail = (msg: string) => new Error(`${where}: ${msg}`);
  const { header, data } = readSafetensorsHeader(bytes, where);
  const { __metadata__: metadata = {}, ...entries } = header;
  const made: Record<string, Tensor> = {};
  const spans: [number, number, string][] = [];
  try {
    for (const [name, e] of Object.entries(entries)) {
      if (!e || typeof e !== 'object' || !(e.dtype in SIZE)) throw fail(`'${name}' has unsupported dtype ${JSON.stringify(e?.dtype)}`);
      if (!Array.isArray(e.shape) || !e.shape.every((d: unknown) => Number.isInteger(d) && (d as number) >= 0)) throw fail(`'${name}' has an invalid shape ${JSON.stringify(e.shape)}`);
      const [begin, end] = e.data_offsets ?? [];
      const need = e.shape.reduce((a: number, b: number) => a * b, 1) * SIZE[e.dtype];
      if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < begin || end > data.length) {
        throw fail(`'${name}' has data_offsets ${JSON.stringify(e.data_offsets)} outside the ${data.length} data bytes (truncated?)`);
      }
      if (end - begin !== need) throw fail(`'${name}' has ${end - begin} data bytes, shape ${JSON.stringify(e.shape)} of ${e.dtype} needs ${need}`);
      spans.push([begin, end, name]);
      const copy = new Uint8Array(end - begin); // an aligned copy (Buffer#slice would be a view of a shared pool)
      copy.set(data.subarray(begin, end));
      const view = new ARRAY[e.dtype](copy.buffer);
      made[name] = tensor(view as any, { dtype: DTYPE[e.dtype], shape: e.shape });
    }
    spans.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) {
      if (spans[i][0] < spans[i - 1][1]) throw fail(`'${spans[i][2]}' overlaps '${spans[i - 1][2]}' in the data`);
    }
  } catch (e) {
    dispose(made);
    throw e;
  }
  return { tensors: made, metadata };
}

export function loadSafetensors(path: string): SafetensorsFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return decodeSafetensors(bytes, path);
}

// JSON-safe tensors for state dicts. Float values survive JSON exactly (shortest round-trip
// decimal of a double), so a resumed run continues bit for bit. NaN and ±Infinity would not
// (JSON.stringify writes null), so they are written as the strings "NaN", "Infinity", "-Infinity".
import { show } from '../errors.js';
import { tensor } from '../creation.js';
import { type DType } from '../dtype.js';
import { Tensor } from '../tensor.js';

export type NonFinite = 'NaN' | 'Infinity' | '-Infinity';
export interface SerializedTensor { __tensor: true; dtype: DType; shape: number[]; data: (number | NonFinite)[] }
export type StateValue = number | boolean | string | null | Tensor | StateValue[];
export type SerializedValue = number | boolean | string | null | SerializedTensor | SerializedValue[];

export function serialize(v: StateValue): SerializedValue {
  if (v instanceof Tensor) {
    const data = Array.from(v.data() as ArrayLike<number | bigint>, (x) => (Number.isFinite(Number(x)) ? Number(x) : String(x) as NonFinite));
    return { __tensor: true, dtype: v.dtype, shape: [...v.shape], data };
  }
  if (Array.isArray(v)) return v.map(serialize);
  return v;
}

export function isSerializedTensor(v: unknown): v is SerializedTensor {
  return typeof v === 'object' && v !== null && (v as SerializedTensor).__tensor === true;
}

/** Inverse of serialize; also accepts live Tensors (cloned). `made` collects what it creates. */
export function deserialize(v: unknown, where: string, made: Tensor[]): StateValue {
  if (v instanceof Tensor) { const t = v.clone(); made.push(t); return t; }
  if (isSerializedTensor(v)) {
    if (!Array.isArray(v.shape) || !Array.isArray(v.data)) throw new Error(`${where}: malformed tensor (needs shape and data arrays)`);
    const data = (v.data as unknown[]).map((x, i) => {
      if (x === 'NaN' || x === 'Infinity' || x === '-Infinity') return Number(x);
      if (x === null) throw new Error(`${where}: value null at flat index ${i} (a NaN or ±Infinity that JSON.stringify turned into null; write it as "NaN", "Infinity" or "-Infinity")`);
      return x;
    });
    let t: Tensor;
    try {
      t = tensor(data as number[], { dtype: v.dtype, shape: v.shape });
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message.replace(/^tensor: /, '')}`);
    }
    made.push(t);
    return t;
  }
  if (Array.isArray(v)) return v.map((x, i) => deserialize(x, `${where}[${i}]`, made));
  if (v === null || ['number', 'boolean', 'string'].includes(typeof v)) return v as StateValue;
  throw new Error(`${where}: unsupported value ${show(v)}`);
}

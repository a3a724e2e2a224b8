// Data types and devices: names as in PyTorch, codes as in LibTorch (from the binding).
import { buildInfo, native } from './backend.js';
import { describe } from './errors.js';

export type DType = 'float32' | 'float64' | 'int32' | 'int64' | 'uint8' | 'bool' | 'complex64' | 'complex128';
export type Device = 'cpu' | 'cuda' | `cuda:${number}`;

export const DTYPES = Object.keys(buildInfo.dtypes) as DType[];
export const dtypeCode = buildInfo.dtypes as Record<DType, number>;
/** Indexed by LibTorch's ScalarType code. */
export const dtypeByCode: DType[] = [];
for (const d of DTYPES) dtypeByCode[dtypeCode[d]] = d;

export const isFloating = (d: DType) => d === 'float32' || d === 'float64';
export const isComplex = (d: DType) => d === 'complex64' || d === 'complex128';
export const isIntegral = (d: DType) => d === 'int32' || d === 'int64' || d === 'uint8' || d === 'bool';

export const CPU = buildInfo.devices.cpu;
export const CUDA = buildInfo.devices.cuda;

/** A dtype's name (own keys only: 'toString' is no dtype). */
export const isDtype = (name: unknown): name is DType => typeof name === 'string' && Object.hasOwn(dtypeCode, name);

export function checkDtype(op: string, dtype: unknown): DType {
  if (!isDtype(dtype)) {
    throw new TypeError(`${op}: dtype must be one of ${DTYPES.join(', ')}, got ${describe(dtype)}`);
  }
  return dtype as DType;
}

/** Parses 'cpu' | 'cuda' | 'cuda:N' into LibTorch's (type, index), checking the GPU exists. */
export function parseDevice(op: string, device: unknown): [type: number, index: number, name: Device] {
  if (device === undefined || device === 'cpu') return [CPU, -1, 'cpu'];
  const m = typeof device === 'string' ? /^cuda(?::(\d+))?$/.exec(device) : null;
  if (!m) throw new TypeError(`${op}: device must be 'cpu', 'cuda' or 'cuda:N', got ${describe(device)}`);
  const count = native.cudaIsAvailable() ? native.cudaDeviceCount() : 0;
  if (count === 0) {
    throw new Error(`${op}: device '${device}' requested but CUDA is not available (cuda.isAvailable() is false: ` +
      `no GPU, or this LibTorch build is CPU-only)`);
  }
  const index = m[1] === undefined ? 0 : Number(m[1]);
  if (index >= count) throw new Error(`${op}: device '${device}' does not exist (${count} CUDA device(s))`);
  return [CUDA, index, `cuda:${index}`];
}

const cudaNames: string[] = [];
export function deviceName(type: number, index: number): Device {
  if (type === CPU) return 'cpu';
  if (type === CUDA) return (cudaNames[index] ??= `cuda:${index < 0 ? 0 : index}`) as Device;
  return `device${type}:${index}` as Device;
}

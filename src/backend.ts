// The one module that calls into the native binding. Everything else in src/ goes
// through the names exported here, so the boundary is visible in one file.
import { loadBinding } from './loader.js';

const loaded = loadBinding();

/** The raw addon; see native/*.cc for each function's arguments. */
export const native: any = loaded.binding;
export const binaryPath = loaded.path;
export const buildInfo = native.buildInfo() as {
  /** The LibTorch version the binary was built against (compile time), and where its libraries were. */
  torchVersion: string;
  torchLibDir?: string;
  /** The LibTorch actually loaded (runtime): libtorch_cpu's file and its version, when known. */
  loaded?: { version: string | null; path: string | null };
  cxx11Abi: boolean;
  compiler: string;
  parallelInfo: string;
  dtypes: Record<string, number>;
  devices: Record<string, number>;
  maxDims: number;
};

/**
 * Every op writes its result's metadata here: [dtype, deviceType, deviceIndex, ndim, ...sizes].
 * Reading it is far cheaper than a second call per result.
 */
export const meta = new Float64Array(4 + buildInfo.maxDims);
native.setMetaBuffer(meta);

function codes(names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((n, i) => [n, i]));
}
export const UNARY = codes(native.opNames.unary);
export const BINARY = codes(native.opNames.binary);
export const SCALAR = codes(native.opNames.scalar);
export const INPLACE = codes(native.opNames.inplace);
export const REDUCE = codes(native.opNames.reduce);

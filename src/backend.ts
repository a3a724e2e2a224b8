// The one module that calls into the native binding. Everything else in src/ goes
// through the names exported here, so the boundary is visible in one file.
import { loadBinding } from './loader.js';
import type { NativeBinding, NativeBuildInfo } from './native_binding.js';

const loaded = loadBinding();

/** The addon, typed by NativeBinding (test/binding.test.ts checks the two list the same names). */
export const native: NativeBinding = loaded.binding;
export const binaryPath = loaded.path;
export const buildInfo: NativeBuildInfo = native.buildInfo();

/**
 * Every op writes its result's metadata here: [dtype, deviceType, deviceIndex, ndim, ...sizes].
 * Reading it is far cheaper than a second call per result.
 */
export const meta = new Float64Array(4 + buildInfo.maxDims);
native.setMetaBuffer(meta);

function codes(names: readonly string[]): Record<string, number> {
  return Object.fromEntries(names.map((n, i) => [n, i]));
}
export const UNARY = codes(native.opNames.unary);
export const BINARY = codes(native.opNames.binary);
export const SCALAR = codes(native.opNames.scalar);
export const INPLACE = codes(native.opNames.inplace);
export const REDUCE = codes(native.opNames.reduce);

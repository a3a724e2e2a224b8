// A plain n-dimensional array on the host, the common currency of the array file formats
// (.npy/.npz, NIfTI): a dtype, a C-order shape and a typed array. Complex values are stored
// interleaved (re, im, re, im, …), as NumPy and PyTorch lay them out in memory, so `data.length`
// is twice the element count for complex64/complex128.
export type ArrayDType = 'float32' | 'float64' | 'complex64' | 'complex128' | 'bool' | 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64';

export type ArrayData = Float32Array | Float64Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array;

export interface NdArray { dtype: ArrayDType; shape: number[]; data: ArrayData }

export const isComplexDType = (d: ArrayDType): boolean => d === 'complex64' || d === 'complex128';
export const isFloatDType = (d: ArrayDType): boolean => d === 'float32' || d === 'float64';

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** How many typed-array entries an array of this dtype and shape holds (2 per complex element). */
export function dataLength(dtype: ArrayDType, shape: readonly number[]): number {
  return numel(shape) * (isComplexDType(dtype) ? 2 : 1);
}

/** C-order subscripts of a flat index, for error messages that say where. */
export function subscripts(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = index % shape[i];
    index = Math.floor(index / shape[i]);
  }
  return out;
}

/** Values as float64 (complex: interleaved float64); int64 converted through Number. */
export function toFloat64(a: NdArray): Float64Array {
  if (a.data instanceof Float64Array) return a.data;
  if (a.data instanceof BigInt64Array) return Float64Array.from(a.data, Number);
  return Float64Array.from(a.data as ArrayLike<number>);
}

/** The array with its axes permuted: output axis k is input axis `order[k]` (numpy.transpose). */
export function transpose(a: NdArray, order: number[]): NdArray {
  const rank = a.shape.length, width = isComplexDType(a.dtype) ? 2 : 1;
  if (order.length !== rank || [...order].sort().some((v, i) => v !== i)) throw new Error(`transpose: order [${order.join(', ')}] is not a permutation of ${rank} axes`);
  const shape = order.map((k) => a.shape[k]);
  const inStride = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) { inStride[i] = s; s *= a.shape[i]; }
  const stride = order.map((k) => inStride[k]);
  const out = new (a.data.constructor as new (n: number) => ArrayData)(a.data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0, n = numel(shape); o < n; o++) {
    let i = 0;
    for (let k = 0; k < rank; k++) i += idx[k] * stride[k];
    for (let w = 0; w < width; w++) (out as any)[o * width + w] = (a.data as any)[i * width + w];
    for (let k = rank - 1; k >= 0; k--) { if (++idx[k] < shape[k]) break; idx[k] = 0; }
  }
  return { dtype: a.dtype, shape, data: out };
}

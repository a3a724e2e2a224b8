// The addon's exports and NativeBinding (src/native_binding.ts) list the same names: a function
// added to native/*.cc without its type, or a type whose function is gone, fails here. (That
// every name of the interface is in NATIVE_FUNCTIONS or NATIVE_CONSTANTS is checked by tsc.)
import { describe, expect, it } from 'vitest';
import { native } from '../src/backend.js';
import { NATIVE_CONSTANTS, NATIVE_FUNCTIONS, type NativeBuildInfo, type NativeOpNames } from '../src/native_binding.js';

/** Keys of T, all of them: a key T gains and this list lacks fails to compile. */
function allKeys<T>() {
  return <const K extends readonly (keyof T)[]>(keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : never)) => keys;
}

const sorted = (xs: readonly string[]) => [...xs].sort();

describe('the native binding and its type', () => {
  const exported = Object.keys(native);

  it('every function the addon exports is in NativeBinding, and every one listed there is exported', () => {
    const functions = exported.filter((k) => typeof (native as unknown as Record<string, unknown>)[k] === 'function');
    expect(sorted(functions)).toEqual(sorted(NATIVE_FUNCTIONS));
  });

  it('every constant the addon exports is in NativeBinding, and the other way round', () => {
    const constants = exported.filter((k) => typeof (native as unknown as Record<string, unknown>)[k] !== 'function');
    expect(sorted(constants)).toEqual(sorted(NATIVE_CONSTANTS));
  });

  it('names no function twice', () => {
    expect(new Set(NATIVE_FUNCTIONS).size).toBe(NATIVE_FUNCTIONS.length);
  });

  it('opNames has the families NativeOpNames lists, each a list of names', () => {
    const families = allKeys<NativeOpNames>()(['unary', 'binary', 'scalar', 'inplace', 'reduce'] as const);
    expect(sorted(Object.keys(native.opNames))).toEqual(sorted(families));
    for (const f of families) {
      expect(native.opNames[f].length).toBeGreaterThan(0);
      for (const name of native.opNames[f]) expect(typeof name).toBe('string');
    }
  });

  it('buildInfo() has the fields NativeBuildInfo lists', () => {
    const fields = allKeys<NativeBuildInfo>()(
      ['torchVersion', 'torchLibDir', 'loaded', 'cxx11Abi', 'compiler', 'parallelInfo', 'dtypes', 'devices', 'maxDims'] as const,
    );
    const info = native.buildInfo();
    expect(sorted(Object.keys(info))).toEqual(sorted(fields));
    expect(sorted(Object.keys(info.dtypes))).toEqual(sorted(['float32', 'float64', 'int32', 'int64', 'uint8', 'bool', 'complex64', 'complex128']));
    expect(sorted(Object.keys(info.devices))).toEqual(['cpu', 'cuda']);
    expect(sorted(Object.keys(info.loaded))).toEqual(['path', 'version']);
  });

  it('results have the types NativeBinding gives them', () => {
    const h = native.zeros([2, 3], native.buildInfo().dtypes.float32, native.buildInfo().devices.cpu, -1);
    try {
      expect(typeof h).toBe('number');
      expect(native.toBuffer(h)).toBeInstanceOf(ArrayBuffer);
      const pieces = native.split(h, [1, 1], 0);
      expect(pieces.map((x) => typeof x)).toEqual(['number', 'number']);
      for (const p of pieces) native.free(p);
      expect(native.gradFnName(h)).toBeNull();
      expect(native.grad(h, -1)).toBeNull();
      expect(typeof native.requiresGrad(h)).toBe('boolean');
      const m = native.memory();
      expect([typeof m.tensors, typeof m.bytes]).toEqual(['number', 'number']);
      const b = native.blasConfig();
      expect(b.openblas === null || typeof b.openblas === 'string').toBe(true);
      expect(native.getRngState()).toBeInstanceOf(ArrayBuffer);
    } finally {
      expect(native.free(h)).toBe(true);
      expect(native.free(h)).toBe(false);
    }
  });
});

// OpenBLAS's kernels chosen from the CPU's features (src/blas_core.ts), set by the loader
// before LibTorch (and with it OpenBLAS) loads.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openblasCore, openblasCoreFor } from '../src/blas_core.js';
import { config } from '../src/index.js';

const AVX512 = ['avx512f', 'avx512cd', 'avx512bw', 'avx512dq', 'avx512vl'];
const flags = (...f: string[]) => new Set(['sse3', 'avx', ...f]);

describe('OpenBLAS kernels by CPU features', () => {
  it('maps feature sets to the float kernels OpenBLAS itself picks on the models it knows', () => {
    // BF16 makes it Cooperlake to OpenBLAS: the same float kernels under a name older OpenBLAS lack.
    expect(openblasCoreFor(flags(...AVX512, 'avx2', 'fma', 'avx512_bf16'), 'GenuineIntel')).toBe('SkylakeX');
    expect(openblasCoreFor(flags(...AVX512, 'avx2', 'fma', 'avx512_bf16'), 'AuthenticAMD')).toBe('SkylakeX'); // Zen 4
    expect(openblasCoreFor(flags(...AVX512, 'avx2', 'fma'), 'GenuineIntel')).toBe('SkylakeX');
    expect(openblasCoreFor(flags('avx2', 'fma'), 'GenuineIntel')).toBe('Haswell');
    expect(openblasCoreFor(flags('avx2', 'fma'), 'AuthenticAMD')).toBe('Zen');
    // AVX-512 foundation alone (Knights Landing has no BW/DQ/VL) is not SkylakeX; no AVX2 leaves OpenBLAS to decide.
    expect(openblasCoreFor(flags('avx512f', 'avx512cd', 'avx2', 'fma'), 'GenuineIntel')).toBe('Haswell');
    expect(openblasCoreFor(flags(), 'GenuineIntel')).toBe(null);
  });

  const detail = config().blas.detail;
  const dynamic = detail !== null && /DYNAMIC_ARCH/.test(detail);
  const dist = JSON.stringify(join(__dirname, '..', 'dist', 'index.js'));
  const coreIn = (env: NodeJS.ProcessEnv) => execFileSync(process.execPath, ['--input-type=module', '-e',
    `const pt = await import(${dist}); console.log(JSON.stringify([pt.config().blas.detail, process.env.OPENBLAS_CORETYPE ?? null]))`],
  { encoding: 'utf8', env }).trim();

  it.skipIf(!dynamic || openblasCore() === null)('the loader sets it before OpenBLAS loads, and a value the user set wins', () => {
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    const [chosen, variable] = JSON.parse(coreIn(env));
    expect(variable).toBe(openblasCore());
    expect(chosen).toContain(` ${openblasCore()} `);
    // The user's choice (a different core than ours) is what OpenBLAS runs.
    const other = openblasCore() === 'Haswell' ? 'Sandybridge' : 'Haswell';
    const [theirs, kept] = JSON.parse(coreIn({ ...env, OPENBLAS_CORETYPE: other }));
    expect(kept).toBe(other);
    expect(theirs).toContain(` ${other} `);
  }, 60_000);
});

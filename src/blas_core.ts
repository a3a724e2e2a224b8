// Which OpenBLAS kernels to use on this CPU. An OpenBLAS built for many CPUs (DYNAMIC_ARCH, as
// Debian's) picks its kernels by the CPU's model number, and a model newer than the library
// gets the fallback, Prescott: SSE3 kernels. On an Emerald Rapids Xeon (model 207) with
// Debian 12's OpenBLAS 0.3.21 that made the reference step 2-3x slower (17-24 ms against
// 8.7-9.9 ms; bench/results/2026-12-06-openblas-core.md). Chosen from the CPU's features
// instead, the kernels are the ones OpenBLAS itself picks on the models it knows: Cooperlake
// for AVX-512 with BF16, SkylakeX for AVX-512, Zen or Haswell for AVX2 with FMA.
import { readFileSync } from 'node:fs';

/** OpenBLAS's core name for a CPU with these /proc/cpuinfo flags and vendor, or null to let OpenBLAS decide. */
export function openblasCoreFor(flags: ReadonlySet<string>, vendor: string): string | null {
  const has = (...f: string[]) => f.every((x) => flags.has(x));
  if (has('avx512f', 'avx512cd', 'avx512bw', 'avx512dq', 'avx512vl')) return flags.has('avx512_bf16') ? 'Cooperlake' : 'SkylakeX';
  if (has('avx2', 'fma')) return vendor === 'AuthenticAMD' ? 'Zen' : 'Haswell';
  return null;
}

/** The core for this machine's first CPU (Linux x86-64), or null (another system, or nothing to choose). */
export function openblasCore(): string | null {
  if (process.platform !== 'linux' || process.arch !== 'x64') return null;
  let info: string;
  try {
    info = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return null;
  }
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(info)?.[1] ?? '';
  return openblasCoreFor(new Set(field('flags').split(/\s+/)), field('vendor_id'));
}

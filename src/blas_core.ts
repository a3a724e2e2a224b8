// Which OpenBLAS kernels to use on this CPU. An OpenBLAS built for many CPUs (DYNAMIC_ARCH, as
// Debian's) picks its kernels by the CPU's model number, and a model newer than the library
// gets the fallback, Prescott: SSE3 kernels. On an Emerald Rapids Xeon (model 207) with
// Debian 12's OpenBLAS 0.3.21 that made the reference step 2-3x slower (17-24 ms against
// 8.7-9.9 ms; bench/results/2026-12-06-openblas-core.md). Chosen from the CPU's features
// instead: SkylakeX for AVX-512, Zen or Haswell for AVX2 with FMA. OpenBLAS itself names
// AVX-512 CPUs with BF16 Cooperlake, whose float kernels are SkylakeX's (it adds bf16 ones,
// which LibTorch does not call); SkylakeX is also known to every OpenBLAS since 0.3.0, where
// Cooperlake is not before 0.3.11 (an unknown name costs a warning and the fallback).
import { readFileSync } from 'node:fs';

/** OpenBLAS's core name for a CPU with these /proc/cpuinfo flags and vendor, or null to let OpenBLAS decide. */
export function openblasCoreFor(flags: ReadonlySet<string>, vendor: string): string | null {
  const has = (...f: string[]) => f.every((x) => flags.has(x));
  if (has('avx512f', 'avx512cd', 'avx512bw', 'avx512dq', 'avx512vl')) return 'SkylakeX';
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

// What was loaded and how it runs: versions, BLAS, threads, CUDA, seeding, RNG state.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binaryPath, buildInfo, native } from './backend.js';
import { checkPositiveInt } from './checks.js';
import { packageRoot } from './loader.js';

export const version: string = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).version;

export interface BlasInfo {
  /** 'OpenBLAS', 'MKL', 'reference BLAS (slow)', or 'unknown'. */
  name: string;
  /** Shared libraries mapped into this process that provide BLAS (Linux). */
  libraries: string[];
  detail: string | null;
  /**
   * What multiplies a tall matrix by a small one in the derivative engine's products (most of a
   * PINN step): 'libxsmm <version>' (native/small_gemm.cc), or null for this BLAS through ATen.
   */
  smallGemm: string | null;
}

/** Which BLAS is really loaded: a BLAS mismatch costs 15-30x on matmul (shared/notes/bridge.md). */
export function blas(): BlasInfo {
  const cfg = native.blasConfig();
  let libraries: string[] = [];
  try {
    const maps = readFileSync('/proc/self/maps', 'utf8');
    libraries = [...new Set(maps.split('\n').map((l) => l.split(/\s+/)[5]).filter((p) => p && /blas|mkl/i.test(p)))];
  } catch {
    // not Linux: only the symbols tell
  }
  let name = 'unknown';
  if (cfg.openblas || libraries.some((l) => /openblas/i.test(l))) name = 'OpenBLAS';
  else if (libraries.some((l) => /mkl/i.test(l))) name = 'MKL';
  else if (libraries.some((l) => /\/blas\/libblas/.test(l))) name = 'reference BLAS (slow)';
  return { name, libraries, detail: cfg.openblas, smallGemm: cfg.smallGemm };
}

/**
 * Runs the derivative engine's tall-by-small products on libxsmm (the default when the build has
 * it, unless PINN_TORCH_SMALL_GEMM=0) or on ATen's mm: for A/B measurements. Returns whether
 * libxsmm is now in use (false when the build has none).
 */
export function setSmallGemm(on: boolean): boolean {
  if (typeof on !== 'boolean') throw new TypeError(`setSmallGemm: expected true or false, got ${typeof on}`);
  native.setSmallGemm(on);
  return native.blasConfig().smallGemm !== null;
}

export const cuda = {
  isAvailable: (): boolean => native.cudaIsAvailable(),
  deviceCount: (): number => native.cudaDeviceCount(),
};

/** Intra-op threads for LibTorch, and for OpenBLAS's own pool when OpenBLAS is loaded. */
export function setNumThreads(n: number): void {
  checkPositiveInt('setNumThreads', 'n', n);
  native.setNumThreads(n);
}
export function getNumThreads(): number {
  return native.getNumThreads();
}

// OpenBLAS starts its own pool with one thread per core while LibTorch's intra-op default is
// 1 here; on the 2-core reference VM the Burgers training step (float64, N 2540) took a median
// 9.8 ms with both at 1 and 11–18 ms with OpenBLAS at 2 (alternating runs). So the pool follows
// LibTorch's count unless the user set OpenBLAS's threads through the environment.
if (process.env.OPENBLAS_NUM_THREADS === undefined && process.env.OMP_NUM_THREADS === undefined) {
  native.setNumThreads(native.getNumThreads());
}

const MiB = 2 ** 20;

export interface AllocatorOptions {
  /** Blocks at least this large get their own mmap (glibc's default adapts upwards from 128 KiB; at most 32 MiB). */
  mmapThreshold?: number;
  /** Free memory at the heap's top beyond this is handed back to the OS (glibc's default adapts from 128 KiB). */
  trimThreshold?: number;
}

let allocator: Required<AllocatorOptions> | null = null;

/**
 * Keeps the buffers a training step frees in glibc's heap for the next step instead of handing
 * them back to the OS and faulting them in again (a quarter of an Adam step's time on the Burgers
 * setup went to that). It applies to the whole process, so it is opt-in: the CLI turns it on
 * (it owns its process), a program that trains does so with one call. Peak memory is unchanged;
 * up to `trimThreshold` of freed memory stays mapped between steps. Returns false, changing
 * nothing, where malloc is not glibc's.
 */
export function tuneAllocator({ mmapThreshold = 32 * MiB, trimThreshold = 256 * MiB }: AllocatorOptions = {}): boolean {
  const check = (name: string, v: number, max: number) => {
    if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`tuneAllocator: ${name} must be an integer from 0 to ${max} bytes, got ${v}`);
  };
  check('mmapThreshold', mmapThreshold, 32 * MiB); // glibc refuses more on 64-bit
  check('trimThreshold', trimThreshold, 2 ** 31 - 1);
  const ok = native.tuneMalloc(mmapThreshold, trimThreshold);
  if (ok) allocator = { mmapThreshold, trimThreshold };
  return ok;
}

export interface CpuCacheStats {
  /** False when PINN_TORCH_CPU_CACHE_MB=0 left LibTorch's own allocator in place. */
  enabled: boolean;
  /** Bytes of freed tensor buffers waiting to be reused, and how many buffers. */
  cachedBytes: number;
  blocks: number;
  limitBytes: number;
  /** Allocations of at least 64 KiB served from the cache, and those that were not. */
  hits: number;
  misses: number;
}

/**
 * LibTorch's CPU tensors of 64 KiB or more are allocated through a bounded cache
 * (native/cpu_cache.cc): a training step frees and allocates the same sizes every step, and a
 * buffer freed in one step serves the next instead of going back to the OS and faulting in again
 * (12 % of the reference step's CPU time). The bound is PINN_TORCH_CPU_CACHE_MB (default 256;
 * 0 turns the cache off at load) or `setLimit`; unlike tuneAllocator it touches nothing but
 * tensors.
 */
export const cpuCache = {
  stats: (): CpuCacheStats => native.cpuCacheStats(),
  /** Bounds the cached bytes; what exceeds the new bound is released at once. */
  setLimit(bytes: number): void {
    if (!(Number.isSafeInteger(bytes) && bytes >= 0)) throw new RangeError(`cpuCache.setLimit: bytes must be a non-negative integer, got ${bytes}`);
    native.cpuCacheSetLimit(bytes);
  },
  /** Releases every cached buffer to the OS; the bound stays. */
  empty(): void {
    const { limitBytes } = native.cpuCacheStats();
    native.cpuCacheSetLimit(0);
    native.cpuCacheSetLimit(limitBytes);
  },
};

/** True when the environment already sets glibc's malloc thresholds (which then take precedence). */
export function allocatorSetByEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.MALLOC_MMAP_THRESHOLD_ !== undefined || env.MALLOC_TRIM_THRESHOLD_ !== undefined || /glibc\.malloc\./.test(env.GLIBC_TUNABLES ?? '');
}

/** Seeds LibTorch's generators (CPU and CUDA): rand/randn then match PyTorch's for the same seed. */
export function manualSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`manualSeed: seed must be a non-negative safe integer, got ${seed}`);
  native.manualSeed(seed);
}

/** The CPU generator's complete state, to restore with setRngState (exact resume). */
export function getRngState(): Uint8Array {
  return new Uint8Array(native.getRngState());
}
export function setRngState(state: Uint8Array): void {
  if (!(state instanceof Uint8Array)) throw new TypeError('setRngState: state must be a Uint8Array from getRngState()');
  const expected = getRngState().length;
  if (state.length !== expected) throw new Error(`setRngState: state has ${state.length} bytes, expected ${expected}`);
  native.setRngState(state);
}

export interface Config {
  version: string;
  binary: string;
  /**
   * The LibTorch loaded: its version and libtorch_cpu's path (the version falls back to the one built
   * against when the loaded library does not tell); `builtAgainst` is what the binary was compiled with.
   */
  libtorch: {
    version: string;
    path: string | null;
    builtAgainst: { version: string; libDir: string | null };
    cxx11Abi: boolean;
    compiler: string;
  };
  cuda: { available: boolean; deviceCount: number };
  blas: BlasInfo;
  threads: { intraOp: number; blas: number | null };
  /** The malloc thresholds tuneAllocator set, or null (glibc's adaptive defaults or the environment's). */
  allocator: Required<AllocatorOptions> | null;
}

/** Everything worth knowing about the loaded native side, e.g. for bug reports and benchmarks. */
export function config(): Config {
  const available = cuda.isAvailable();
  return {
    version,
    binary: binaryPath,
    libtorch: {
      version: buildInfo.loaded?.version ?? buildInfo.torchVersion,
      path: buildInfo.loaded?.path ?? null,
      builtAgainst: { version: buildInfo.torchVersion, libDir: buildInfo.torchLibDir || null },
      cxx11Abi: buildInfo.cxx11Abi,
      compiler: buildInfo.compiler,
    },
    cuda: { available, deviceCount: available ? cuda.deviceCount() : 0 },
    blas: blas(),
    threads: { intraOp: getNumThreads(), blas: native.blasConfig().threads },
    allocator,
  };
}

/** What countOps saw: every ATen op call, nested ones included (a narrow is narrow, slice, as_strided). */
export interface OpCounts {
  calls: number;
  byName: Record<string, number>;
}

let countingOps = false;

/**
 * Counts the ATen op calls `fn` makes (native/op_counter.cc), by op name. On small tensors a
 * step's time follows its op calls (each is a dispatch, often an allocation and an autograd
 * record), and unlike a time the count is the same on every run: the measure for overhead work
 * on a noisy machine. Counts do not nest; while one runs, every thread's ops are counted.
 */
export function countOps(fn: () => void): OpCounts {
  if (typeof fn !== 'function') throw new TypeError('countOps: expected a function');
  if (countingOps) throw new Error('countOps: a count is already running (counts do not nest)');
  countingOps = true;
  let byName: Record<string, number>;
  native.opCounterStart();
  try {
    fn();
  } finally {
    byName = native.opCounterStop();
    countingOps = false;
  }
  return { calls: Object.values(byName).reduce((a, b) => a + b, 0), byName };
}

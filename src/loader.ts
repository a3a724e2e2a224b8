// Finds and loads the native addon. $PINN_TORCH_BINARY, when set, is the only one tried.
// Otherwise, in order: a source build (build/Release), then the prebuilt binaries shipped for
// this platform, one per LibTorch major.minor (prebuilds/<platform>-<arch>/libtorch-<x.y>/),
// the one the install chose first (its `selected` file), then the newest. When none loads,
// one error lists every place tried, why it failed, and how to fix it.
//
// A binary never runs against a LibTorch other than the one it was built against: it binds
// every symbol at load (-z now), so a missing one fails the load (explained here, from the
// binary's build stamp and what ldd resolves), and its init compares the version it was built
// against with the one loaded (native/runtime.cc), refusing a mismatch before any op runs.
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mismatchMessage } from '../scripts/libtorch/binary.mjs';
import type { NativeBinding } from './native_binding.js';
import { openblasCore } from './blas_core.js';

const require = createRequire(import.meta.url);

/** The package root: src/ (tests) and dist/ (published) both sit one level below it. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** prebuilds/<platform>-<arch>/libtorch-<x.y>/pinn_torch.node, the install's choice first, then newest first. */
export function prebuiltBinaries(root = packageRoot): string[] {
  const base = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  if (!existsSync(base)) return [];
  const num = (d: string) => d.replace(/^libtorch-/, '').split('.').map(Number);
  const dirs = readdirSync(base).filter((d) => /^libtorch-\d+\.\d+$/.test(d)).sort((a, b) => {
    const [x, y] = [num(a), num(b)];
    return y[0] - x[0] || y[1] - x[1];
  });
  let selected: string | null = null;
  try {
    selected = readFileSync(join(base, 'selected'), 'utf8').trim();
  } catch {
    // no install-time choice recorded
  }
  if (selected && dirs.includes(selected)) {
    dirs.splice(dirs.indexOf(selected), 1);
    dirs.unshift(selected);
  }
  const list = dirs.map((d) => join(base, d, 'pinn_torch.node'));
  list.push(join(base, 'pinn_torch.node')); // the layout before one prebuild per LibTorch
  return list;
}

export function candidateBinaries(): string[] {
  if (process.env.PINN_TORCH_BINARY) return [resolve(process.env.PINN_TORCH_BINARY)];
  return [join(packageRoot, 'build', 'Release', 'pinn_torch.node'), ...prebuiltBinaries()];
}

export interface Loaded {
  /** What `require` gave: untyped to the compiler, listed in NativeBinding (test/binding.test.ts compares them). */
  binding: NativeBinding;
  path: string;
}

const MISMATCH = 'pinn-torch: LibTorch mismatch';

/**
 * LibTorch's OpenMP pool and OpenBLAS's own pool each keep their idle threads spinning after
 * work (OpenMP's default wait policy; OpenBLAS for 2^28 cycles), so with two threads on two
 * cores one pool's spinning worker takes the core the other's needs: the reference step at
 * N 8000 took 134-172 ms with two threads against 67 ms with one. Idle threads that sleep at
 * once (OMP_WAIT_POLICY=PASSIVE, OPENBLAS_THREAD_TIMEOUT=4) gave 49 ms, faster than one thread
 * (bench/results/2026-12-05-threads.md). Both libraries read these when they load, so they are
 * set before the addon is; a value the user set is kept.
 */
function sleepingThreadPools(): void {
  process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
  process.env.OPENBLAS_THREAD_TIMEOUT ??= '4';
}

/**
 * OpenBLAS's kernels chosen from the CPU's features (blas_core.ts), since OpenBLAS falls back to
 * SSE3 ones on a CPU model newer than itself. Read when OpenBLAS loads; a value the user set
 * (OPENBLAS_CORETYPE) is kept. The choice is in config().blas.detail.
 */
function openblasKernels(): void {
  if (process.env.OPENBLAS_CORETYPE !== undefined) return;
  const core = openblasCore();
  if (core) process.env.OPENBLAS_CORETYPE = core;
}

export function loadBinding(): Loaded {
  sleepingThreadPools();
  openblasKernels();
  const tried: string[] = [];
  let mismatch: string | null = null;
  for (const path of candidateBinaries()) {
    if (!existsSync(path)) {
      tried.push(`  ${path}: not found`);
      continue;
    }
    try {
      return { binding: require(path), path };
    } catch (e) {
      const message = (e as Error).message;
      if (message.startsWith(MISMATCH)) {
        // Its LibTorch is now loaded in this process: loading another binary would mix two.
        throw new Error(message);
      }
      // The load failed as a whole (nothing stays loaded): say why, in the clearest terms known.
      const explained = /undefined symbol|cannot open shared object|version .* not found/.test(message) ? mismatchMessage(path) : null;
      if (explained) mismatch ??= explained;
      tried.push(`  ${path}: ${explained ?? message.split('\n')[0]}`);
    }
  }
  if (mismatch && tried.length === 1) throw new Error(mismatch);
  throw new Error(
    (mismatch ? `${mismatch}\n` : '') +
      'pinn-torch: could not load the native addon. Tried:\n' + tried.join('\n') +
      '\nTo fix: run `npm rebuild pinn-torch` (builds from source; set LIBTORCH=/path/to/libtorch or /path/to/torch-*.whl if ' +
      'LibTorch is not found), or set PINN_TORCH_BINARY to a built pinn_torch.node. A "cannot open shared object file" error means ' +
      'LibTorch\'s libraries are not where the binary was built against: reinstall them or rebuild.',
  );
}

// A PyTorch wheel (torch-*.whl) carries a complete LibTorch under torch/ (headers, shared
// libraries, CMake config). It is unpacked once into the cache, atomically: into a temporary
// folder first, renamed into place only when complete, so a crash leaves nothing half-made.
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import extractZip from 'extract-zip';
import { cacheRoot } from './paths.mjs';

export const isWheel = (path) => /\.whl$/i.test(path ?? '');

/** Where this wheel is (or will be) unpacked: keyed by its file name and size. */
export function wheelTarget(wheel, env = process.env) {
  const name = basename(wheel).replace(/\.whl$/i, '');
  const size = existsSync(wheel) ? statSync(wheel).size : 0;
  const key = createHash('sha256').update(`${name}\0${size}`).digest('hex').slice(0, 10);
  return join(cacheRoot(env), `wheel-${name}-${key}`);
}

/** The CMake config folder inside an unpacked wheel. */
export const wheelTorchDir = (target) => join(target, 'torch', 'share', 'cmake', 'Torch');

/** Unpacks the wheel into the cache (once) and returns its CMake config folder. */
export async function unpackWheel(wheel, { env = process.env, log = console.log } = {}) {
  wheel = resolve(wheel);
  if (!existsSync(wheel)) throw new Error(`no such wheel: ${wheel}`);
  const target = wheelTarget(wheel, env);
  if (existsSync(join(wheelTorchDir(target), 'TorchConfig.cmake'))) return wheelTorchDir(target);
  const root = cacheRoot(env);
  mkdirSync(root, { recursive: true });
  const tmp = join(root, `.partial-wheel-${process.pid}-${Date.now()}`);
  try {
    log(`pinn-torch: unpacking the LibTorch inside ${wheel} into ${target} (once; ~1 min)`);
    try {
      await extractZip(wheel, { dir: tmp });
    } catch (e) {
      throw new Error(`cannot unpack ${wheel}: ${e.message}`);
    }
    if (!existsSync(join(wheelTorchDir(tmp), 'TorchConfig.cmake'))) {
      throw new Error(`${wheel} holds no LibTorch (no torch/share/cmake/Torch/TorchConfig.cmake): is it a PyTorch wheel?`);
    }
    try {
      renameSync(tmp, target);
    } catch (e) {
      // Another install unpacked the same wheel meanwhile: use theirs.
      if (!existsSync(join(wheelTorchDir(target), 'TorchConfig.cmake'))) throw e;
    }
    log(`pinn-torch: LibTorch unpacked to ${target}`);
    return wheelTorchDir(target);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

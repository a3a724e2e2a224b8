// Which LibTorch version lives where, read from files alone (nothing is loaded):
// a CMake config folder's TorchConfigVersion.cmake, or, for a folder of shared libraries,
// the files each layout keeps beside it (official archive, Python wheel, Debian).
import { readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const read = (file) => { try { return readFileSync(file, 'utf8'); } catch { return null; } };

/** The version a CMake config folder (the one holding TorchConfig.cmake) declares, or null. */
export function versionAtTorchDir(torchDir) {
  const text = read(join(torchDir, 'TorchConfigVersion.cmake'));
  return text?.match(/set\(PACKAGE_VERSION "([^"]+)"\)/)?.[1] ?? null;
}

/** The version of the LibTorch a shared library (libtorch_cpu.so…) belongs to, or null. */
export function versionOfLibrary(libPath) {
  const tryOne = (path) => {
    const dir = dirname(path);
    for (const torchDir of [join(dir, '..', 'share', 'cmake', 'Torch'), join(dir, 'cmake', 'Torch')]) {
      const v = versionAtTorchDir(torchDir);
      if (v) return v;
    }
    const build = read(join(dir, '..', 'build-version'))?.trim(); // official archive
    if (build) return build;
    const py = read(join(dir, '..', 'version.py'))?.match(/__version__\s*=\s*['"]([^'"]+)['"]/)?.[1]; // wheel
    if (py) return py;
    return basename(path).match(/\.so\.(\d+\.\d+(?:\.\d+)?)$/)?.[1] ?? null; // Debian: libtorch_cpu.so.1.13.0
  };
  // The real file first (a folder of symlinks names no version of its own), then the name as found.
  let real = null;
  try { real = realpathSync(libPath); } catch { /* missing */ }
  return (real && tryOne(real)) || tryOne(libPath);
}

/** "2.13" from "2.13.0+cpu"; null when there is none. */
export function majorMinor(version) {
  return version?.match(/^(\d+)\.(\d+)/)?.slice(1, 3).join('.') ?? null;
}

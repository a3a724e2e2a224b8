// Facts about a built pinn_torch.node read without loading it: what it was built against
// (the stamp native/runtime.cc writes into it) and which LibTorch the dynamic linker would
// give it here (ldd, Linux). The loader uses them to explain a binary that does not load.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { majorMinor, versionOfLibrary } from './version.mjs';

const MARK = 'pinn-torch-build-stamp;';

/** { torchVersion, libDir } recorded in the binary, or null (unreadable, or built before stamps). */
export function readBuildStamp(binary) {
  let bytes;
  try { bytes = readFileSync(binary); } catch { return null; }
  const at = bytes.indexOf(MARK);
  if (at < 0) return null;
  const end = bytes.indexOf(0, at);
  const text = bytes.subarray(at + MARK.length, end < 0 ? at + 4096 : end).toString('utf8');
  const field = (k) => text.match(new RegExp(`(?:^|;)${k}=([^;]*)`))?.[1] ?? null;
  return { torchVersion: field('torch'), libDir: field('libdir') || null };
}

/**
 * The LibTorch library the dynamic linker resolves for this binary here, with its version:
 * { path, version } (either may be null), or null where this cannot be told (no ldd).
 */
export function resolvedLibTorch(binary, env = process.env) {
  if (process.platform !== 'linux') return null;
  const r = spawnSync('ldd', [binary], { encoding: 'utf8', env, timeout: 20_000 });
  if (r.status === null || r.error) return null;
  const lines = (r.stdout ?? '').split('\n');
  for (const name of ['libtorch_cpu', 'libtorch', 'libc10']) {
    const line = lines.find((l) => l.trim().startsWith(`${name}.so`));
    if (!line) continue;
    const path = line.match(/=>\s*(\/\S+)/)?.[1] ?? null;
    return { path, version: path ? versionOfLibrary(path) : null, missing: !path };
  }
  return null;
}

/**
 * The one clear message for a binary meeting a LibTorch other than the one it was built
 * against, or null when that is not (known to be) the case. Same wording as native/runtime.cc.
 */
export function mismatchMessage(binary, env = process.env) {
  const built = readBuildStamp(binary);
  const loaded = resolvedLibTorch(binary, env);
  if (!built?.torchVersion || !loaded?.version) return null;
  if (majorMinor(built.torchVersion) === majorMinor(loaded.version)) return null;
  const ld = env.LD_LIBRARY_PATH;
  return `pinn-torch: LibTorch mismatch: ${binary} was built against LibTorch ${built.torchVersion} (${built.libDir ?? 'folder unknown'}) ` +
    `but the LibTorch that loads here is ${loaded.version} (${loaded.path}). Refusing to use it: mixing LibTorch versions crashes. ` +
    'To fix: rebuild it against the LibTorch to use (LIBTORCH=/path/to/libtorch or /path/to/torch-*.whl npm rebuild pinn-torch; ' +
    'in a clone: npm run build:native)' +
    (ld ? `, or unset LD_LIBRARY_PATH (${ld}), which puts another LibTorch before the one it was built against.`
      : `, or make LibTorch ${built.torchVersion} loadable again at ${built.libDir ?? 'the folder it was built against'}.`);
}

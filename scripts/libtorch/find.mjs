// Where LibTorch may already be: each source yields candidate CMake config dirs
// (the folder holding TorchConfig.cmake) or a PyTorch wheel to unpack. The first that
// exists wins; every miss is recorded so a failure can say exactly where we looked.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { cacheRoot } from './paths.mjs';
import { versionAtTorchDir } from './version.mjs';
import { isWheel, unpackWheel, wheelTarget, wheelTorchDir } from './wheel.mjs';

const configIn = (dir) => join(dir, 'TorchConfig.cmake');

/** A LibTorch root (has share/cmake/Torch) or a CMake prefix (has Torch/ or share/cmake/Torch). */
function underPrefix(prefix) {
  return [join(prefix, 'share', 'cmake', 'Torch'), join(prefix, 'Torch'), join(prefix, 'lib', 'cmake', 'Torch')];
}

function pythonPrefixes() {
  const out = [];
  for (const py of ['/usr/bin/python3', 'python3', 'python']) {
    try {
      const prefix = execFileSync(py, ['-c', 'import torch.utils; print(torch.utils.cmake_prefix_path)'], {
        encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000,
      }).trim();
      if (prefix) out.push({ source: `Python torch (${py})`, dirs: underPrefix(prefix) });
    } catch {
      out.push({ source: `Python torch (${py})`, dirs: [], note: 'no torch module' });
    }
  }
  return out;
}

function systemDirs() {
  const multiarch = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' }[process.arch] ?? '';
  return [
    `/usr/lib/${multiarch}/cmake/Torch`, '/usr/lib/cmake/Torch', '/usr/local/lib/cmake/Torch',
    '/usr/local/libtorch/share/cmake/Torch', '/opt/libtorch/share/cmake/Torch', '/usr/local/share/cmake/Torch',
  ];
}

/** Unpacked archives (libtorch-*), unpacked wheels (wheel-*), then wheels dropped into the cache. */
function cached(env) {
  const root = cacheRoot(env);
  if (!existsSync(root)) return [];
  const names = readdirSync(root).sort();
  const dirs = [
    ...names.filter((d) => d.startsWith('libtorch-')).map((d) => join(root, d, 'libtorch', 'share', 'cmake', 'Torch')),
    ...names.filter((d) => d.startsWith('wheel-')).map((d) => wheelTorchDir(join(root, d))),
  ];
  const wheels = names.filter((f) => isWheel(f) && !existsSync(wheelTorchDir(wheelTarget(join(root, f), env))))
    .map((f) => ({ source: `pinn-torch download cache (wheel ${f})`, dirs: [], wheel: join(root, f) }));
  return [{ source: 'pinn-torch download cache', dirs }, ...wheels];
}

/** LIBTORCH names an unpacked LibTorch, or a PyTorch wheel (used once unpacked into the cache). */
function fromLibTorchVar(env) {
  if (!isWheel(env.LIBTORCH)) return { source: 'LIBTORCH', dirs: underPrefix(env.LIBTORCH) };
  const wheel = resolve(env.LIBTORCH);
  const unpacked = wheelTorchDir(wheelTarget(wheel, env));
  if (existsSync(join(unpacked, 'TorchConfig.cmake'))) return { source: `LIBTORCH (wheel ${wheel}, unpacked)`, dirs: [unpacked] };
  if (!existsSync(wheel)) return { source: 'LIBTORCH', dirs: [], note: `${wheel} (no such wheel)` };
  return { source: `LIBTORCH (wheel ${wheel})`, dirs: [], wheel };
}

/** Every source, in search order. PINN_TORCH_SEARCH=env,python,system,cache limits and orders them. */
export function sources(env = process.env) {
  const all = {
    env: () => [
      env.LIBTORCH && fromLibTorchVar(env),
      env.Torch_DIR && { source: 'Torch_DIR', dirs: [env.Torch_DIR] },
      ...(env.CMAKE_PREFIX_PATH ?? '').split(delimiter).filter(Boolean).map((p) => ({ source: `CMAKE_PREFIX_PATH entry ${p}`, dirs: underPrefix(p) })),
    ].filter(Boolean),
    python: pythonPrefixes,
    system: () => [{ source: 'system locations', dirs: systemDirs() }],
    cache: () => {
      const found = cached(env);
      return found.length ? found : [{ source: 'pinn-torch download cache', dirs: [], note: `nothing downloaded or unpacked in ${cacheRoot(env)}` }];
    },
  };
  const order = (env.PINN_TORCH_SEARCH ?? 'env,python,system,cache').split(',').map((s) => s.trim()).filter((s) => s in all);
  return order.flatMap((name) => all[name]());
}

/**
 * { torchDir, version, source } for the first LibTorch found; { wheel, source } when that is a
 * wheel not unpacked yet (see locateLibTorch); or { tried: [...] } describing every miss.
 */
export function findLibTorch(env = process.env, skipWheels = new Set()) {
  const tried = [];
  for (const { source, dirs, note, wheel } of sources(env)) {
    if (note) tried.push(`${source}: ${note}`);
    if (wheel && skipWheels.has(wheel)) continue;
    if (wheel) return { torchDir: null, wheel, version: null, source, tried };
    for (const dir of dirs) {
      if (existsSync(configIn(dir))) return { torchDir: dir, version: versionAtTorchDir(dir), source, tried };
      tried.push(`${source}: ${dir} (no TorchConfig.cmake)`);
    }
  }
  return { torchDir: null, version: null, source: null, tried };
}

/** findLibTorch, unpacking a wheel it finds into the cache first. A wheel that fails to unpack is a miss. */
export async function locateLibTorch(env = process.env, log = console.log) {
  const skip = new Set();
  const failures = [];
  for (;;) {
    const found = findLibTorch(env, skip);
    found.tried.push(...failures);
    if (!found.wheel) return found;
    try {
      const torchDir = await unpackWheel(found.wheel, { env, log });
      return { ...found, torchDir, version: versionAtTorchDir(torchDir) };
    } catch (e) {
      skip.add(found.wheel);
      failures.push(`${found.source}: ${e.message}`);
    }
  }
}

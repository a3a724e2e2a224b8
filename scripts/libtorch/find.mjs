// Where LibTorch may already be: each source yields candidate CMake config dirs
// (the folder holding TorchConfig.cmake). The first that exists wins; every miss is
// recorded so a failure can say exactly where we looked.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cacheRoot } from './paths.mjs';

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

function cachedDirs(env) {
  if (!existsSync(cacheRoot(env))) return [];
  return readdirSync(cacheRoot(env)).filter((d) => d.startsWith('libtorch-')).map((d) => join(cacheRoot(env), d, 'libtorch', 'share', 'cmake', 'Torch'));
}

/** Every source, in search order. PINN_TORCH_SEARCH=env,python,system,cache limits and orders them. */
export function sources(env = process.env) {
  const all = {
    env: () => [
      env.LIBTORCH && { source: 'LIBTORCH', dirs: underPrefix(env.LIBTORCH) },
      env.Torch_DIR && { source: 'Torch_DIR', dirs: [env.Torch_DIR] },
      ...(env.CMAKE_PREFIX_PATH ?? '').split(delimiter).filter(Boolean).map((p) => ({ source: `CMAKE_PREFIX_PATH entry ${p}`, dirs: underPrefix(p) })),
    ].filter(Boolean),
    python: pythonPrefixes,
    system: () => [{ source: 'system locations', dirs: systemDirs() }],
    cache: () => {
      const dirs = cachedDirs(env);
      return [{ source: 'pinn-torch download cache', dirs, note: dirs.length ? undefined : `nothing downloaded in ${cacheRoot(env)}` }];
    },
  };
  const order = (env.PINN_TORCH_SEARCH ?? 'env,python,system,cache').split(',').map((s) => s.trim()).filter((s) => s in all);
  return order.flatMap((name) => all[name]());
}

/** { torchDir, source } for the first LibTorch found, or { tried: [...] } describing every miss. */
export function findLibTorch(env = process.env) {
  const tried = [];
  for (const { source, dirs, note } of sources(env)) {
    if (note) tried.push(`${source}: ${note}`);
    for (const dir of dirs) {
      if (existsSync(configIn(dir))) return { torchDir: dir, source, tried };
      tried.push(`${source}: ${dir} (no TorchConfig.cmake)`);
    }
  }
  return { torchDir: null, source: null, tried };
}

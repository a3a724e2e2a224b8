#!/usr/bin/env node
// `npm install` runs this. In order:
//   1. find LibTorch (LIBTORCH — an unpacked LibTorch or a PyTorch wheel —, Torch_DIR,
//      CMAKE_PREFIX_PATH, a Python torch, system, the cache: archives, unpacked wheels, wheels);
//   2. a prebuilt binary for this platform built against that LibTorch's major.minor (any, when
//      none was found) that loads here → done, no compiler needed;
//   3. none found → obtain one: apt on Debian/Ubuntu, else the official archive (SHA-256 checked);
//      a wheel found is unpacked once into the cache;
//   4. build native/ with cmake-js against it.
// Opt-outs: PINN_TORCH_NO_APT=1, PINN_TORCH_NO_DOWNLOAD=1, PINN_TORCH_SKIP_INSTALL=1 (do nothing),
// PINN_TORCH_BUILD_FROM_SOURCE=1 (ignore prebuilt), PINN_TORCH_BUILD_DIR (default build/). Flags: --build (always compile), --find (print only).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLibTorch, locateLibTorch } from './libtorch/find.mjs';
import { readBuildStamp } from './libtorch/binary.mjs';
import { majorMinor, versionAtTorchDir } from './libtorch/version.mjs';
import { cacheRoot } from './libtorch/paths.mjs';
import { APT_PACKAGES, aptInstall, aptUsable, installed } from './libtorch/apt.mjs';
import { archiveSpec, downloadLibTorch } from './libtorch/download.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const args = new Set(process.argv.slice(2));
const log = (msg) => console.log(msg);
const on = (name) => env[name] === '1' || env[name] === 'true';

class InstallError extends Error {}

/** Loads a .node in a child process, so a bad binary cannot take this process down. */
function loads(binary) {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(binary)})`], { encoding: 'utf8' });
  if (r.status === 0) return null;
  const lines = (r.stderr || '').split('\n');
  return lines.find((l) => /LibTorch mismatch/.test(l)) ?? lines.find((l) => /Error/.test(l)) ?? 'failed to load';
}

/**
 * prebuilds/<platform>-<arch>/libtorch-<x.y>/: one binary per LibTorch major.minor. With a LibTorch
 * found (version known), only the prebuild for its major.minor is eligible; with none, any that
 * loads. The one used is recorded in `selected`, which the loader tries first.
 */
function usePrebuilt(version) {
  const base = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  if (!existsSync(base)) return false;
  const want = majorMinor(version);
  const dirs = readdirSync(base).filter((d) => /^libtorch-\d+\.\d+$/.test(d) && existsSync(join(base, d, 'pinn_torch.node')))
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  const eligible = want ? dirs.filter((d) => d === `libtorch-${want}`) : dirs;
  if (dirs.length && !eligible.length) {
    log(`pinn-torch: no prebuilt binary for LibTorch ${want} (prebuilt for ${dirs.map((d) => d.slice(9)).join(', ')}); building from source`);
    return false;
  }
  for (const d of eligible) {
    const binary = join(base, d, 'pinn_torch.node');
    const built = readBuildStamp(binary)?.torchVersion ?? d.slice(9);
    const problem = loads(binary);
    if (problem) {
      log(`pinn-torch: prebuilt binary ${binary} (LibTorch ${built}) does not load here: ${problem}`);
      continue;
    }
    try {
      writeFileSync(join(base, 'selected'), `${d}\n`);
    } catch {
      // read-only package folder: the loader then tries the newest first
    }
    log(`pinn-torch: using prebuilt binary ${binary} (LibTorch ${built}); nothing to compile`);
    return true;
  }
  return false;
}

async function obtainLibTorch(tried) {
  const aptProblem = on('PINN_TORCH_NO_APT') ? 'disabled by PINN_TORCH_NO_APT' : aptUsable();
  if (!aptProblem) {
    log('pinn-torch: LibTorch not found; installing it with apt (opt out: PINN_TORCH_NO_APT=1)');
    aptInstall(APT_PACKAGES, log);
    const found = findLibTorch(env);
    if (found.torchDir) return found;
    tried.push('apt: installed libtorch-dev, but its CMake config was still not found');
  } else {
    tried.push(`apt: ${aptProblem}`);
  }
  if (on('PINN_TORCH_NO_DOWNLOAD')) {
    tried.push('download: disabled by PINN_TORCH_NO_DOWNLOAD');
    return null;
  }
  let spec;
  try {
    spec = archiveSpec(env);
  } catch (e) {
    tried.push(`download: ${e.message}`);
    return null;
  }
  log(`pinn-torch: LibTorch not found; downloading ${spec.name === 'custom' ? 'it from PINN_TORCH_LIBTORCH_URL' : `the official ${spec.name} archive`} (opt out: PINN_TORCH_NO_DOWNLOAD=1)`);
  try {
    const dir = await downloadLibTorch(spec, { env, log });
    const torchDir = join(dir, 'libtorch', 'share', 'cmake', 'Torch');
    return { torchDir, version: versionAtTorchDir(torchDir), source: `download (${spec.url})` };
  } catch (e) {
    tried.push(`download: ${e.message}`);
    return null;
  }
}

// What Debian's LibTorch wants beside it, and what goes without each.
const DEBIAN_EXTRAS = [
  ['libopenblas0-pthread', 'matmul uses the reference BLAS (15-30x slower)'],
  ['libgloo-dev', 'the addon builds without collectives (pinn.distributed cannot train across processes)'],
  ['libxsmm-dev', 'the derivative engine\'s tall-by-small matrix products run on OpenBLAS through ATen (a PINN step 5-17 % slower)'],
];

/** Debian's LibTorch links the netlib reference BLAS unless OpenBLAS provides libblas.so.3, and its c10d headers include Gloo's. */
function ensureDebianExtras(torchDir) {
  if (!torchDir.startsWith('/usr/lib/') || !existsSync('/etc/debian_version')) return;
  const missing = DEBIAN_EXTRAS.filter(([pkg]) => !installed(pkg));
  if (missing.length === 0) return;
  const problem = on('PINN_TORCH_NO_APT') ? 'PINN_TORCH_NO_APT is set' : aptUsable();
  if (problem) {
    for (const [pkg, without] of missing) log(`pinn-torch: WARNING: ${pkg} is not installed, so ${without}; install it with: apt-get install ${pkg} (${problem})`);
  } else {
    aptInstall(missing.map(([pkg]) => pkg), log);
  }
}

function build(torchDir, version) {
  const cmakeJs = join(dirname(createRequire(import.meta.url).resolve('cmake-js/package.json')), 'bin', 'cmake-js');
  const cmake = spawnSync('cmake', ['--version'], { stdio: 'ignore' });
  if (cmake.status !== 0) {
    throw new InstallError('cmake is needed to build pinn-torch from source but was not found: install it ' +
      '(Debian/Ubuntu: apt-get install cmake g++), or use a platform with a prebuilt binary');
  }
  log(`pinn-torch: building the native addon against LibTorch ${version ?? '(version unknown)'} at ${torchDir} (cmake-js; ~1-3 min)`);
  const out = resolve(root, env.PINN_TORCH_BUILD_DIR ?? 'build');
  const jobs = env.PINN_TORCH_BUILD_JOBS ? ['--parallel', env.PINN_TORCH_BUILD_JOBS] : [];
  const r = spawnSync(process.execPath, [cmakeJs, 'compile', '--directory', root, '--out', out, ...jobs, `--CDTorch_DIR=${torchDir}`], {
    stdio: 'inherit', cwd: root,
  });
  if (r.status !== 0) throw new InstallError(`building the native addon failed (cmake-js exit ${r.status}); see the compiler output above`);
  const binary = join(out, 'Release', 'pinn_torch.node');
  const problem = loads(binary);
  if (problem) throw new InstallError(`the freshly built ${binary} does not load: ${problem}`);
  log(`pinn-torch: built ${binary}`);
}

async function main() {
  if (on('PINN_TORCH_SKIP_INSTALL')) return log('pinn-torch: PINN_TORCH_SKIP_INSTALL is set; not building');
  const wantBuild = args.has('--build') || on('PINN_TORCH_BUILD_FROM_SOURCE');
  // A wheel's version is in its name (torch-2.13.0+cpu-…): no need to unpack it to pick a prebuild.
  const first = findLibTorch(env);
  const firstVersion = first.version ?? first.wheel?.match(/torch-(\d+\.\d+\.\d+)/)?.[1] ?? null;
  if (args.has('--find')) {
    if (first.torchDir) log(`pinn-torch: found LibTorch ${first.version ?? ''} via ${first.source}: ${first.torchDir}`);
    else if (first.wheel) log(`pinn-torch: found LibTorch ${firstVersion ?? ''} via ${first.source}: to be unpacked into the cache`);
    else log(`pinn-torch: LibTorch not found. Looked in:\n  ${first.tried.join('\n  ')}`);
    return;
  }
  if (!wantBuild && usePrebuilt(firstVersion)) return;

  let found = first.wheel ? await locateLibTorch(env, log) : first;
  const tried = [...found.tried];
  if (found.torchDir) log(`pinn-torch: found LibTorch ${found.version ?? ''} via ${found.source}: ${found.torchDir}`);
  if (!found.torchDir) found = (await obtainLibTorch(tried)) ?? found;
  if (!found.torchDir) {
    throw new InstallError('pinn-torch: could not find or obtain LibTorch. Looked in:\n  ' + tried.join('\n  ') +
      '\nTo fix, one of:\n' +
      '  - set LIBTORCH=/path/to/libtorch (an unpacked LibTorch, CPU or CUDA) and run `npm rebuild pinn-torch`;\n' +
      '  - set LIBTORCH=/path/to/torch-2.x-….whl (a PyTorch wheel: its LibTorch is unpacked into the cache), or put the\n' +
      `    wheel in ${cacheRoot(env)}, and run \`npm rebuild pinn-torch\`;\n` +
      '  - on Debian/Ubuntu as root: apt-get install libtorch-dev libopenblas0-pthread libgloo-dev libxsmm-dev;\n' +
      '  - pip install torch (its CMake config is found through python3);\n' +
      '  - set PINN_TORCH_LIBTORCH_URL and PINN_TORCH_LIBTORCH_SHA256 to an archive to download.');
  }
  ensureDebianExtras(found.torchDir);
  build(found.torchDir, found.version);
}

main().catch((e) => {
  console.error(e instanceof InstallError ? e.message : e.stack ?? String(e));
  process.exit(1);
});

#!/usr/bin/env node
// `npm install` runs this. In order:
//   1. a prebuilt binary for this platform that loads here → done, no compiler needed;
//   2. find LibTorch (LIBTORCH, Torch_DIR, CMAKE_PREFIX_PATH, a Python torch, system, cache);
//   3. none found → obtain one: apt on Debian/Ubuntu, else the official archive (SHA-256 checked);
//   4. build native/ with cmake-js against it.
// Opt-outs: PINN_TORCH_NO_APT=1, PINN_TORCH_NO_DOWNLOAD=1, PINN_TORCH_SKIP_INSTALL=1 (do nothing),
// PINN_TORCH_BUILD_FROM_SOURCE=1 (ignore prebuilt), PINN_TORCH_BUILD_DIR (default build/). Flags: --build (always compile), --find (print only).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLibTorch } from './libtorch/find.mjs';
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
  return r.status === 0 ? null : (r.stderr || '').split('\n').find((l) => /Error/.test(l)) ?? 'failed to load';
}

function usePrebuilt() {
  const dir = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  const binary = join(dir, 'pinn_torch.node');
  if (!existsSync(binary)) return false;
  const info = existsSync(join(dir, 'pinn_torch.json')) ? JSON.parse(readFileSync(join(dir, 'pinn_torch.json'), 'utf8')) : {};
  const problem = loads(binary);
  if (problem) {
    log(`pinn-torch: prebuilt binary ${binary} (LibTorch ${info.torchVersion ?? '?'}) does not load here: ${problem}`);
    return false;
  }
  log(`pinn-torch: using prebuilt binary ${binary} (LibTorch ${info.torchVersion ?? '?'}); nothing to compile`);
  return true;
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
    return { torchDir: join(dir, 'libtorch', 'share', 'cmake', 'Torch'), source: `download (${spec.url})` };
  } catch (e) {
    tried.push(`download: ${e.message}`);
    return null;
  }
}

/** Debian's LibTorch links the netlib reference BLAS unless OpenBLAS provides libblas.so.3. */
function ensureFastBlas(torchDir) {
  if (!torchDir.startsWith('/usr/lib/') || !existsSync('/etc/debian_version') || installed('libopenblas0-pthread')) return;
  const problem = on('PINN_TORCH_NO_APT') ? 'PINN_TORCH_NO_APT is set' : aptUsable();
  if (problem) {
    log('pinn-torch: WARNING: libopenblas0-pthread is not installed, so matmul uses the reference BLAS (15-30x slower); ' +
      `install it with: apt-get install libopenblas0-pthread (${problem})`);
  } else {
    aptInstall(['libopenblas0-pthread'], log);
  }
}

function build(torchDir) {
  const cmakeJs = join(dirname(createRequire(import.meta.url).resolve('cmake-js/package.json')), 'bin', 'cmake-js');
  const cmake = spawnSync('cmake', ['--version'], { stdio: 'ignore' });
  if (cmake.status !== 0) {
    throw new InstallError('cmake is needed to build pinn-torch from source but was not found: install it ' +
      '(Debian/Ubuntu: apt-get install cmake g++), or use a platform with a prebuilt binary');
  }
  log(`pinn-torch: building the native addon against ${torchDir} (cmake-js; ~30-60 s)`);
  const out = env.PINN_TORCH_BUILD_DIR ?? join(root, 'build');
  const r = spawnSync(process.execPath, [cmakeJs, 'compile', '--directory', root, '--out', out, `--CDTorch_DIR=${torchDir}`], {
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
  if (!wantBuild && !args.has('--find') && usePrebuilt()) return;

  let found = findLibTorch(env);
  const tried = [...found.tried];
  if (found.torchDir) log(`pinn-torch: found LibTorch via ${found.source}: ${found.torchDir}`);
  if (args.has('--find')) {
    if (!found.torchDir) log(`pinn-torch: LibTorch not found. Looked in:\n  ${tried.join('\n  ')}`);
    return;
  }
  if (!found.torchDir) found = (await obtainLibTorch(tried)) ?? found;
  if (!found.torchDir) {
    throw new InstallError('pinn-torch: could not find or obtain LibTorch. Looked in:\n  ' + tried.join('\n  ') +
      '\nTo fix, one of:\n' +
      '  - set LIBTORCH=/path/to/libtorch (an unpacked LibTorch, CPU or CUDA) and run `npm rebuild pinn-torch`;\n' +
      '  - on Debian/Ubuntu as root: apt-get install libtorch-dev libopenblas0-pthread;\n' +
      '  - pip install torch (its CMake config is found through python3);\n' +
      '  - set PINN_TORCH_LIBTORCH_URL and PINN_TORCH_LIBTORCH_SHA256 to an archive to download.');
  }
  ensureFastBlas(found.torchDir);
  build(found.torchDir);
}

main().catch((e) => {
  console.error(e instanceof InstallError ? e.message : e.stack ?? String(e));
  process.exit(1);
});

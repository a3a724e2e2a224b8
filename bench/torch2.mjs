#!/usr/bin/env node
// Finds a Python that imports PyTorch ≥ 2 for the bench's second peer column.
//   node bench/torch2.mjs          prints what it found (or what is missing) and the command to use
// In order: PINN_TORCH_BENCH_PYTHON (used as given, checked); a python3 on PATH that already
// imports torch ≥ 2; a PyTorch 2.x wheel (LIBTORCH when it names one, /opt/wheels, the
// pinn-torch cache), unpacked once into the cache as scripts/install.mjs does, run by a Python
// of the wheel's tag (cp311 → python3.11 on PATH or under pyenv) with the unpacked wheel on
// PYTHONPATH. torch's own dependencies the Python lacks are taken, one package folder at a time,
// from Debian's /usr/lib/python3/dist-packages (python3-filelock, python3-fsspec) through a
// folder of links; never that whole folder, which holds Debian's own torch 1.x.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot } from '../scripts/libtorch/paths.mjs';
import { isWheel, unpackWheel, wheelTarget } from '../scripts/libtorch/wheel.mjs';

/** What torch 2.x imports at start-up (its wheel's Requires-Dist, less setuptools: only cpp_extension needs it). */
export const TORCH2_DEPENDENCIES = ['typing_extensions', 'sympy', 'networkx', 'jinja2', 'filelock', 'fsspec'];
const DEBIAN_PACKAGES = '/usr/lib/python3/dist-packages';

const PROBE = 'import json, platform, torch; print(json.dumps({"torch": torch.__version__, "python": platform.python_version()}))';

/** Runs `python -c PROBE` under env; { torch, python } or { error } (the last line of its stderr). */
function probe(python, env) {
  const r = spawnSync(python, ['-c', PROBE], { env, encoding: 'utf8', timeout: 120_000 });
  if (r.error) return { error: r.error.code === 'ENOENT' ? `${python}: no such program` : r.error.message };
  if (r.status !== 0) return { error: (r.stderr || '').trim().split('\n').at(-1) || `exit ${r.status}` };
  try {
    return JSON.parse(r.stdout.trim().split('\n').at(-1));
  } catch {
    return { error: `unexpected output: ${r.stdout.slice(0, 200)}` };
  }
}

const major = (version) => Number(String(version).split('.')[0]);

/** Wheels of torch 2.x this machine holds, newest name first. */
function torch2Wheels(env) {
  const dirs = ['/opt/wheels', cacheRoot(env)];
  const found = isWheel(env.LIBTORCH) && existsSync(env.LIBTORCH) ? [env.LIBTORCH] : [];
  for (const d of dirs) {
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) if (/^torch-2\.[^/]*\.whl$/i.test(f)) found.push(join(d, f));
  }
  return found.filter((w) => /(^|\/)torch-2\./.test(w)).sort((a, b) => basename(b).localeCompare(basename(a), 'en', { numeric: true }));
}

/**
 * A Python whose version matches the wheel's tag (cp311 → 3.11): pyenv's first, whose
 * site-packages hold no torch of their own, then PATH (where Debian's python3.11 would also
 * see Debian's torch 1.x behind the wheel on PYTHONPATH).
 */
function pythonFor(wheel, env) {
  const tag = basename(wheel).match(/-cp(\d)(\d+)-/);
  if (!tag) return null;
  const version = `${tag[1]}.${tag[2]}`;
  const candidates = [];
  const pyenv = join(env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  if (existsSync(pyenv)) {
    for (const v of readdirSync(pyenv).filter((v) => v.startsWith(`${version}.`)).sort().reverse()) {
      candidates.push(join(pyenv, v, 'bin', `python${version}`));
    }
  }
  // pyenv's shims pick a version by the current folder's settings: its real interpreters are above.
  for (const dir of (env.PATH ?? '').split(delimiter).filter((d) => d && !d.includes('/shims'))) candidates.push(join(dir, `python${version}`));
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** Which of torch's dependencies `python` cannot import (with PYTHONPATH as given). */
function missingModules(python, pythonPath) {
  const script = `import importlib.util, json; print(json.dumps([m for m in ${JSON.stringify(TORCH2_DEPENDENCIES)} if importlib.util.find_spec(m) is None]))`;
  const r = spawnSync(python, ['-c', script], { env: { ...process.env, PYTHONPATH: pythonPath }, encoding: 'utf8' });
  return r.status === 0 ? JSON.parse(r.stdout.trim()) : TORCH2_DEPENDENCIES;
}

/**
 * A folder of links to single packages of Debian's dist-packages (never the whole folder):
 * built beside, then renamed into place, so a crash leaves no half-made folder.
 */
function debianShim(modules, env) {
  const usable = modules.filter((m) => existsSync(join(DEBIAN_PACKAGES, m)));
  if (!usable.length) return null;
  const dir = join(cacheRoot(env), `torch2-deps-${usable.sort().join('-')}`);
  if (existsSync(dir)) return { dir, modules: usable };
  mkdirSync(cacheRoot(env), { recursive: true });
  const tmp = `${dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  for (const m of usable) symlinkSync(join(DEBIAN_PACKAGES, m), join(tmp, m));
  try {
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir)) throw e;
  }
  return { dir, modules: usable };
}

/**
 * Finds PyTorch ≥ 2. Returns { python, env, torch, pythonVersion, source } to spawn it with, or
 * { note } saying why there is none (what is missing and how to get it).
 */
export async function findTorch2({ env = process.env, log = () => {} } = {}) {
  if (env.PINN_TORCH_BENCH_PYTHON) {
    const python = env.PINN_TORCH_BENCH_PYTHON;
    const found = probe(python, env);
    if (found.error) return { note: `PINN_TORCH_BENCH_PYTHON=${python} cannot import torch (${found.error})` };
    if (major(found.torch) < 2) return { note: `PINN_TORCH_BENCH_PYTHON=${python} has torch ${found.torch}, not 2.x` };
    return { python, env: { ...env }, torch: found.torch, pythonVersion: found.python, source: 'PINN_TORCH_BENCH_PYTHON' };
  }
  for (const python of ['python3', 'python']) {
    const found = probe(python, env);
    if (!found.error && major(found.torch) >= 2) return { python, env: { ...env }, torch: found.torch, pythonVersion: found.python, source: `${python} on PATH` };
  }
  const wheels = torch2Wheels(env);
  if (!wheels.length) return { note: 'no Python with torch ≥ 2 and no torch-2.x wheel (in /opt/wheels, the pinn-torch cache or LIBTORCH); set PINN_TORCH_BENCH_PYTHON' };
  const problems = [];
  for (const wheel of wheels) {
    const python = pythonFor(wheel, env);
    if (!python) { problems.push(`${basename(wheel)} needs a Python ${basename(wheel).match(/-cp(\d)(\d+)-/)?.slice(1).join('.') ?? '?'} (none on PATH or under pyenv)`); continue; }
    await unpackWheel(wheel, { env, log }); // the whole wheel: its torch/ is both the LibTorch and the Python package
    const site = wheelTarget(wheel, env);
    let path = [site];
    let missing = missingModules(python, path.join(delimiter));
    const shim = missing.length ? debianShim(missing, env) : null;
    if (shim) { path.push(shim.dir); missing = missing.filter((m) => !shim.modules.includes(m)); }
    if (missing.length) {
      problems.push(`${basename(wheel)} with ${python}: missing Python package(s) ${missing.join(', ')} ` +
        `(apt-get install ${missing.map((m) => `python3-${m.replace(/_/g, '-')}`).join(' ')}, or pip install them for ${python})`);
      continue;
    }
    const runEnv = { ...env, PYTHONPATH: [...path, env.PYTHONPATH].filter(Boolean).join(delimiter) };
    const found = probe(python, runEnv);
    if (found.error) { problems.push(`${basename(wheel)} with ${python}: import torch fails (${found.error})`); continue; }
    return { python, env: runEnv, torch: found.torch, pythonVersion: found.python, source: `${basename(wheel)} unpacked in ${site}` };
  }
  return { note: `no usable PyTorch 2.x: ${problems.join('; ')}` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = await findTorch2({ log: console.log });
  if (found.note) {
    console.log(found.note);
    process.exit(1);
  }
  console.log(`PyTorch ${found.torch} on Python ${found.pythonVersion} (${found.source})`);
  console.log(`PYTHONPATH=${found.env.PYTHONPATH ?? ''} ${found.python}`);
}

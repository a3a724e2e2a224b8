// The LibTorch a binary was built against is the one it runs with: config() names the one loaded,
// and a binary meeting another LibTorch version is refused with one clear message — never a
// "symbol lookup error" that kills the process at its first op. Child processes run dist/
// (built by `npm ci`'s prepare step, or `npm run build`) with PINN_TORCH_BINARY set.
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as pt from '../src/index.js';
import { candidateBinaries, prebuiltBinaries } from '../src/loader.js';
import { readBuildStamp, resolvedLibTorch } from '../scripts/libtorch/binary.mjs';
import { majorMinor, versionOfLibrary } from '../scripts/libtorch/version.mjs';
// @ts-expect-error plain ESM script without type declarations
import { cacheRoot } from '../scripts/libtorch/paths.mjs';

const root = resolve(__dirname, '..');
const DIST = join(root, 'dist', 'index.js');
const work = mkdtempSync(join(tmpdir(), 'pinn-torch-libtorch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The binary these tests run on: the one this process loaded. */
const binary = pt.config().binary;
const built = pt.config().libtorch.builtAgainst.version;

/** Imports dist/ in a child with PINN_TORCH_BINARY=binary and runs one op. */
function runChild(env: Record<string, string>) {
  const script = `import * as pt from ${JSON.stringify(DIST)}; const c = pt.config();` +
    'console.log(JSON.stringify({ libtorch: c.libtorch, v: pt.tensor([1, 2, 3]).mul(2).sum().item() }));';
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, PINN_TORCH_BINARY: binary, ...env }, encoding: 'utf8', timeout: 120_000,
  });
}

/** The LibTorch shared libraries ldd resolves for the binary: NEEDED name → path. */
function torchLibs(bin: string): Map<string, string> {
  const r = spawnSync('ldd', [bin], { encoding: 'utf8' });
  const libs = new Map<string, string>();
  for (const line of (r.stdout ?? '').split('\n')) {
    const m = line.trim().match(/^(\S+)\s+=>\s+(\/\S+)/);
    if (m && /^lib(torch|c10)/.test(m[1])) libs.set(m[1], m[2]);
  }
  return libs;
}

function expectClearRefusal(r: ReturnType<typeof runChild>, loadedVersion: RegExp) {
  const out = r.stdout + r.stderr;
  expect(r.signal, out).toBe(null); // not killed
  expect(r.status, out).not.toBe(0);
  expect(out).not.toMatch(/symbol lookup error/);
  expect(out).toMatch(/pinn-torch: LibTorch mismatch: /);
  expect(out).toContain(`was built against LibTorch ${built}`);
  expect(out).toMatch(new RegExp(`the LibTorch that loads here is ${loadedVersion.source}`));
  expect(out).toMatch(/npm rebuild pinn-torch/);
  expect(out).toMatch(/unset LD_LIBRARY_PATH/);
}

describe('the LibTorch loaded', () => {
  it('config() names the LibTorch loaded (version, path) and the one built against, the same major.minor', () => {
    const c = pt.config().libtorch;
    expect(c.version).toMatch(/^\d+\.\d+/);
    expect(c.path).toMatch(/libtorch_cpu/);
    expect(existsSync(c.path!)).toBe(true);
    expect(majorMinor(c.builtAgainst.version)).toBe(majorMinor(c.version));
    expect(versionOfLibrary(c.path!)).toBe(c.version);
    // The build stamp in the file says the same without loading it.
    expect(readBuildStamp(binary)?.torchVersion).toBe(c.builtAgainst.version);
    expect(resolvedLibTorch(binary)?.version).toBe(c.version);
  });

  it('PINN_TORCH_BINARY, when set, is the only binary tried', () => {
    const before = process.env.PINN_TORCH_BINARY;
    process.env.PINN_TORCH_BINARY = '/nonexistent/pinn_torch.node';
    try {
      expect(candidateBinaries()).toEqual(['/nonexistent/pinn_torch.node']);
    } finally {
      if (before === undefined) delete process.env.PINN_TORCH_BINARY;
      else process.env.PINN_TORCH_BINARY = before;
    }
  });

  it('prebuilds: one per LibTorch major.minor, the install\'s choice first, then the newest', () => {
    const dir = join(work, 'pkg', 'prebuilds', `${process.platform}-${process.arch}`);
    for (const d of ['libtorch-1.13', 'libtorch-2.13', 'libtorch-2.5', 'not-a-prebuild']) mkdirSync(join(dir, d), { recursive: true });
    const names = () => prebuiltBinaries(join(work, 'pkg')).map((p) => basename(dirname(p)));
    expect(names()).toEqual(['libtorch-2.13', 'libtorch-2.5', 'libtorch-1.13', `${process.platform}-${process.arch}`]);
    writeFileSync(join(dir, 'selected'), 'libtorch-1.13\n');
    expect(names()).toEqual(['libtorch-1.13', 'libtorch-2.13', 'libtorch-2.5', `${process.platform}-${process.arch}`]);
  });
});

describe.skipIf(process.platform !== 'linux')('a LibTorch other than the one built against is refused', () => {
  it.skipIf(!existsSync(DIST))('the same library files under another version number: refused at load, before any op', (ctx) => {
    // Hard links keep the real libraries (every symbol binds) but place them in a folder whose
    // CMake config declares another version: only the version check can catch this one.
    const libs = torchLibs(binary);
    const lib = join(work, 'relabelled', 'lib');
    mkdirSync(lib, { recursive: true });
    try {
      for (const [name, path] of libs) linkSync(realpathSync(path), join(lib, name));
    } catch (e) {
      ctx.skip(`cannot hard-link LibTorch's libraries into ${lib} (${(e as Error).message}); this check needs them on the same file system`);
    }
    mkdirSync(join(lib, '..', 'share', 'cmake', 'Torch'), { recursive: true });
    writeFileSync(join(lib, '..', 'share', 'cmake', 'Torch', 'TorchConfigVersion.cmake'), 'set(PACKAGE_VERSION "0.1.0")\n');
    const r = runChild({ LD_LIBRARY_PATH: lib });
    expectClearRefusal(r, /0\.1\.0/);
  });

  // Another LibTorch on this machine with another major.minor: Debian's, a wheel or archive in the cache, $LIBTORCH.
  function otherLibTorch(): { dir: string; version: string } | null {
    const dirs = [`/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`];
    if (existsSync(cacheRoot())) {
      for (const d of readdirSync(cacheRoot())) dirs.push(join(cacheRoot(), d, 'torch', 'lib'), join(cacheRoot(), d, 'libtorch', 'lib'));
    }
    if (process.env.LIBTORCH) dirs.push(join(process.env.LIBTORCH, 'lib'));
    for (const dir of dirs) {
      const cpu = existsSync(dir) ? readdirSync(dir).find((f) => /^libtorch_cpu\.so/.test(f)) : undefined;
      const version = cpu ? versionOfLibrary(join(dir, cpu)) : null;
      if (version && majorMinor(version) !== majorMinor(built)) return { dir, version };
    }
    return null;
  }

  it.skipIf(!existsSync(DIST))('a binary built against one LibTorch, loaded with another: one clear message, no crash', (ctx) => {
    const other = otherLibTorch();
    if (!other) {
      return ctx.skip(`no second LibTorch (a major.minor other than ${built}) on this machine: looked at Debian's, the ` +
        `cache ${cacheRoot()} and $LIBTORCH (CI unpacks the PyTorch 2.x wheel there)`);
    }
    // A folder that answers the binary's library names with the other LibTorch's files.
    const lib = join(work, 'other', 'lib');
    mkdirSync(lib, { recursive: true });
    const files = readdirSync(other.dir);
    for (const name of torchLibs(binary).keys()) {
      const base = name.replace(/\.so.*$/, '');
      const target = files.filter((f) => f.startsWith(`${base}.so`)).sort((a, b) => a.length - b.length)[0];
      if (target) symlinkSync(join(other.dir, target), join(lib, name));
    }
    const r = runChild({ LD_LIBRARY_PATH: `${lib}:${other.dir}` });
    expectClearRefusal(r, new RegExp(other.version.replace(/[.+]/g, '\\$&')));
  });
});

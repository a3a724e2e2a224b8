// `npm pack` ships one prebuilt binary per LibTorch major.minor built here: installed into an
// empty project, the one matching the LibTorch the install finds loads without any compiler.
// Every build tool on PATH is replaced by a trap that records being called.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { findLibTorch } from '../scripts/libtorch/find.mjs';
import { majorMinor } from '../scripts/libtorch/version.mjs';

const root = resolve(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'pinn-torch-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('npm pack → npm install in an empty dir → loads the prebuilt binary, no compiler invoked', () => {
  const quiet = { cwd: root, encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'pipe'] as any };
  execFileSync('npm', ['pack', '--pack-destination', work], { ...quiet, timeout: 240_000 });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  expect(tarball).toBeDefined();
  const listing = execFileSync('tar', ['-tzf', join(work, tarball!)], { encoding: 'utf8' });
  // The LibTorch the install will find (LIBTORCH when set, e.g. the 2.x wheel in CI's second run).
  const found = findLibTorch(process.env);
  const mm = majorMinor(found.version ?? found.wheel?.match(/torch-(\d+\.\d+)/)?.[1]);
  expect(mm, `no LibTorch found: ${found.tried.join('; ')}`).toMatch(/^\d+\.\d+$/);
  const prebuilt = `prebuilds/linux-x64/libtorch-${mm}/pinn_torch.node`;
  expect(listing).toContain(`package/${prebuilt}`);
  expect(listing).not.toMatch(/package\/prebuilds\/linux-x64\/pinn_torch\.node/); // one folder per LibTorch
  expect(listing).toMatch(/package\/dist\/index\.js/);
  expect(listing).not.toMatch(/package\/build\//);

  const traps = join(work, 'traps');
  const marker = join(work, 'compiler-was-called');
  mkdirSync(traps);
  for (const tool of ['cmake', 'make', 'ninja', 'cc', 'c++', 'gcc', 'g++', 'clang', 'clang++']) {
    writeFileSync(join(traps, tool), `#!/bin/sh\necho "$0 $*" >> ${marker}\nexit 1\n`);
    chmodSync(join(traps, tool), 0o755);
  }
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true }));
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${traps}:${process.env.PATH}`, CC: join(traps, 'cc'), CXX: join(traps, 'c++') };
  delete env.PINN_TORCH_BINARY; // the installed package must pick its own
  const log = execFileSync('npm', ['install', '--foreground-scripts', join(work, tarball!)], {
    cwd: app, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000,
  });
  expect(log).toContain(`using prebuilt binary ${join(app, 'node_modules', 'pinn-torch', prebuilt)}`);

  const out = execFileSync(process.execPath, ['--input-type=module', '-e',
    "import * as pt from 'pinn-torch'; console.log(JSON.stringify({ c: pt.config(), v: pt.tensor([1, 2, 3]).mul(2).sum().item() }))"],
  { cwd: app, env, encoding: 'utf8' });
  const { c, v } = JSON.parse(out);
  expect(c.binary).toBe(join(app, 'node_modules', 'pinn-torch', prebuilt));
  expect(majorMinor(c.libtorch.version)).toBe(mm);
  expect(majorMinor(c.libtorch.builtAgainst.version)).toBe(mm);
  expect(v).toBe(12);
  // The command line works from the same install: its own dependencies (zod, cli-progress, vega,
  // resvg) came with it, though the library's import graph holds none of them (import_graph.test.ts).
  const presets = execFileSync(join(app, 'node_modules', '.bin', 'pinn-torch'), ['presets'], { cwd: app, env, encoding: 'utf8' });
  expect(presets).toMatch(/^burgers\s/m);
  const bad = spawnSync(join(app, 'node_modules', '.bin', 'pinn-torch'), ['train', 'burgerz'], { cwd: app, env, encoding: 'utf8' });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/unknown preset 'burgerz'; did you mean 'burgers'\?/);
  expect(existsSync(marker)).toBe(false);
}, 480_000);

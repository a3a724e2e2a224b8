#!/usr/bin/env node
// `npm pack` (prepack) runs this: copies every built addon into
// prebuilds/<platform>-<arch>/libtorch-<major.minor>/ with a note of the LibTorch it was built
// against, so the tarball installs without a compiler wherever one of those LibTorch versions
// is found (scripts/install.mjs picks the matching one; src/loader.ts loads it).
// Builds considered: build/Release and build-*/Release (e.g. build-libtorch2/, a second LibTorch),
// plus $PINN_TORCH_BINARY; each is loaded in a child process first, and one per major.minor is kept
// (build/ first). prebuilds/<platform>-<arch>/ is rebuilt from scratch each time.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { majorMinor } from './libtorch/version.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const builds = [
  join(root, 'build', 'Release', 'pinn_torch.node'),
  ...readdirSync(root).filter((d) => /^build-/.test(d)).sort().map((d) => join(root, d, 'Release', 'pinn_torch.node')),
  ...(process.env.PINN_TORCH_BINARY ? [resolve(process.env.PINN_TORCH_BINARY)] : []),
].filter((p, i, all) => existsSync(p) && all.indexOf(p) === i);

/** buildInfo() of a binary, read in a child process (two LibTorch versions must not share one). */
function info(binary) {
  const r = spawnSync(process.execPath, ['-e', `console.log(JSON.stringify(require(${JSON.stringify(binary)}).buildInfo()))`], { encoding: 'utf8' });
  if (r.status !== 0) return { error: (r.stderr || '').split('\n').find((l) => /Error|mismatch/.test(l)) ?? `exit ${r.status}` };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const out = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
const chosen = new Map();
for (const binary of builds) {
  const i = info(binary);
  if (i.error) {
    console.warn(`prebuild: skipping ${binary}: it does not load here: ${i.error}`);
    continue;
  }
  const mm = majorMinor(i.torchVersion);
  if (!chosen.has(mm)) chosen.set(mm, { binary, info: i });
}
if (chosen.size === 0) {
  console.error(`prebuild: no built addon loads here (looked at: ${builds.join(', ') || 'none found'}); run \`npm run build:native\` first`);
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
for (const [mm, { binary, info: i }] of chosen) {
  const dir = join(out, `libtorch-${mm}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(binary, join(dir, 'pinn_torch.node'));
  writeFileSync(join(dir, 'pinn_torch.json'), JSON.stringify({
    torchVersion: i.torchVersion, torchLibDir: i.torchLibDir ?? null, cxx11Abi: i.cxx11Abi, compiler: i.compiler, napi: 8,
    builtFrom: binary, builtAt: new Date().toISOString(),
  }, null, 2) + '\n');
  console.log(`prebuild: ${join(dir, 'pinn_torch.node')} (LibTorch ${i.torchVersion}, from ${binary})`);
}

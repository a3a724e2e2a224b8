#!/usr/bin/env node
// Copies the built addon into prebuilds/<platform>-<arch>/ with a note of the LibTorch it
// was built against, so `npm pack` ships a binary that installs without a compiler.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'build', 'Release', 'pinn_torch.node');
if (!existsSync(built)) {
  console.error(`prebuild: ${built} does not exist; run \`npm run build:native\` first`);
  process.exit(1);
}
const info = createRequire(import.meta.url)(built).buildInfo();
const dir = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
mkdirSync(dir, { recursive: true });
copyFileSync(built, join(dir, 'pinn_torch.node'));
writeFileSync(join(dir, 'pinn_torch.json'), JSON.stringify({
  torchVersion: info.torchVersion, cxx11Abi: info.cxx11Abi, compiler: info.compiler, napi: 8,
  builtAt: new Date().toISOString(),
}, null, 2) + '\n');
console.log(`prebuild: ${join(dir, 'pinn_torch.node')} (LibTorch ${info.torchVersion})`);

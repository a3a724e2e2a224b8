// Finds and loads the native addon. Tried in order: $PINN_TORCH_BINARY, a source build
// (build/Release), then the prebuilt binary shipped for this platform. When none loads,
// one error lists every place tried, why it failed, and how to fix it.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The package root: src/ (tests) and dist/ (published) both sit one level below it. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function candidateBinaries(): string[] {
  const platform = `${process.platform}-${process.arch}`;
  const list = [
    join(packageRoot, 'build', 'Release', 'pinn_torch.node'),
    join(packageRoot, 'prebuilds', platform, 'pinn_torch.node'),
  ];
  if (process.env.PINN_TORCH_BINARY) list.unshift(resolve(process.env.PINN_TORCH_BINARY));
  return list;
}

export interface Loaded {
  binding: any;
  path: string;
}

export function loadBinding(): Loaded {
  const tried: string[] = [];
  for (const path of candidateBinaries()) {
    if (!existsSync(path)) {
      tried.push(`  ${path}: not found`);
      continue;
    }
    try {
      return { binding: require(path), path };
    } catch (e) {
      tried.push(`  ${path}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(
    'pinn-torch: could not load the native addon. Tried:\n' + tried.join('\n') +
      '\nTo fix: run `npm rebuild pinn-torch` (builds from source; set LIBTORCH=/path/to/libtorch if LibTorch is not ' +
      'found), or set PINN_TORCH_BINARY to a built pinn_torch.node. A "cannot open shared object file" error means ' +
      'LibTorch\'s libraries are not where the binary was built against: reinstall them or rebuild.',
  );
}

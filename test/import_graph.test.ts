// The library's import graph holds none of the CLI's own dependencies: `import 'pinn-torch'`
// (dist/index.js, what a program gets) must not load vega, vega-lite, resvg, zod or cli-progress.
// Each check imports in a fresh node and lists every module it resolved (scripts/import-cost.mjs).
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { CLI_ONLY, cliPackagesIn, importInChild } from '../scripts/import-cost.mjs';

const dist = resolve(__dirname, '../dist');
const url = (path: string) => pathToFileURL(join(dist, path)).href;

it("import 'pinn-torch' loads none of the CLI's dependencies", () => {
  const r = importInChild(url('index.js'), { trace: true });
  expect(r.loaded.some((u: string) => u.endsWith('/dist/index.js'))).toBe(true);
  expect(cliPackagesIn(r.loaded)).toEqual([]);
}, 60_000);

it('the check sees them where they are loaded (the CLI modules), so it is not vacuous', () => {
  const seen = new Set<string>();
  for (const m of ['cli/config.js', 'cli/plots.js', 'cli/progress.js']) for (const p of cliPackagesIn(importInChild(url(m), { trace: true }).loaded)) seen.add(p);
  expect([...seen].sort()).toEqual([...CLI_ONLY].sort());
}, 60_000);

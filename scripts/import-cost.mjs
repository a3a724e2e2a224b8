#!/usr/bin/env node
// What `import 'pinn-torch'` costs a program that only wants the library: wall time and resident
// memory right after the import (the median of N fresh processes), and which of the CLI's own
// dependencies came along (none should: they belong to `pinn-torch` the command, not the library).
//
//   node scripts/import-cost.mjs [runs=5] [--json]
//
// Each run is a new `node` that imports dist/index.js (build it first: npx tsc -p tsconfig.json).
// "import" is measured inside the child (performance.now() around the import); "process" is the
// child's whole life as the parent sees it (start-up, import, exit). RSS is read after the import.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Packages the command line uses and the library must not load. */
export const CLI_ONLY = ['vega', 'vega-lite', '@resvg/resvg-js', 'zod', 'cli-progress'];

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const entry = pathToFileURL(join(root, 'dist', 'index.js')).href;

/**
 * Imports `url` in a fresh node and returns { importMs, processMs, rss, loaded }. With `trace`,
 * `loaded` lists every module URL the import resolved (a resolve hook, registered with
 * module.register, appends each one to a file synchronously, so the list is complete when the
 * import settles) plus require.cache's keys; the hook runs on its own thread, so timings and RSS
 * are taken from runs without it.
 */
export function importInChild(url = entry, { trace = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pinn-import-'));
  try {
    const log = join(dir, 'resolved.txt');
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(hooks, `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}\n`);
    writeFileSync(log, '');
    const script = `
      import { register, createRequire } from 'node:module';
      ${trace ? `register(${JSON.stringify(pathToFileURL(hooks).href)});` : ''}
      const t0 = performance.now();
      await import(${JSON.stringify(url)});
      const importMs = performance.now() - t0;
      const rss = process.memoryUsage().rss;
      const cjs = Object.keys(createRequire(import.meta.url).cache);
      process.stdout.write(JSON.stringify({ importMs, rss, cjs }));`;
    const t0 = process.hrtime.bigint();
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
    const processMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const r = JSON.parse(out);
    const loaded = [...new Set([...readFileSync(log, 'utf8').split('\n').filter(Boolean), ...r.cjs])];
    return { importMs: r.importMs, processMs, rss: r.rss, loaded };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The CLI-only packages among module URLs or paths (matched on their node_modules folder). */
export function cliPackagesIn(loaded) {
  return CLI_ONLY.filter((p) => loaded.some((u) => u.includes(`/node_modules/${p}/`)));
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const runs = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 5);
  const json = process.argv.includes('--json');
  const all = Array.from({ length: runs }, () => importInChild());
  const traced = importInChild(entry, { trace: true });
  const result = {
    runs,
    importMs: median(all.map((r) => r.importMs)),
    processMs: median(all.map((r) => r.processMs)),
    rssMiB: median(all.map((r) => r.rss)) / 2 ** 20,
    modules: traced.loaded.length,
    cliPackagesLoaded: cliPackagesIn(traced.loaded),
  };
  if (json) console.log(JSON.stringify(result));
  else {
    console.log(`import 'pinn-torch' (dist/index.js), median of ${runs} fresh processes:`);
    console.log(`  import        ${result.importMs.toFixed(0)} ms`);
    console.log(`  whole process ${result.processMs.toFixed(0)} ms (node start-up, import, exit)`);
    console.log(`  RSS           ${result.rssMiB.toFixed(1)} MiB after the import`);
    console.log(`  modules       ${result.modules} resolved`);
    console.log(`  CLI-only packages loaded: ${result.cliPackagesLoaded.length ? result.cliPackagesLoaded.join(', ') : 'none'}`);
  }
}

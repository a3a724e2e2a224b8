// `mkdir -p` that always returns. Node's mkdirSync(path, { recursive: true }) loops forever when
// the parent exists but refuses the child with ENOENT (any path under /proc, Node 20), so a
// mistyped --out would hang the CLI; here each missing level is created on its own and the
// first refusal is the error.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function makeDirectory(path: string): void {
  const missing: string[] = [];
  let p = resolve(path);
  while (!existsSync(p)) {
    missing.push(p);
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  if (existsSync(p) && !statSync(p).isDirectory()) throw new Error(`ENOTDIR: not a directory: ${p} (making ${path})`);
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (e) {
      // Another process (a second rank, a second run) made it meanwhile: fine, if it is a directory.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw e;
    }
  }
}

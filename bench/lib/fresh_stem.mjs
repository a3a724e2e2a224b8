// A results file name not taken yet in `dir`: `stem`, else `stem-2`, `stem-3` …, so that a second
// run on the same day (another --suite or --only, a rerun) adds a report instead of replacing one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function freshStem(dir, stem, extensions = ['.md', '.json']) {
  for (let k = 1; ; k++) {
    const candidate = k === 1 ? stem : `${stem}-${k}`;
    if (!extensions.some((e) => existsSync(join(dir, candidate + e)))) return candidate;
  }
}

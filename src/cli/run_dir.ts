import { basename, join } from 'node:path';

/** runs/<config or preset name>-<UTC time>: where `train` writes when no --out is given. */
export function defaultRunDir(spec: string): string {
  const name = basename(spec).replace(/\.json$/, '');
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('runs', `${name}-${stamp}`);
}

// The problem list: every accuracy/problems/*.mjs, in a fixed order (easiest kinds first).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const PROBLEMS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'problems');

const ORDER = ['poisson-2d-cg', 'poisson-1d-ms', 'helmholtz', 'heat-2d-vc', 'wave-1d-c', 'wave-2d', 'advection', 'burgers', 'allen-cahn', 'kdv', 'kovasznay', 'inverse-burgers'];

/** Problem names, the known ones in ORDER, then any other file alphabetically. */
export function problemNames() {
  const files = readdirSync(PROBLEMS_DIR).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4));
  return [...ORDER.filter((n) => files.includes(n)), ...files.filter((n) => !ORDER.includes(n)).sort()];
}

/** `--only a,b` filtered and checked against the list (unknown names are an error naming the known ones). */
export function selectNames(only) {
  const all = problemNames();
  if (!only) return all;
  const wanted = only.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((n) => !all.includes(n));
  if (unknown.length) throw new Error(`unknown problem${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${all.join(', ')})`);
  return wanted;
}

export async function loadProblem(name) {
  const mod = await import(join(PROBLEMS_DIR, `${name}.mjs`));
  const p = mod.default;
  for (const k of ['name', 'kind', 'description', 'source', 'published', 'build']) {
    if (p?.[k] === undefined) throw new Error(`accuracy/problems/${name}.mjs: the default export lacks '${k}'`);
  }
  if (p.name !== name) throw new Error(`accuracy/problems/${name}.mjs: name '${p.name}' differs from the file name`);
  return p;
}

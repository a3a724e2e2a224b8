// Damage done to a checkpoint directory, as a fuzz arbitrary: truncated, flipped or deleted files,
// JSON or tensor bytes tampered with and their checksums made to match, a `latest` that names
// nothing or the wrong thing, half-written checkpoints beside the good ones, files of another
// network. Shared by the Trainer.resume and the CLI resume properties. The directory is one with
// checkpoints at steps 10, 20 and 30 (`latest` names step 30).
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

export const FILES = ['manifest.json', 'model.safetensors', 'points.safetensors', 'optimizer.safetensors', 'trainer.json', 'history.json'] as const;

export type Damage =
  | { kind: 'truncate'; file: string; at: number }
  | { kind: 'flip'; file: string; at: number; xor: number }
  | { kind: 'delete'; file: string }
  | { kind: 'tamperJson'; file: string; pick: number; value: unknown }
  | { kind: 'tamperBytes'; file: string; at: number; xor: number }
  | { kind: 'latest'; content: string }
  | { kind: 'halfWritten' }
  | { kind: 'foreign'; file: string };

/** Damages that must not stop a resume: the good checkpoint is still the one `latest` names. */
export const harmless = (d: Damage) => d.kind === 'halfWritten' || (d.kind === 'latest' && d.content === 'step-00000020\n');

const odd = fc.constantFrom<unknown>(-1, 0, 2.5, 1e308, -1e308, 2 ** 53 + 1, 'NaN', 'x', '', null, true, [], {}, [1, 2], { a: 1 }, '__delete__');

/** Damages to a checkpoint made of `files` (the CLI's checkpoints also hold its config and callbacks' state). */
export function damageTo(files: readonly string[]): fc.Arbitrary<Damage> {
  const file = fc.constantFrom(...files);
  const json = fc.constantFrom(...files.filter((f) => f.endsWith('.json')));
  const tensors = fc.constantFrom(...files.filter((f) => f.endsWith('.safetensors')));
  return fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), file, at: fc.double({ min: 0, max: 0.999, noNaN: true }) }),
    fc.record({ kind: fc.constant('flip' as const), file, at: fc.double({ min: 0, max: 0.999, noNaN: true }), xor: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant('delete' as const), file }),
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('tamperJson' as const), file: json, pick: fc.nat(), value: odd }) },
    fc.record({ kind: fc.constant('tamperBytes' as const), file: tensors, at: fc.double({ min: 0, max: 0.999, noNaN: true }), xor: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant('latest' as const), content: fc.constantFrom('', 'step-99999999\n', '../base\n', 'step-00000020\n', 'latest\n', 'manifest.json', '\u0000\u0001', 'step-00000030/../../x') }),
    fc.constant({ kind: 'halfWritten' as const }),
    fc.record({ kind: fc.constant('foreign' as const), file: fc.constantFrom('model.safetensors', 'optimizer.safetensors', 'trainer.json') }),
  );
}

export const damage = damageTo(FILES);

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Rewrites manifest.json so that `name`'s size and checksum match its (changed) bytes. */
function rehash(dir: string, name: string): void {
  const path = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8'));
  const b = readFileSync(join(dir, name));
  m.files[name] = { sha256: sha256(b), bytes: b.length };
  writeFileSync(path, JSON.stringify(m, null, 2));
}

/** Every leaf of a JSON value, as key paths, in a fixed order. */
function leaves(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (v && typeof v === 'object') {
    const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
    const out = entries.flatMap(([k, x]) => leaves(x, [...path, k]));
    return out.length ? out : [path];
  }
  return [path];
}

/** Applies `d` to `dir`'s step-30 checkpoint (`foreign`: a directory of another network's checkpoints); says what it did. */
export function apply(dir: string, d: Damage, foreign: string): string {
  const ck = join(dir, 'step-00000030');
  const at = (name: string, frac: number) => Math.floor(frac * readFileSync(join(ck, name)).length);
  switch (d.kind) {
    case 'truncate': truncateSync(join(ck, d.file), at(d.file, d.at)); return `${d.file} truncated`;
    case 'flip': case 'tamperBytes': {
      const b = readFileSync(join(ck, d.file));
      b[at(d.file, d.at)] ^= d.xor;
      writeFileSync(join(ck, d.file), b);
      if (d.kind === 'tamperBytes') rehash(ck, d.file);
      return `${d.file} byte changed`;
    }
    case 'delete': rmSync(join(ck, d.file)); return `${d.file} deleted`;
    case 'tamperJson': {
      const v = JSON.parse(readFileSync(join(ck, d.file), 'utf8'));
      const all = leaves(v), path = all[d.pick % all.length];
      if (path.length === 0) return 'nothing';
      let o = v;
      for (const k of path.slice(0, -1)) o = o[k];
      const last = path[path.length - 1];
      if (d.value === '__delete__') { if (Array.isArray(o)) o.splice(Number(last), 1); else delete o[last]; } else o[last] = d.value;
      writeFileSync(join(ck, d.file), JSON.stringify(v));
      if (d.file !== 'manifest.json') rehash(ck, d.file);
      return `${d.file} ${path.join('.')} = ${JSON.stringify(d.value)}`;
    }
    case 'latest': writeFileSync(join(dir, 'latest'), d.content); return `latest = ${JSON.stringify(d.content)}`;
    case 'halfWritten': {
      // What a process killed mid-save leaves: a temporary directory, and a step directory without its manifest.
      mkdirSync(join(dir, '.tmp-step-00000040-123'));
      writeFileSync(join(dir, '.tmp-step-00000040-123', 'model.safetensors'), readFileSync(join(ck, 'model.safetensors')).subarray(0, 100));
      mkdirSync(join(dir, 'step-00000040'));
      writeFileSync(join(dir, 'step-00000040', 'trainer.json'), '{"format":');
      return 'half-written checkpoints beside the good one';
    }
    case 'foreign': {
      cpSync(join(foreign, 'step-00000030', d.file), join(ck, d.file));
      rehash(ck, d.file);
      return `${d.file} of another network`;
    }
  }
}

/** Name → SHA-256 of every file of every checkpoint directory. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of readdirSync(dir).filter((n) => n.startsWith('step-'))) {
    for (const f of readdirSync(join(dir, d))) out[`${d}/${f}`] = sha256(readFileSync(join(dir, d, f)));
  }
  return out;
}

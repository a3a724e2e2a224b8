// Damaged checkpoint directories under Trainer.resume, each in its own process: truncated, flipped
// or deleted files, files tampered with and their checksums made to match, a `latest` that names
// nothing or the wrong thing, half-written checkpoints beside the good ones, and weights of another
// network. The properties: the process neither dies nor hangs; a resume either runs to the end or
// refuses with a one-line Error that says where; a refusal leaves every checkpoint as it was.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from '../../src/index.js';
import { baseSeed, runs } from './harness.js';

const CHILD = fileURLToPath(new URL('./checkpoint_run.mjs', import.meta.url));
const FILES = ['manifest.json', 'model.safetensors', 'points.safetensors', 'optimizer.safetensors', 'trainer.json', 'history.json'] as const;
const root = mkdtempSync(join(tmpdir(), 'pinn-ckpt-fuzz-'));
const base = join(root, 'base'), foreign = join(root, 'foreign');
let cases = 0;
const failures: { cls: string; detail: string; call: string }[] = [];

type Damage =
  | { kind: 'truncate'; file: string; at: number }
  | { kind: 'flip'; file: string; at: number; xor: number }
  | { kind: 'delete'; file: string }
  | { kind: 'tamperJson'; file: string; pick: number; value: unknown }
  | { kind: 'tamperBytes'; file: string; at: number; xor: number }
  | { kind: 'latest'; content: string }
  | { kind: 'halfWritten' }
  | { kind: 'foreign'; file: string };

/** Damages that must not stop a resume: the good checkpoint is still the one `latest` names. */
const harmless = (d: Damage) => d.kind === 'halfWritten' || (d.kind === 'latest' && d.content === 'step-00000020\n');

const file = fc.constantFrom(...FILES);
const json = fc.constantFrom('trainer.json', 'history.json', 'manifest.json');
const odd = fc.constantFrom<unknown>(-1, 0, 2.5, 1e308, -1e308, 2 ** 53 + 1, 'NaN', 'x', '', null, true, [], {}, [1, 2], { a: 1 }, '__delete__');
const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), file, at: fc.double({ min: 0, max: 0.999, noNaN: true }) }),
  fc.record({ kind: fc.constant('flip' as const), file, at: fc.double({ min: 0, max: 0.999, noNaN: true }), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), file }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tamperJson' as const), file: json, pick: fc.nat(), value: odd }) },
  fc.record({ kind: fc.constant('tamperBytes' as const), file: fc.constantFrom('model.safetensors', 'points.safetensors', 'optimizer.safetensors'), at: fc.double({ min: 0, max: 0.999, noNaN: true }), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('latest' as const), content: fc.constantFrom('', 'step-99999999\n', '../base\n', 'step-00000020\n', 'latest\n', 'manifest.json', '\u0000\u0001', 'step-00000030/../../x') }),
  fc.constant({ kind: 'halfWritten' as const }),
  fc.record({ kind: fc.constant('foreign' as const), file: fc.constantFrom('model.safetensors', 'optimizer.safetensors', 'trainer.json') }),
);

function child(mode: 'fresh' | 'resume', dir: string, hidden = 8): { status: number | null; signal: string | null; out: string; err: string; timedOut: boolean } {
  const r = spawnSync(process.execPath, [CHILD, mode, dir, String(hidden)], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, signal: r.signal, out: r.stdout, err: r.stderr, timedOut: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

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

function apply(dir: string, d: Damage): string {
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
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of readdirSync(dir).filter((n) => n.startsWith('step-'))) {
    for (const f of readdirSync(join(dir, d))) out[`${d}/${f}`] = sha256(readFileSync(join(dir, d, f)));
  }
  return out;
}

beforeAll(() => {
  for (const [dir, hidden] of [[base, 8], [foreign, 5]] as const) {
    const r = child('fresh', dir, hidden);
    if (r.status !== 0 || !JSON.parse(r.out).ok) throw new Error(`the base run failed: ${r.out} ${r.err}`);
  }
}, 120_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, `${JSON.stringify({ file: 'checkpoint', calls: cases, failures })}\n`, { flag: 'a' });
});

describe('damaged checkpoints: no crash, no hang, a clear refusal or a correct run, nothing lost', () => {
  it('Trainer.resume on a damaged checkpoint directory', () => {
    try {
      fc.assert(fc.property(fc.array(damage, { minLength: 1, maxLength: 2 }), (damages) => {
        const dir = join(root, `case-${cases++}`);
        cpSync(base, dir, { recursive: true });
        // A damage whose target an earlier one already destroyed (a deleted file, a manifest no longer JSON) is skipped.
        const what = damages.map((d) => { try { return apply(dir, d); } catch { return `(${d.kind} skipped)`; } }).join('; ');
        const before = snapshot(dir);
        const r = child('resume', dir);
        const context = `after: ${what}\n  stdout: ${r.out.trim()}\n  stderr: ${r.err.trim().split('\n').slice(-4).join(' | ')}`;
        expect(r.timedOut, `hung ${context}`).toBe(false);
        expect(r.signal, `died ${context}`).toBeNull();
        expect(r.status, `exited ${context}`).toBe(0);
        const o = JSON.parse(r.out.trim().split('\n').pop()!);
        if (o.ok) {
          expect(o.steps, context).toBe(40);
        } else {
          expect(damages.some(harmless) && damages.every(harmless), `refused a resumable directory: ${context}`).toBe(false);
          expect(o.message, context).not.toMatch(/\n/);
          expect(o.message.length, context).toBeLessThan(400);
          expect(o.message, context).not.toMatch(/Cannot read propert|is not a function|is not iterable|of undefined|of null/);
          // A tampered state that loads may train into trouble (a huge learning rate): the Trainer's own clear error.
          if (o.stage === 'fit') {
            expect(o.message, context).toMatch(/^Trainer: /);
          } else {
            // It says where: the directory, a checkpoint file, or the checkpoint's part that is wrong.
            expect(o.message, context).toMatch(/checkpoint|manifest|latest|trainer\.json|history\.json|safetensors|step-\d+/);
            // A refusal changes nothing on disk, and the older checkpoints still verify.
            expect(snapshot(dir), context).toEqual(before);
            for (const d of ['step-00000010', 'step-00000020']) expect(() => io.readCheckpoint(join(dir, d)), context).not.toThrow();
          }
        }
      }).afterEach(() => rmSync(join(root, `case-${cases - 1}`), { recursive: true, force: true })), { seed: baseSeed(), numRuns: runs(12), endOnFailure: true });
    } catch (e) {
      // For npm run fuzz's summary (the counterexample is in the message).
      failures.push({ cls: 'checkpoint', detail: (e as Error).message.split('\n').slice(0, 4).join(' | '), call: 'Trainer.resume(damaged directory)' });
      throw e;
    }
  }, 1_800_000);
});


// Damaged checkpoint directories under Trainer.resume, each in its own process: truncated, flipped
// or deleted files, files tampered with and their checksums made to match, a `latest` that names
// nothing or the wrong thing, half-written checkpoints beside the good ones, and weights of another
// network. The properties: the process neither dies nor hangs; a resume either runs to the end or
// refuses with a one-line Error that says where; a refusal leaves every checkpoint as it was.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from '../../src/index.js';
import { apply, damage, harmless, snapshot } from './damage.js';
import { baseSeed, runs } from './harness.js';

const CHILD = fileURLToPath(new URL('./checkpoint_run.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'pinn-ckpt-fuzz-'));
const base = join(root, 'base'), foreign = join(root, 'foreign');
let cases = 0;
const failures: { cls: string; detail: string; call: string }[] = [];

function child(mode: 'fresh' | 'resume', dir: string, hidden = 8): { status: number | null; signal: string | null; out: string; err: string; timedOut: boolean } {
  const r = spawnSync(process.execPath, [CHILD, mode, dir, String(hidden)], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, signal: r.signal, out: r.stdout, err: r.stderr, timedOut: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' };
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
        const what = damages.map((d) => { try { return apply(dir, d, foreign); } catch { return `(${d.kind} skipped)`; } }).join('; ');
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


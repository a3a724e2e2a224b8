// The command line under generated input, each run its own process: configs with one or two keys
// changed to an odd value, deleted, misspelt or added where they do not belong; and `resume` on a
// run directory whose checkpoints were damaged. The properties: the CLI neither dies nor hangs; it
// either trains to the end (metrics.json written) or refuses with one line on stderr, no stack
// trace, that says what is wrong; a refused resume leaves every checkpoint as it was.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, damageTo, harmless, snapshot } from './damage.js';
import { baseSeed, runs } from './harness.js';

const CLI = resolve(__dirname, '../../dist/cli/main.js');
const root = mkdtempSync(join(tmpdir(), 'pinn-cli-fuzz-'));
let cases = 0;
/** Outcomes by kind, printed at the end: a property whose cases all end alike tests little. */
const tally: Record<string, number> = {};
const count = (what: string) => { tally[what] = (tally[what] ?? 0) + 1; };
const failures: { cls: string; detail: string; call: string }[] = [];

/** A config that uses every part of the schema, small enough to train in seconds. */
const BASE = {
  description: 'fuzz base',
  problem: { type: 'burgers', nu: 0.0031831, interior: 100, boundary: 20, initial: 20, sampler: 'halton' },
  model: { hidden: [8, 8], activation: 'tanh', init: 'xavierNormal', dtype: 'float32' },
  phases: [
    { name: 'adam', steps: 12, optimizer: { type: 'adam', lr: 0.001 }, scheduler: { type: 'StepLR', stepSize: 5, gamma: 0.5 } },
    { steps: 2, optimizer: { type: 'lbfgs', maxIter: 5 }, dtype: 'float64', timeBudget: 30 },
  ],
  weighting: { type: 'gradNorm', every: 5, alpha: 0.9, min: 0.001, max: 1000 },
  sampling: [{ type: 'rad', condition: 'pde', every: 5, candidates: 400, k: 1, c: 1 }],
  validation: { condition: 'pde', points: 50, every: 5, restoreBest: true },
  seed: 0, logEvery: 5, evalEvery: 5, checkpointEvery: 5, keepLast: 2, timeBudget: 60, threads: 1, device: 'cpu',
};

type Path = (string | number)[];
type Edit =
  | { kind: 'set'; pick: number; value: unknown }
  | { kind: 'delete'; pick: number }
  | { kind: 'misspell'; pick: number; at: number }
  | { kind: 'add'; pick: number; key: string; value: unknown };

/** Every key path of a JSON value (objects' keys and array items, inner and leaf), in a fixed order. */
function paths(v: unknown, path: Path = []): Path[] {
  if (!v || typeof v !== 'object') return [path];
  const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
  return [path, ...entries.flatMap(([k, x]) => paths(x, [...path, k]))];
}

const odd = fc.constantFrom<unknown>(-1, 0, 1, 2.5, 1e308, -1e308, 2 ** 53 + 1, 1e-300, 'NaN', 'Infinity', 'x', '', 'adam', 'pde', null, true, [], {}, [1, 2], [0], { a: 1 }, { type: 'x' });
const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: odd }) },
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('misspell' as const), pick: fc.nat(), at: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), pick: fc.nat(), key: fc.constantFrom('lrr', 'stepz', 'type', 'extends', 'hidden', '__proto__', 'constructor'), value: odd }),
);

/** Applies `e` to `config` (in place); says what it did. */
function edited(config: any, e: Edit): string {
  const all = paths(config).filter((p) => p.length > 0);
  const path = all[e.pick % all.length];
  let parent = config;
  for (const k of path.slice(0, -1)) parent = parent[k];
  const last = path[path.length - 1];
  const where = path.join('.');
  switch (e.kind) {
    case 'set': parent[last] = e.value; return `${where} = ${JSON.stringify(e.value)}`;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(last), 1); else delete parent[last];
      return `${where} deleted`;
    case 'misspell': {
      if (Array.isArray(parent)) return 'nothing (an array item)';
      const k = String(last), i = e.at % k.length;
      const wrong = k.slice(0, i) + (k[i] === 'x' ? 'y' : 'x') + k.slice(i + 1);
      parent[wrong] = parent[k];
      delete parent[k];
      return `${where} spelt '${wrong}'`;
    }
    case 'add': {
      const target = parent[last] && typeof parent[last] === 'object' && !Array.isArray(parent[last]) ? parent[last] : parent;
      if (Array.isArray(target)) return 'nothing (an array)';
      // JSON.parse makes __proto__ an own key: written as text, the CLI sees exactly what a user's file would hold.
      Object.defineProperty(target, e.key, { value: e.value, enumerable: true, configurable: true, writable: true });
      return `${e.key} = ${JSON.stringify(e.value)} added in ${target === parent ? path.slice(0, -1).join('.') || 'the root' : where}`;
    }
  }
}

interface Ran { status: number | null; signal: string | null; out: string; err: string; timedOut: boolean }

function cli(...args: string[]): Ran {
  const r = spawnSync(process.execPath, [CLI, ...args, '--quiet'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, signal: r.signal, out: r.stdout, err: r.stderr, timedOut: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' };
}

/** Neither died nor hung; a failure is one clear line (what the CLI promises for every error a user can act on). */
function expectCleanOutcome(r: Ran, context: string): void {
  expect(r.timedOut, `hung ${context}`).toBe(false);
  expect(r.signal, `died ${context}`).toBeNull();
  if (r.status === 0) return;
  expect([1, 2], `exit status ${r.status} ${context}`).toContain(r.status);
  const lines = r.err.trim().split('\n');
  expect(lines.filter((l) => l.startsWith('pinn-torch: error: ')), `not one error line ${context}`).toHaveLength(1);
  expect(r.err, `a stack trace ${context}`).not.toMatch(/^\s+at /m);
  const message = lines.find((l) => l.startsWith('pinn-torch: error: '))!;
  expect(message.length, context).toBeLessThan(600);
  expect(message, `an internal error leaked ${context}`).not.toMatch(/Cannot read propert|is not a function|is not iterable|of undefined|of null|Maximum call stack|\[object Object\]/);
}

function record(cls: string, e: unknown, call: string): never {
  failures.push({ cls, detail: (e as Error).message.split('\n').slice(0, 4).join(' | '), call });
  throw e;
}

afterAll(() => {
  console.log(`cli fuzz outcomes: ${JSON.stringify(tally)}`);
  rmSync(root, { recursive: true, force: true });
  if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, `${JSON.stringify({ file: 'cli', calls: cases, failures })}\n`, { flag: 'a' });
});

describe('pinn-torch train on generated configs: a run to the end or one clear line', () => {
  it('train <config> with one or two keys changed', () => {
    try {
      fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 2 }), (edits) => {
        const n = cases++;
        const config = structuredClone(BASE);
        const what = edits.map((e) => edited(config, e)).join('; ');
        const file = join(root, `config-${n}.json`), out = join(root, `run-${n}`);
        writeFileSync(file, JSON.stringify(config));
        const r = cli('train', file, '--out', out);
        const context = `after: ${what}\n  stderr: ${r.err.trim().split('\n').slice(-4).join(' | ')}`;
        expectCleanOutcome(r, context);
        count(`train: ${r.status === 0 ? 'trained' : 'refused'}`);
        if (r.status === 0) {
          const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
          expect(typeof metrics.result.total, context).toBe('number');
        }
        rmSync(out, { recursive: true, force: true });
      }), { seed: baseSeed(), numRuns: runs(6), endOnFailure: true });
    } catch (e) { record('cli-config', e, 'pinn-torch train <generated config>'); }
  }, 1_800_000);
});

describe('pinn-torch resume on damaged checkpoints: no crash, no hang, a clear refusal or a correct run, nothing lost', () => {
  // A finished 30-step run (checkpoints at 10, 20, 30), and a plan that adds a 10-step phase.
  const run = join(root, 'base'), foreignRun = join(root, 'foreign'), more = join(root, 'more.json');
  const adam = (steps: number) => ({ steps, optimizer: { type: 'adam', lr: 0.001 } });
  const plan = (...steps: number[]) => ({ ...BASE, phases: steps.map(adam), weighting: undefined, sampling: undefined, validation: undefined, checkpointEvery: 10, keepLast: 3, logEvery: 10, evalEvery: 10 });
  const FILES = ['manifest.json', 'model.safetensors', 'points.safetensors', 'optimizer.safetensors', 'callbacks.safetensors', 'trainer.json', 'history.json', 'config.json'];

  beforeAll(() => {
    for (const [dir, hidden] of [[run, [8, 8]], [foreignRun, [5, 5]]] as const) {
      const file = `${dir}.json`;
      writeFileSync(file, JSON.stringify({ ...plan(30), model: { ...BASE.model, hidden } }));
      const r = cli('train', file, '--out', dir);
      if (r.status !== 0) throw new Error(`the base run failed: ${r.err}`);
    }
    writeFileSync(more, JSON.stringify(plan(30, 10)));
  }, 180_000);

  it('resume <run-dir> --config <one more phase> after damage to the latest checkpoint', () => {
    try {
      fc.assert(fc.property(fc.array(damageTo(FILES), { minLength: 1, maxLength: 2 }), (damages) => {
        const dir = join(root, `case-${cases++}`);
        cpSync(run, dir, { recursive: true });
        const checkpoints = join(dir, 'checkpoints');
        const what = damages.map((d) => { try { return apply(checkpoints, d, join(foreignRun, 'checkpoints')); } catch { return `(${d.kind} skipped)`; } }).join('; ');
        const before = snapshot(checkpoints);
        const r = cli('resume', dir, '--config', more);
        const context = `after: ${what}\n  stderr: ${r.err.trim().split('\n').slice(-4).join(' | ')}`;
        expectCleanOutcome(r, context);
        count(`resume: ${r.status === 0 ? 'trained' : 'refused'}`);
        if (r.status === 0) {
          expect(existsSync(join(checkpoints, 'step-00000040')), `${context}: no checkpoint at step 40`).toBe(true);
        } else {
          expect(damages.every(harmless), `refused a resumable directory: ${context}`).toBe(false);
          if (!/^pinn-torch: error: Trainer: /m.test(r.err)) {
            // A refusal says where, and changes nothing on disk.
            expect(r.err, context).toMatch(/checkpoint|manifest|latest|trainer\.json|history\.json|config\.json|safetensors|step-\d+/);
            expect(snapshot(checkpoints), context).toEqual(before);
          }
        }
        rmSync(dir, { recursive: true, force: true });
      }), { seed: baseSeed(), numRuns: runs(4), endOnFailure: true });
    } catch (e) { record('cli-resume', e, 'pinn-torch resume <damaged run directory>'); }
  }, 1_800_000);
});

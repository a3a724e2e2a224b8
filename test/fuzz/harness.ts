// Runs fuzz cases in two long-lived child processes, pinn-torch (runner.ts) and PyTorch
// (torch_eval.py), and checks the suite's properties on each case:
//   (a) the process never dies, (b) an invalid call throws an Error naming the op and the
//   argument, (c) a valid call agrees with PyTorch in value, shape and dtype, (d) no tensor is left
//   behind, error or not.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { type Case, type Outcome, type R, type V, decodeNum, render } from './values.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PY = '/usr/bin/python3';
/** Whether PyTorch is there to compare with (properties answered by it are skipped without it). */
export const hasTorch = spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

/**
 * Whether the reference PyTorch runs the same LibTorch major.minor as the addon. Across versions
 * edge cases legitimately differ (complex division by Inf, what 0-d operands may promote to), so
 * then only the version-free properties are checked: no crash, no leak, clear messages.
 */
export const sameTorch = (() => {
  const mm = (v: string) => /^(\d+\.\d+)/.exec(v.trim())?.[1] ?? '?';
  const py = spawnSync(PY, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  const addon = spawnSync(process.execPath, ['-e', `console.log(require(process.env.PINN_TORCH_BINARY || ${JSON.stringify(`${ROOT}build/Release/pinn_torch.node`)}).buildInfo().torchVersion)`], { encoding: 'utf8' });
  const same = py.status === 0 && addon.status === 0 && mm(py.stdout) === mm(addon.stdout);
  if (!same && py.status === 0) console.log(`fuzz: the addon's LibTorch (${addon.stdout.trim() || '?'}) is not the reference PyTorch's (${py.stdout.trim()}): comparing crashes, leaks and messages only`);
  return same;
})();
/** A case running longer than this is a hang. */
const CASE_TIMEOUT_MS = 30_000;

/** A process answering one JSON line per JSON line, restarted after it dies. */
class LineProcess {
  private child: ChildProcessWithoutNullStreams | null = null;
  private pending = new Map<number, (o: Outcome) => void>();
  private nextId = 0;
  private stderr = '';
  restarts = -1;

  constructor(private readonly command: string, private readonly args: string[]) {}

  private start(): ChildProcessWithoutNullStreams {
    this.restarts++;
    this.stderr = '';
    const child = spawn(this.command, this.args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr.on('data', (d) => { this.stderr = (this.stderr + d).slice(-2000); });
    createInterface({ input: child.stdout }).on('line', (line) => {
      let msg: { id: number; outcome: Outcome };
      try { msg = JSON.parse(line); } catch { this.stderr += `\n(stdout) ${line}`; return; }
      this.pending.get(msg.id)?.(msg.outcome);
      this.pending.delete(msg.id);
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      const crash = `exited with ${signal ?? `code ${code}`}; stderr: ${this.stderr.trim().split('\n').slice(-6).join(' | ')}`;
      for (const resolve of this.pending.values()) resolve({ ok: false, crash });
      this.pending.clear();
    });
    child.stdin.on('error', () => {}); // a dead child's pipe: the exit handler reports it
    return child;
  }

  call(c: Case): Promise<Outcome> {
    const child = (this.child ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        if (this.child === child) this.child = null; // the next call starts a fresh one
        child.kill('SIGKILL');
        resolve({ ok: false, crash: `hung: no answer in ${CASE_TIMEOUT_MS / 1000} s` });
      }, CASE_TIMEOUT_MS);
      this.pending.set(id, (o) => { clearTimeout(timer); resolve(o); });
      child.stdin.write(`${JSON.stringify({ id, case: c })}\n`);
    });
  }

  stop(): void {
    this.child?.kill();
    this.child = null;
  }
}

export type FailureClass = 'crash' | 'leak' | 'silently wrong' | 'invalid accepted' | 'valid refused' | 'unclear message' | 'awaits native rebuild';
/** A broken property: its class, what happened, the call rendered, and the case itself (JSON, to replay). */
export interface Failure { cls: FailureClass; detail: string; call: string; case: Case }

/** What a test needs to know about an op: its message name and argument names. */
export interface OpInfo {
  name?: string;
  /** The names its messages may start with, for this call, when they depend on it (replaces name). */
  names?: (args: V[]) => string[];
  params: string[];
  aliases?: Record<string, string[]>;
}

export interface Options {
  /** Ops answered by PyTorch; others must carry `expect` and are checked against it. */
  oracle: 'torch' | 'spec';
  /** Whether pinn-torch may refuse a call PyTorch accepts (documented differences); absent: never. */
  mayRefuse?: (c: Case, message: string) => boolean;
  /** Relative tolerance per dtype (float32, float64). */
  tolerance?: { float32: number; float64: number };
}

export class Harness {
  readonly js = new LineProcess(process.execPath, ['--import', './test/fuzz/ts-hooks.mjs', 'test/fuzz/runner.ts']);
  readonly torch = new LineProcess(PY, ['-u', 'test/fuzz/torch_eval.py']);
  calls = 0;
  readonly failures: Failure[] = [];

  constructor(private readonly catalogue: Record<string, OpInfo>) {}

  /** Runs one case on both sides; returns the property it breaks, or null. */
  async check(c: Case & { expect?: 'ok' | 'error' | 'any' }, o: Options): Promise<Failure | null> {
    this.calls++;
    const [js, ref] = await Promise.all([
      this.js.call(c),
      o.oracle === 'torch' ? this.torch.call(c) : Promise.resolve<Outcome>(c.expect === 'error' ? { ok: false } : { ok: true }),
    ]);
    if (c.expect === 'any') ref.ok = js.ok; // either answer may be right: only the other properties hold
    let failure = this.judge(c, js, ref, o);
    if (failure && await this.awaitsRebuild(c, failure)) failure = { ...failure, cls: 'awaits native rebuild' };
    if (failure) this.failures.push(failure);
    return failure;
  }

  private readonly probes = new Map<string, Promise<boolean>>();
  private probe(name: string, c: Case, broken: (o: Outcome) => boolean): Promise<boolean> {
    if (!this.probes.has(name)) this.probes.set(name, this.js.call(c).then(broken));
    return this.probes.get(name)!;
  }

  /**
   * Whether a failure is one that a fix written in native/ removes, and the addon here predates
   * it (probed once each): integral numbers from 2⁵³ on became float Scalars, turning int
   * tensors float (ops.cc toScalar); zero derivatives without storage crashed a read (handles.cc put).
   */
  private async awaitsRebuild(c: Case, f: Failure): Promise<boolean> {
    if (f.cls !== 'crash' && hasHugeInteger(c)) {
      return this.probe('toScalar', { op: 'add', args: [{ k: 'tensor', dtype: 'int64', base: [1], data: [1] }, { k: 'num', v: 2 ** 53 }] },
        (o) => o.value?.k === 'tensor' && o.value.dtype !== 'int64');
    }
    if (f.cls === 'crash' && (c.op === 'gradOf' || c.op === 'backwardOf')) {
      return this.probe('zero tensor', { op: 'gradOf', args: [{ k: 'str', v: 'abs' }, { k: 'tensor', dtype: 'float32', base: [2], data: [3, 1], requiresGrad: true }, { k: 'bool', v: true }] },
        (o) => o.crash !== undefined);
    }
    return false;
  }

  private judge(c: Case, js: Outcome, ref: Outcome, o: Options): Failure | null {
    const call = render(c);
    const fail = (cls: FailureClass, detail: string): Failure => ({ cls, detail, call, case: c });
    if (js.crash) return fail('crash', `pinn-torch's process ${js.crash}`);
    if (ref.crash) return null; // PyTorch itself died: no answer to compare with
    if (js.leaked) return fail('leak', `${js.leaked} tensor(s) left alive after the call${js.ok ? '' : ` (which threw: ${js.error!.message})`}`);
    if (ref.error?.name === 'Unsupported') throw new Error(`torch_eval.py has no mapping for '${c.op}'`);
    if (js.error?.name === 'FuzzSetup') throw new Error(js.error.message);
    if (js.error?.name === 'FuzzViolation') return fail('silently wrong', js.error.message);
    if (js.error?.name === 'Unreadable' || ref.error?.name === 'Unreadable') return null; // nothing to compare
    if (!sameTorch) return js.ok ? null : this.message(c, js.error!, fail);
    if (js.ok && ref.ok) {
      if (ref.value === undefined) return this.invariants(js.value!, fail);
      const diff = compare(js.value!, ref.value, o.tolerance ?? { float32: 2e-5, float64: 1e-10 });
      return diff ? fail('silently wrong', `differs from PyTorch: ${diff}`) : null;
    }
    if (js.ok) return fail('invalid accepted', `pinn-torch returned ${short(js.value!)}; PyTorch refuses: ${ref.error?.message ?? '(the case is invalid by construction)'}`);
    const e = js.error!;
    if (ref.ok && !(o.mayRefuse?.(c, e.message) ?? false)) return fail('valid refused', `pinn-torch threw "${e.message}"; PyTorch gives ${ref.value ? short(ref.value) : 'a result'}`);
    return this.message(c, e, fail);
  }

  /**
   * (b): an Error naming the op and an argument (by its name, or by what the message says of it:
   * a broadcast error names the 'shapes'). Generated calls may be wrong in several arguments at
   * once, so any of the op's arguments may be the one named.
   */
  private message(c: Case, e: NonNullable<Outcome['error']>, fail: (cls: FailureClass, d: string) => Failure): Failure | null {
    if (!e.isError) return fail('unclear message', `threw a ${e.name}, not an Error: ${e.message}`);
    const info = this.catalogue[c.op];
    const names = info?.names?.(c.args) ?? [info?.name ?? c.op];
    const name = names.join("' or '");
    if (!names.some((n) => n && e.message.includes(n))) return fail('unclear message', `"${e.message}" does not name the op '${name}'`);
    if (/Exception raised from|frame #\d/.test(e.message)) return fail('unclear message', `C++ backtrace in "${e.message}"`);
    if (info && info.params.length) {
      const words = info.params.flatMap((p) => [p, p.replace(/(\d+|s)$/, ''), ...(info.aliases?.[p] ?? [])]);
      if (!words.some((w) => e.message.includes(w)) && !DESCRIBES_TENSORS.test(e.message)) {
        return fail('unclear message', `"${e.message}" names none of ${name}'s arguments (${info.params.join(', ')}) nor what is wrong with its tensors`);
      }
    }
    return null;
  }

  /** A scenario checked without PyTorch reports broken invariants as { violation }. */
  private invariants(value: R, fail: (cls: FailureClass, d: string) => Failure): Failure | null {
    if (value.k === 'obj' && value.v.violation?.k === 'str') return fail('silently wrong', value.v.violation.v);
    return null;
  }

  stop(): void {
    this.js.stop();
    this.torch.stop();
  }
}

/**
 * What a message may say of the tensors instead of naming the argument: their shapes, dims,
 * dtypes (LibTorch: "not implemented for 'Long'") or devices, or that one is a leaf or a view.
 */
const DESCRIBES_TENSORS = /shape|size|dimension|dtype|device|broadcast|leaf|view|empty|element|requires grad|Bool|Byte|Int|Long|Float|Double|Complex|complex|bool|float32|float64|int32|int64|uint8/;

/** A number argument that is an integer from 2⁵³ on, within int64 (see Harness.awaitsRebuild). */
function hasHugeInteger(c: Case): boolean {
  const huge = (v: V): boolean => (v.k === 'num' && typeof v.v === 'number' && Number.isInteger(v.v) && Math.abs(v.v) >= 2 ** 53 && v.v >= -(2 ** 63) && v.v < 2 ** 63)
    || (v.k === 'obj' && Object.values(v.v).some(huge));
  return c.args.some(huge);
}

function short(r: R): string {
  const s = JSON.stringify(r);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

/** Where two results differ, or null. */
export function compare(a: R, b: R, tol: { float32: number; float64: number }, path = ''): string | null {
  if (a.k !== b.k) return `${path || 'result'}: ${a.k} vs ${b.k} (${short(a)} vs ${short(b)})`;
  switch (a.k) {
    case 'tensor': {
      const t = b as typeof a;
      if (a.dtype !== t.dtype) return `${path || 'result'}: dtype ${a.dtype} vs ${t.dtype}`;
      if (a.shape.join() !== t.shape.join()) return `${path || 'result'}: shape [${a.shape}] vs [${t.shape}]`;
      const rtol = a.dtype.endsWith('32') || a.dtype === 'complex64' ? tol.float32 : tol.float64;
      const exact = !/float|complex/.test(a.dtype);
      const x = a.data.map(decodeNum), y = t.data.map(decodeNum);
      const scale = Math.max(0, ...y.filter(Number.isFinite).map(Math.abs));
      for (let i = 0; i < x.length; i++) {
        if (!close(x[i], y[i], exact ? 0 : rtol, scale)) return `${path || 'result'}[${i}]: ${x[i]} vs ${y[i]}`;
      }
      return null;
    }
    case 'num': {
      const x = decodeNum(a.v), y = decodeNum((b as typeof a).v);
      return close(x, y, 2e-6, Math.abs(y)) ? null : `${path || 'result'}: ${x} vs ${y}`;
    }
    case 'bool': case 'str':
      return a.v === (b as typeof a).v ? null : `${path || 'result'}: ${a.v} vs ${(b as typeof a).v}`;
    case 'null': return null;
    case 'list': {
      const l = (b as typeof a).v;
      if (a.v.length !== l.length) return `${path || 'result'}: ${a.v.length} items vs ${l.length}`;
      for (let i = 0; i < l.length; i++) {
        const d = compare(a.v[i], l[i], tol, `${path}[${i}]`);
        if (d) return d;
      }
      return null;
    }
    case 'obj': {
      const o = (b as typeof a).v;
      const keys = Object.keys(o);
      if (Object.keys(a.v).sort().join() !== [...keys].sort().join()) return `${path || 'result'}: keys ${Object.keys(a.v)} vs ${keys}`;
      for (const k of keys) {
        const d = compare(a.v[k], o[k], tol, `${path}.${k}`);
        if (d) return d;
      }
      return null;
    }
  }
}

function close(x: number, y: number, rtol: number, scale: number): boolean {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  return Math.abs(x - y) <= rtol * Math.max(Math.abs(y), scale * 1e-3, 1e-30) || x === y;
}

// ---- running properties -------------------------------------------------------------------

/** Generated calls per property: FUZZ_RUNS (npm run fuzz -- --runs N), else the test's quick default. */
export const runs = (quick: number): number => Number(process.env.FUZZ_RUNS) || quick;
/** The base seed (FUZZ_SEED), printed with every failure; each property derives its own from it. */
export const baseSeed = (): number => Number(process.env.FUZZ_SEED ?? 20260521) | 0;
/** Survey mode (FUZZ_SURVEY=1): record every failure and go on, instead of stopping to shrink the first. */
export const survey = process.env.FUZZ_SURVEY === '1';

function seedFor(label: string): number {
  let h = baseSeed();
  for (const ch of label) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) | 0;
  return h;
}

/**
 * Checks `arb`'s cases against the properties. A failure stops the run and is shrunk to a
 * smallest failing call; fast-check's message gives the seed and path to replay it.
 */
export async function fuzz(h: Harness, label: string, arb: fc.Arbitrary<Case & { expect?: 'ok' | 'error' | 'any' }>, o: Options, quickRuns: number): Promise<void> {
  const seed = seedFor(label);
  await fc.assert(fc.asyncProperty(arb, async (c) => {
    const f = await h.check(c, o);
    if (f && f.cls !== 'awaits native rebuild' && !survey) throw new Error(`${f.cls}: ${f.detail}\n    call: ${f.call}\n    (FUZZ_SEED=${baseSeed()}, property '${label}')`);
  }), { seed, numRuns: runs(quickRuns), endOnFailure: false });
}

/** In survey mode, appends this harness's calls and failures to $FUZZ_REPORT (JSON lines). */
export function report(h: Harness, file: string): void {
  const path = process.env.FUZZ_REPORT;
  if (!path) return;
  appendFileSync(path, `${JSON.stringify({ file, calls: h.calls, failures: h.failures })}\n`);
}

// The child process that runs fuzz cases on pinn-torch, so that a crash in the addon ends this
// process, not the test runner. Reads {id, case} lines on stdin, writes {id, outcome} lines.
// Started by harness.ts as: node --import ./test/fuzz/ts-hooks.mjs test/fuzz/runner.ts
import { createInterface } from 'node:readline';
import { Tensor, dispose, memory, tensor } from '../../src/index.js';
import { OPS } from './ops.js';
import { SCENARIOS } from './scenarios.js';
import { type Case, type Outcome, type R, type TensorSpec, type V, decodeNum, encodeNum } from './values.js';

const CATALOGUE = { ...OPS, ...SCENARIOS };

const TYPED: Record<string, (n: number[]) => ArrayBufferView> = {
  float32: (v) => Float32Array.from(v), float64: (v) => Float64Array.from(v),
  complex64: (v) => Float32Array.from(v), complex128: (v) => Float64Array.from(v),
  int32: (v) => Int32Array.from(v), int64: (v) => BigInt64Array.from(v, (x) => BigInt(x)),
  uint8: (v) => Uint8Array.from(v), bool: (v) => Uint8Array.from(v),
};

function makeTensor(s: TensorSpec): Tensor {
  const base = tensor(TYPED[s.dtype](s.data.map(decodeNum)), { dtype: s.dtype as any, shape: s.base });
  if (s.requiresGrad) base.requiresGrad_(true);
  let t = base;
  if (s.view?.op === 'transpose') t = base.transpose(-1, -2);
  else if (s.view?.op === 'step') t = base.slice(-1, 0, undefined, 2);
  else if (s.view?.op === 'expand') t = base.expand(s.view.shape);
  if (t !== base) base.dispose(); // the view keeps the storage
  if (s.disposed) t.dispose();
  return t;
}

function materialize(v: V, made: Tensor[]): unknown {
  switch (v.k) {
    case 'num': return decodeNum(v.v);
    case 'str': case 'bool': return v.v;
    case 'null': return null;
    case 'undef': return undefined;
    case 'bigint': return BigInt(v.v);
    case 'fn': return () => {};
    case 'list': return v.v.map((x) => materialize(x, made));
    case 'obj': return Object.fromEntries(Object.entries(v.v).map(([k, x]) => [k, materialize(x, made)]));
    case 'tensor': { const t = makeTensor(v); made.push(t); return t; }
  }
}

export function encode(x: unknown): R {
  if (x instanceof Tensor) {
    const flat = x.data();
    const data = Array.from(flat as ArrayLike<number | bigint>, (v) => encodeNum(Number(v)));
    return { k: 'tensor', dtype: x.dtype, shape: [...x.shape], data };
  }
  if (typeof x === 'number') return { k: 'num', v: encodeNum(x) };
  if (typeof x === 'boolean') return { k: 'bool', v: x };
  if (typeof x === 'string') return { k: 'str', v: x };
  if (x === null || x === undefined) return { k: 'null' };
  if (Array.isArray(x)) return { k: 'list', v: x.map(encode) };
  if (ArrayBuffer.isView(x)) return { k: 'list', v: Array.from(x as unknown as ArrayLike<number>, (v) => encode(Number(v))) };
  if (typeof x === 'object') return { k: 'obj', v: Object.fromEntries(Object.entries(x).map(([k, v]) => [k, encode(v)])) };
  throw new Error(`runner: cannot encode a ${typeof x}`);
}

/** Tensors reachable from a result (arrays and plain objects searched). */
function tensorsIn(x: unknown, out: Tensor[] = []): Tensor[] {
  if (x instanceof Tensor) out.push(x);
  else if (Array.isArray(x)) for (const v of x) tensorsIn(v, out);
  else if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) for (const v of Object.values(x)) tensorsIn(v, out);
  return out;
}

export function runCase(c: Case): Outcome {
  const impl = CATALOGUE[c.op];
  if (!impl) return { ok: false, error: { name: 'Unsupported', isError: true, message: `runner: no op '${c.op}'` } };
  const made: Tensor[] = [];
  let args: unknown[];
  try {
    args = c.args.map((a) => materialize(a, made));
  } catch (e) {
    dispose(made);
    return { ok: false, error: { name: 'FuzzSetup', isError: true, message: `runner: could not build the arguments: ${(e as Error).message}` } };
  }
  // Trailing undefineds are omitted arguments, as a caller would write the call.
  while (args.length && args[args.length - 1] === undefined) args.pop();
  const before = memory().tensors;
  let outcome: Outcome;
  try {
    const result = impl.run(...args);
    try {
      outcome = { ok: true, value: encode(result) };
    } catch (e) {
      // A result too large to read back (an expanded view of 2⁴⁵ elements): no answer to compare.
      outcome = { ok: false, error: { name: 'Unreadable', isError: true, message: (e as Error).message } };
    } finally {
      dispose(tensorsIn(result).filter((t) => !made.includes(t)));
    }
  } catch (e) {
    const isError = e instanceof Error;
    outcome = { ok: false, error: { name: isError ? e.name : typeof e, isError, message: isError ? e.message : String(e) } };
  }
  outcome.leaked = memory().tensors - before;
  dispose(made);
  return outcome;
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (!line.trim()) return;
  const { id, case: c } = JSON.parse(line) as { id: number; case: Case };
  process.stdout.write(`${JSON.stringify({ id, outcome: runCase(c) })}\n`);
});

// Who frees a native tensor. The garbage collector cannot be the mechanism: in a
// synchronous training loop finalizers never run (shared/notes/bridge.md). So:
// - inside `tidy(fn)` every tensor created is freed when fn returns, except what fn
//   returns (handed to the enclosing scope) and what was passed to `keep`;
// - `dispose()` / `using` free one tensor now;
// - a FinalizationRegistry frees, eventually, any tensor that no scope owns: a backstop.
import { native } from './backend.js';

/** What a scope needs of a tensor; Tensor implements it. */
export interface Owned {
  handle: number; // < 0 once disposed
  kept: boolean;
  owner: Owned[] | null; // the scope that will free it, if any
  registered: boolean; // with the GC backstop
}

const backstop = new FinalizationRegistry<number>((handle) => native.free(handle));

function register(t: Owned): void {
  backstop.register(t, t.handle, t);
  t.registered = true;
}

/**
 * Called when a tensor is freed: its backstop entry must go too, or the entry's handle
 * would be freed again once the object is collected (handles are reused, see handles.h).
 */
export function forget(t: Owned): void {
  if (t.registered) {
    backstop.unregister(t);
    t.registered = false;
  }
}

let scope: Owned[] | null = null;

// Registering with a FinalizationRegistry costs ~0.3 µs, a third of a small op. Unscoped
// tensors are therefore registered in batches: one disposed before its batch is registered
// (the common `const t = …; …; t.dispose()`) never costs a registration. A batch is
// registered when 1024 are waiting or when the event loop next turns, whichever comes first;
// until then the list holds them, so none can be collected unregistered.
const waiting: Owned[] = [];
let flushQueued = false;

function registerWaiting(): void {
  flushQueued = false;
  for (const t of waiting) if (t.handle >= 0 && !t.registered) register(t);
  waiting.length = 0;
}

/** Called for every new tensor: the current scope owns it, or else the backstop does. */
export function track(t: Owned): void {
  t.owner = scope;
  if (scope !== null) {
    scope.push(t);
    return;
  }
  waiting.push(t);
  if (waiting.length >= 1024) registerWaiting();
  else if (!flushQueued) {
    flushQueued = true;
    setImmediate(registerWaiting).unref();
  }
}

/**
 * `target` has taken over `source`'s native tensor (Tensor._takeData): the backstop must
 * neither free it when `source` is collected nor keep `target`'s old handle on record.
 */
export function handleMoved(target: Owned, source: Owned): void {
  registerWaiting(); // so that nothing below is registered twice
  forget(source);
  forget(target);
  if (target.kept || target.owner === null) register(target);
}

/** Exempts tensors from every scope's clean-up (model parameters, optimizer state). */
export function keep<T extends Owned>(t: T): T {
  if (!t.kept) {
    t.kept = true;
    if (t.owner !== null) register(t); // unscoped tensors are already registered or waiting
    t.owner = null;
  }
  return t;
}

/** Collects the tensors inside a returned value: a tensor, or arrays / plain objects / Maps of them. */
function collect(value: unknown, out: Set<Owned>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 32) return;
  if ('handle' in value && 'kept' in value) {
    out.add(value as Owned);
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, out, depth + 1);
  } else if (value instanceof Map) {
    for (const v of value.values()) collect(v, out, depth + 1);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, out, depth + 1);
  }
}

/**
 * Runs `fn` and frees every tensor it created, except those it returns (which the
 * enclosing scope then owns) and those passed to `keep`. Synchronous only.
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`tidy: expected a function to run, got ${fn === null ? 'null' : typeof fn}`);
  const outer = scope;
  const mine: Owned[] = [];
  scope = mine;
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scope = outer;
    release(mine, new Set());
    throw e;
  }
  scope = outer;
  if (result instanceof Promise) {
    release(mine, new Set());
    throw new Error('tidy: fn returned a Promise; tidy is synchronous (tensors would be freed while still in use)');
  }
  if (mine.length === 0) return result;
  const escaping = new Set<Owned>();
  collect(result, escaping);
  release(mine, escaping);
  for (const t of escaping) if (t.handle >= 0 && t.owner === mine) track(t);
  return result;
}

// freeAll's list of handles, reused: allocating a new Float64Array per tidy cost about as much
// per tensor freed as the native free itself (bench/ops_layers.mjs, bench/results/2026-12-05-ops.md).
// Safe to share: freeMany is synchronous and never calls back into JS.
// Lists longer than SCRATCH_MAX get their own array, so that one huge tidy pins no memory.
const SCRATCH_MAX = 1 << 16;
let scratch = new Float64Array(1024);

function handleList(size: number): Float64Array {
  if (size <= scratch.length) return scratch;
  if (size > SCRATCH_MAX) return new Float64Array(size);
  return (scratch = new Float64Array(Math.min(SCRATCH_MAX, 2 ** Math.ceil(Math.log2(size)))));
}

/** Frees, in one native call, every live tensor of `ts` (`size` of them at most) not `exempt`. */
function freeAll(ts: Iterable<Owned>, size: number, exempt?: (t: Owned) => boolean): void {
  const handles = handleList(size);
  let n = 0;
  for (const t of ts) {
    if (t.handle < 0 || exempt?.(t)) continue;
    handles[n++] = t.handle;
    t.handle = -1;
    forget(t);
  }
  if (n > 0) native.freeMany(n === handles.length ? handles : handles.subarray(0, n));
}

function release(owned: Owned[], escaping: Set<Owned>): void {
  freeAll(owned, owned.length, escaping.size > 0 ? (t) => t.kept || escaping.has(t) : (t) => t.kept);
}

/** Frees tensors (also inside arrays / objects) now. Disposing twice is harmless. */
export function dispose(value: unknown): void {
  const found = new Set<Owned>();
  collect(value, found);
  freeAll(found, found.size);
}

export interface MemoryInfo {
  /** Live native tensors (handles not yet disposed), exact. */
  tensors: number;
  /** Bytes of the distinct storages those tensors use (views share storage). */
  bytes: number;
}

export function memory(): MemoryInfo {
  return native.memory();
}

// grad() for derivatives of any order, and grad-mode scopes.
import { native } from './backend.js';
import { checkBoolean, checkOptions, renamed } from './checks.js';
import { invalidArgument } from './errors.js';
import { fmt } from './shape.js';
import { Tensor, alive, wrapHandle } from './tensor.js';

export interface GradOptions {
  /** ∂L/∂output for each output; required for outputs with more than one element (often onesLike). */
  gradOutputs?: Tensor | Tensor[] | null;
  /** Keep the graph for more backward passes (defaults to createGraph, as in PyTorch). */
  retainGraph?: boolean;
  /** Record the derivative itself in the graph, so it can be differentiated again. */
  createGraph?: boolean;
  /** Return null for inputs the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
}

const asList = (op: string, name: string, v: Tensor | Tensor[]): Tensor[] => {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) throw invalidArgument(op, name, 'a Tensor or a non-empty array of Tensors', v);
  list.forEach((t, i) => alive(t, op, Array.isArray(v) ? `${name}[${i}]` : name));
  return list;
};

/**
 * Σ gradOutputs · ∂outputs/∂inputs, one tensor per input (null where unused and allowUnused).
 * With createGraph the results can be differentiated again: d²u/dx² is grad(grad(u, x), x).
 */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], o?: GradOptions): (Tensor | null)[] {
  const op = 'grad';
  const outs = asList(op, 'outputs', outputs);
  const ins = asList(op, 'inputs', inputs);
  const options = checkOptions(op, o, ['gradOutputs', 'retainGraph', 'createGraph', 'allowUnused']);
  const createGraph = checkBoolean(op, 'createGraph', options.createGraph, false);
  const retainGraph = checkBoolean(op, 'retainGraph', options.retainGraph, createGraph);
  const allowUnused = checkBoolean(op, 'allowUnused', options.allowUnused, false);
  let gos: Tensor[] | null = null;
  if (options.gradOutputs != null) {
    gos = asList(op, 'gradOutputs', options.gradOutputs);
    if (gos.length !== outs.length) throw new Error(`${op}: ${outs.length} outputs but ${gos.length} gradOutputs`);
    gos.forEach((g, i) => {
      if (fmt(g.shape) !== fmt(outs[i].shape)) throw new Error(`${op}: gradOutputs[${i}] has shape ${fmt(g.shape)}, outputs[${i}] ${fmt(outs[i].shape)}`);
    });
  } else {
    outs.forEach((o, i) => {
      if (o.numel !== 1) {
        throw new Error(`${op}: outputs[${i}] has shape ${fmt(o.shape)}; pass gradOutputs (e.g. onesLike(output)) for outputs with more than one element`);
      }
    });
  }
  outs.forEach((o, i) => {
    if (!o.requiresGrad) throw new Error(`${op}: outputs[${i}] does not require grad (it does not depend on any tensor with requiresGrad)`);
  });
  ins.forEach((t, i) => {
    if (!t.requiresGrad) throw new Error(`${op}: inputs[${i}] does not require grad; call requiresGrad_() on it before computing outputs`);
  });
  let handles: (number | null)[];
  try {
    handles = native.gradOf(outs.map((t) => t.handle), ins.map((t) => t.handle), gos && gos.map((t) => t.handle), retainGraph, createGraph, allowUnused);
  } catch (e) { throw renamed(op, e); }
  return handles.map((h) => wrapHandle(h));
}

export function isGradEnabled(): boolean {
  return native.isGradEnabled();
}

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`${enabled ? 'enableGrad' : 'noGrad'}: expected a function to run, got ${fn === null ? 'null' : typeof fn}`);
  const before = native.isGradEnabled();
  native.setGradEnabled(enabled);
  try {
    const result = fn();
    if (result instanceof Promise) throw new Error('noGrad/enableGrad: fn must be synchronous (grad mode is per thread, not per task)');
    return result;
  } finally {
    native.setGradEnabled(before);
  }
}

/** Runs fn without recording operations for autograd (like `with torch.no_grad()`). */
export const noGrad = <T>(fn: () => T): T => withGradMode(false, fn);
/** Runs fn with autograd recording on, even inside noGrad. */
export const enableGrad = <T>(fn: () => T): T => withGradMode(true, fn);

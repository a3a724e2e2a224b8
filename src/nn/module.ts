// Module: the base of every model. Parameters and sub-modules are registered explicitly
// (JS has no __setattr__ hook), in order, so names and state dicts match PyTorch's.
import { checkBoolean, checkOptions, checkPositiveInt, need } from '../checks.js';
import { invalidArgument } from '../errors.js';
import { type DType, type Device, checkDtype, isDtype, isFloating, parseDevice } from '../dtype.js';
import { noGrad } from '../autograd.js';
import { keep, tidy } from '../memory.js';
import { fmt } from '../shape.js';
import { Tensor, alive } from '../tensor.js';

export type StateDict = Record<string, Tensor>;

/**
 * The options of a module with parameters, checked before anything is made: an object with
 * known keys, a floating point dtype (parameters carry gradients) and a device that exists.
 */
export function parameterOptions<O extends { dtype?: DType; device?: Device | string }>(op: string, o: O | undefined, extra: readonly string[] = []): Partial<O> {
  const c = checkOptions(op, o, ['dtype', 'device', ...extra]);
  if (c.dtype !== undefined) need(isFloating(checkDtype(op, c.dtype)), op, 'dtype', 'floating point (parameters carry gradients)', c.dtype);
  parseDevice(op, c.device);
  return c;
}

/** Layer widths: positive integers small enough to allocate (safe integers). */
export function checkFeatures(op: string, sizes: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(sizes)) checkPositiveInt(op, k, v);
}

export abstract class Module {
  training = true;
  private readonly _parameters = new Map<string, Tensor>();
  private readonly _buffers = new Map<string, Tensor>();
  private readonly _modules = new Map<string, Module>();

  abstract forward(x: Tensor): Tensor;

  /** A trainable tensor: kept out of every tidy scope, requiresGrad set. */
  protected registerParameter(name: string, t: Tensor): Tensor {
    this.checkName(name);
    keep(t);
    if (!t.requiresGrad) t.requiresGrad_(true);
    this._parameters.set(name, t);
    return t;
  }
  /** Saved and moved with the module, but not trained (e.g. fixed Fourier frequencies). */
  protected registerBuffer(name: string, t: Tensor): Tensor {
    this.checkName(name);
    this._buffers.set(name, keep(t));
    return t;
  }
  protected registerModule<M extends Module>(name: string, m: M): M {
    this.checkName(name);
    if (!(m instanceof Module)) throw invalidArgument(`${this.constructor.name}.registerModule`, `module '${name}'`, 'a Module', m);
    this._modules.set(name, m);
    return m;
  }
  private checkName(name: string): void {
    need(typeof name === 'string' && name !== '' && !name.includes('.'), this.constructor.name, 'name', 'a non-empty string without dots', name);
    if (this._parameters.has(name) || this._buffers.has(name) || this._modules.has(name)) {
      throw new Error(`${this.constructor.name}: '${name}' is already registered`);
    }
  }

  *namedChildren(): Generator<[string, Module]> { yield* this._modules; }
  children(): Module[] { return [...this._modules.values()]; }
  *namedModules(prefix = ''): Generator<[string, Module]> {
    yield [prefix, this];
    for (const [n, m] of this._modules) yield* m.namedModules(prefix ? `${prefix}.${n}` : n);
  }
  /** Parameters with dotted names ('0.weight', 'layers.2.bias'), in registration order. */
  *namedParameters(prefix = ''): Generator<[string, Tensor]> {
    for (const [n, p] of this._parameters) yield [prefix ? `${prefix}.${n}` : n, p];
    for (const [n, m] of this._modules) yield* m.namedParameters(prefix ? `${prefix}.${n}` : n);
  }
  parameters(): Tensor[] { return [...this.namedParameters()].map(([, p]) => p); }
  *namedBuffers(prefix = ''): Generator<[string, Tensor]> {
    for (const [n, b] of this._buffers) yield [prefix ? `${prefix}.${n}` : n, b];
    for (const [n, m] of this._modules) yield* m.namedBuffers(prefix ? `${prefix}.${n}` : n);
  }
  numParameters(): number { return this.parameters().reduce((a, p) => a + p.numel, 0); }

  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }
  eval(): this { return this.train(false); }

  zeroGrad({ setToNone = true } = {}): void {
    noGrad(() => {
      for (const p of this.parameters()) {
        if (setToNone) p.grad = null;
        else {
          const g = p.grad;
          if (g) { g.zero_(); g.dispose(); }
        }
      }
    });
  }

  /** Moves / casts parameters and buffers in place: references held elsewhere stay valid. */
  to(target: DType | Device | string | { dtype?: DType; device?: Device | string }): this {
    // Checked in full before anything changes (PyTorch refuses an integer dtype for parameters too).
    const o = typeof target === 'string' ? (isDtype(target) ? { dtype: target } : { device: target }) : checkOptions('Module.to', target, ['dtype', 'device'], 'target');
    const dtype = o.dtype;
    if (dtype !== undefined) need(isFloating(checkDtype('Module.to', dtype)), 'Module.to', 'dtype', 'floating point (parameters carry gradients)', dtype);
    parseDevice('Module.to', o.device);
    // In a scope of its own: the intermediates of each conversion are freed here, not left to the GC.
    tidy(() => noGrad(() => {
      for (const [, p] of this.namedParameters()) {
        p._takeData(p.to(target as any).detach());
        p.requiresGrad_(true);
      }
      for (const [, b] of this.namedBuffers()) b._takeData(b.to(target as any).detach());
    }));
    return this;
  }

  /** Detached views of every parameter and buffer by dotted name (shares storage, like PyTorch). */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [n, p] of this.namedParameters()) out[n] = p.detach();
    for (const [n, b] of this.namedBuffers()) out[n] = b.detach();
    return out;
  }

  /**
   * Copies values in. Everything is checked first (missing and unexpected keys, shapes,
   * dtypes), so a failed load changes nothing.
   */
  loadStateDict(state: StateDict, options?: { strict?: boolean }): { missingKeys: string[]; unexpectedKeys: string[] } {
    const op = `${this.constructor.name}.loadStateDict`;
    if (state === null || typeof state !== 'object' || Array.isArray(state)) throw invalidArgument(op, 'state', 'an object of tensors by name', state);
    const strict = checkBoolean(op, 'strict', checkOptions(op, options, ['strict']).strict, true);
    const own = new Map([...this.namedParameters(), ...this.namedBuffers()]);
    const missingKeys = [...own.keys()].filter((k) => !(k in state));
    const unexpectedKeys = Object.keys(state).filter((k) => !own.has(k));
    const name = this.constructor.name;
    if (strict && missingKeys.length) throw new Error(`${name}.loadStateDict: missing key(s) ${missingKeys.map((k) => `'${k}'`).join(', ')}`);
    if (strict && unexpectedKeys.length) throw new Error(`${name}.loadStateDict: unexpected key(s) ${unexpectedKeys.map((k) => `'${k}'`).join(', ')}`);
    for (const [k, t] of own) {
      const src = state[k];
      if (src === undefined) continue;
      alive(src, op, `state['${k}']`);
      if (fmt(src.shape) !== fmt(t.shape)) throw new Error(`${name}.loadStateDict: '${k}' has shape ${fmt(src.shape)}, the model expects ${fmt(t.shape)}`);
      if (src.dtype !== t.dtype) throw new Error(`${name}.loadStateDict: '${k}' is ${src.dtype}, the model expects ${t.dtype}`);
    }
    tidy(() => noGrad(() => {
      for (const [k, t] of own) if (state[k] !== undefined) t.copy_(state[k].to({ device: t.device }));
    }));
    return { missingKeys, unexpectedKeys };
  }

  /** Frees every parameter and buffer. */
  dispose(): void {
    for (const [, p] of this.namedParameters()) p.dispose();
    for (const [, b] of this.namedBuffers()) b.dispose();
  }
}

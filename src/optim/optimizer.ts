// The Optimizer contract, as PyTorch's: parameter groups with their own options,
// per-parameter state, zeroGrad, step(closure?), and state dicts naming parameters
// by integer position so they can be loaded into a fresh model.
import { noGrad } from '../autograd.js';
import { isComplex, isFloating } from '../dtype.js';
import { dispose, keep, tidy } from '../memory.js';
import { fmt } from '../shape.js';
import { checkNonNegativeInt } from '../checks.js';
import { checkKeys } from '../errors.js';
import { Tensor } from '../tensor.js';
import { type SerializedValue, type StateValue, deserialize, serialize } from './serialize.js';

export type ParamGroup<O> = O & { params: Tensor[] };
export type ParamsInput<O> = Tensor[] | Array<Partial<O> & { params: Tensor[] }>;
export type Closure = () => Tensor | number;
export type ParamState = Record<string, StateValue>;
/** A parameter with a gradient, as an optimizer step sees it. */
export interface ParamEntry { p: Tensor; grad: Tensor; state: ParamState }

/** State values are JSON-safe (stateDict) or, from liveStateDict, the optimizer's own tensors. */
export interface OptimizerStateDict<V = SerializedValue> {
  state: Record<string, Record<string, V>>;
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
}

/** Group keys that LR schedulers add; not optimizer options. */
const SCHEDULER_KEYS = new Set(['initialLr']);

/** One inner iteration of an optimizer that iterates within a step (L-BFGS, BFGS). */
export interface OptimizerIteration {
  /** Iterations in this step() call, and in total across calls. */
  iteration: number;
  totalIterations: number;
  loss: number;
  funcEvals: number;
  stepSize: number;
}

export abstract class Optimizer<O extends { lr: number }> {
  readonly paramGroups: ParamGroup<O>[] = [];
  readonly state = new Map<Tensor, ParamState>();

  constructor(params: ParamsInput<O>, readonly defaults: O) {
    const name = this.constructor.name;
    if (!Array.isArray(params) || params.length === 0) throw new Error(`${name}: params must be a non-empty array of Tensors or parameter groups`);
    const groups = params[0] instanceof Tensor ? [{ params: params as Tensor[] }] : (params as Array<{ params: Tensor[] }>);
    for (const g of groups) this.addParamGroup(g as Partial<O> & { params: Tensor[] });
  }

  addParamGroup(group: Partial<O> & { params: Tensor[] }): void {
    const name = this.constructor.name;
    if (!group || !Array.isArray(group.params) || group.params.length === 0) throw new Error(`${name}: a parameter group needs a non-empty params array`);
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    group.params.forEach((p, i) => {
      if (!(p instanceof Tensor) || p.isDisposed) throw new Error(`${name}: params[${i}] is not a live Tensor`);
      if (!isFloating(p.dtype)) throw new Error(`${name}: params[${i}] is ${p.dtype}; optimizers need float32/float64 parameters${isComplex(p.dtype) ? ' (store complex values as separate real and imaginary parameters)' : ''}`);
      if (!p.isLeaf) throw new Error(`${name}: params[${i}] is not a leaf tensor (it was computed from others); optimize the leaves`);
      if (seen.has(p)) throw new Error(`${name}: params[${i}] appears in more than one parameter group`);
      seen.add(p);
    });
    const merged = { ...this.defaults, ...group, params: [...group.params] } as ParamGroup<O>;
    this.validate(merged);
    const { params: _, ...options } = merged;
    checkKeys(name, 'option', Object.fromEntries(Object.entries(options).filter(([k]) => !SCHEDULER_KEYS.has(k))), this.optionNames());
    this.paramGroups.push(merged);
  }

  /** Subclasses check option values here (lr ≥ 0, betas in [0, 1), …). */
  protected abstract validate(group: ParamGroup<O>): void;

  /** Every option a parameter group may have: anything else (a typo such as `lrr`) is refused. */
  protected abstract optionNames(): readonly string[];

  /** Takes one optimisation step. A closure re-evaluates the loss (with backward) and returns it. */
  abstract step(closure?: Closure): number | undefined;

  // ---- what a training loop needs to know (capabilities, so that no loop asks for a type) ----

  /**
   * True when step() must be given a closure because it evaluates the loss itself (possibly
   * several times, as L-BFGS's line search does); false when it steps on the gradients the
   * caller computed.
   */
  get needsClosure(): boolean { return false; }

  /**
   * True when step() wants each loss term's gradient on its own (setTermGradients), beside their
   * sum in .grad: an optimizer that balances the terms itself (MultiAdam).
   */
  get needsTermGradients(): boolean { return false; }

  /** Each loss term's gradient per parameter, for an optimizer that needsTermGradients. */
  setTermGradients(_grads: Map<Tensor, (Tensor | null)[]>): void {
    throw new Error(`${this.constructor.name} steps on the summed gradient (.grad); it takes no per-term gradients`);
  }

  /**
   * The loss function changed (new collocation points, a new batch): state that belongs to the
   * old objective (the last loss and gradient, curvature pairs) must go. Moments of first-order
   * methods stay valid, so the default does nothing.
   */
  objectiveChanged(): void {}

  /** Called after every inner iteration, for optimizers that iterate within one step(). */
  onIteration?: (info: OptimizerIteration) => void;

  /** Why the last step() returned, for optimizers that iterate within a step; null otherwise. */
  get stopReason(): string | null { return null; }

  zeroGrad({ setToNone = true } = {}): void {
    noGrad(() => {
      for (const g of this.paramGroups) for (const p of g.params) {
        if (setToNone) p.grad = null;
        else { const gr = p.grad; if (gr) { gr.zero_(); gr.dispose(); } }
      }
    });
  }

  /** Runs a closure with grad enabled and returns the loss as a number, freeing its tensors. */
  protected evaluate(closure: Closure): number {
    return tidy(() => {
      const loss = closure();
      const v = typeof loss === 'number' ? loss : (loss.item() as number);
      if (typeof v !== 'number') throw new Error(`${this.constructor.name}: closure must return a real loss`);
      return v;
    });
  }

  /**
   * Calls `update(group, entries)` once per parameter group with the group's parameters that
   * have a gradient (like PyTorch, the others are skipped), each with its state; under noGrad
   * and one scope, so the gradients read here are freed with it.
   */
  protected forEachGroup(update: (group: ParamGroup<O>, entries: ParamEntry[]) => void): void {
    noGrad(() => tidy(() => {
      for (const group of this.paramGroups) {
        const entries: ParamEntry[] = [];
        for (const p of group.params) {
          const grad = p.grad;
          if (grad === null) continue;
          let state = this.state.get(p);
          if (!state) this.state.set(p, (state = {}));
          entries.push({ p, grad, state });
        }
        if (entries.length > 0) update(group, entries);
      }
    }));
  }

  /** Applies `update(param, grad, state, group)` to every parameter with a gradient, without recording autograd. */
  protected forEachParam(update: (p: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<O>) => void): void {
    this.forEachGroup((group, entries) => { for (const { p, grad, state } of entries) update(p, grad, state, group); });
  }

  /** Stores a state tensor beyond every scope (replacing and freeing a previous one). */
  protected keepState(state: ParamState, key: string, t: Tensor): Tensor {
    const old = state[key];
    if (old instanceof Tensor && old !== t) old.dispose();
    state[key] = keep(t);
    return t;
  }

  /** The state dict, JSON-safe: every state tensor written out as numbers (see serialize). */
  stateDict(): OptimizerStateDict {
    const { state, paramGroups } = this.liveStateDict();
    const out: OptimizerStateDict['state'] = {};
    for (const [id, s] of Object.entries(state)) out[id] = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, serialize(v)]));
    return { state: out, paramGroups };
  }

  /**
   * The state dict holding the optimizer's own state tensors, neither copied nor converted: for
   * writers that copy them out at once (checkpoints store their bytes), since a trip through JS
   * numbers costs far more than the write. Valid until the next step or load; do not dispose them.
   */
  liveStateDict(): OptimizerStateDict<StateValue> {
    const ids = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...options } = g;
      return { ...options, params: params.map((p) => { const id = ids.size; ids.set(p, id); return id; }) };
    });
    const state: OptimizerStateDict<StateValue>['state'] = {};
    for (const [p, s] of this.state) {
      const id = ids.get(p);
      if (id === undefined) continue;
      state[id] = { ...s };
    }
    return { state, paramGroups: JSON.parse(JSON.stringify(paramGroups)) };
  }

  /** Per-parameter state keys and which hold tensors shaped like the parameter. */
  protected abstract stateSpec(group: ParamGroup<O>): { keys: string[]; optional?: string[]; paramShaped: string[]; counters?: string[] };

  /** Loads a state dict; everything is checked before anything changes. */
  loadStateDict(sd: OptimizerStateDict<SerializedValue | StateValue>): void {
    const name = `${this.constructor.name}.loadStateDict`;
    if (!sd || typeof sd !== 'object' || !Array.isArray(sd.paramGroups) || sd.state === null || typeof sd.state !== 'object' || Array.isArray(sd.state)) {
      throw new Error(`${name}: expected { state, paramGroups }`);
    }
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new Error(`${name}: state dict has ${sd.paramGroups.length} parameter groups, the optimizer ${this.paramGroups.length}`);
    }
    const byId: Tensor[] = [];
    const groupOf: ParamGroup<O>[] = [];
    sd.paramGroups.forEach((g, gi) => {
      const own = this.paramGroups[gi];
      if (!Array.isArray(g.params) || g.params.length !== own.params.length) {
        throw new Error(`${name}: paramGroups[${gi}] has ${g.params?.length} params, the optimizer's group ${own.params.length}`);
      }
      // Keys a scheduler adds (initialLr) may be on either side: optimizer state saved with a
      // scheduler must load into a fresh optimizer before its scheduler exists, as in PyTorch.
      for (const k of Object.keys(own)) if (k !== 'params' && !SCHEDULER_KEYS.has(k) && !(k in g)) throw new Error(`${name}: paramGroups[${gi}] is missing key '${k}'`);
      for (const k of Object.keys(g)) if (!(k in own) && !SCHEDULER_KEYS.has(k)) throw new Error(`${name}: paramGroups[${gi}] has unexpected key '${k}'`);
      g.params.forEach((id, i) => { byId[id] = own.params[i]; groupOf[id] = own; });
      const { params: _ids, ...options } = g;
      try { this.validate({ ...own, ...options }); } catch (e) { throw new Error(`${name}: paramGroups[${gi}]: ${(e as Error).message}`); }
    });
    const made: Tensor[] = [];
    const next = new Map<Tensor, ParamState>();
    try {
      for (const [id, entry] of Object.entries(sd.state)) {
        const p = byId[Number(id)];
        if (!p) throw new Error(`${name}: state '${id}' names no parameter`);
        const spec = this.stateSpec(groupOf[Number(id)]);
        for (const k of spec.keys) if (!(k in entry)) throw new Error(`${name}: state '${id}' is missing key '${k}'`);
        for (const k of Object.keys(entry)) {
          if (!spec.keys.includes(k) && !(spec.optional ?? []).includes(k)) throw new Error(`${name}: state '${id}' has unexpected key '${k}'`);
        }
        for (const k of spec.counters ?? []) {
          const v = entry[k];
          if (k in entry) checkNonNegativeInt(name, `state '${id}'.${k}`, v);
        }
        const s: ParamState = {};
        for (const [k, v] of Object.entries(entry)) {
          const value = deserialize(v, `${name}: state '${id}'.${k}`, made);
          if (spec.paramShaped.includes(k)) {
            if (!(value instanceof Tensor)) throw new Error(`${name}: state '${id}'.${k} must be a tensor`);
            if (fmt(value.shape) !== fmt(p.shape)) throw new Error(`${name}: state '${id}'.${k} has shape ${fmt(value.shape)}, the parameter ${fmt(p.shape)}`);
            if (value.dtype !== p.dtype) throw new Error(`${name}: state '${id}'.${k} is ${value.dtype}, the parameter ${p.dtype}`);
          }
          s[k] = value instanceof Tensor && value.device !== p.device ? value.to({ device: p.device }) : value;
        }
        next.set(p, s);
      }
    } catch (e) {
      dispose(made);
      throw e;
    }
    for (const t of made) keep(t);
    for (const s of this.state.values()) dispose(Object.values(s));
    this.state.clear();
    for (const [p, s] of next) this.state.set(p, s);
    sd.paramGroups.forEach((g, gi) => {
      const { params: _ids, ...options } = g;
      Object.assign(this.paramGroups[gi], options);
    });
  }

  /** Forgets all per-parameter state (moments, curvature history), as a fresh optimizer would have none. */
  resetState(): void {
    for (const s of this.state.values()) dispose(Object.values(s));
    this.state.clear();
  }

  /** Frees all optimizer state. */
  dispose(): void {
    this.resetState();
  }
}

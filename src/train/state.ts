// A Trainer's complete state as checkpoint files, and back. Layout (all listed, with SHA-256,
// in manifest.json by io/checkpoint_store):
//   model.safetensors      the model's state dict, as PyTorch names it (load_state_dict-ready)
//   points.safetensors     current collocation points, one tensor per distinct point set
//   optimizer.safetensors  the current phase's optimizer tensors (moments, L-BFGS history)
//   callbacks.safetensors  the callbacks' tensors, as <callback>.<key> (e.g. the parameters at
//                          the lowest held-out residual), when any callback has some
//   attention.safetensors  residual-attention multipliers, by condition name (terms that have them)
//   trainer.json           counters, phase plan, problem signature, coefficients, optimizer/
//                          scheduler/weighting/sampler state dicts, RNG state, and every
//                          callback's state dict under callbacks[name]
//   history.json           metrics history (every step)
//   config.json            the caller's config, verbatim (if one was given)
import { checkNonNegative, checkNonNegativeInt } from '../checks.js';
import { parseJson } from '../io/json.js';
import { decodeSafetensors, encodeSafetensors, readSafetensorsHeader } from '../io/safetensors.js';
import { dispose, keep } from '../memory.js';
import { type Module } from '../nn/module.js';
import { type OptimizerStateDict } from '../optim/optimizer.js';
import { type SerializedValue, type StateValue, isSerializedTensor } from '../optim/serialize.js';
import { type Problem } from '../pinn/problem.js';
import { tensor } from '../creation.js';
import { fmt } from '../shape.js';
import { Tensor } from '../tensor.js';
import { type MetricsHistory } from './events.js';
import { checkHistory } from './history.js';
import { type PhaseSpec } from './options.js';

/** Format 2 keeps the monitors' state as callbacks' state dicts; format 1 (before) still loads. */
export const TRAINER_STATE_FORMAT = 2;

export interface Progress {
  /** Completed steps over all phases, the current phase, and completed steps in it. */
  step: number; phaseIndex: number; phaseStep: number;
  rollbacks: number;
  /** Training seconds before this fit (so ETA and budgets continue across resumes). */
  elapsed: number;
  /** Seconds spent in the current phase before this fit (absent in older checkpoints: 0). */
  phaseElapsed?: number;
}

/** Everything besides tensors that a checkpoint records. */
export interface TrainerJson {
  format: number;
  progress: Progress;
  phases: PhaseSpec[];
  problem: { inputs: string[]; outputs: string[]; conditions: Array<{ name: string; points: string }>; coefficients: Record<string, number> };
  optimizer: unknown;
  scheduler: unknown;
  weighting: { name: string; state: Record<string, unknown> } | null;
  sampling: Array<{ name: string; state: Record<string, unknown> }>;
  rng: string;
  /** Each callback's stateDict(), by callback name. */
  callbacks: Record<string, unknown>;
}

/** What format 1 kept at the top level; it maps onto the built-in callbacks' state dicts. */
interface TrainerJsonV1 {
  earlyStopping?: { best: number | null; bestStep: number } | null;
  best?: { metric: string; value: number; checkpoint: string } | null;
  validation?: { best: { step: number; value: number } | null } | null;
}

export interface Captured {
  json: TrainerJson;
  history: MetricsHistory;
  config: unknown;
  /** Each callback's tensors(), by callback name. */
  callbackTensors: Record<string, Record<string, Tensor>>;
}

/** Point sets by identity: conditions that share a tensor share a key (and a forward pass). */
export function pointKeys(problem: Problem): Map<string, string> {
  const keyOf = new Map<Tensor, string>();
  const byCondition = new Map<string, string>();
  for (const c of problem.conditions) {
    if (!keyOf.has(c.points)) keyOf.set(c.points, `set${keyOf.size}`);
    byCondition.set(c.name, keyOf.get(c.points)!);
  }
  return byCondition;
}

/**
 * Optimizer state with its tensors moved out to a name → Tensor map (stored as safetensors).
 * Live tensors (liveStateDict) are stored as they are; JSON-form ones are rebuilt, into `made`.
 */
function splitTensors(sd: OptimizerStateDict<SerializedValue | StateValue>, out: Record<string, Tensor>, made: Tensor[]): unknown {
  const walk = (v: unknown): unknown => {
    if (v instanceof Tensor || isSerializedTensor(v)) {
      const name = `t${Object.keys(out).length}`;
      if (v instanceof Tensor) out[name] = v;
      else made.push((out[name] = tensor(v.data.map(Number), { dtype: v.dtype, shape: v.shape }))); // 'NaN', '±Infinity' back to numbers
      return { __tensorRef: name };
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(sd);
}

function joinTensors(json: unknown, tensors: Record<string, Tensor>, where: string): OptimizerStateDict {
  const walk = (v: unknown): unknown => {
    if (v && typeof v === 'object' && '__tensorRef' in v) {
      const t = tensors[(v as { __tensorRef: string }).__tensorRef];
      if (!t) throw new Error(`${where}: refers to tensor '${(v as { __tensorRef: string }).__tensorRef}', which optimizer.safetensors lacks`);
      return t;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(json) as OptimizerStateDict;
}

/** The checkpoint files for a captured state. Tensors are encoded immediately and freed. */
export function toFiles(problem: Problem, model: Module, optimizerState: OptimizerStateDict<SerializedValue | StateValue> | null, c: Captured): Record<string, Uint8Array[] | string> {
  const optimizerTensors: Record<string, Tensor> = {};
  const made: Tensor[] = [];
  try {
    const json = { ...c.json, optimizer: optimizerState ? splitTensors(optimizerState, optimizerTensors, made) : null };
    const keys = pointKeys(problem);
    const points: Record<string, Tensor> = {};
    for (const cond of problem.conditions) points[keys.get(cond.name)!] = cond.points;
    const files: Record<string, Uint8Array[] | string> = {
      'model.safetensors': encodeSafetensors(model.stateDict(), { format: 'pt', producer: 'pinn-torch', step: String(c.json.progress.step) }),
      'points.safetensors': encodeSafetensors(points),
      'optimizer.safetensors': encodeSafetensors(optimizerTensors),
      'trainer.json': JSON.stringify(json) + '\n',
      'history.json': JSON.stringify(c.history) + '\n',
    };
    if (c.config !== undefined) files['config.json'] = JSON.stringify(c.config, null, 2) + '\n';
    const callbackTensors = Object.fromEntries(Object.entries(c.callbackTensors).flatMap(([name, ts]) => Object.entries(ts).map(([k, t]) => [`${name}.${k}`, t])));
    if (Object.keys(callbackTensors).length) files['callbacks.safetensors'] = encodeSafetensors(callbackTensors);
    const attention = Object.fromEntries(problem.conditions.flatMap((k) => (k.attention?.multipliers ? [[k.name, k.attention.multipliers]] : [])));
    if (Object.keys(attention).length) files['attention.safetensors'] = encodeSafetensors(attention);
    return files;
  } finally {
    dispose(made);
  }
}

export interface Loaded {
  json: TrainerJson;
  history: MetricsHistory;
  config: unknown;
  model: Record<string, Tensor>;
  points: Record<string, Tensor>;
  optimizer: OptimizerStateDict | null;
  /** Each callback's saved tensors, by callback name (empty when none were saved). */
  callbackTensors: Record<string, Record<string, Tensor>>;
  /** Residual-attention multipliers by condition name (empty when none were saved). */
  attention: Record<string, Tensor>;
  /** Frees the decoded tensors (after they were copied in). */
  dispose(): void;
}

function readJson(files: Record<string, Uint8Array>, name: string, dir: string): unknown {
  const b = files[name];
  if (!b) throw new Error(`${dir}/${name}: missing from the checkpoint`);
  return parseJson(Buffer.from(b).toString('utf8'), `${dir}/${name}`);
}

/**
 * Decodes checkpoint files and checks them against the problem and model they are to be loaded
 * into: same inputs, outputs and conditions, same parameter names, shapes and dtypes. Nothing is
 * changed here; a mismatch is an error naming the file and the difference.
 */
export function fromFiles(files: Record<string, Uint8Array>, dir: string, problem: Problem, model: Module): Loaded {
  const json = readJson(files, 'trainer.json', dir) as TrainerJson;
  const where = `${dir}/trainer.json`;
  if (!json || (json.format !== TRAINER_STATE_FORMAT && json.format !== 1)) throw new Error(`${where}: trainer state format ${JSON.stringify(json?.format)} is not supported (expected 1 or ${TRAINER_STATE_FORMAT})`);
  if (!json.progress || !json.problem || !Array.isArray(json.phases)) throw new Error(`${where}: incomplete (needs progress, problem, phases)`);
  checkProgress(json.progress, json.phases.length, where);
  if (json.format === 1) json.callbacks = callbacksOfV1(json as TrainerJson & TrainerJsonV1);
  if (!json.callbacks || typeof json.callbacks !== 'object' || Array.isArray(json.callbacks)) throw new Error(`${where}: callbacks must be an object of state dicts by callback name`);
  const sig = (a: string[]) => JSON.stringify(a);
  const p = json.problem;
  if (sig(p.inputs) !== sig(problem.inputs) || sig(p.outputs) !== sig(problem.outputs)) {
    throw new Error(`${where}: checkpoint of another problem (inputs ${p.inputs.join(', ')} → ${p.outputs.join(', ')}; this problem: ${problem.inputs.join(', ')} → ${problem.outputs.join(', ')})`);
  }
  const names = problem.conditions.map((c) => c.name);
  if (sig(p.conditions.map((c) => c.name)) !== sig(names)) {
    throw new Error(`${where}: checkpoint of another problem (conditions ${p.conditions.map((c) => c.name).join(', ')}; this problem: ${names.join(', ')})`);
  }
  const history = checkHistory(readJson(files, 'history.json', dir), `${dir}/history.json`);
  const config = files['config.json'] ? readJson(files, 'config.json', dir) : undefined;

  const decoded: Tensor[] = [];
  const decode = (name: string) => {
    if (!files[name]) throw new Error(`${dir}/${name}: missing from the checkpoint`);
    const t = decodeSafetensors(files[name], `${dir}/${name}`).tensors;
    for (const x of Object.values(t)) decoded.push(keep(x)); // owned by Loaded until dispose()
    return t;
  };
  try {
    const weights = decode('model.safetensors');
    const own = model.stateDict();
    for (const [k, t] of Object.entries(own)) {
      const w = weights[k];
      if (!w) throw new Error(`${dir}/model.safetensors: wrong architecture: no tensor '${k}' (the model has ${Object.keys(own).length} tensors, the file ${Object.keys(weights).length})`);
      if (fmt(w.shape) !== fmt(t.shape) || w.dtype !== t.dtype) {
        throw new Error(`${dir}/model.safetensors: wrong architecture: '${k}' is ${w.dtype} ${fmt(w.shape)}, the model's ${t.dtype} ${fmt(t.shape)}`);
      }
    }
    const extra = Object.keys(weights).filter((k) => !(k in own));
    if (extra.length) throw new Error(`${dir}/model.safetensors: wrong architecture: unexpected tensor(s) ${extra.join(', ')}`);
    const points = decode('points.safetensors');
    for (const c of p.conditions) {
      const t = points[c.points];
      const cond = problem.conditions.find((k) => k.name === c.name)!;
      if (!t || t.ndim !== 2 || t.shape[1] !== cond.points.shape[1]) throw new Error(`${dir}/points.safetensors: points of '${c.name}' missing or not [N, ${cond.points.shape[1]}]`);
    }
    const optTensors = decode('optimizer.safetensors');
    const optimizer = json.optimizer ? joinTensors(json.optimizer, optTensors, `${where}: optimizer`) : null;
    const callbackTensors: Record<string, Record<string, Tensor>> = {};
    if (files['validation.safetensors']) callbackTensors.validation = decode('validation.safetensors'); // format 1
    for (const [key, t] of Object.entries(files['callbacks.safetensors'] ? decode('callbacks.safetensors') : {})) {
      const dot = key.indexOf('.');
      if (dot < 1) throw new Error(`${dir}/callbacks.safetensors: tensor '${key}' is not named <callback>.<key>`);
      (callbackTensors[key.slice(0, dot)] ??= {})[key.slice(dot + 1)] = t;
    }
    const attention = files['attention.safetensors'] ? decode('attention.safetensors') : {};
    for (const [name, t] of Object.entries(attention)) {
      const cond = problem.conditions.find((k) => k.name === name);
      if (!cond?.attention) throw new Error(`${dir}/attention.safetensors: multipliers for '${name}', which has no residual attention in this problem`);
      const rows = points[p.conditions.find((k) => k.name === name)!.points].shape[0];
      if (t.ndim !== 2 || t.shape[0] !== rows) throw new Error(`${dir}/attention.safetensors: multipliers of '${name}' are ${fmt(t.shape)}, not one row per point (${rows})`);
    }
    return { json, history, config, model: weights, points, optimizer, callbackTensors, attention, dispose: () => dispose(decoded) };
  } catch (e) {
    dispose(decoded);
    throw e;
  }
}

/** Progress counters are what they say; a tampered one would silently skip or repeat training. */
function checkProgress(p: Progress, phases: number, where: string): void {
  for (const k of ['step', 'phaseIndex', 'phaseStep', 'rollbacks'] as const) checkNonNegativeInt(where, `progress.${k}`, p[k]);
  checkNonNegative(where, 'progress.elapsed', p.elapsed);
  if (p.phaseElapsed !== undefined) checkNonNegative(where, 'progress.phaseElapsed', p.phaseElapsed); // absent in older checkpoints
  if (p.phaseIndex > phases) throw new Error(`${where}: progress.phaseIndex ${p.phaseIndex} is past the ${phases} saved phases`);
  if (p.phaseStep > p.step) throw new Error(`${where}: progress.phaseStep ${p.phaseStep} exceeds progress.step ${p.step}`);
}

function callbacksOfV1(j: TrainerJsonV1): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (j.earlyStopping) out.earlyStopping = j.earlyStopping;
  if (j.validation) out.validation = j.validation;
  if (j.best !== undefined) out.checkpoint = { best: j.best };
  return out;
}

/** The floating dtype of saved model weights, or null when the file cannot tell (fromFiles then reports why). */
export function savedDtype(bytes: Uint8Array | undefined): 'float32' | 'float64' | null {
  if (!bytes) return null;
  try {
    const { header } = readSafetensorsHeader(bytes);
    const codes = Object.entries(header).filter(([k]) => k !== '__metadata__').map(([, e]) => (e as { dtype?: string }).dtype);
    return codes.includes('F64') ? 'float64' : codes.includes('F32') ? 'float32' : null;
  } catch {
    return null;
  }
}

// A run's state as checkpoint files (state.ts says the layout), and back: what the loop owns
// (progress, points, coefficients, weighting, sampling, optimizer and scheduler, RNG, history)
// plus every callback's state dict.
import { noGrad } from '../autograd.js';
import { scalar } from '../creation.js';
import { keep, tidy } from '../memory.js';
import { type Module } from '../nn/module.js';
import { type OptimizerStateDict } from '../optim/optimizer.js';
import { optimizers } from '../optim/registry.js';
import { type SerializedValue, type StateValue } from '../optim/serialize.js';
import { type Problem } from '../pinn/problem.js';
import { type SamplingStrategy } from '../pinn/sampling.js';
import { type LossWeighting } from '../pinn/weighting/index.js';
import { getRngState, setRngState } from '../runtime.js';
import { type Tensor } from '../tensor.js';
import { type Scheduler } from './build.js';
import { type Callback } from './callback.js';
import { type MetricsHistory } from './events.js';
import { type PhaseSpec } from './options.js';
import { type PhaseState } from './phase.js';
import { type Loaded, type Progress, TRAINER_STATE_FORMAT, type TrainerJson, fromFiles, pointKeys, savedDtype, toFiles } from './state.js';

/** The parts of a Trainer that its checkpoint holds. */
export interface RunParts {
  problem: Problem;
  model: Module;
  phases: PhaseSpec[];
  progress: Progress;
  history: MetricsHistory;
  weighting: LossWeighting;
  sampling: SamplingStrategy[];
  callbacks: Callback[];
  config: unknown;
}

export function captureRun(r: RunParts, optimizer: OptimizerStateDict<SerializedValue | StateValue> | null, scheduler: Scheduler | null): Record<string, Uint8Array[] | string> {
  const json: TrainerJson = {
    format: TRAINER_STATE_FORMAT,
    progress: { ...r.progress },
    phases: r.phases,
    problem: {
      inputs: r.problem.inputs, outputs: r.problem.outputs,
      conditions: [...pointKeys(r.problem)].map(([name, points]) => ({ name, points })),
      coefficients: r.problem.coefficientValues(),
    },
    optimizer: null,
    scheduler: scheduler ? scheduler.stateDict() : null,
    weighting: { name: r.weighting.name, state: r.weighting.stateDict() },
    sampling: r.sampling.map((s) => ({ name: s.name, state: s.stateDict() })),
    rng: Buffer.from(getRngState()).toString('base64'),
    callbacks: Object.fromEntries(r.callbacks.flatMap((c) => (c.stateDict ? [[c.name, c.stateDict()]] : []))),
  };
  const callbackTensors = Object.fromEntries(r.callbacks.flatMap((c) => (c.tensors ? [[c.name, c.tensors()]] : [])));
  return tidy(() => toFiles(r.problem, r.model, optimizer, { json, history: r.history, config: r.config, callbackTensors }));
}

/**
 * Copies loaded state into the run's parts (the caller then takes `progress` and keeps the
 * optimizer state until its phase's optimizer exists). Throws before changing anything when the
 * checkpoint's current phase uses another optimizer than this plan's.
 */
export function applyRun(r: RunParts, l: Loaded): void {
  const j = l.json;
  // The plan may change after the current phase (e.g. more L-BFGS steps), not before it.
  const pi = j.progress.phaseIndex;
  const mine = r.phases[pi]?.optimizer.type, saved = j.phases[pi]?.optimizer.type;
  if (pi < j.phases.length && !optimizers.same(mine, saved)) { // 'adam' and 'Adam' are one optimizer
    throw new Error(`trainer.json: the checkpoint is in phase ${pi} (${saved}), but this plan's phase ${pi} is ${mine ?? 'missing'}`);
  }
  // Checked before anything changes (setRngState would refuse it only at the end).
  const rng = new Uint8Array(Buffer.from(typeof j.rng === 'string' ? j.rng : '', 'base64'));
  const want = getRngState().length;
  if (rng.length !== want) throw new Error(`trainer.json: rng must be ${want} bytes of generator state in base64, got ${typeof j.rng === 'string' ? `${rng.length} bytes` : JSON.stringify(j.rng)}`);
  if (!Array.isArray(j.sampling) || j.sampling.length !== r.sampling.length) throw new Error(`trainer.json: ${j.sampling?.length ?? 'no'} sampling strategies saved, ${r.sampling.length} given`);
  r.model.loadStateDict(l.model);
  noGrad(() => {
    for (const [k, v] of Object.entries(j.problem.coefficients)) {
      const c = r.problem.coefficients[k];
      if (!c) throw new Error(`trainer.json: coefficient '${k}' is not in this problem`);
      c.copy_(scalar(v, { dtype: c.dtype }));
    }
  });
  const keys = new Map(j.problem.conditions.map((c) => [c.name, c.points]));
  const fresh = new Map<string, Tensor>();
  for (const c of r.problem.conditions) {
    const key = keys.get(c.name)!;
    if (!fresh.has(key)) fresh.set(key, keep(l.points[key].to({ dtype: c.points.dtype, device: c.points.device }).clone()));
    c.adoptPoints(fresh.get(key)!); // terms that shared points share them again
    const lambda = l.attention[c.name];
    if (c.attention) c.attention.load(lambda ? lambda.to({ dtype: c.points.dtype, device: c.points.device }).clone() : null);
  }
  if (j.weighting) r.weighting.loadStateDict(j.weighting.state);
  r.sampling.forEach((s, i) => s.loadStateDict(j.sampling[i].state));
  for (const c of r.callbacks) {
    // A callback new to this run (none saved under its name) starts fresh.
    if (c.loadStateDict && (c.name in j.callbacks || l.callbackTensors[c.name])) c.loadStateDict(j.callbacks[c.name], l.callbackTensors[c.name] ?? {});
  }
  setRngState(rng);
  Object.assign(r.history, l.history);
}

/** Puts checkpoint files back into a run (optimizer state waits in `phase` for its phase) and returns the saved progress. */
export function restoreRun(r: RunParts, phase: PhaseState, files: Record<string, Uint8Array>, where: string): Progress {
  const saved = savedDtype(files['model.safetensors']); // a phase that switched dtype saved its weights in the new one
  if (saved) phase.castTo(saved);
  return tidy(() => {
    const l = fromFiles(files, where, r.problem, r.model);
    try {
      applyRun(r, l);
    } catch (e) {
      l.dispose();
      // Say which checkpoint: applyRun's messages name the file or the part (the RNG state, a sampler's state) only.
      const m = (e as Error).message;
      throw new Error(m.startsWith('trainer.json: ') ? `${where}/${m}` : `${where}/trainer.json: ${m}`, { cause: e });
    }
    phase.adopt(l);
    return { ...l.json.progress };
  });
}

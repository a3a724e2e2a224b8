// What each CLI command does. A run directory holds everything about one run:
//   config.json   the validated config        checkpoints/  Trainer checkpoints (latest, best)
//   metrics.json  result, errors, history     loss.{svg,png}, fields.{svg,png}  the pictures
//   events.jsonl  every Trainer event as it happens (event_log.ts; `pinn-torch dashboard` follows it)
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { readCheckpointConfig } from '../io/checkpoint_store.js';
import { memory } from '../memory.js';
import { allocatorSetByEnvironment, config as runtimeConfig, setNumThreads, tuneAllocator } from '../runtime.js';
import { parseDevice } from '../dtype.js';
import { type Dashboard, type DashboardOptions, dashboard } from '../dashboard/index.js';
import type { EvaluationEvent, FitResult } from '../train/events.js';
import { type TensorBoardOptions, checkLogdir } from '../train/callbacks/tensorboard.js';
import { Trainer } from '../train/trainer.js';
import * as distributed from '../distributed/index.js';
import { type ProcessGroup } from '../distributed/process_group.js';
import { type RunConfig, UsageError, loadConfig, validate } from './config.js';
import { EVENT_LOG, logEvents } from './event_log.js';
import { planConfig } from './auto.js';
import { FieldImages } from './field_images.js';
import { fieldSpec, lossSpec, render } from './plots.js';
import { PRESETS } from './presets.js';
import { problemKind } from './problem_kinds/index.js';
import { type Run, buildRun, disposeRun } from './problems.js';
import { type OutputMode, duration, report } from './progress.js';
import { defaultRunDir } from './run_dir.js';
import { makeDirectory } from '../io/make_directory.js';

export interface CommonOptions { out?: string; mode: OutputMode; device?: string; tensorboard?: string; dashboard?: DashboardOptions }

/**
 * Started as one rank of several (by --nproc, torchrun or a scheduler setting RANK and
 * WORLD_SIZE): the others are met here. Rank 0 owns the run directory and the terminal; the
 * other ranks train quietly and write nothing.
 */
const worldSize = () => Number(process.env.WORLD_SIZE ?? 1);
const isFollower = () => worldSize() > 1 && Number(process.env.RANK ?? 0) !== 0;
const localRank = () => Number(process.env.LOCAL_RANK ?? 0);
/**
 * Joins the other ranks: over NCCL on this rank's GPU (`device` as deviceOf gives it, 'cuda:N')
 * when training on CUDA and the build has it, else over Gloo.
 */
function joinRanks(device: string | undefined): ProcessGroup | undefined {
  if (worldSize() <= 1) return undefined;
  const gpu = device?.startsWith('cuda:') && distributed.isAvailable().backends.includes('nccl') ? Number(device.slice(5)) : null;
  return distributed.init(gpu === null ? { backend: 'gloo' } : { backend: 'nccl', cudaDevice: gpu });
}

/** What the CLI stores inside every checkpoint, so `resume` and `eval` can rebuild the run. */
interface SavedConfig { config: RunConfig; source: string }

const say = (mode: OutputMode, s: string) => { if (mode !== 'json' && mode !== 'quiet') process.stdout.write(s + '\n'); };

/**
 * The device to train on (--device, else the config's), checked before any work: one line, exit
 * code 2. With several ranks on one machine, 'cuda' means each rank's own GPU (cuda:LOCAL_RANK).
 */
function deviceOf(c: RunConfig, o: CommonOptions): string | undefined {
  let device = o.device ?? c.device;
  if (device === undefined) return undefined;
  if (device === 'cuda' && worldSize() > 1) device = `cuda:${localRank()}`;
  try { return parseDevice(o.device !== undefined ? '--device' : 'config.device', device)[2]; } catch (e) { throw new UsageError((e as Error).message); }
}

function trainer(run: Run, c: RunConfig, runDir: string, saved: SavedConfig, device?: string, signal?: AbortSignal, group?: ProcessGroup, tensorboard?: TensorBoardOptions): Trainer {
  return new Trainer({
    signal,
    device,
    distributed: group,
    tensorboard,
    problem: run.problem, model: run.model, weighting: run.weighting, sampling: run.sampling, phases: c.phases!,
    // without a reference (MRE data with no true stiffness) there is nothing to measure the relative L2 against
    logEvery: c.logEvery, evalEvery: run.problem.reference ? c.evalEvery : undefined, evalPoints: run.evalPoints, timeBudget: c.timeBudget, validation: run.validation,
    checkpoint: { dir: join(runDir, 'checkpoints'), every: c.checkpointEvery, keepLast: c.keepLast, best: 'relL2' },
    config: saved,
  });
}

/** The run directory and checkpoint root behind a path the user gave (run dir, checkpoints/, or one checkpoint). */
export function locateRun(path: string): { runDir: string; checkpoints: string } {
  const p = resolve(path);
  if (!existsSync(p)) throw new UsageError(`${path}: no such file or directory`);
  if (!statSync(p).isDirectory()) throw new UsageError(`${path}: not a directory (expected a run directory or a checkpoint)`);
  if (existsSync(join(p, 'checkpoints'))) return { runDir: p, checkpoints: join(p, 'checkpoints') };
  if (existsSync(join(p, 'latest'))) return { runDir: dirname(p), checkpoints: p };
  if (existsSync(join(p, 'manifest.json'))) {
    const root = dirname(p);
    return { runDir: basename(root) === 'checkpoints' ? dirname(root) : root, checkpoints: p };
  }
  throw new UsageError(`${path}: not a run directory or checkpoint (no checkpoints/, latest or manifest.json inside)`);
}

function savedConfig(checkpoints: string): SavedConfig {
  let raw: unknown;
  try { raw = readCheckpointConfig(checkpoints); } catch (e) { throw new UsageError((e as Error).message); }
  const s = raw as Partial<SavedConfig> | undefined;
  if (!s || typeof s !== 'object' || !s.config) throw new UsageError(`${checkpoints}: the checkpoint holds no CLI config (it was written by a program, not by 'pinn-torch train')`);
  return { config: validate(s.config, `${checkpoints} (saved config)`), source: String(s.source ?? 'checkpoint') };
}

/** --tensorboard's directory, made and checked before any work: one line, exit code 2. */
function checkTensorboard(o: CommonOptions): void {
  if (o.tensorboard === undefined) return;
  try { checkLogdir('--tensorboard:', o.tensorboard); } catch (e) { throw new UsageError((e as Error).message); }
}

export async function train(spec: string, o: CommonOptions): Promise<number> {
  checkTensorboard(o);
  const loaded = loadConfig(spec);
  const source = loaded.source;
  let c = loaded.config;
  const device = deviceOf(c, o);
  const own = c.phases ? undefined : problemKind(c.problem.type).plan?.(c.problem);
  if (own) {
    c = validate({ ...c, phases: own }, source);
    say(o.mode, `pinn-torch: no phases in ${source}: the plan of problem.preset '${(c.problem as { preset?: string }).preset}'`);
  } else if (!c.phases) {
    const planned = planConfig(c, device);
    c = planned.config;
    say(o.mode, `pinn-torch: no phases in ${source}: the default recipe plans the run\n${planned.reasons.map((r) => `  - ${r}`).join('\n')}`);
  }
  const runDir = resolve(o.out ?? defaultRunDir(spec));
  const ckpt = join(runDir, 'checkpoints');
  if (existsSync(ckpt) && readdirSync(ckpt).length > 0) {
    throw new UsageError(`${runDir}: already holds a run (checkpoints/); continue it with 'pinn-torch resume ${o.out ?? runDir}' or pass another --out`);
  }
  const run = buildRun(c); // before anything is written: a config the problem rejects leaves no directory
  try {
    if (!isFollower()) {
      makeDirectory(runDir);
      writeFileAtomic(join(runDir, 'config.json'), Buffer.from(JSON.stringify(c, null, 2) + '\n'));
    }
  } catch (e) {
    disposeRun(run);
    throw e;
  }
  if (c.threads) setNumThreads(c.threads);
  say(o.mode, `pinn-torch: training ${source} → ${runDir}`);
  return fitAndReport(run, c, { config: c, source }, runDir, o, null);
}

export async function resumeRun(path: string, o: CommonOptions & { config?: string }): Promise<number> {
  const { runDir, checkpoints } = locateRun(path);
  checkTensorboard(o);
  const saved = savedConfig(checkpoints);
  let c = saved.config;
  if (o.config) {
    // A new plan for the same problem (e.g. more L-BFGS): the problem itself must not change.
    const next = loadConfig(o.config).config;
    if (next.problem.type !== c.problem.type) {
      throw new UsageError(`${path}: checkpoint of another problem: it trains '${c.problem.type}', ${o.config} describes '${next.problem.type}'`);
    }
    if (!next.phases) throw new UsageError(`${o.config}: a plan for resuming must give phases (the default recipe plans new runs only)`);
    c = next;
  }
  if (c.threads) setNumThreads(c.threads);
  say(o.mode, `pinn-torch: resuming ${checkpoints}`);
  return fitAndReport(buildRun(c), c, { config: c, source: saved.source }, o.out ? resolve(o.out) : runDir, o, checkpoints);
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * While a fit runs, the CLI owns Ctrl-C and SIGTERM (the Trainer knows nothing of processes): the
 * first aborts `controller` (the Trainer stops after the current step, and its checkpoint
 * callback saves an 'abort' checkpoint); a second one ends the process at once, as it would have
 * without a handler. Returns the function that removes the handlers.
 */
function stopOnSignals(controller: AbortController, mode: OutputMode): () => void {
  const onSignal = (s: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      remove();
      process.kill(process.pid, s); // the default action now: killed by the signal (exit status 128 + n)
      return;
    }
    if (mode !== 'quiet') process.stderr.write(`\npinn-torch: ${s}: stopping after this step and saving a checkpoint (again to exit at once)\n`);
    controller.abort(new Error(s));
  };
  const remove = () => { for (const s of STOP_SIGNALS) process.off(s, onSignal); };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  return remove;
}

/** Trains `run` (and frees it): events to the terminal, outputs and a summary at the end. */
async function fitAndReport(run: Run, c: RunConfig, saved: SavedConfig, runDir: string, options: CommonOptions, from: string | null): Promise<number> {
  let t: Trainer | null = null;
  let group: ProcessGroup | undefined;
  const o = isFollower() ? { ...options, mode: 'quiet' as const } : options;
  let board: Dashboard | null = null;
  // The CLI owns its process, so it keeps freed step buffers in the heap (runtime.ts), unless
  // the environment already chose malloc's thresholds.
  if (!allocatorSetByEnvironment()) tuneAllocator();
  const controller = new AbortController();
  const pictures = new FieldImages();
  try {
    // Resuming into another --out directory starts its checkpoints there.
    const device = deviceOf(c, o);
    group = joinRanks(device);
    // The heatmaps of fields.png at every evaluation, drawn while training goes on (rank 0's logs only).
    const tensorboard = o.tensorboard === undefined || isFollower() ? undefined : { logdir: resolve(o.tensorboard), images: async () => ({ fields: await pictures.render(run.fields()) }) };
    t = trainer(run, c, runDir, saved, device, controller.signal, group, tensorboard);
    if (from) {
      try { t.load(from); } catch (e) { throw new UsageError((e as Error).message); }
      // A finished run's last phase is closed (its optimizer state was not kept): training on needs a new phase.
      const { step, phaseIndex } = t.progress;
      if (phaseIndex >= t.phases.length) {
        throw new UsageError(`${from}: the checkpoint at step ${step} has finished ${phaseIndex} phase${phaseIndex === 1 ? '' : 's'}, and this plan has ${t.phases.length}: nothing is left to train; to train on, resume with --config <file> whose plan adds a phase after them`);
      }
    }
    // The kind's own figures before the first step (or at the resumed one), to compare the end with.
    const startStep = t.progress.step;
    const before = isFollower() ? undefined : run.summary?.();
    // Data-parallel: rank 0 alone writes the run's files and serves the dashboard.
    const lead = !isFollower();
    if (lead) makeDirectory(runDir);
    if (lead && o.dashboard) board = await startDashboard(t, o.dashboard, runDir);
    const stopLog = lead ? logEvents(t, join(runDir, EVENT_LOG)) : () => {};
    const detach = report(t, o.mode);
    const ignoreSignals = stopOnSignals(controller, o.mode);
    let result: FitResult;
    try {
      result = await t.fit();
    } finally {
      // A signal that came while fit() finished (saving the abort checkpoint takes a moment) is
      // delivered on the next turn of the event loop: handle it before removing the handlers,
      // which would drop it.
      await new Promise((r) => setImmediate(r));
      ignoreSignals();
      detach();
      stopLog();
    }
    group?.barrier();
    if (isFollower()) return result.stopReason === 'aborted' ? 130 : 0;
    const after = run.summary?.();
    const summary = after ? { start: { step: startStep, ...before }, end: { step: result.steps, ...after } } : undefined;
    const files = await writeOutputs(t, run, c, saved, runDir, result, undefined, summary);
    const errors = result.relL2 ? formatErrors(result.relL2) : 'no reference';
    say(o.mode, `${result.stopReason === 'completed' ? 'done' : `stopped (${result.stopReason})`} after ${result.steps} steps in ${duration(result.timing.total)}: loss ${result.total.toExponential(3)}, relative L2 ${errors}`);
    if (after) say(o.mode, `summary: ${formatSummary(after, before)}`);
    sayCoefficients(o.mode, result.coefficients);
    const v = result.validation;
    if (v) say(o.mode, `held-out residual: lowest ${v.best.toExponential(3)} at step ${v.bestStep}${v.restored ? ', the parameters the run ends on' : ''}`);
    say(o.mode, `run directory: ${runDir}\n  ${files.map((f) => basename(f)).join(', ')}${result.lastCheckpoint ? `\n  checkpoint: ${result.lastCheckpoint}` : ''}`);
    if (result.stopReason === 'aborted') { // Ctrl-C or SIGTERM (stopOnSignals)
      say(o.mode, `interrupted at step ${result.steps}: ${result.lastCheckpoint ? `checkpoint saved in ${result.lastCheckpoint}` : 'no checkpoint saved (no step was taken)'}; continue with 'pinn-torch resume ${runDir}'`);
      return 130;
    }
    return 0;
  } finally {
    await pictures.close();
    await board?.close(); // after writeOutputs: the pages get the field plots
    t?.dispose();
    disposeRun(run);
    group?.destroy();
  }
}

/** The live dashboard (`--dashboard`): its address on stderr, in every output mode, since the user asked for it. */
async function startDashboard(t: Trainer, o: DashboardOptions, runDir: string): Promise<Dashboard> {
  let board: Dashboard;
  try {
    board = await dashboard(t, { ...o, plots: runDir });
  } catch (e) {
    throw e instanceof Error && /^dashboard:/.test(e.message) ? new UsageError(e.message) : e;
  }
  process.stderr.write(`pinn-torch: dashboard on ${board.url} (until training ends; afterwards: pinn-torch dashboard ${runDir})\n`);
  return board;
}

export async function evaluate(path: string, o: CommonOptions): Promise<number> {
  const { runDir, checkpoints } = locateRun(path);
  const saved = savedConfig(checkpoints);
  const c = saved.config;
  const run = buildRun(c);
  const outDir = o.out ? resolve(o.out) : runDir;
  let t: Trainer | null = null;
  try {
    t = trainer(run, c, outDir, saved, deviceOf(c, o));
    try { t.load(checkpoints); } catch (e) { throw new UsageError((e as Error).message); }
    const e = run.problem.reference ? t.evaluate() : undefined;
    const summary = run.summary?.();
    if (!e && !summary) throw new UsageError(`${path}: nothing to evaluate: the problem has no reference`);
    const step = t.progress.step;
    makeDirectory(outDir);
    const files = await writeOutputs(t, run, c, saved, outDir, null, e, summary && { step, ...summary });
    if (o.mode === 'json') process.stdout.write(JSON.stringify({ type: 'evaluation', data: { step, ...e, ...(summary ? { summary } : {}), coefficients: run.problem.coefficientValues(), files } }) + '\n');
    say(o.mode, `step ${step}: relative L2 ${e ? formatErrors(e.relL2) : 'no reference'}`);
    if (summary) say(o.mode, `summary: ${formatSummary(summary)}`);
    sayCoefficients(o.mode, run.problem.coefficientValues());
    say(o.mode, `plots: ${files.filter((f) => /\.(png|svg)$/.test(f)).join(', ')}`);
    return 0;
  } finally {
    t?.dispose();
    disposeRun(run);
  }
}

function sayCoefficients(mode: OutputMode, c: Record<string, number>): void {
  const coef = Object.entries(c);
  if (coef.length) say(mode, `coefficients: ${coef.map(([k, v]) => `${k} = ${v.toPrecision(6)}`).join(', ')}`);
}

/** The kind's figures, each with its value at the start when there is one ('muMask 7.1e-2 (start 4.3e-1)'). */
function formatSummary(now: Record<string, number>, start?: Record<string, number>): string {
  return Object.entries(now).map(([k, v]) => `${k} ${v.toExponential(2)}${start?.[k] !== undefined ? ` (start ${start[k].toExponential(2)})` : ''}`).join(', ');
}

function formatErrors(r: Record<string, number>): string {
  const parts = Object.entries(r).filter(([k]) => k !== 'all').map(([k, v]) => `${k} ${v.toExponential(2)}`);
  return `${(r.all ?? NaN).toExponential(2)}${parts.length > 1 ? ` (${parts.join(', ')})` : ''}`;
}

/** metrics.json, the loss curves and the field heatmaps. Returns the paths written. */
async function writeOutputs(t: Trainer, run: Run, c: RunConfig, saved: SavedConfig, dir: string, result: FitResult | null, evaluation?: EvaluationEvent, summary?: object): Promise<string[]> {
  const written: string[] = [];
  const metrics = {
    source: saved.source, problem: c.problem.type,
    ...(result ? { result } : { evaluation, coefficients: run.problem.coefficientValues(), history: t.history }),
    ...(summary ? { summary } : {}),
    runtime: runtimeConfig(), memory: memory(),
  };
  const metricsPath = join(dir, result ? 'metrics.json' : 'eval.json');
  writeFileAtomic(metricsPath, Buffer.from(JSON.stringify(metrics) + '\n'));
  written.push(metricsPath);
  if (t.history.step.length > 0) written.push(...await render(lossSpec(t.history, t.phaseNames), join(dir, 'loss')));
  written.push(...await render(fieldSpec(run.fields()), join(dir, 'fields')));
  return written;
}

export function info(mode: OutputMode): number {
  const c = runtimeConfig();
  if (mode === 'json') { process.stdout.write(JSON.stringify(c) + '\n'); return 0; }
  const lines = [
    `pinn-torch ${c.version}`,
    `binary:    ${c.binary}`,
    `LibTorch:  ${c.libtorch.version} (C++11 ABI ${c.libtorch.cxx11Abi ? 'on' : 'off'}; ${c.libtorch.compiler})`,
    `BLAS:      ${c.blas.name}${c.blas.libraries.length ? ` (${c.blas.libraries.join(', ')})` : ''}`,
    `threads:   intra-op ${c.threads.intraOp}, BLAS ${c.threads.blas ?? 'n/a'}`,
    `allocator: ${c.allocator ? `glibc thresholds mmap ${c.allocator.mmapThreshold / 2 ** 20} MiB, trim ${c.allocator.trimThreshold / 2 ** 20} MiB` : allocatorSetByEnvironment() ? 'as the environment sets it' : 'malloc defaults (tuned when training)'}`,
    `CUDA:      ${c.cuda.available ? `available, ${c.cuda.deviceCount} device(s)` : 'not available'}`,
    `devices:   ${['cpu', ...Array.from({ length: c.cuda.available ? c.cuda.deviceCount : 0 }, (_, i) => `cuda:${i}`)].join(', ')} (--device, or "device" in a config)`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

export function presets(mode: OutputMode): number {
  if (mode === 'json') { process.stdout.write(JSON.stringify(PRESETS) + '\n'); return 0; }
  for (const [name, p] of Object.entries(PRESETS)) process.stdout.write(`${name.padEnd(18)} ${p.description}\n`);
  return 0;
}

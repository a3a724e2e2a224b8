// The seed's checkpoint benchmarks (its targets: save < 500 ms, load < 1 s, size < 2× the raw
// parameters): saving and loading the full training state mid-run, the size on disk against the
// parameter bytes, and a training epoch with periodic checkpoints beside one without. pinn-torch
// saves a checkpoint directory (weights, Adam's moments, history, points, trainer.json, manifest)
// through Trainer.saveCheckpoint; PyTorch torch.save's {model, optimizer} state dicts to one file,
// as atomically and durably (written aside, fsync'd, renamed). Both sides count and time their
// fsyncs within a save (reported beside the times: a save mostly waits on the disk; pinn-torch's
// checkpoint fsyncs its files and directory together, then the root, `latest` and the root
// again, where PyTorch's one file needs its file and folder), and the "encode" cases
// time the state turned into bytes alone, no file: pinn-torch's capture plus the SHA-256 its
// manifest holds, beside torch.save into memory.
import { createHash } from 'node:crypto';
import fs, { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { keep, nn, pinn, rand, Trainer } from '../../dist/index.js';

const N = 1000;
const adam = (steps) => [{ optimizer: { type: 'adam', lr: 1e-3 }, steps }];

/** The reference problem on N points and an MLP of `sizes`, with a scratch checkpoint folder. */
function setup(sizes) {
  const problem = pinn.problems.elasticWave2D({ rho: 1, lambda: 1, mu: 0.5, interior: keep(rand([N, 3])), boundary: 0, initial: 0, loss: 'mse' });
  const model = new nn.MLP(sizes, { seed: 0, init: 'default' });
  const dir = mkdtempSync(join(tmpdir(), 'pinn-bench-ckpt-'));
  const dispose = () => { model.dispose(); problem.dispose(); rmSync(dir, { recursive: true, force: true }); };
  return { problem, model, dir, dispose };
}

/**
 * Bytes of a checkpoint directory, of its weights file alone (what a trained model needs to be
 * used or shipped: model.safetensors), and of the model's parameters.
 */
function sizes(checkpoint, model) {
  const files = readdirSync(checkpoint);
  const bytes = files.reduce((a, f) => a + statSync(join(checkpoint, f)).size, 0);
  const parameterBytes = model.numParameters() * 4;
  const modelBytes = statSync(join(checkpoint, 'model.safetensors')).size;
  return { bytes, files: files.length, parameterBytes, ratio: +(bytes / parameterBytes).toFixed(2), modelBytes, modelRatio: +(modelBytes / parameterBytes).toFixed(2) };
}

/**
 * Calls `fn` with every fsync in this process counted and timed, then undoes the wrapping: the
 * fsyncs made here (node:fs's fsyncSync; pinn-torch's modules import node:fs's named exports,
 * which syncBuiltinESMExports rebinds) and those a checkpoint hands to its helper thread to run
 * together (io/fsync_many.ts: counted from the message it posts, timed by the Atomics.wait this
 * thread blocks in until they are done).
 */
function withFsyncsTimed(fn, tally) {
  const { fsyncSync } = fs, { wait } = Atomics, { postMessage } = Worker.prototype;
  const timed = (f) => function (...a) {
    const t0 = process.hrtime.bigint();
    try { return f.apply(this, a); } finally { tally.ns += Number(process.hrtime.bigint() - t0); }
  };
  fs.fsyncSync = timed((fd) => { tally.n++; return fsyncSync(fd); });
  Atomics.wait = timed(wait);
  Worker.prototype.postMessage = function (message, ...rest) {
    if (Array.isArray(message?.fds)) tally.n += message.fds.length;
    return postMessage.call(this, message, ...rest);
  };
  syncBuiltinESMExports();
  try {
    return fn();
  } finally {
    fs.fsyncSync = fsyncSync; Atomics.wait = wait; Worker.prototype.postMessage = postMessage;
    syncBuiltinESMExports();
  }
}

/**
 * Saves timed after each of `inner` Adam steps (the first step untimed: Adam's moments exist),
 * in a fit with a callback: the state saved is a live run's, optimizer included. Durable, as the
 * Trainer saves: its fsyncs are counted and timed inside the save's time.
 */
function saveCase(label, sizesOf) {
  return {
    name: `save, ${label}`, inner: 3, selfTimed: true,
    js() {
      const s = setup(sizesOf);
      let measured = null; // sizes right after a timed save: fit()'s own final checkpoint replaces it, without optimizer state
      const all = { saves: 0, ns: 0, fsync: { n: 0, ns: 0 } };
      const fn = async () => {
        let ns = 0;
        const timer = {
          name: 'benchSaveTimer',
          onStepEnd: (t) => {
            const t0 = process.hrtime.bigint();
            const path = withFsyncsTimed(() => t.saveCheckpoint(), all.fsync);
            const dt = Number(process.hrtime.bigint() - t0);
            ns += dt; all.ns += dt; all.saves++;
            measured = sizes(path, s.model);
          },
        };
        const trainer = new Trainer({ problem: s.problem, model: s.model, phases: adam(3), checkpoint: { dir: s.dir, every: 0, keepLast: 1 }, callbacks: [timer] });
        await trainer.fit();
        return ns;
      };
      const facts = () => measured && {
        ...measured,
        fsyncsPerSave: +(all.fsync.n / all.saves).toFixed(1),
        meanSave: `${(all.ns / all.saves / 1e6).toFixed(2)} ms, of which fsync ${(all.fsync.ns / all.saves / 1e6).toFixed(2)} ms`,
      };
      return Object.assign(fn, { facts, dispose: s.dispose });
    },
    torch: { suite: 'checkpoint', params: { op: 'save', sizes: sizesOf, n: N } },
  };
}

/**
 * The same state turned into checkpoint bytes (Trainer.captureFiles) and hashed as the manifest's
 * SHA-256 are, with nothing written: the part of a save that a file system does not decide.
 */
function encodeCase(label, sizesOf) {
  return {
    name: `encode in memory (no file), ${label}`, inner: 3, selfTimed: true,
    js() {
      const s = setup(sizesOf);
      let measured = null;
      const fn = async () => {
        let ns = 0;
        const timer = {
          name: 'benchEncodeTimer',
          onStepEnd: (t) => {
            const t0 = process.hrtime.bigint();
            let bytes = 0;
            for (const content of Object.values(t.captureFiles())) {
              const hash = createHash('sha256');
              for (const c of typeof content === 'string' ? [Buffer.from(content, 'utf8')] : content) { hash.update(c); bytes += c.length; }
              hash.digest();
            }
            ns += Number(process.hrtime.bigint() - t0);
            measured = { bytes };
          },
        };
        await new Trainer({ problem: s.problem, model: s.model, phases: adam(3), callbacks: [timer] }).fit();
        return ns;
      };
      return Object.assign(fn, { facts: () => measured, dispose: s.dispose });
    },
    torch: { suite: 'checkpoint', params: { op: 'encode', sizes: sizesOf, n: N } },
  };
}

/** Loading that state into a fresh Trainer (verified by SHA-256, checked against the problem and model). */
function loadCase(label, sizesOf) {
  return {
    name: `load, ${label}`, inner: 3,
    async js() {
      const s = setup(sizesOf);
      const saveOnce = { name: 'benchSaveOnce', onStepEnd: (t) => { if (t.progress.step === 2) t.saveCheckpoint(); } };
      await new Trainer({ problem: s.problem, model: s.model, phases: adam(3), checkpoint: { dir: s.dir, every: 0, keepLast: 5 }, callbacks: [saveOnce] }).fit();
      const checkpoint = join(s.dir, 'step-00000002');
      const fn = () => {
        for (let i = 0; i < 3; i++) {
          const trainer = new Trainer({ problem: s.problem, model: s.model, phases: adam(3) });
          trainer.load(checkpoint);
          trainer.dispose(); // its optimizer's moments: the next load makes its own
        }
      };
      return Object.assign(fn, { dispose: s.dispose });
    },
    torch: { suite: 'checkpoint', params: { op: 'load', sizes: sizesOf, n: N } },
  };
}

/** Time per Adam step of a Trainer fit of `steps` steps, checkpointing every `every` (0: never). */
function epochCase(every, steps = 20) {
  return {
    name: every ? `training step with a checkpoint every ${every} steps` : 'training step without checkpoints', inner: steps, selfTimed: true,
    js() {
      const s = setup([3, 64, 64, 64, 2]);
      const fn = async () => {
        const trainer = new Trainer({ problem: s.problem, model: s.model, phases: adam(steps), ...(every ? { checkpoint: { dir: s.dir, every, keepLast: 2 } } : {}) });
        const t0 = process.hrtime.bigint();
        await trainer.fit();
        return Number(process.hrtime.bigint() - t0);
      };
      return Object.assign(fn, { dispose: s.dispose });
    },
    torch: { suite: 'checkpoint', params: { op: 'train', every, sizes: [3, 64, 64, 64, 2], n: N } },
  };
}

// The seed's two model sizes (4 layers × 50, 8 layers × 200) and the reference network.
const MODELS = [['MLP 3→[64]×3→2', [3, 64, 64, 64, 2]], ['MLP 3→[50]×4→2', [3, 50, 50, 50, 50, 2]], ['MLP 3→[200]×8→2', [3, ...Array(8).fill(200), 2]]];

/** The seed's targets against this run's pinn-torch medians and sizes, a line per model. */
function targets(rows) {
  const ms = (ns) => `${(ns / 1e6).toFixed(1)} ms`;
  const lines = MODELS.map(([label]) => {
    const save = rows.find((r) => r.case === `save, ${label}`), load = rows.find((r) => r.case === `load, ${label}`);
    if (!save?.js || !load?.js || !save.facts) return null;
    const mark = (ok) => (ok ? 'met' : 'missed');
    const torch = (key) => { const f = save.peers[key]?.facts; return f?.bytes && f.parameterBytes ? `${(f.bytes / f.parameterBytes).toFixed(2)}×` : '–'; };
    return `| ${label} | ${ms(save.js.median)} (${mark(save.js.median < 500e6)}) | ${ms(load.js.median)} (${mark(load.js.median < 1e9)}) | ` +
      `${save.facts.ratio}× (${mark(save.facts.ratio < 2)}) | ${save.facts.modelRatio}× (${mark(save.facts.modelRatio < 2)}) | ${torch('torch1')} | ${torch('torch2')} |`;
  }).filter(Boolean);
  if (!lines.length) return null;
  return ['The seed\'s checkpoint targets, pinn-torch. A checkpoint holds the weights and Adam\'s two moments, so about 3× the parameters before history and points; ' +
    'its weights file alone (model.safetensors) is what a trained model needs to be used. Beside them, PyTorch\'s torch.save of the same {model, optimizer} state:\n',
    '| model | save (< 500 ms) | load (< 1 s) | checkpoint / parameter bytes (< 2×) | weights file / parameter bytes | PyTorch 1.x torch.save | PyTorch 2.x torch.save |',
    '|---|---|---|---|---|---|---|', ...lines].join('\n');
}

export default {
  name: 'checkpoint',
  report: targets,
  cases: [
    ...MODELS.map(([label, s]) => saveCase(label, s)),
    ...MODELS.map(([label, s]) => encodeCase(label, s)),
    ...MODELS.map(([label, s]) => loadCase(label, s)),
    epochCase(0),
    epochCase(10),
  ],
};

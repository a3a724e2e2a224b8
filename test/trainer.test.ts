// The Trainer: event order and contents, control (abort, signals, listeners that throw),
// monitors, the NaN guard, checkpoints that resume bit for bit in a new process, refusal of
// damaged checkpoints, and steady memory over a long run.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ListenerError, NonFiniteError, type Tensor, Trainer, type TrainerEvent, type TrainerOptions, memory, nn, pinn, tensor, tidy,
} from '../src/index.js';

const dtype = 'float64';
const root = mkdtempSync(join(tmpdir(), 'pinn-trainer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `run-${dirs++}`);
const FIXTURE = join(__dirname, 'fixtures', 'trainer_run.mjs');

/** −u'' = π² sin πx on (0, 1), u(0) = u(1) = 0 (exact: sin πx); `poison` makes the PDE residual NaN when it returns true. */
function setup(poison: () => boolean = () => false, hidden = 16) {
  const x = tensor(Array.from({ length: 32 }, (_, i) => [(i + 0.5) / 32]), { dtype });
  const pde = pinn.pdes.poisson((p) => p.mul(Math.PI).sin().mul(Math.PI ** 2), { spatial: ['x'] });
  const problem = new pinn.Problem({
    inputs: ['x'], outputs: ['u'],
    conditions: [
      new pinn.PDE('pde', x, (d, c) => { const r = pde(d, c) as Tensor[]; return poison() ? r.map((t) => t.mul(NaN)) : r; }),
      new pinn.DirichletBC('bc', tensor([[0], [1]], { dtype }), 0, { output: 'u' }),
    ],
    reference: (p) => p.mul(Math.PI).sin(),
  });
  const model = new nn.MLP([1, hidden, hidden, 1], { seed: 0, dtype });
  return { problem, model };
}

function run(args: string[]) {
  const r = spawnSync(process.execPath, [FIXTURE, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fixture ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(readFileSync(args[2], 'utf8'));
}

describe('Trainer events', () => {
  it('arrive in order with the documented fields, on the emitter and the async iterator alike', async () => {
    const { problem, model } = setup();
    const dir = freshDir();
    const trainer = new Trainer({
      problem, model, logEvery: 5, evalEvery: 10, evalPoints: tensor([[0.3], [0.7]], { dtype }),
      phases: [
        { name: 'warm', optimizer: { type: 'adam', lr: 1e-2 }, scheduler: { type: 'StepLR', stepSize: 10, gamma: 0.5 }, steps: 20 },
        { optimizer: { type: 'lbfgs', maxIter: 4, lineSearchFn: 'strong_wolfe' }, steps: 3 },
      ],
      checkpoint: { dir, every: 10 },
    });
    const seen: TrainerEvent[] = [];
    const emitted: string[] = [];
    for (const type of ['start', 'phaseStart', 'step', 'optimizerIteration', 'evaluation', 'checkpoint', 'phaseEnd', 'end'] as const) {
      trainer.on(type, () => emitted.push(type));
    }
    let aliased = 0; // the deprecated name still reaches on() listeners
    trainer.on('lbfgsIteration', () => aliased++);
    const iterated = (async () => { for await (const e of trainer.events()) seen.push(e); })();
    const result = await trainer.fit();
    await iterated;
    expect(seen.map((e) => e.type)).toEqual(emitted);
    const types = emitted.filter((t, i) => t !== emitted[i - 1]); // run-length collapse
    // Steps every 5 and at the phase's end; the periodic checkpoint at 20 gives way to the phase-end one.
    expect(types).toEqual(['start', 'phaseStart', 'step', 'evaluation', 'checkpoint', 'step', 'evaluation', 'phaseEnd', 'checkpoint',
      'phaseStart', 'optimizerIteration', 'step', 'phaseEnd', 'checkpoint', 'end']);
    expect(emitted.filter((t) => t === 'optimizerIteration').length).toBeGreaterThanOrEqual(3);
    expect(aliased).toBe(emitted.filter((t) => t === 'optimizerIteration').length);
    const steps = seen.filter((e) => e.type === 'step').map((e) => e.data as import('../src/index.js').StepEvent);
    expect(steps.map((s) => s.step)).toEqual([5, 10, 15, 20, 23]);
    const s = steps[2]; // step 15: StepLR has halved once
    expect(s.phase).toBe('warm');
    expect(s.lr).toBeCloseTo(5e-3, 15);
    expect(Object.keys(s.losses)).toEqual(['pde', 'bc']);
    for (const k of ['pde', 'bc']) expect(s.weighted[k]).toBe(s.losses[k] * s.weights[k]);
    expect(s.total).toBeCloseTo(s.weighted.pde + s.weighted.bc, 12);
    expect(s.gradNorm).toBeGreaterThan(0);
    expect(s.stepsPerSecond).toBeGreaterThan(0);
    expect(s.eta).toBeCloseTo((23 - 15) / s.stepsPerSecond, 6);
    for (const v of Object.values(s.timing)) expect(v).toBeGreaterThanOrEqual(0);
    expect(steps[4].phase).toBe('lbfgs');
    const ends = seen.filter((e) => e.type === 'phaseEnd').map((e) => e.data as import('../src/index.js').PhaseEndEvent);
    expect(ends[1].optimizerStopReason).toBeTruthy();
    expect(ends[1].lbfgsStopReason).toBe(ends[1].optimizerStopReason);
    expect(ends[0].optimizerStopReason).toBeUndefined(); // Adam does not iterate within a step
    // The history has every step; the result matches the last step.
    expect(result.history.step).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(result.history.total.at(-1)).toBe(result.total);
    expect(result.history.evaluations.map((e) => e.step)).toEqual([10, 20]);
    expect(result.stopReason).toBe('completed');
    expect(result.total).toBeLessThan(result.history.total[0]);
    expect(result.relL2!.all).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'latest'))).toBe(true);
    trainer.dispose();
  }, 60_000);

  it('a listener that throws stops training: fit() rejects with ListenerError and an error event fires', async () => {
    const { problem, model } = setup();
    const trainer = new Trainer({ problem, model, phases: [{ optimizer: { type: 'adam' }, steps: 50 }] });
    const errors: Error[] = [];
    trainer.on('error', (e) => errors.push(e));
    trainer.on('step', (e) => { if (e.step === 3) throw new Error('boom'); });
    await expect(trainer.fit()).rejects.toThrow(/'step' listener threw: boom/);
    expect(errors[0]).toBeInstanceOf(ListenerError);
    expect(trainer.history.step.length).toBe(3);
    trainer.dispose();
  });

  it('keeps the event loop responsive while training', async () => {
    const { problem, model } = setup(() => false, 32);
    const trainer = new Trainer({ problem, model, phases: [{ optimizer: { type: 'adam' }, steps: 400 }], yieldEvery: 10 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const t0 = performance.now();
    await trainer.fit();
    const ms = performance.now() - t0;
    clearInterval(timer);
    // A blocked loop would see 0 ticks; a loop that yields every 10 ms sees about one per 10-15 ms.
    expect(ticks).toBeGreaterThan(Math.min(5, ms / 40));
    trainer.dispose();
  }, 60_000);
});

describe('Trainer control and monitors', () => {
  it('AbortSignal stops after the current step with a resumable checkpoint', async () => {
    const { problem, model } = setup();
    const dir = freshDir();
    const controller = new AbortController();
    const options: TrainerOptions = { problem, model, phases: [{ optimizer: { type: 'adam', lr: 1e-2 }, steps: 100 }], checkpoint: { dir } };
    const trainer = new Trainer({ ...options, signal: controller.signal });
    const reasons: string[] = [];
    trainer.on('checkpoint', (e) => reasons.push(e.reason));
    trainer.on('step', (e) => { if (e.step === 7) controller.abort(); });
    const r = await trainer.fit();
    expect(r.stopReason).toBe('aborted');
    expect(r.steps).toBe(7);
    expect(reasons).toEqual(['abort']);
    const again = await Trainer.resume(dir, options);
    const r2 = await again.fit();
    expect(r2.steps).toBe(100);
    expect(r2.history.step.length).toBe(100);
    trainer.dispose(); again.dispose();
  });

  it('with handleSignals, SIGINT stops after the step, checkpoints, and fit() resolves', async () => {
    const dir = freshDir();
    const out = join(root, 'sigint.json');
    const child = spawn(process.execPath, [FIXTURE, 'adam-long', dir, out, '--ready'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve) => child.stdout.on('data', (d) => { if (String(d).includes('ready')) resolve(); }));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('exit', r));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(readFileSync(out, 'utf8'));
    expect(r.stopReason).toBe('aborted');
    expect(r.steps).toBeGreaterThanOrEqual(5);
    expect(r.lastCheckpoint).toBe(join(dir, `step-${String(r.steps).padStart(8, '0')}`));
    expect(JSON.parse(readFileSync(join(r.lastCheckpoint, 'manifest.json'), 'utf8')).meta.reason).toBe('abort');
  }, 60_000);

  it('convergence ends the phase (the next phase runs); early stopping and the time budget end the fit', async () => {
    const a = setup();
    const t1 = new Trainer({
      ...a, convergence: { targetLoss: 1e9 },
      phases: [{ optimizer: { type: 'adam' }, steps: 50 }, { optimizer: { type: 'sgd', lr: 1e-4 }, steps: 5 }],
    });
    const r1 = await t1.fit();
    expect(r1.history.phase).toEqual([0, 1]); // one step each: the target is met at once
    expect(r1.stopReason).toBe('completed');
    const b = setup();
    const t2 = new Trainer({ ...b, earlyStopping: { patience: 5 }, phases: [{ optimizer: { type: 'sgd', lr: 0 }, steps: 100 }] });
    const r2 = await t2.fit();
    expect(r2.stopReason).toBe('earlyStop');
    expect(r2.steps).toBe(6); // lr 0: the loss never improves after step 1
    const c = setup();
    const t3 = new Trainer({ ...c, timeBudget: 0.3, phases: [{ optimizer: { type: 'adam' }, steps: 1_000_000 }] });
    const r3 = await t3.fit();
    expect(r3.stopReason).toBe('timeBudget');
    expect(r3.timing.total).toBeGreaterThanOrEqual(0.3);
    expect(r3.timing.total).toBeLessThan(5);
    for (const t of [t1, t2, t3]) t.dispose();
  });

  it("a phase's own time budget ends that phase and the next one runs", async () => {
    const a = setup();
    const ends: Array<{ phase: string; reason: string }> = [];
    const t = new Trainer({
      ...a, phases: [{ optimizer: { type: 'adam' }, steps: 1_000_000, timeBudget: 0.3 }, { optimizer: { type: 'sgd', lr: 1e-4 }, steps: 5 }],
    });
    t.on('phaseEnd', (e) => ends.push({ phase: e.phase, reason: e.reason }));
    const r = await t.fit();
    expect(ends).toEqual([{ phase: 'adam', reason: 'timeBudget' }, { phase: 'sgd', reason: 'completed' }]);
    expect(r.stopReason).toBe('completed');
    expect(r.history.phase.filter((p) => p === 1)).toHaveLength(5);
    expect(r.history.phase.filter((p) => p === 0).length).toBeGreaterThan(1);
    expect(() => new Trainer({ ...a, phases: [{ optimizer: { type: 'adam' }, steps: 5, timeBudget: 0 }] })).toThrow(/phases\[0\]\.timeBudget must be a number of seconds > 0, got 0/);
    t.dispose();
  });

  it('new points during an L-BFGS phase restart its curvature history; fixed points keep it; BFGS keeps its estimate', async () => {
    const iterations = async (strategy: 'none' | 'resample' | 'minibatch' | 'minibatch-until', type = 'lbfgs') => {
      const { problem, model } = setup();
      const source: pinn.PointSource = (n, rng) => tensor(Array.from({ length: n }, () => [rng.next()]), { dtype });
      const sampling = {
        none: [],
        resample: [new pinn.Resample({ condition: 'pde', every: 2, from: 1, source, seed: 1 })],
        minibatch: [new pinn.MiniBatch({ condition: 'pde', batchSize: 8, seed: 1 })],
        'minibatch-until': [new pinn.MiniBatch({ condition: 'pde', batchSize: 8, until: 0, seed: 1 })], // batches for the Adam step only
      }[strategy];
      const trainer = new Trainer({
        problem, model, sampling,
        phases: [{ optimizer: { type: 'adam', lr: 1e-2 }, steps: 1 },
          { optimizer: { type: type as 'lbfgs', maxIter: 3, maxEval: 100, lineSearchFn: 'strong_wolfe', toleranceGrad: 0, toleranceChange: 0 }, steps: 4 }],
      });
      const seen: number[] = [];
      trainer.on('optimizerIteration', (e) => seen.push(e.totalIterations));
      await trainer.fit();
      trainer.dispose(); problem.dispose(); model.dispose();
      return seen;
    };
    expect(await iterations('none')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // Resampled before steps 1 and 3 (the first and third L-BFGS steps): history restarts at 1 both times.
    expect(await iterations('resample')).toEqual([1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6]);
    // A new batch every step restarts it every step; with `until` the last Adam step, L-BFGS sees all points throughout.
    expect(await iterations('minibatch')).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
    expect(await iterations('minibatch-until')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // BFGS keeps its Hessian estimate (and count) through new points: only the last step and gradient go.
    expect(await iterations('resample', 'bfgs')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
  it('NaN guard: stops with an error naming the term, or rolls back and lowers the LR', async () => {
    let step = 0;
    const s = setup(() => ++step === 13); // the first step evaluates the residual twice (see Problem.losses)
    const stopping = new Trainer({ ...s, phases: [{ optimizer: { type: 'adam', lr: 1e-2 }, steps: 30 }] });
    const events: unknown[] = [];
    stopping.on('nonFinite', (e) => events.push(e));
    await expect(stopping.fit()).rejects.toThrow(NonFiniteError);
    expect(events).toEqual([{ step: 11, term: 'pde', action: 'stop' }]);
    expect(stopping.history.step.length).toBe(11);

    let calls = 0;
    const r = setup(() => ++calls === 13);
    const rolling = new Trainer({ ...r, nanGuard: { action: 'rollback', lrFactor: 0.1 }, phases: [{ optimizer: { type: 'adam', lr: 1e-2 }, steps: 30 }] });
    const seen: import('../src/index.js').NonFiniteEvent[] = [];
    rolling.on('nonFinite', (e) => seen.push(e));
    const result = await rolling.fit();
    expect(seen).toEqual([{ step: 11, term: 'pde', action: 'rollback', restoredStep: 0, lr: 1e-3 }]);
    expect(result.steps).toBe(30);
    expect(result.history.step).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(result.history.lr.at(-1)).toBeCloseTo(1e-3, 15);
    stopping.dispose(); rolling.dispose();
  });

  it('rejects bad options with messages naming them', () => {
    const { problem, model } = setup();
    expect(() => new Trainer({ problem, model, phases: [] })).toThrow(/phases must be a non-empty array/);
    expect(() => new Trainer({ problem, model, phases: [{ optimizer: { type: 'adan' as never }, steps: 1 }] })).toThrow(/phases\[0\]\.optimizer\.type: unknown optimizer 'adan'; did you mean 'Adam'\? \(known: SGD, Adam, AdamW, MultiAdam, RMSprop, LBFGS, BFGS\)/);
    expect(() => new Trainer({ problem, model, phases: [{ optimizer: { type: 'adam' }, steps: -1 }] })).toThrow(/phases\[0\]\.steps/);
    expect(() => new Trainer({ problem, model, phases: [{ optimizer: { type: 'adam' }, scheduler: { type: 'StepLRR' as never }, steps: 1 }] })).toThrow(/scheduler\.type: unknown scheduler 'StepLRR'; did you mean 'StepLR'\?/);
    // Names ignore case (optim/registry.ts): 'StepLr' is StepLR, whose stepSize is then missing.
    expect(() => new Trainer({ problem, model, phases: [{ optimizer: { type: 'adam' }, scheduler: { type: 'StepLr' as never }, steps: 1 }] })).toThrow(/phases\[0\]\.scheduler\.stepSize is required/);
    expect(() => new Trainer({ problem, model, phases: [{ optimizer: { type: 'adam' }, steps: 1 }], evalEvery: 10 })).toThrow(/evalEvery needs evalPoints/);
    expect(() => new Trainer({ problem, model, phases: [{ optimizer: { type: 'adam' }, steps: 1 }], logEvery: 0 })).toThrow(/logEvery must be a positive integer/);
  });
});

describe('Trainer validation (held-out residual)', () => {
  const held = tensor(Array.from({ length: 40 }, (_, i) => [(i + 0.37) / 40.5]), { dtype });
  const phases: TrainerOptions['phases'] = [{ optimizer: { type: 'adam', lr: 1e-2 }, steps: 30 }, { optimizer: { type: 'adam', lr: 0.5 }, steps: 20 }];

  it("reports the PDE's mean squared residual on the held-out points (against finite differences)", async () => {
    const { problem, model } = setup();
    const trainer = new Trainer({ problem, model, phases: [{ optimizer: { type: 'adam', lr: 1e-2 }, steps: 10 }], validation: { condition: 'pde', points: held, every: 5 } });
    const checked: number[] = [];
    trainer.on('validation', (e) => {
      // −u'' − π² sin πx by central differences of the network itself (h = 1e-4 in float64).
      const h = 1e-4, xs = Array.from(held.data() as Float64Array);
      const u = (dx: number) => { const t = model.forward(tensor(xs.map((x) => [x + dx]), { dtype })); const v = Array.from(t.data() as Float64Array); t.dispose(); return v; };
      const [um, u0, up] = [u(-h), u(0), u(h)];
      const r = xs.map((x, i) => -(up[i] - 2 * u0[i] + um[i]) / h ** 2 - Math.PI ** 2 * Math.sin(Math.PI * x));
      const want = r.reduce((a, v) => a + v * v, 0) / r.length;
      expect(Math.abs(e.value - want) / want).toBeLessThan(1e-4);
      expect(e.condition).toBe('pde');
      checked.push(e.step);
    });
    const result = await trainer.fit();
    expect(checked).toEqual([5, 10]);
    expect(result.history.validation.map((v) => v.step)).toEqual([5, 10]);
    expect(result.validation?.restored).toBe(false);
    trainer.dispose();
  });

  it('with total, the value is the weighted held-out residual plus the other terms\' weighted losses of the step', async () => {
    const plain = setup(), summed = setup();
    const phases = [{ optimizer: { type: 'adam' as const, lr: 1e-2 }, steps: 10 }];
    const weighting = new pinn.StaticWeighting({ pde: 0.5, bc: 3 });
    const a = new Trainer({ ...plain, phases, weighting, validation: { condition: 'pde', points: held, every: 5 } });
    const b = new Trainer({ ...summed, phases, weighting, validation: { condition: 'pde', points: held, every: 5, total: true } });
    const [ra, rb] = [await a.fit(), await b.fit()];
    rb.history.validation.forEach((v, i) => {
      const bc = rb.history.losses.bc[v.step - 1];
      expect(v.value).toBeCloseTo(0.5 * ra.history.validation[i].value + 3 * bc, 12);
    });
    expect(() => new Trainer({ ...plain, phases, validation: { condition: 'pde', points: held, every: 5, total: 1 as never } })).toThrow(/validation.total must be a boolean/);
    a.dispose(); b.dispose();
  });

  it('restoreBest ends on the parameters of the lowest value from `from` on; without it the last ones stay', async () => {
    for (const restoreBest of [true, false]) {
      const { problem, model } = setup();
      const trainer = new Trainer({ problem, model, phases, validation: { condition: 'pde', points: held, every: 2, restoreBest, from: 4 } });
      const params = new Map<number, string>();
      const flat = () => model.parameters().map((p) => Array.from(p.data() as Float64Array).join()).join('|');
      trainer.on('validation', (e) => params.set(e.step, flat()));
      const result = await trainer.fit();
      const values = result.history.validation;
      expect(values.map((v) => v.step)).toEqual(Array.from({ length: 24 }, (_, k) => 4 + 2 * k)); // from step 4 on
      const best = values.reduce((m, v) => (v.value < m.value ? v : m));
      expect(result.validation).toEqual({ best: best.value, bestStep: best.step, restored: restoreBest });
      expect(best.step).toBeLessThan(50); // the LR 0.5 phase made it worse: restoring matters
      expect(flat()).toBe(restoreBest ? params.get(best.step) : params.get(50));
      if (restoreBest) {
        // The reported losses are those of the restored parameters, not the last step's.
        const now = tidy(() => Object.fromEntries(Object.entries(problem.losses(model)).map(([k, t]) => [k, t.item() as number])));
        expect(result.losses).toEqual(now);
        expect(result.total).toBeCloseTo(now.pde + now.bc, 12);
        expect(result.total).not.toBe(result.history.total.at(-1));
      } else {
        expect(result.total).toBe(result.history.total.at(-1));
      }
      trainer.dispose();
    }
  });

  it('refuses a bad validation setup, naming it', () => {
    const { problem, model } = setup();
    const p1 = [{ optimizer: { type: 'adam' as const }, steps: 1 }];
    expect(() => new Trainer({ problem, model, phases: p1, validation: { condition: 'pdf', points: held, every: 5 } })).toThrow(/validation\.condition 'pdf' is not a term of the problem \(terms: pde, bc\)/);
    expect(() => new Trainer({ problem, model, phases: p1, validation: { condition: 'pde', points: tensor([[0.1, 0.2]], { dtype }), every: 5 } })).toThrow(/validation\.points must be a \[M, 1\] tensor \(one column per input: x\), got \[1, 2\]/);
    expect(() => new Trainer({ problem, model, phases: p1, validation: { condition: 'pde', points: held, every: 0 } })).toThrow(/validation\.every must be a positive integer, got 0/);
  });
});

describe('Trainer checkpoints', () => {
  for (const scenario of ['adam', 'adam-lbfgs', 'resample-gradnorm', 'mixed', 'validation', 'attention-ntk', 'user-callback']) {
    it(`${scenario}: N steps, checkpoint, resume in a new process, M steps = N + M straight, bit for bit`, () => {
      const straight = run([scenario, freshDir(), join(root, `${scenario}-a.json`)]);
      const dir = freshDir();
      const part = run([scenario, dir, join(root, `${scenario}-b.json`), '--stop-at', '30']);
      const resumed = run([scenario, dir, join(root, `${scenario}-c.json`), '--resume']);
      expect(part.stopReason).toBe('aborted');
      expect(part.steps).toBe(30);
      expect(resumed.steps).toBe(60);
      expect(resumed.total).toHaveLength(60);
      expect(resumed.total).toEqual(straight.total); // numbers compared exactly
      expect(resumed.weights).toEqual(straight.weights); // hex of the float64 bytes
      expect(part.weights).not.toEqual(straight.weights);
      if (scenario === 'attention-ntk') {
        expect(readdirSync(dir).some((d) => existsSync(join(dir, d, 'attention.safetensors')))).toBe(true);
      }
      if (scenario === 'validation') {
        expect(straight.validation.restored).toBe(true);
        expect(straight.validation.bestStep).toBeLessThanOrEqual(30); // so the checkpoint had to carry the best parameters
        expect(resumed.validation).toEqual(straight.validation);
      }
      if (scenario === 'user-callback') {
        // The callback's own state came back: its JSON log and its tensor, bit for bit.
        expect(part.weightLog.totals).toHaveLength(30);
        expect(resumed.weightLog.totals).toEqual(straight.total);
        expect(resumed.weightLog).toEqual(straight.weightLog);
        expect(resumed.weightLog.mean).not.toEqual(part.weightLog.mean);
        const saved = JSON.parse(readFileSync(join(dir, readFileSync(join(dir, 'latest'), 'utf8').trim(), 'trainer.json'), 'utf8'));
        expect(saved.callbacks.weightLog.totals).toHaveLength(60);
      }
    }, 60_000);
  }

  it('a checkpoint written before callbacks (trainer state format 1) still resumes, its held-out best included', () => {
    // test/fixtures/checkpoint-v1: the 'validation' run stopped at step 30, written by format 1
    // (top-level validation state, validation.safetensors). Its best held-out residual was at step 25.
    const dir = freshDir();
    cpSync(join(__dirname, 'fixtures', 'checkpoint-v1'), dir, { recursive: true });
    const saved = JSON.parse(readFileSync(join(dir, 'step-00000030', 'trainer.json'), 'utf8'));
    expect(saved.format).toBe(1);
    const resumed = run(['validation', dir, join(root, 'v1-c.json'), '--resume']);
    expect(resumed.steps).toBe(60);
    expect(resumed.total.slice(0, 30)).toEqual(JSON.parse(readFileSync(join(dir, 'step-00000030', 'history.json'), 'utf8')).total);
    // The LR-1 phase never beats step 25, so the best must be the one the old checkpoint carried,
    // and restoreBest must put its parameters (validation.safetensors) back.
    expect(resumed.validation).toEqual({ best: saved.validation.best.value, bestStep: 25, restored: true });
    const straight = run(['validation', freshDir(), join(root, 'v1-a.json')]);
    if (straight.total.slice(0, 30).every((v: number, i: number) => v === resumed.total[i])) {
      // Same LibTorch numerics as the machine that wrote the fixture: the whole run repeats bit for bit.
      expect(resumed.weights).toEqual(straight.weights);
    }
  }, 60_000);

  it('a phase dtype casts model and problem when it starts; a run resumed from before the switch still repeats the straight one bit for bit', () => {
    const straight = run(['mixed', freshDir(), join(root, 'mixed-a.json')]);
    expect(straight.dtypes).toEqual(['float64']);
    expect(straight.pointsDtype).toBe('float64');
    const dir = freshDir();
    const part = run(['mixed', dir, join(root, 'mixed-b.json'), '--stop-at', '10']);
    expect(part.dtypes).toEqual(['float32']); // stopped in the float32 Adam phase
    expect(readFileSync(join(dir, readFileSync(join(dir, 'latest'), 'utf8').trim(), 'model.safetensors')).subarray(8, 400).toString()).toContain('"F32"');
    const resumed = run(['mixed', dir, join(root, 'mixed-c.json'), '--resume']);
    expect(resumed.dtypes).toEqual(['float64']);
    expect(resumed.total).toEqual(straight.total);
    expect(resumed.weights).toEqual(straight.weights);
    // and the L-BFGS phase really ran in float64: its losses are not float32-representable
    const lbfgsLosses = straight.total.slice(20);
    expect(lbfgsLosses.some((v: number) => Math.fround(v) !== v)).toBe(true);
    expect(straight.total.slice(0, 20).every((v: number) => Math.fround(v) === v)).toBe(true);
  }, 60_000);

  it('a run killed with SIGKILL while writing checkpoints leaves `latest` loadable', async () => {
    const dir = freshDir();
    const cfg = join(root, 'kill.json');
    // Checkpoint every step so that the kill lands during a write with high probability.
    const child = spawn(process.execPath, ['--input-type=module', '-e', `
      const { writeFileSync } = await import('node:fs');
      const { Trainer, nn, pinn, tensor } = await import(${JSON.stringify(join(__dirname, '..', 'dist', 'index.js'))});
      const x = tensor(Array.from({ length: 256 }, (_, i) => [i / 256]), { dtype: 'float64' });
      const problem = new pinn.Problem({ inputs: ['x'], outputs: ['u'], conditions: [new pinn.PointSetData('d', x, x, { outputs: ['u'] })] });
      const model = new nn.MLP([1, 128, 128, 1], { seed: 0, dtype: 'float64' });
      const t = new Trainer({ problem, model, phases: [{ optimizer: { type: 'adam' }, steps: 100000 }], checkpoint: { dir: ${JSON.stringify(dir)}, every: 1, keepLast: 2 } });
      t.on('checkpoint', (e) => { if (e.step === 3) writeFileSync(${JSON.stringify(cfg)}, 'ready'); });
      await t.fit();
    `], { stdio: 'ignore', env: { ...process.env } });
    const ready = Date.now();
    while (!existsSync(cfg) && Date.now() - ready < 20_000) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 137));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const x = tensor(Array.from({ length: 256 }, (_, i) => [i / 256]), { dtype });
    const p2 = new pinn.Problem({ inputs: ['x'], outputs: ['u'], conditions: [new pinn.PointSetData('d', x, x, { outputs: ['u'] })] });
    const m2 = new nn.MLP([1, 128, 128, 1], { seed: 1, dtype });
    const t = await Trainer.resume(dir, { problem: p2, model: m2, phases: [{ optimizer: { type: 'adam' }, steps: 100000 }] });
    expect(t.history.step.length).toBeGreaterThanOrEqual(3);
    t.dispose(); p2.dispose();
  }, 60_000);

  describe('damaged or foreign checkpoints are refused, naming the file and the problem', () => {
    const options = (hidden = 16) => ({ ...setup(() => false, hidden), phases: [{ optimizer: { type: 'adam' as const }, steps: 3 }] });
    const saved = (() => {
      const dir = freshDir();
      const t = new Trainer({ ...options(), checkpoint: { dir } });
      return t.fit().then(() => { t.dispose(); return join(dir, readFileSync(join(dir, 'latest'), 'utf8').trim()); });
    })();
    const copy = async () => {
      const src = await saved;
      const dst = freshDir();
      spawnSync('cp', ['-r', src, dst]);
      return dst;
    };

    it('truncated', async () => {
      const dir = await copy();
      const f = join(dir, 'model.safetensors');
      writeFileSync(f, readFileSync(f).subarray(0, 100));
      await expect(Trainer.resume(dir, options())).rejects.toThrow(/model\.safetensors: \d+ bytes, the manifest says \d+ \(truncated/);
    });
    it('flipped byte', async () => {
      const dir = await copy();
      const f = join(dir, 'optimizer.safetensors');
      const b = readFileSync(f); b[b.length - 3] ^= 0x10; writeFileSync(f, b);
      await expect(Trainer.resume(dir, options())).rejects.toThrow(/optimizer\.safetensors: SHA-256 does not match the manifest \(corrupted\)/);
    });
    it('wrong format version', async () => {
      const dir = await copy();
      const f = join(dir, 'manifest.json');
      writeFileSync(f, readFileSync(f, 'utf8').replace('"format": 1', '"format": 99'));
      await expect(Trainer.resume(dir, options())).rejects.toThrow(/manifest\.json: checkpoint format 99 is not supported/);
    });
    it('wrong architecture', async () => {
      const dir = await copy();
      await expect(Trainer.resume(dir, options(8))).rejects.toThrow(/model\.safetensors: wrong architecture: '0\.weight' is float64 \[16, 1\], the model's float64 \[8, 1\]/);
    });
    it('another problem', async () => {
      const dir = await copy();
      const { model } = setup();
      const x = tensor([[0.5]], { dtype });
      const other = new pinn.Problem({ inputs: ['x'], outputs: ['u'], conditions: [new pinn.PointSetData('data', x, x, { outputs: ['u'] })] });
      await expect(Trainer.resume(dir, { problem: other, model, phases: [{ optimizer: { type: 'adam' }, steps: 3 }] }))
        .rejects.toThrow(/trainer\.json: checkpoint of another problem \(conditions pde, bc; this problem: data\)/);
    });
    it('not a checkpoint', async () => {
      await expect(Trainer.resume(freshDir(), options())).rejects.toThrow(/manifest\.json: missing: not a checkpoint directory/);
    });
  });

  it('model.safetensors loads into the same network in PyTorch (load_state_dict) and predicts the same', async () => {
    const torchOk = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
    if (!torchOk) return void console.warn('skipped: /usr/bin/python3 has no torch');
    const dir = freshDir();
    const { problem, model } = setup();
    const t = new Trainer({ problem, model, phases: [{ optimizer: { type: 'adam', lr: 1e-2 }, steps: 5 }], checkpoint: { dir } });
    const r = await t.fit();
    const x = tensor([[0.1], [0.5], [0.8]], { dtype });
    const ours = Array.from(model.forward(x).data() as Float64Array);
    const py = `
import json, struct, sys, torch
raw = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
header = json.loads(raw[8:8 + n])
state = {}
for name, info in header.items():
    if name == '__metadata__': continue
    a, b = info['data_offsets']
    state[name] = torch.frombuffer(bytearray(raw[8 + n + a:8 + n + b]), dtype=torch.float64).reshape(info['shape'])
net = torch.nn.Sequential(torch.nn.Linear(1, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1)).double()
net.load_state_dict(state)
print(json.dumps(net(torch.tensor([[0.1], [0.5], [0.8]], dtype=torch.float64)).flatten().tolist()))
`;
    const out = spawnSync('/usr/bin/python3', ['-c', py, join(r.lastCheckpoint!, 'model.safetensors')], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    const theirs = JSON.parse(out.stdout) as number[];
    theirs.forEach((v, i) => expect(v).toBeCloseTo(ours[i], 13));
    t.dispose();
  }, 60_000);

  it('keeps the newest N checkpoints plus the best', async () => {
    const dir = freshDir();
    const t = new Trainer({ ...setup(), phases: [{ optimizer: { type: 'adam', lr: 1e-2 }, steps: 50 }], checkpoint: { dir, every: 5, keepLast: 2, best: 'total' } });
    const r = await t.fit();
    const kept = readdirSync(dir).filter((n) => n.startsWith('step-')).sort();
    expect(kept).toContain('step-00000050');
    expect(kept.length).toBeLessThanOrEqual(3);
    const best = r.history.total.indexOf(Math.min(...r.history.total.filter((_, i) => (i + 1) % 5 === 0))) + 1;
    expect(r.bestCheckpoint).toBe(join(dir, `step-${String(best).padStart(8, '0')}`));
    expect(kept).toContain(`step-${String(best).padStart(8, '0')}`);
    t.dispose();
  });
});

describe('Schedules that count the steps of a named phase', () => {
  // A first phase of 7 steps stands for one that its time budget ended early: the later phase's
  // schedules must not depend on how many steps it ran.
  const phases: TrainerOptions['phases'] = [
    { name: 'warm', optimizer: { type: 'adam', lr: 1e-2 }, steps: 7 },
    { name: 'main', optimizer: { type: 'adam', lr: 1e-3 }, steps: 10 },
  ];
  const source = (n: number) => tensor(Array.from({ length: n }, (_, i) => [(i + 0.25) / n]), { dtype });

  it('redraws, weight updates and held-out validation act on their phase\'s own step counts', async () => {
    const { problem, model } = setup();
    const held = tensor(Array.from({ length: 20 }, (_, i) => [(i + 0.37) / 20.5]), { dtype });
    const trainer = new Trainer({
      problem, model, phases, logEvery: 1,
      sampling: [new pinn.Resample({ condition: 'pde', source, every: 3, phase: 'main' })],
      weighting: new pinn.GradNormWeighting({ every: 2, phase: 'warm' }),
      validation: { condition: 'pde', points: held, every: 2, phase: 'main' },
    });
    const resampled: number[] = [], validated: number[] = [], weights: Record<string, number>[] = [];
    trainer.on('resample', (e) => resampled.push(e.step));
    trainer.on('validation', (e) => validated.push(e.step));
    trainer.on('step', (e) => weights.push(e.weights));
    await trainer.fit();
    expect(resampled).toEqual([10, 13, 16]); // main's steps 3, 6 and 9 (7 + 3k)
    expect(validated).toEqual([8, 10, 12, 14, 16]); // every 2 steps, from main's start on
    // Updated at warm's steps 0, 2, 4 and 6 (they move), then held for all of main.
    expect(weights[2]).not.toEqual(weights[0]);
    for (const w of weights.slice(7)) expect(w).toEqual(weights[6]);
    trainer.dispose(); model.dispose(); problem.dispose(); held.dispose();
  });

  it('refuses a phase name the fit does not have, saying where', () => {
    const { problem, model } = setup();
    const held = tensor([[0.5]], { dtype });
    expect(() => new Trainer({ problem, model, phases, sampling: [new pinn.RAD({ condition: 'pde', source, every: 2, candidates: 64, phase: 'mian' })] }))
      .toThrow(/Trainer: sampling 'rad' counts the steps of phase 'mian', which this fit does not have \(phases: warm, main\)/);
    expect(() => new Trainer({ problem, model, phases, weighting: new pinn.NTKWeighting({ phase: 'adam' }) })).toThrow(/weighting counts the steps of phase 'adam'/);
    expect(() => new Trainer({ problem, model, phases, validation: { condition: 'pde', points: held, every: 1, phase: 'lbfgs' } })).toThrow(/validation counts the steps of phase 'lbfgs'/);
    expect(() => new pinn.Resample({ condition: 'pde', source, every: 2, phase: '' })).toThrow(/Resample/);
    expect(() => new pinn.GradNormWeighting({ phase: 3 as never })).toThrow(/phase/);
    model.dispose(); problem.dispose(); held.dispose();
  });
});

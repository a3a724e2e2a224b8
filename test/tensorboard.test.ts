// TensorBoard event files, read back by an independent reader: test/helpers/read_tfevents.py
// (Python standard library: its own CRC32C, the TFRecord framing, the protobufs decoded by hand).
// Every scalar is compared, step for step, with the run's metrics.json and its --json events.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { importInChild } from '../scripts/import-cost.mjs';
import { Trainer, nn, pinn, tensor } from '../src/index.js';
import { EventFileWriter, maskedCrc32c } from '../src/io/tensorboard/index.js';

const CLI = resolve(__dirname, '../dist/cli/main.js');
const READER = resolve(__dirname, 'helpers/read_tfevents.py');
const PYTHON = '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'pinn-tb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Value { tag: string; simple_value?: number; text?: string; plugin?: string; image?: { height: number; width: number; colorspace: number; png_hex: string } }
interface TbEvent { wall_time: number; step: number; file_version?: string; summary?: Value[]; session_log?: string }
interface TbFile { path: string; events: TbEvent[] }

function readEvents(...paths: string[]): { code: number | null; files: TbFile[]; stderr: string } {
  const r = spawnSync(PYTHON, [READER, ...paths], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, files: r.status === 0 ? JSON.parse(r.stdout).files : [], stderr: r.stderr };
}

/** Every scalar over the files in order, by tag: [step, value] pairs. */
function scalars(files: TbFile[]): Map<string, Array<[number, number]>> {
  const out = new Map<string, Array<[number, number]>>();
  for (const f of files) for (const e of f.events) for (const v of e.summary ?? []) {
    if (v.simple_value === undefined) continue;
    if (!out.has(v.tag)) out.set(v.tag, []);
    out.get(v.tag)!.push([e.step, v.simple_value]);
  }
  return out;
}

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function config(name: string, c: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(c));
  return path;
}
const jsonEvents = (stdout: string) => stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
const f32 = Math.fround;

/** TensorBoard stores float32: every series equals the history's values rounded to float32, at the same steps. */
function expectSeries(got: Array<[number, number]> | undefined, steps: number[], values: number[], what: string) {
  expect(got, what).toBeDefined();
  expect(got!.map(([s]) => s), `${what}: steps`).toEqual(steps);
  expect(got!.map(([, v]) => v), `${what}: values`).toEqual(values.map(f32));
}

/** Everything a run's metrics.json history and its --json step events hold, against the event files. */
function expectMatchesRun(files: TbFile[], metrics: { result: { history: any } }, stepEvents: any[]) {
  const h = metrics.result.history, s = scalars(files);
  expect(new Set(h.step).size).toBe(h.step.length);
  expectSeries(s.get('total_loss'), h.step, h.total, 'total_loss');
  expectSeries(s.get('lr'), h.step, h.lr, 'lr');
  expectSeries(s.get('grad_norm'), h.step, h.gradNorm, 'grad_norm');
  expectSeries(s.get('time/step'), h.step, h.stepTime, 'time/step');
  expectSeries(s.get('phase'), h.step, h.phase, 'phase');
  for (const [term, values] of Object.entries(h.losses)) expectSeries(s.get(`loss/${term}`), h.step, values as number[], `loss/${term}`);
  for (const [name, values] of Object.entries(h.coefficients)) expectSeries(s.get(`coefficient/${name}`), h.step, values as number[], `coefficient/${name}`);
  const evalSteps = h.evaluations.map((e: any) => e.step);
  for (const out of Object.keys(h.evaluations[0].relL2)) expectSeries(s.get(`rel_l2/${out}`), evalSteps, h.evaluations.map((e: any) => e.relL2[out]), `rel_l2/${out}`);
  // What only the step events carry: weights, weighted losses, speed and the timing split.
  const ev = stepEvents.map((e) => e.data), evSteps = ev.map((e) => e.step);
  for (const term of Object.keys(h.losses)) {
    expectSeries(s.get(`weight/${term}`), evSteps, ev.map((e) => e.weights[term]), `weight/${term}`);
    expectSeries(s.get(`weighted_loss/${term}`), evSteps, ev.map((e) => e.weighted[term]), `weighted_loss/${term}`);
  }
  expectSeries(s.get('time/steps_per_second'), evSteps, ev.map((e) => e.stepsPerSecond), 'time/steps_per_second');
  for (const part of ['sampling', 'forward', 'loss', 'backward', 'optimizer']) expectSeries(s.get(`time/${part}`), evSteps, ev.map((e) => e.timing[part]), `time/${part}`);
  return s;
}

describe('the event file format', () => {
  it("the reader's own CRC32C gives the standard check value, and agrees with the writer's masked CRC", () => {
    const py = (code: string) => spawnSync(PYTHON, ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(resolve(__dirname, 'helpers'))}); import read_tfevents as r; ${code}`], { encoding: 'utf8' }).stdout.trim();
    expect(py("print(hex(r.crc32c(b'123456789')))")).toBe('0xe3069283'); // CRC-32C's check value (RFC 3720 B.4 family)
    const bytes = Buffer.from('pinn-torch \u00e9\u0000\u00ff events');
    expect(Number(py(`print(r.masked_crc32c(bytes.fromhex('${bytes.toString('hex')}')))`))).toBe(maskedCrc32c(bytes));
  });

  it('scalars, text and images round-trip; a flipped bit in the data or the length is a CRC error', () => {
    const logdir = join(dir, 'format');
    const w = new EventFileWriter(logdir);
    w.scalars(7, { 'loss/pde': 0.1, lr: 1e-3, big: 3e38, tiny: -1.5e-30 });
    w.text(7, 'config', 'hello **markdown** ünïcode');
    const png = new PNG({ width: 3, height: 2 });
    png.data.fill(200);
    const pngBytes = PNG.sync.write(png);
    w.image(9, 'fields', pngBytes);
    w.sessionStart(10);
    w.close();
    expect(() => w.scalars(11, { x: 1 })).toThrow(/is closed/);
    const r = readEvents(logdir);
    expect(r.code, r.stderr).toBe(0);
    const [file] = r.files;
    expect(file.path).toMatch(/events\.out\.tfevents\.\d{10}\.[^/]+\.\d+\.\d+$/);
    const [version, sc, text, image, restart] = file.events;
    expect(version).toMatchObject({ step: 0, file_version: 'brain.Event:2' });
    expect(Math.abs(version.wall_time - Date.now() / 1000)).toBeLessThan(60);
    expect(sc.step).toBe(7);
    expect(sc.summary).toEqual([
      { tag: 'loss/pde', simple_value: f32(0.1) }, { tag: 'lr', simple_value: f32(1e-3) },
      { tag: 'big', simple_value: f32(3e38) }, { tag: 'tiny', simple_value: f32(-1.5e-30) },
    ]);
    expect(text.summary).toEqual([{ tag: 'config', plugin: 'text', text: 'hello **markdown** ünïcode' }]);
    expect(image.step).toBe(9);
    expect(image.summary![0]).toEqual({ tag: 'fields', image: { height: 2, width: 3, colorspace: 4, png_hex: pngBytes.toString('hex') } });
    expect(restart).toMatchObject({ step: 10, session_log: 'START' });
    expect(() => w.image(1, 'x', Buffer.from('GIF89a not a png at all'))).toThrow(/'x' is not a PNG/);

    const good = readFileSync(file.path);
    const corrupt = (at: number, name: string) => {
      const bad = Buffer.from(good);
      bad[at] ^= 0x10;
      const path = join(dir, name);
      writeFileSync(path, bad);
      return readEvents(path);
    };
    const firstLength = Number(good.readBigUInt64LE(0));
    const inData = corrupt(12 + firstLength + 16 + 12 + 3, 'data-bit'); // inside the second record's data
    expect(inData.code).toBe(1);
    expect(inData.stderr).toMatch(/record 1: data CRC mismatch/);
    const inLength = corrupt(0, 'length-bit');
    expect(inLength.code).toBe(1);
    expect(inLength.stderr).toMatch(/record 0: length CRC mismatch/);
    const truncated = join(dir, 'truncated');
    writeFileSync(truncated, good.subarray(0, good.length - 3));
    expect(readEvents(truncated).stderr).toMatch(/truncated data/);
  });

  it('records reach the file within flushMs while the writer stays open (a live TensorBoard sees them)', async () => {
    const logdir = join(dir, 'live');
    const w = new EventFileWriter(logdir, 50);
    w.scalars(1, { a: 1 });
    expect(readFileSync(w.path)).toHaveLength(0); // buffered
    await new Promise((r) => setTimeout(r, 300));
    const r = readEvents(logdir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.files[0].events.map((e) => e.step)).toEqual([0, 1]);
    w.scalars(2, { a: 2 });
    w.close();
    expect(readEvents(logdir).files[0].events.map((e) => e.step)).toEqual([0, 1, 2]);
  });
  it("import 'pinn-torch' does not load protobufjs; the first event file does", () => {
    const loaded = (path: string) => importInChild(pathToFileURL(resolve(__dirname, '../dist', path)).href, { trace: true }).loaded as string[];
    const protobufjs = (urls: string[]) => urls.filter((u) => u.includes('/node_modules/protobufjs/'));
    expect(loaded('index.js').some((u) => u.endsWith('/dist/index.js'))).toBe(true);
    expect(protobufjs(loaded('index.js'))).toEqual([]);
    // the same check sees it where it is used, so it is not vacuous
    const script = join(dir, 'first-event.mjs');
    writeFileSync(script, `import { EventFileWriter } from ${JSON.stringify(pathToFileURL(resolve(__dirname, '../dist/io/tensorboard/index.js')).href)};\nnew EventFileWriter(${JSON.stringify(join(dir, 'first-event'))}).close();\n`);
    expect(protobufjs(importInChild(pathToFileURL(script).href, { trace: true }).loaded).length).toBeGreaterThan(0);
  }, 60_000);
});

describe('Trainer option tensorboard', () => {
  const dtype = 'float64';
  function setup(poison = () => false) {
    const x = tensor(Array.from({ length: 16 }, (_, i) => [(i + 0.5) / 16]), { dtype });
    const problem = new pinn.Problem({
      inputs: ['x'], outputs: ['u'], coefficients: { k: 1 },
      conditions: [
        new pinn.PDE('pde', x, (d, c) => { const r = d.d('u', 'x', 'x').add(d.value('u').mul(c.k)); return poison() ? r.mul(NaN) : r; }),
        new pinn.DirichletBC('bc', tensor([[0], [1]], { dtype }), tensor([[0], [0.5]], { dtype }), { output: 'u' }),
      ],
      reference: { points: tensor([[0.25], [0.5]], { dtype }), values: tensor([[0.1], [0.2]], { dtype }) },
    });
    return { problem, model: new nn.MLP([1, 8, 1], { seed: 0, dtype }) };
  }
  const pngOf = (shade: number) => {
    const p = new PNG({ width: 2, height: 2 });
    p.data.fill(shade);
    return PNG.sync.write(p);
  };

  it('coefficients, images every imageEvery evaluations, and a fit continued after an abort writes a second file that restarts after the last step', async () => {
    const { problem, model } = setup();
    const logdir = join(dir, 'code');
    const imagesAt: number[] = [];
    const trainer = new Trainer({
      problem, model, evalEvery: 5, phases: [{ optimizer: { type: 'adam', lr: 1e-2 }, steps: 30 }],
      tensorboard: { logdir, imageEvery: 2, images: async (t) => { imagesAt.push(t.progress.step); return { shade: pngOf(t.progress.step) }; } },
    });
    trainer.on('step', (e) => { if (e.step === 12) trainer.stop('aborted'); });
    expect((await trainer.fit()).stopReason).toBe('aborted');
    const aborted = readEvents(logdir);
    expect(aborted.code, aborted.stderr).toBe(0); // closed cleanly: every record whole
    expect(scalars(aborted.files).get('total_loss')!.map(([s]) => s)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));

    const result = await trainer.fit();
    expect(result.stopReason).toBe('completed');
    const { code, files, stderr } = readEvents(logdir);
    expect(code, stderr).toBe(0);
    expect(files).toHaveLength(2);
    expect(files.map((f) => f.events[1])).toMatchObject([{ step: 1, session_log: 'START' }, { step: 13, session_log: 'START' }]);
    const h = result.history, s = scalars(files);
    expectSeries(s.get('coefficient/k'), h.step, h.coefficients.k, 'coefficient/k');
    expectSeries(s.get('total_loss'), h.step, h.total, 'total_loss');
    expectSeries(s.get('rel_l2/u'), [5, 10, 15, 20, 25, 30], h.evaluations.map((e) => e.relL2.u), 'rel_l2/u');
    // every 2nd evaluation of the run, counted across both fits
    expect(imagesAt).toEqual([10, 20, 30]);
    const images = files.flatMap((f) => f.events.flatMap((e) => (e.summary ?? []).filter((v) => v.image).map((v) => ({ step: e.step, ...v }))));
    expect(images.map((v) => [v.step, v.tag, v.image!.png_hex])).toEqual([10, 20, 30].map((st) => [st, 'shade', pngOf(st).toString('hex')]));
    const texts = files.flatMap((f) => f.events.flatMap((e) => (e.summary ?? []).filter((v) => v.plugin === 'text').map((v) => [e.step, v.tag])));
    expect(texts).toEqual([[0, 'plan'], [12, 'plan']]); // no options.config: no config text
    trainer.dispose(); problem.dispose(); model.dispose();
  });

  it('training goes on while images are drawn; each is logged at its evaluation step, and fit() waits for the last', async () => {
    const { problem, model } = setup();
    const logdir = join(dir, 'pending-images');
    const release = new Map<number, () => void>();
    const trainer = new Trainer({
      problem, model, evalEvery: 5, phases: [{ optimizer: { type: 'adam', lr: 1e-2 }, steps: 20 }],
      // each picture is done only 3 steps after its evaluation: a Trainer that waited for it would never get there
      tensorboard: { logdir, images: (t) => { const at = t.progress.step; return new Promise((done) => release.set(at + 3, () => done({ shade: pngOf(at) }))); } },
    });
    trainer.on('step', (e) => release.get(e.step)?.());
    trainer.on('evaluation', (e) => { if (e.step === 20) setTimeout(() => release.get(23)!(), 100); });
    await trainer.fit();
    const { code, files, stderr } = readEvents(logdir);
    expect(code, stderr).toBe(0);
    const images = files[0].events.filter((e) => e.summary?.[0]?.image);
    expect(images.map((e) => e.step)).toEqual([5, 10, 15, 20]);
    expect(images.map((e) => e.summary![0].image!.png_hex)).toEqual([5, 10, 15, 20].map((st) => pngOf(st).toString('hex')));
    // written when drawn: after the scalars of the steps that ran meanwhile
    const order = files[0].events.filter((e) => e.summary).map((e) => `${e.summary![0].image ? 'image' : 'step'} ${e.step}`);
    expect(order.indexOf('image 5')).toBeGreaterThan(order.indexOf('step 8'));
    trainer.dispose(); problem.dispose(); model.dispose();
  });

  it('a NaN rollback marks a restart: read as TensorBoard does (dropping what came before from that step on), the steps equal the history', async () => {
    let calls = 0;
    const { problem, model } = setup(() => ++calls === 13); // NaN in the 12th step (the first evaluates twice)
    const logdir = join(dir, 'rollback');
    const trainer = new Trainer({ problem, model, nanGuard: { action: 'rollback', lrFactor: 0.1 }, phases: [{ optimizer: { type: 'adam', lr: 1e-2 }, steps: 20 }], tensorboard: { logdir } });
    const result = await trainer.fit();
    const { code, files, stderr } = readEvents(logdir);
    expect(code, stderr).toBe(0);
    expect(files).toHaveLength(1);
    const restarts = files[0].events.filter((e) => e.session_log === 'START').map((e) => e.step);
    expect(restarts).toEqual([1, 1]); // the fit's start, then the rollback to step 0 (the phase's start)
    const raw = scalars(files).get('total_loss')!.map(([st]) => st);
    expect(raw).toEqual([...Array.from({ length: 11 }, (_, i) => i + 1), ...result.history.step]);
    // TensorBoard's purge (plugin_event_accumulator._CheckForRestartAndMaybePurge): the run's first
    // START is its start; each later one at step s drops every value read before at step >= s.
    const kept: Array<[number, number]> = [];
    let started = false;
    for (const e of files[0].events) {
      if (e.session_log === 'START' && started) kept.splice(0, kept.length, ...kept.filter(([st]) => st < e.step));
      if (e.session_log === 'START') started = true;
      const v = e.summary?.find((x) => x.tag === 'total_loss');
      if (v) kept.push([e.step, v.simple_value!]);
    }
    expectSeries(kept, result.history.step, result.history.total, 'total_loss after the restart');
    trainer.dispose(); problem.dispose(); model.dispose();
  });

  it('bad options are refused when the Trainer is built', () => {
    const { problem, model } = setup();
    const phases = [{ optimizer: { type: 'adam' as const }, steps: 1 }];
    expect(() => new Trainer({ problem, model, phases, tensorboard: { logdir: '' } })).toThrow(/tensorboard\.logdir must be a directory path/);
    expect(() => new Trainer({ problem, model, phases, tensorboard: { logdir: join(dir, 'x'), imageEvery: 0 } })).toThrow(/tensorboard\.imageEvery must be a positive integer, got 0/);
    writeFileSync(join(dir, 'plain-file'), '');
    expect(() => new Trainer({ problem, model, phases, tensorboard: { logdir: join(dir, 'plain-file') } })).toThrow(/tensorboard\.logdir .*plain-file is not a writable directory/);
    problem.dispose(); model.dispose();
  });
});

const tinyPoisson = {
  extends: 'poisson-2d', problem: { type: 'poisson-2d', points: 200, sampler: 'sobol' }, model: { hidden: [16, 16] },
  phases: [
    { steps: 30, optimizer: { type: 'adam', lr: 1e-2 }, scheduler: { type: 'ExponentialLR', gamma: 0.99 } },
    { steps: 3, optimizer: { type: 'lbfgs', maxIter: 10, lineSearchFn: 'strong_wolfe' } },
  ],
  validation: { condition: 'pde', points: 300, every: 4 },
  logEvery: 1, evalEvery: 10, checkpointEvery: 0,
};

describe('pinn-torch train --tensorboard', () => {
  it('writes every step of both phases, the errors, held-out residuals, the config as text and the field images', () => {
    const out = join(dir, 'poisson'), logdir = join(dir, 'tb-poisson');
    const r = cli('train', config('poisson.json', tinyPoisson), '--out', out, '--tensorboard', logdir, '--json');
    expect(r.code, r.stderr).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    const { code, files, stderr } = readEvents(logdir);
    expect(code, stderr).toBe(0);
    expect(files).toHaveLength(1);
    expect(files[0].events[0].file_version).toBe('brain.Event:2');
    const events = jsonEvents(r.stdout);
    const h = metrics.result.history;
    expect(h.step).toEqual(Array.from({ length: 33 }, (_, i) => i + 1));
    const s = expectMatchesRun(files, metrics, events.filter((e) => e.type === 'step'));
    expect(new Set(h.phase)).toEqual(new Set([0, 1]));
    expect(h.validation.length).toBeGreaterThan(5);
    expectSeries(s.get('held_out/pde'), h.validation.map((v: any) => v.step), h.validation.map((v: any) => v.value), 'held_out/pde');
    expect(files[0].events.filter((e) => e.session_log)).toMatchObject([{ step: 1, session_log: 'START' }]);
    expect(files[0].events[1]).toMatchObject({ step: 1, session_log: 'START' }); // before any value

    const values = files[0].events.flatMap((e) => (e.summary ?? []).map((v) => ({ step: e.step, ...v })));
    const configText = values.find((v) => v.tag === 'config')!;
    expect(configText.plugin).toBe('text');
    expect(configText.step).toBe(0);
    const saved = JSON.parse(configText.text!.split('\n').map((l) => l.slice(4)).join('\n'));
    expect(saved.config).toEqual(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')));
    const plan = JSON.parse(values.find((v) => v.tag === 'plan')!.text!.split('\n').map((l) => l.slice(4)).join('\n'));
    expect(plan.phases.map((p: any) => p.steps)).toEqual([30, 3]);

    const images = values.filter((v) => v.image);
    expect(images.map((v) => v.step)).toEqual(h.evaluations.map((e: any) => e.step)); // imageEvery 1: each evaluation
    expect(images.map((v) => v.tag)).toEqual(['fields', 'fields', 'fields']);
    for (const v of images) {
      const bytes = Buffer.from(v.image!.png_hex, 'hex');
      expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const img = PNG.sync.read(bytes);
      expect([img.width, img.height]).toEqual([v.image!.width, v.image!.height]);
      const colours = new Set<number>();
      for (let i = 0; i < img.data.length; i += 4 * 97) colours.add(img.data.readUInt32BE(i));
      expect(colours.size).toBeGreaterThan(50); // heatmaps, not a blank canvas
    }
  }, 120_000);

  it('a resumed run appends a file whose steps continue after the checkpoint: together they equal metrics.json, no step twice', async () => {
    const out = join(dir, 'burgers'), logdir = join(dir, 'tb-burgers');
    const long = (steps: number) => ({
      extends: 'burgers', problem: { interior: 100, boundary: 20, initial: 20 }, model: { hidden: [8, 8] },
      phases: [{ steps, optimizer: { type: 'adam', lr: 1e-3 } }], evalEvery: 25, checkpointEvery: 0, logEvery: 1,
    });
    const child = spawn(process.execPath, [CLI, 'train', config('long.json', long(200_000)), '--out', out, '--tensorboard', logdir, '--json'], { cwd: dir });
    let stdout = '';
    const code = await new Promise<number | null>((done) => {
      child.stdout.on('data', (b) => {
        stdout += b;
        if (/"type":"step","data":\{[^\n]*"step":2\d,/.test(stdout) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => done(c));
    });
    expect(code).toBe(130);
    const first = jsonEvents(stdout);
    const stoppedAt = first.find((e) => e.type === 'end').data.steps;
    expect(stoppedAt).toBeGreaterThanOrEqual(20);

    const r = cli('resume', out, '--config', config('short.json', long(stoppedAt + 40)), '--tensorboard', logdir, '--json');
    expect(r.code, r.stderr).toBe(0);
    const second = jsonEvents(r.stdout);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    const h = metrics.result.history;
    expect(h.step).toEqual(Array.from({ length: stoppedAt + 40 }, (_, i) => i + 1));

    expect(readdirSync(logdir).filter((f) => f.startsWith('events.out.tfevents.'))).toHaveLength(2);
    const { code: rc, files, stderr } = readEvents(logdir);
    expect(rc, stderr).toBe(0);
    const stepsOf = (f: TbFile) => f.events.filter((e) => e.summary?.some((v) => v.tag === 'total_loss')).map((e) => e.step);
    expect(stepsOf(files[0])).toEqual(h.step.slice(0, stoppedAt));
    expect(stepsOf(files[1])).toEqual(h.step.slice(stoppedAt));
    // The resumed file says where it restarts (TensorBoard then drops anything older files hold from there on).
    expect(files[0].events[1]).toMatchObject({ step: 1, session_log: 'START' });
    expect(files[1].events[1]).toMatchObject({ step: stoppedAt + 1, session_log: 'START' });
    expect(files[1].events.find((e) => e.summary?.some((v) => v.tag === 'config'))!.step).toBe(stoppedAt);
    expectMatchesRun(files, metrics, [...first, ...second].filter((e) => e.type === 'step'));
  }, 120_000);

  it('a directory that cannot be made is one line and exit code 2, before any work', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const r = cli('train', config('p.json', tinyPoisson), '--out', join(dir, 'never'), '--tensorboard', join(blocker, 'tb'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--tensorboard: .*a-file\/tb is not a writable directory: ENOTDIR/);
    expect(readdirSync(dir)).not.toContain('never');
    expect(cli('eval', join(dir, 'poisson'), '--tensorboard', join(dir, 'x')).stderr).toMatch(/--tensorboard is for train and resume/);
  }, 60_000);
});

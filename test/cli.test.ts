// The CLI as a user drives it: spawned processes, their output, exit codes and files.
// Runs dist/ (built by `npm ci`'s prepare step, or `npm run build`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { validate } from '../src/cli/config.js';
import { report } from '../src/cli/progress.js';
import { TRAINER_EVENT_TYPES, nn } from '../src/index.js';

const CLI = resolve(__dirname, '../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'pinn-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function config(name: string, c: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(c));
  return path;
}
const tinyPoisson = {
  extends: 'poisson-2d', problem: { type: 'poisson-2d', points: 200, sampler: 'sobol' }, model: { hidden: [16, 16] },
  phases: [
    { steps: 40, optimizer: { type: 'adam', lr: 1e-2 } },
    { steps: 2, optimizer: { type: 'lbfgs', maxIter: 20, lineSearchFn: 'strong_wolfe' } },
  ],
  evalEvery: 20, checkpointEvery: 20,
};
/** Enough Burgers steps that an interrupt lands mid-phase; small enough to finish in seconds. */
const longBurgers = (steps: number) => ({
  extends: 'burgers', problem: { interior: 100, boundary: 20, initial: 20 }, model: { hidden: [8, 8] },
  phases: [{ steps, optimizer: { type: 'adam', lr: 1e-3 } }], evalEvery: 100, checkpointEvery: 0, logEvery: 1,
});

function png(path: string) {
  const img = PNG.sync.read(readFileSync(path));
  const colours = new Set<number>();
  for (let i = 0; i < img.data.length; i += 4 * 97) colours.add(img.data.readUInt32BE(i));
  return { width: img.width, height: img.height, colours: colours.size };
}

describe('pinn-torch CLI', () => {
  it('info names LibTorch, BLAS, threads and CUDA; presets lists the four reference runs', () => {
    const i = cli('info');
    expect(i.code).toBe(0);
    expect(i.stdout).toMatch(/LibTorch:\s+\d+\.\d+/);
    expect(i.stdout).toMatch(/BLAS:\s+\w+/);
    expect(i.stdout).toMatch(/CUDA:\s+(available|not available)/);
    const p = cli('presets');
    expect(p.code).toBe(0);
    for (const name of ['elastic-wave-2d', 'mre-helmholtz', 'poisson-2d', 'burgers']) expect(p.stdout).toContain(name);
  }, 30_000); // two process starts (each loads LibTorch): over 5 s on a loaded 2-core machine

  it('trains a config file: summary on stdout, metrics.json, checkpoints, loss and field plots as real PNGs', () => {
    const out = join(dir, 'poisson');
    const r = cli('train', config('poisson.json', tinyPoisson), '--out', out);
    expect(r.stderr).not.toContain('pinn-torch: error');
    expect(r.code).toBe(0);
    const err = Number(/relative L2 ([\d.e+-]+)/.exec(r.stdout)?.[1]);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.result.steps).toBe(42);
    expect(metrics.result.relL2.all).toBeCloseTo(err, 3);
    expect(metrics.result.relL2.all).toBeLessThan(0.5); // it learned something: a zero field scores 1
    expect(metrics.result.history.losses.pde).toHaveLength(42);
    expect(readdirSync(join(out, 'checkpoints'))).toContain('latest');
    const loss = png(join(out, 'loss.png')), fields = png(join(out, 'fields.png'));
    expect(loss.width).toBeGreaterThan(600);
    expect(loss.height).toBeGreaterThan(300);
    expect(fields.width).toBeGreaterThan(3 * fields.height - 400); // three panels side by side for one output
    expect(loss.colours).toBeGreaterThan(3);
    expect(fields.colours).toBeGreaterThan(50); // heatmaps, not a blank canvas
    expect(readFileSync(join(out, 'fields.svg'), 'utf8')).toMatch(/^<svg/);
    // Not a TTY here: plain progress lines, not a bar.
    expect(r.stderr).toMatch(/\[adam\] step \d+\/42 loss/);
  }, 120_000);

  it('a config without model and phases trains with the default recipe, and the run directory keeps the plan', () => {
    const out = join(dir, 'auto');
    const planless = {
      problem: { type: 'burgers', nu: 0.01 / Math.PI, interior: 300, boundary: 40, initial: 40, sampler: 'halton' },
      seed: 0, logEvery: 50, evalEvery: 1_000_000, checkpointEvery: 0, keepLast: 1, timeBudget: 6,
    };
    const r = cli('train', config('auto.json', planless), '--out', out);
    expect(r.stderr).not.toContain('pinn-torch: error');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/the default recipe plans the run/);
    const saved = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(saved.model).toEqual({ hidden: [32, 32, 32], activation: 'tanh', init: 'xavierNormal', dtype: 'float32' });
    expect(saved.phases.map((p: { optimizer: { type: string } }) => p.optimizer.type)).toEqual(['adam', 'bfgs']);
    expect(saved.weighting.type).toBe('ntk');
    expect(saved.sampling.map((s: { type: string; condition: string }) => `${s.type} ${s.condition}`)).toEqual(['rad pde']);
    expect(saved.validation.condition).toBe('pde');
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.result.timing.total).toBeLessThan(6 + 3); // the budget ends it (a step may finish past it)
    expect(metrics.result.relL2.all).toBeLessThan(0.9); // it learned something: a zero field scores 1
  }, 120_000);

  it('every preset builds its problem, trains, evaluates against its reference and plots (a few steps each)', () => {
    for (const preset of ['elastic-wave-2d', 'mre-helmholtz', 'poisson-2d', 'burgers']) {
      const out = join(dir, `preset-${preset}`);
      const short = config(`${preset}.json`, { extends: preset, phases: [{ steps: 3, optimizer: { type: 'adam', lr: 1e-3 } }], evalEvery: 3, checkpointEvery: 0 });
      const r = cli('train', short, '--out', out, '--quiet');
      expect(r.stderr, preset).toBe('');
      expect(r.code, preset).toBe(0);
      const { result } = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
      expect(result.steps).toBe(3);
      expect(Number.isFinite(result.relL2.all) && result.relL2.all > 0, preset).toBe(true);
      expect(existsSync(join(out, 'fields.png')), preset).toBe(true);
    }
  }, 120_000);

  it('--json prints one event per line, in order, and nothing else', () => {
    const r = cli('train', config('json.json', tinyPoisson), '--out', join(dir, 'json'), '--json');
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('start');
    expect(types.at(-1)).toBe('end');
    expect(types.filter((t) => t === 'phaseStart')).toHaveLength(2);
    const steps = events.filter((e) => e.type === 'step').map((e) => e.data.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(events.find((e) => e.type === 'step').data.losses).toHaveProperty('pde');
    expect(r.stderr).toBe('');
  }, 120_000);

  it('a config may move the points: RAD during Adam, resampling during L-BFGS, each on schedule', () => {
    const c = {
      ...tinyPoisson,
      sampling: [
        { type: 'rad', condition: 'pde', every: 10, until: 39, candidates: 2000 },
        { type: 'resample', condition: 'pde', every: 1, from: 40 },
      ],
    };
    const r = cli('train', config('sampling.json', c), '--out', join(dir, 'sampling'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const moves = events.filter((e) => e.type === 'resample').map((e) => [e.data.step, e.data.strategy, e.data.points.pde]);
    expect(moves).toEqual([[10, 'rad', 200], [20, 'rad', 200], [30, 'rad', 200], [40, 'resample', 200], [41, 'resample', 200]]);
    expect(events.at(-1).type).toBe('end');
  }, 120_000);

  it('a mini-batch until the last Adam step: a batch every step, then all points for L-BFGS', () => {
    const c = { ...tinyPoisson, sampling: [{ type: 'minibatch', condition: 'pde', batchSize: 50, until: 39 }] };
    const r = cli('train', config('minibatch.json', c), '--out', join(dir, 'minibatch'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const steps = events.filter((e) => e.type === 'resample').map((e) => e.data.step);
    expect(steps).toEqual(Array.from({ length: 41 }, (_, i) => i)); // steps 0–39 draw a batch, 40 restores all points
    expect(events.at(-1).type).toBe('end');
  }, 120_000);

  it('Ctrl-C during train leaves a checkpoint; resume finishes the run; eval prints the errors and writes the plots', async () => {
    const out = join(dir, 'interrupted');
    const child = spawn(process.execPath, [CLI, 'train', config('long.json', longBurgers(200_000)), '--out', out], { cwd: dir });
    let stderr = '', stdout = '';
    child.stdout.on('data', (b) => { stdout += b; });
    const code = await new Promise<number | null>((done) => {
      child.stderr.on('data', (b) => {
        stderr += b;
        if (/step \d+\/200000/.test(stderr) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => done(c));
    });
    expect(code).toBe(130);
    expect(stdout).toContain(`pinn-torch resume ${out}`);
    const stoppedAt = Number(/after (\d+) steps/.exec(stdout)?.[1]);
    expect(stoppedAt).toBeGreaterThan(0);
    expect(stoppedAt).toBeLessThan(200_000);
    // checkpointEvery 0 and one phase: the only checkpoint is the one the interrupt saved, and the CLI says where.
    const saved = `step-${String(stoppedAt).padStart(8, '0')}`;
    expect(readFileSync(join(out, 'checkpoints', 'latest'), 'utf8').trim()).toBe(saved);
    expect(readdirSync(join(out, 'checkpoints')).filter((f) => f.startsWith('step-'))).toEqual([saved]);
    expect(stdout).toContain(`interrupted at step ${stoppedAt}: checkpoint saved in ${join(out, 'checkpoints', saved)}`);
    expect(stderr).toContain('SIGINT: stopping after this step');

    // The same problem with a shorter plan: resume continues from the checkpoint to its end.
    const r = cli('resume', out, '--config', config('short.json', longBurgers(stoppedAt + 30)));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`resuming at step ${stoppedAt}`);
    expect(r.stdout).toContain(`after ${stoppedAt + 30} steps`);

    rmSync(join(out, 'fields.png'));
    const e = cli('eval', out);
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(new RegExp(`step ${stoppedAt + 30}: relative L2 \\d`));
    const evaluation = JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8')).evaluation;
    expect(evaluation.step).toBe(stoppedAt + 30);
    expect(png(join(out, 'fields.png')).colours).toBeGreaterThan(50);
  }, 120_000);

  /**
   * Starts a long Burgers run, sends `signal` once its first step event is out (and `again`
   * once the CLI says it is stopping); resolves with the exit.
   */
  function interrupt(name: string, signal: NodeJS.Signals, again: NodeJS.Signals | null, ...args: string[]) {
    const out = join(dir, name);
    const child = spawn(process.execPath, [CLI, 'train', config(`${name}.json`, longBurgers(200_000)), '--out', out, ...args], { cwd: dir });
    let stderr = '', stdout = '', sent = 0;
    child.stdout.on('data', (b) => { stdout += b; });
    return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; out: string }>((done) => {
      const maybeSend = () => {
        if (sent === 0 && /"type":"step"|step \d+\/200000/.test(stdout + stderr)) { sent = 1; child.kill(signal); }
        if (sent === 1 && again && /stopping after this step/.test(stderr)) { sent = 2; child.kill(again); }
      };
      child.stdout.on('data', maybeSend);
      child.stderr.on('data', (b) => { stderr += b; maybeSend(); });
      child.on('exit', (code, signal) => done({ code, signal, stdout, stderr, out }));
    });
  }

  it('SIGTERM (the CLI owns signals, not the Trainer): the abort checkpoint is saved, its event is in --json, exit code 130', async () => {
    const r = await interrupt('sigterm', 'SIGTERM', null, '--json');
    expect(r.code, r.stderr).toBe(130);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const end = events.at(-1);
    expect(end.type).toBe('end');
    expect(end.data.stopReason).toBe('aborted');
    const ckpt = events.filter((e) => e.type === 'checkpoint');
    expect(ckpt.map((e) => e.data.reason)).toEqual(['abort']); // none existed before the signal
    expect(ckpt[0].data.path).toBe(join(r.out, 'checkpoints', `step-${String(end.data.steps).padStart(8, '0')}`));
    expect(end.data.lastCheckpoint).toBe(ckpt[0].data.path);
    expect(existsSync(join(ckpt[0].data.path, 'manifest.json'))).toBe(true);
  }, 120_000);

  it('a second signal ends the process at once, as without a handler', async () => {
    // (Two signals sent back to back may reach the process as one: the second waits for the notice.)
    const r = await interrupt('twice', 'SIGINT', 'SIGINT');
    expect(r.signal).toBe('SIGINT');
    expect(r.code).toBe(null);
  }, 120_000);

  describe('mistakes give one clear line, a non-zero exit code, and no stack trace unless --verbose', () => {
    const oneLine = (r: ReturnType<typeof cli>, pattern: RegExp) => {
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    };
    it('a preset typo, with a suggestion', () => oneLine(cli('train', 'elastic-wave2d'), /unknown preset 'elastic-wave2d'; did you mean 'elastic-wave-2d'\?/));
    it('a missing file', () => oneLine(cli('train', 'nope.json'), /nope\.json: no such file/));
    it('a bad config: unknown key, wrong type, impossible value, all named with their place', () => {
      const path = config('bad.json', { extends: 'poisson-2d', modle: {}, seed: 'one', phases: [{ steps: -5, optimizer: { type: 'adam' } }] });
      const r = cli('train', path);
      oneLine(r, /bad\.json: invalid config/);
      expect(r.stderr).toContain("config: unknown key 'modle'; did you mean 'model'?");
      expect(r.stderr).toContain('config.seed: expected number, got the string "one"');
      expect(r.stderr).toMatch(/config\.phases\[0\]\.steps: must be >0, got -5/);
      oneLine(cli('train', config('bad-update.json', { extends: 'burgers', phases: [{ steps: 1, optimizer: { type: 'bfgs', update: 'sr1' } }] })),
        /config\.phases\[0\]\.optimizer\.update: unknown value 'sr1' \(known: bfgs, ssbfgs, ssbroyden\)/);
    }, 30_000); // two process starts (each loads LibTorch): over 5 s on a loaded 2-core machine
    it('a sampling strategy on a term that cannot be redrawn, or with a typo', () => {
      oneLine(cli('train', config('s1.json', { extends: 'mre-helmholtz', sampling: [{ type: 'rad', condition: 'wave', every: 10, candidates: 100 }] }), '--out', join(dir, 'never-s1')),
        /config\.sampling\[0\]\.condition: 'wave' cannot be redrawn: its points carry data \(terms that can: pde; 'minibatch' works on any\)/);
      expect(existsSync(join(dir, 'never-s1'))).toBe(false);
      oneLine(cli('train', config('s2.json', { extends: 'burgers', sampling: [{ type: 'resample', condition: 'pdf', every: 10 }] })),
        /config\.sampling\[0\]\.condition: unknown loss term 'pdf'; did you mean 'pde'\?/);
      oneLine(cli('train', config('s3.json', { extends: 'burgers', sampling: [{ type: 'radd', condition: 'pde', every: 10 }] })),
        /config\.sampling\[0\]\.type: unknown type 'radd'; did you mean 'rad'\?/);
      oneLine(cli('train', config('s4.json', { extends: 'burgers', sampling: [{ type: 'rad', condition: 'pde', every: 10, candidates: 5 }] })),
        /config\.sampling\[0\]\.candidates: must be at least the 2540 points of 'pde', got 5/);
    }, 60_000);
    it('nothing is trained or written when the config is bad', () => {
      cli('train', config('bad2.json', { extends: 'poisson-2d', model: { dtype: 'float16' } }), '--out', join(dir, 'never'));
      expect(existsSync(join(dir, 'never'))).toBe(false);
    });
    it('a checkpoint of another problem', () => {
      const other = config('other.json', { ...tinyPoisson, extends: 'burgers', problem: { type: 'burgers', nu: 0.01, interior: 50, boundary: 10, initial: 10, sampler: 'halton' } });
      oneLine(cli('resume', join(dir, 'poisson'), '--config', other), /checkpoint of another problem: it trains 'poisson-2d', .*other\.json describes 'burgers'/);
    });
    it('a checkpoint of another architecture', () => {
      const wider = config('wider.json', { ...tinyPoisson, model: { hidden: [16, 17] } });
      oneLine(cli('resume', join(dir, 'poisson'), '--config', wider), /model\.safetensors: wrong architecture/);
    });
    it('an output directory that cannot be made: under a file, and under /proc (where a recursive mkdir loops forever)', () => {
      const cfg = config('tiny-out.json', tinyPoisson);
      writeFileSync(join(dir, 'a-file'), '');
      oneLine(cli('train', cfg, '--out', join(dir, 'a-file', 'run')), /not a directory.*a-file/);
      oneLine(cli('train', cfg, '--out', '/proc/pinn-torch-run/x'), /ENOENT.*\/proc\/pinn-torch-run/);
    });
    it('an unknown command and a stray argument', () => {
      oneLine(cli('trian', 'burgers'), /unknown command 'trian'; did you mean 'train'\?/);
      oneLine(cli('info', 'extra'), /info: takes no argument/);
    });
    it('--verbose adds the stack trace', () => {
      const r = cli('train', 'nope.json', '--verbose');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/\n\s+at /);
    });
  });
});

describe('CLI sampling sources', () => {
  it("resample draws with the problem's sampler; RAD and RAR choose from uniform random pools", async () => {
    const { loadConfig } = await import('../src/cli/config.js');
    const { buildRun, disposeRun } = await import('../src/cli/problems.js');
    const { geometry: G } = await import('../src/index.js');
    const { config } = loadConfig('poisson-2d', {
      problem: { type: 'poisson-2d', points: 40, sampler: 'sobol' },
      sampling: [
        { type: 'resample', condition: 'pde', every: 5 },
        { type: 'rad', condition: 'pde', every: 5, candidates: 100 },
        { type: 'rar', condition: 'pde', every: 5, candidates: 100, add: 2 },
      ],
    });
    const run = buildRun(config);
    const square = new G.Rectangle([0, 0], [1, 1]);
    const drawn = (strategy: any) => { const t = strategy.o.source(64, new G.Random(7)); const rows = Array.from(t.data() as Float64Array); t.dispose(); return rows; };
    const expected = (sampler: 'sobol' | 'uniform') => Array.from(square.interior(64, { sampler, rng: new G.Random(7) }));
    expect(drawn(run.sampling[0])).toEqual(expected('sobol'));
    expect(drawn(run.sampling[1])).toEqual(expected('uniform'));
    expect(drawn(run.sampling[2])).toEqual(expected('uniform'));
    expect(expected('sobol')).not.toEqual(expected('uniform'));
    disposeRun(run);
  });
});

describe('config messages for values JSON cannot show', () => {
  it('steps: 1e400 (Infinity once parsed) is named as not finite; Module.loadStateDict(null) says what it expected', () => {
    const c = JSON.parse('{"problem":{"type":"poisson-2d","points":10,"sampler":"sobol"},"phases":[{"steps":1e400,"optimizer":{"type":"adam"}}],"seed":0,"logEvery":1,"evalEvery":1,"checkpointEvery":0,"keepLast":1}');
    expect(() => validate(c, 'x.json')).toThrow(/x\.json: invalid config: config\.phases\[0\]\.steps: must be a finite number, got Infinity/);
    const net = new nn.MLP([1, 2, 1]);
    expect(() => net.loadStateDict(null as never)).toThrow(/MLP\.loadStateDict: state must be an object of tensors by name, got null/);
    net.dispose();
  });
});

describe('--json streams every event the Trainer has', () => {
  it("the CLI's --json subscriptions are exactly TRAINER_EVENT_TYPES (validation included, no deprecated alias)", () => {
    const fake = new EventEmitter();
    const detach = report(fake as never, 'json');
    const subscribed = fake.eventNames().map(String);
    expect([...subscribed].sort()).toEqual([...TRAINER_EVENT_TYPES].sort());
    expect(subscribed).toContain('validation');
    expect(subscribed).not.toContain('lbfgsIteration');
    detach();
    expect(fake.eventNames()).toEqual([]);
  });
});

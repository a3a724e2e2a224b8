// Elastography from the command line: the 'mre-pinn' problem kind (the MRE-PINN on the phantom
// or on a data file) and the mre-phantom preset, as a user drives them: spawned processes of
// dist/cli/main.js, their output, exit codes and files. Runs are shortened as the other CLI
// tests shorten presets: a config that `extends` the preset with a small phantom and few steps.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { mre } from '../src/index.js';

const CLI = resolve(__dirname, '../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'pinn-cli-mre-'));
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
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
/** A user mistake: one line on stderr naming it, exit code 2, no stack trace. */
function oneLine(r: ReturnType<typeof cli>, message: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^pinn-torch: error: [^\n]+\n$/);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

/** The preset on a 21 × 21 phantom, the PDE from step 20: 60 Adam steps take a few seconds. */
const shortPhantom = {
  extends: 'mre-phantom',
  problem: { data: { phantom: { n: 21, refine: 2 } }, pdeWarmupIters: 20, nPoints: 256 },
  phases: [{ steps: 60, optimizer: { type: 'adam', lr: 1e-3 } }],
  logEvery: 5, evalEvery: 20, checkpointEvery: 0,
};

describe('pinn-torch train mre-phantom', () => {
  it('is listed with the seed\'s two configurations', () => {
    const r = cli('presets');
    expect(r.code).toBe(0);
    for (const name of ['mre-phantom', 'mre-quick-test', 'mre-full-training']) expect(r.stdout).toMatch(new RegExp(`^${name} `, 'm'));
  }, 30_000);

  it('trains to the end with progress; metrics.json records μ over the mask, lower than at step 0; plots show u and μ; eval reads the run back', () => {
    const out = join(dir, 'phantom');
    const r = cli('train', config('phantom.json', shortPhantom), '--out', out);
    expect(r.stderr).not.toContain('pinn-torch: error');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\[adam\] step \d+\/60 loss [\d.e+-]+ \(wave [\d.e+-]+ pde [\d.e+-]+\)/); // plain progress (not a TTY)
    const m = json(join(out, 'metrics.json'));
    expect(m.problem).toBe('mre-pinn');
    expect(m.result.steps).toBe(60);
    const { start, end } = m.summary;
    expect([start.step, end.step]).toEqual([0, 60]);
    for (const v of [start.muMask, end.muMask, end.ahiOnAhiVoxels, end.waveMask]) expect(Number.isFinite(v) && v > 0).toBe(true);
    expect(end.muMask).toBeLessThan(0.95 * start.muMask);
    expect(end.waveMask).toBeLessThan(0.5 * start.waveMask); // the network has fitted u
    // The Trainer's relative L2 of μ is over the same voxels (the problem's reference is the data on the mask).
    expect(Math.abs(m.result.relL2.mu - end.muMask)).toBeLessThan(1e-9 * end.muMask);
    expect(m.result.history.evaluations.map((e: { step: number }) => e.step)).toEqual([20, 40, 60]);
    expect(r.stdout).toMatch(new RegExp(`summary: .*muMask ${end.muMask.toExponential(2).replace('+', '\\+')} \\(start ${start.muMask.toExponential(2).replace('+', '\\+')}\\)`));
    // Three rows (Re u, μ, AHI's μ) of prediction, truth and |error|.
    const svg = readFileSync(join(out, 'fields.svg'), 'utf8');
    for (const title of ['Re u: prediction', 'Re u: reference', 'μ (kPa): prediction', 'μ (kPa): reference', 'μ (kPa), AHI: prediction']) expect(svg).toContain(title);
    const img = PNG.sync.read(readFileSync(join(out, 'fields.png')));
    expect(img.height).toBeGreaterThan(0.6 * img.width);
    expect(existsSync(join(out, 'loss.png'))).toBe(true);
    // The saved config reads the phantom again, whatever the directory.
    expect(json(join(out, 'config.json')).problem.data).toEqual({ phantom: { n: 21, noise: 0.01, seed: 1, refine: 2 } });

    const e = cli('eval', out);
    expect(e.stderr).toBe('');
    expect(e.code).toBe(0);
    const ev = json(join(out, 'eval.json'));
    expect(ev.summary.step).toBe(60);
    expect(ev.summary.muMask).toBeCloseTo(end.muMask, 12);
    expect(ev.evaluation.relL2.mu).toBeCloseTo(end.muMask, 12);
    expect(e.stdout).toMatch(/step 60: relative L2 .*mu /);
  }, 120_000);
});

describe("the seed's two configurations", () => {
  it('mre-quick-test and mre-full-training train the plan of MRE_PRESETS (cut short by a time budget here) with progress and plots', () => {
    for (const [name, seed] of Object.entries(mre.MRE_PRESETS)) {
      const out = join(dir, `seed-${name}`);
      const r = cli('train', config(`${name}.json`, { extends: `mre-${name}`, problem: { data: { phantom: { n: 15, refine: 1 } } }, timeBudget: 2, logEvery: 1, checkpointEvery: 0 }), '--out', out);
      expect(r.stderr, name).not.toContain('pinn-torch: error');
      expect(r.code, name).toBe(0);
      expect(r.stdout).toContain(`the plan of problem.preset '${name}'`);
      expect(r.stderr).toMatch(new RegExp(`\\[adam\\] step \\d+/${seed.steps} loss`));
      expect(json(join(out, 'config.json')).phases).toEqual([{ name: 'adam', steps: seed.steps, optimizer: { type: 'adam', lr: seed.lr } }]);
      const m = json(join(out, 'metrics.json'));
      expect(m.result.stopReason).toBe('timeBudget');
      // The seed's losses: the quick test fits the data only; the full training adds the PDE after its warm-up.
      expect(Object.keys(m.result.losses).sort()).toEqual(seed.problem.lossWeights![2] > 0 ? ['pde', 'wave'] : ['wave']);
      expect(existsSync(join(out, 'fields.png'))).toBe(true);
    }
  }, 90_000);

  it('an mre-pinn config with neither phases nor a seed configuration says so', () => {
    const noPhases = { problem: { type: 'mre-pinn', data: { phantom: { n: 15 } } }, seed: 0, logEvery: 10, evalEvery: 10, checkpointEvery: 0, keepLast: 1 };
    oneLine(cli('train', config('nophases.json', noPhases), '--out', join(dir, 'never-plan')), /config\.phases: missing: an 'mre-pinn' problem trains the plan of problem\.preset \(quick-test, full-training\) or the config's phases/);
  }, 30_000);
});

describe("the 'mre-pinn' problem on a data file", () => {
  const example = mre.mrePhantom({ n: 15, refine: 1, noise: 0.01, seed: 3 });
  const short = (data: unknown, more: object = {}) => ({
    extends: 'mre-phantom', problem: { data, pdeWarmupIters: 0, nPoints: 128, ...more },
    phases: [{ steps: 10, optimizer: { type: 'adam', lr: 1e-3 } }], evalEvery: 10, checkpointEvery: 0,
  });

  it('loads an .npz written by saveMRE (its path relative to the config file) and trains on it', () => {
    mre.saveMRE(join(dir, 'scan.npz'), example);
    const out = join(dir, 'npz-run');
    const r = cli('train', config('npz.json', short('scan.npz')), '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(json(join(out, 'config.json')).problem.data).toBe(join(dir, 'scan.npz'));
    const m = json(join(out, 'metrics.json'));
    expect(m.result.steps).toBe(10);
    // The data is the file's: 13 × 13 masked voxels, 80 % of them for training.
    expect(m.result.history.losses.wave).toHaveLength(10);
    expect(Number.isFinite(m.summary.end.muMask)).toBe(true);
    expect(m.summary.end.ahiOnAhiVoxels).toBeCloseTo(mrePhantomAhiError(example), 12);
  }, 60_000);

  it('without a true stiffness: trains with muGuess, with no relative L2 but the wave error; eval still reports it', () => {
    const noMu = new mre.MREExample({
      wave: { dtype: 'complex128', shape: [1, 1, ...example.shape], data: example.wave }, mask: { dtype: 'uint8', shape: example.shape, data: example.mask },
      frequencies: example.frequencies, spacing: example.spacing,
    });
    mre.saveMRE(join(dir, 'nomu.safetensors'), noMu);
    oneLine(cli('train', config('nomu-noguess.json', short('nomu.safetensors')), '--out', join(dir, 'never-nomu')), /config\.problem: valueScales: the example has no stiffness \(mu\); give muGuess/);
    expect(existsSync(join(dir, 'never-nomu'))).toBe(false);
    const out = join(dir, 'nomu-run');
    const r = cli('train', config('nomu.json', short('nomu.safetensors', { muGuess: 3000 })), '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/relative L2 no reference/);
    const m = json(join(out, 'metrics.json'));
    expect(m.result.relL2).toBeUndefined();
    expect(Number.isFinite(m.summary.end.waveMask)).toBe(true);
    expect(m.summary.end.muMask).toBeUndefined();
    expect(readFileSync(join(out, 'fields.svg'), 'utf8')).toContain('μ (kPa) against AHI (no true μ)');
    const e = cli('eval', out);
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/step 10: relative L2 no reference\nsummary: waveMask/);
  }, 90_000);

  it('a missing or damaged file is one line naming it, exit code 2, no stack trace, no run directory', () => {
    oneLine(cli('train', config('missing.json', short('nowhere.npz')), '--out', join(dir, 'never1')), /config\.problem\.data: .*nowhere\.npz: cannot read \(ENOENT\)/);
    writeFileSync(join(dir, 'garbage.npz'), Buffer.from('this is not a zip archive at all'));
    oneLine(cli('train', config('garbage.json', short('garbage.npz')), '--out', join(dir, 'never2')), /config\.problem\.data: .*garbage\.npz/);
    const whole = readFileSync(join(dir, 'scan.npz'));
    writeFileSync(join(dir, 'cut.npz'), whole.subarray(0, whole.length >> 1));
    oneLine(cli('train', config('cut.json', short('cut.npz')), '--out', join(dir, 'never3')), /config\.problem\.data: .*cut\.npz/);
    oneLine(cli('train', config('ext.json', short('scan.csv')), '--out', join(dir, 'never4')), /config\.problem\.data: .*scan\.csv: unknown MRE data format \(expected \.npz, \.safetensors, or a folder of NIfTI images\)/);
    for (const k of [1, 2, 3, 4]) expect(existsSync(join(dir, `never${k}`))).toBe(false);
  }, 90_000);
});

describe('mistakes in an MRE config', () => {
  it('an unknown preset, problem type or seed configuration names the right one', () => {
    oneLine(cli('train', 'mre-phantm'), /unknown preset 'mre-phantm'; did you mean 'mre-phantom'\?/);
    oneLine(cli('train', config('t1.json', { ...shortPhantom, problem: { ...shortPhantom.problem, type: 'mre-pinm' } })), /config\.problem\.type: unknown type 'mre-pinm'; did you mean 'mre-pinn'\?/);
    oneLine(cli('train', config('t2.json', { ...shortPhantom, problem: { ...shortPhantom.problem, preset: 'quick-tset' } })), /config\.problem\.preset: unknown value 'quick-tset'; did you mean 'quick-test'\?/);
    oneLine(cli('train', config('t3.json', { ...shortPhantom, problem: { data: { phantom: { n: 21, nosie: 0.1 } } } })), /config\.problem\.data\.phantom: unknown key 'nosie'; did you mean 'noise'\?/);
    oneLine(cli('train', config('t4.json', { ...shortPhantom, model: { hidden: [8], activation: 'tanh', init: 'default', dtype: 'float64' } })), /config\.model: the 'mre-pinn' problem makes its own networks: set them in problem\.uHidden, muHidden, siren and omega0/);
    oneLine(cli('train', config('t5.json', { ...shortPhantom, problem: { ...shortPhantom.problem, equation: 'navier-cauchy' } }), '--out', join(dir, 'never-nc')), /config\.problem: mreProblem: the Navier–Cauchy form needs a vector wave \(2 components on this 2-D grid\), the data has 1/);
  }, 120_000);
});

/** AHI's relative L2 over the voxels where it has an estimate, computed here from the library. */
function mrePhantomAhiError(e: mre.MREExample): number {
  const a = mre.ahi(e, { sigma: 0 });
  let d = 0, s = 0;
  for (const v of e.maskedVoxels()) if (a.valid[v]) { d += (a.mu[v] - e.mu![v]) ** 2; s += e.mu![v] ** 2; }
  return Math.sqrt(d / s);
}

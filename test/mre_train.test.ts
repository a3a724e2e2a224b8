// The elastography task on voxel data: its loss terms in scaled units against closed forms (a
// plane wave in a uniform medium, through a model that is that wave exactly), the full-grid
// evaluation, and a short training run with the seed's progressive PDE weight.
import { describe, expect, it } from 'vitest';
import { Tensor, Trainer, cat, mre, nn, tidy } from '../src/index.js';

const rho = 1000, mu0 = 3000, freq = 100, omega = 2 * Math.PI * freq, h = 1e-3, n = 21;
const k = omega * Math.sqrt(rho / mu0), dir = [Math.cos(0.6), Math.sin(0.6)];

// A shear wave: components along p ⟂ k (the transverse polarisation), so ∇·u = 0.
const polarisation = [-dir[1], dir[0]];

function planeWaveExample(components = 1) {
  const V = n * n, wave = new Float64Array(2 * components * V), mu = new Float64Array(V).fill(mu0);
  for (let i = 0; i < V; i++) {
    const phase = k * (dir[0] * Math.floor(i / n) * h + dir[1] * (i % n) * h);
    for (let c = 0; c < components; c++) { const a = components === 1 ? 1 : polarisation[c]; wave[2 * (c * V + i)] = a * Math.cos(phase); wave[2 * (c * V + i) + 1] = a * Math.sin(phase); }
  }
  return new mre.MREExample({
    wave: { dtype: 'complex128', shape: [1, components, n, n], data: wave }, mask: { dtype: 'uint8', shape: [n, n], data: new Uint8Array(V).fill(1) },
    mu: { dtype: 'float64', shape: [n, n], data: mu }, frequencies: [freq], spacing: [h, h], density: rho,
  });
}

/** The plane wave itself in the task's scaled units (x̃ = (x − c)/L, u/U), and μ/M = muRatio. */
class ExactWave extends nn.Module {
  constructor(readonly task: mre.MRETask, readonly muRatio: number, readonly components = 1) { super(); }
  forward(xs: Tensor): Tensor {
    const { center, extent } = this.task.normalization;
    const phase = xs.narrow(1, 0, 1).mul(extent[0]).add(center[0]).mul(k * dir[0]).add(xs.narrow(1, 1, 1).mul(extent[1]).add(center[1]).mul(k * dir[1]));
    const amplitudes = this.components === 1 ? [1] : polarisation;
    const u = amplitudes.flatMap((a) => [phase.cos().mul(a), phase.sin().mul(a)]).map((t) => t.div(this.task.scales.wave));
    return cat([...u, phase.mul(0).add(this.muRatio)], 1);
  }
}

describe('mreProblem', () => {
  it('the scaled PDE term is the physical residual over ρω²·U: 0 for the true μ, (μ/μ₀ − 1)² for another', () => tidy(() => {
    const e = planeWaveExample();
    const task = mre.mreProblem(e, { lossWeights: [1, 0, 1, 0], testFraction: 0 });
    expect(task.problem.conditions.map((c) => c.name)).toEqual(['wave', 'pde']);
    expect(task.problem.outputs).toEqual(['u_re', 'u_im', 'mu']);
    const exact = task.problem.losses(new ExactWave(task, 1));
    expect(exact.wave.item()).toBeLessThan(1e-28);
    expect(exact.pde.item()).toBeLessThan(1e-20);
    // μ 10 % too stiff: r = (1.1·∇²u + k²u)/k² = −0.1·u, |u/U| = 1 / U
    const off = task.problem.losses(new ExactWave(task, 1.1));
    expect(off.pde.item()).toBeCloseTo(0.01 / task.scales.wave ** 2, 10);
  }));

  it('Navier–Cauchy likewise: 0 for a shear wave in the true μ, Σ_c (μ/μ₀ − 1)²|u_c/U|² for another', () => tidy(() => {
    const e = planeWaveExample(2);
    const task = mre.mreProblem(e, { equation: 'navier-cauchy', testFraction: 0 });
    expect(task.problem.losses(new ExactWave(task, 1, 2)).pde.item()).toBeLessThan(1e-20);
    // U² = mean over the two components of |u_c|² = ½; the two residuals add 0.01·(p_x² + p_y²)/U² = 0.02
    expect(task.scales.wave ** 2).toBeCloseTo(0.5, 12);
    expect(task.problem.losses(new ExactWave(task, 1.1, 2)).pde.item()).toBeCloseTo(0.02, 10);
  }));

  it('names its terms by the weights and data; Navier–Cauchy needs a vector wave', () => {
    const e = planeWaveExample(2);
    const nc = mre.mreProblem(e, { equation: 'navier-cauchy', lossWeights: [1, 2, 0.5, 0], pdeWarmupIters: 10, pdeInitWeight: 1e-3, pdeStepIters: 5, pdeStepFactor: 10 });
    expect(nc.problem.conditions.map((c) => [c.name, c.weight])).toEqual([['wave', 1], ['elast', 2], ['pde', 0.5]]);
    expect(nc.problem.outputs).toEqual(['ux_re', 'ux_im', 'uy_re', 'uy_im', 'mu']);
    // The seed's get_pde_weight: 0 before the warm-up, then init · factor^⌊(step − warmup)/every⌋, up to the PDE's loss weight.
    expect([0, 9, 10, 14, 15, 20, 25].map((s) => nc.weighting!.weightAt(s))).toEqual([0, 0, 1e-3, 1e-3, 1e-2, 0.1, 0.5]);
    expect(() => mre.mreProblem(planeWaveExample(1), { equation: 'navier-cauchy' })).toThrow(/the Navier–Cauchy form needs a vector wave \(2 components on this 2-D grid\), the data has 1/);
    // Terms whose data is missing are left out, as the seed does (no anatomy here).
    expect(mre.mreProblem(planeWaveExample(1), { lossWeights: [1, 0, 1, 1] }).problem.conditions.map((c) => c.name)).toEqual(['wave', 'pde']);
    expect(() => mre.mreProblem(planeWaveExample(1), { lossWeights: [0, 0, 0, 0] })).toThrow(/every loss weight is 0/);
  });
});

describe("the seed's two configurations", () => {
  it("build on the phantom with the seed's weights and schedule", () => {
    const e = mre.mrePhantom({ n: 11, refine: 1 });
    const quick = mre.mreProblem(e, mre.MRE_PRESETS['quick-test'].problem);
    expect(quick.problem.conditions.map((c) => [c.name, c.weight])).toEqual([['wave', 1]]); // no PDE (weight 0), no anatomy in the phantom
    expect(quick.weighting).toBeUndefined();
    const full = mre.mreProblem(e, mre.MRE_PRESETS['full-training'].problem);
    expect(full.problem.conditions.map((c) => c.name)).toEqual(['wave', 'pde']);
    expect([9999, 10000, 14999, 15000, 25000, 30000, 90000].map((s) => full.weighting!.weightAt(s))).toEqual([0, 1e-4, 1e-4, 1e-3, 0.1, 1, 1]);
    expect([mre.MRE_PRESETS['quick-test'].steps, mre.MRE_PRESETS['full-training'].steps]).toEqual([10_000, 100_000]);
    quick.problem.dispose(); full.problem.dispose();
  });
});

describe('evaluateMRE and a short training run', () => {
  it('evaluates on the full grid in physical units: the exact wave and μ give no error; AHI is beside it', () => {
    const e = planeWaveExample();
    const task = mre.mreProblem(e, { testFraction: 0.25 });
    const r = mre.evaluateMRE(e, task, new ExactWave(task, 1));
    expect(r.metrics.waveMask).toBeLessThan(1e-13);
    expect(r.metrics.muMask).toBeLessThan(1e-13);
    expect(r.muPred[7]).toBeCloseTo(mu0, 9);
    expect(r.metrics.ahiOnAhiVoxels).toBeGreaterThan(0); // the discrete Laplacian's (kh)²/12
    expect(r.metrics.ahiOnAhiVoxels).toBeLessThan(0.01);
  });

  it('trains with the mask sampler and the warm-up: the PDE weighs nothing until it starts', async () => {
    const e = mre.mrePhantom({ n: 15, refine: 1, noise: 0.01 });
    const task = mre.mreProblem(e, { lossWeights: [1, 0, 1e-2, 0], pdeWarmupIters: 20, nPoints: 64, period: 5 });
    const model = mre.createMREPINN(e, { uHidden: [32, 32], muHidden: [16], siren: true, seed: 1 });
    const trainer = new Trainer({ problem: task.problem, model, phases: [{ optimizer: { type: 'adam', lr: 1e-3 }, steps: 40 }], weighting: task.weighting, sampling: [task.sampling] });
    const seen: { step: number; total: number; pdeWeight: number; points: number }[] = [];
    trainer.on('step', (ev: any) => seen.push({ step: ev.step, total: ev.total, pdeWeight: ev.weights?.pde, points: task.problem.conditions[0].evaluationPoints.shape[0] }));
    await trainer.fit();
    expect(seen.every((s) => s.points === 64)).toBe(true);
    expect(seen.filter((s) => s.step <= 20).every((s) => s.pdeWeight === 0 || s.pdeWeight === undefined)).toBe(true);
    expect(seen.at(-1)!.pdeWeight).toBe(1e-2);
    expect(seen[15].total).toBeLessThan(seen[0].total);
    trainer.dispose?.();
    task.problem.dispose();
    model.dispose();
  });
});

describe('benchmarkMRE', () => {
  it("splits an iteration's time into data, model and loss, and prints it as the seed does", () => {
    const e = mre.mrePhantom({ n: 11, refine: 1 });
    const task = mre.mreProblem(e, { nPoints: 32 });
    const model = mre.createMREPINN(e, { uHidden: [16], muHidden: [8] });
    const lines: string[] = [];
    const log = console.log;
    console.log = (s: string) => lines.push(s);
    let r;
    try { r = mre.benchmarkMRE(task, model, 3); } finally { console.log = log; }
    expect(r.data).toBeGreaterThan(0); expect(r.model).toBeGreaterThan(0);
    expect(r.loss).toBeGreaterThan(r.model); // derivatives and backward cost more than one forward pass
    expect(r.total).toBeCloseTo(r.data + r.model + r.loss, 12);
    expect(lines.map((l) => l.split(':')[0])).toEqual(['Data time/iter', 'Model time/iter', 'Loss time/iter', 'Total time/iter']);
    expect(model.parameters().every((p) => !p.grad)).toBe(true);
    expect(() => mre.benchmarkMRE(task, model, 0)).toThrow(/nIters must be a positive integer, got 0/);
    task.problem.dispose(); model.dispose();
  });
});

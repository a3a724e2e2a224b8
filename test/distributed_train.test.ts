// Data-parallel training equals one process on all the points: Burgers in float64, 50 Adam steps
// with the PDE points redrawn every 10 and grad-norm weighting, then 20 BFGS iterations
// (test/fixtures/distributed_train.mjs), run alone and as 2 ranks on a loopback store; then
// checkpoints written by rank 0 resumed on 2 ranks and on 1, and a rank killed mid-run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/ports.js';
import { distributed, io } from '../src/index.js';

const script = resolve(__dirname, 'fixtures/distributed_train.mjs');
// Gloo's tests: a CUDA build may have NCCL alone.
const available = distributed.isAvailable().backends.includes('gloo');
const reason = distributed.isAvailable().reasons.gloo ?? '';
const dir = mkdtempSync(join(tmpdir(), 'pinn-dp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run { weights: Record<string, number>[]; ok: boolean; error?: string; name?: string; rank: number; steps: number; total: number[]; losses: Record<string, number[]>; gradNorm: number[]; params: number[][]; exit: number | null }

function run(args: object): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => {
      try { done({ ...JSON.parse(out.trim().split('\n').pop()!), exit: code }); } catch { done({ ok: false, error: `no report (exit ${code}): ${out}${err}`, exit: code } as Run); }
    });
  });
}

async function ranks(world: number, args: object): Promise<Run[]> {
  const port = await freePort();
  return Promise.all([...Array(world).keys()].map((rank) => run({ ...args, world, rank, port })));
}

const maxRelative = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.abs(v)));

describe.skipIf(!available)(`data-parallel training ${available ? '' : `— skipped: ${reason}`}`, () => {
  it('2 ranks take the steps one process takes on all the points: Adam to rounding, BFGS to 1e-10, with resampling and grad-norm weighting', async () => {
    const [one, [r0, r1]] = [await run({}), await ranks(2, {})];
    for (const r of [one, r0, r1]) expect(r.error).toBeUndefined();
    expect(r0.steps).toBe(70);
    expect(r0.total).toHaveLength(70);
    const series = (r: Run) => ({ total: r.total, gradNorm: r.gradNorm, ...r.losses });
    const [s1, s0] = [series(one), series(r0)];
    expect(Object.keys(s1)).toEqual(['total', 'gradNorm', 'pde', 'bc', 'ic']);
    // The 50 Adam steps differ by the sums' rounding alone: the ranks sum their halves of the
    // points, then add (measured: every series within 1.7e-15).
    for (const k of Object.keys(s1)) expect(maxRelative(s1[k].slice(0, 50), s0[k].slice(0, 50)), k).toBeLessThan(1e-14);
    // BFGS builds its curvature from differences of gradients, which magnifies that rounding about
    // tenfold per early iteration (measured after 20: total 5.2e-13, the terms up to 1.3e-11, the
    // gradient norm 1.8e-11); a real difference (a shard's loss, a missed reduction) is 1e-3 or more.
    expect(maxRelative(s1.total, s0.total)).toBeLessThan(1e-11);
    for (const k of Object.keys(s1)) expect(maxRelative(s1[k], s0[k]), k).toBeLessThan(1e-10);
    // every rank holds the same numbers, bit for bit, and they are the global ones (not a shard's)
    expect(r1.total).toEqual(r0.total);
    expect(r1.params).toEqual(r0.params);
    expect(one.total[0]).toBe(r0.total[0]);
  }, 120_000);

  it('with mini-batches: the ranks split each batch every rank draws alike, and take the one-process steps (1e-12)', async () => {
    const args = { minibatch: { condition: 'pde', batchSize: 101, every: 3 }, adamSteps: 30, bfgsSteps: 5 };
    const [one, [r0, r1]] = [await run(args), await ranks(2, args)];
    for (const r of [one, r0, r1]) expect(r.error).toBeUndefined();
    expect(r0.steps).toBe(35);
    expect(maxRelative(one.total, r0.total)).toBeLessThan(1e-12);
    expect(r1.params).toEqual(r0.params);
    // the batches are drawn: the PDE loss is not the full-set loss of a run without them
    const full = await run({ adamSteps: 30, bfgsSteps: 5 });
    expect(Math.abs(full.losses.pde[5] - one.losses.pde[5]) / full.losses.pde[5]).toBeGreaterThan(1e-6);
  }, 120_000);

  it('NTK weighting: each rank estimates the kernel traces on its own points, the ranks average them and hold the same weights', async () => {
    const args = { weighting: 'ntk', adamSteps: 30, bfgsSteps: 2 };
    const [one, [r0, r1]] = [await run(args), await ranks(2, args)];
    for (const r of [one, r0, r1]) expect(r.error).toBeUndefined();
    expect(r1.weights).toEqual(r0.weights);
    expect(r1.params).toEqual(r0.params);
    // The weights moved from 1 at the first update and stayed finite; the 2-rank estimate (other
    // rows than one process draws) is the same kernel's: within a factor 3 of one process's.
    const [w1, w0] = [one.weights[1], r0.weights[1]];
    for (const k of ['pde', 'bc', 'ic']) {
      expect(w0[k], k).not.toBe(1);
      expect(Number.isFinite(w0[k])).toBe(true);
      expect(w0[k] / w1[k], k).toBeGreaterThan(1 / 3);
      expect(w0[k] / w1[k], k).toBeLessThan(3);
    }
  }, 120_000);

  it("rank 0 writes the checkpoints; they resume on 2 ranks bit for bit and on 1 to 1e-12", async () => {
    const ckpt = join(dir, 'resume');
    const [full] = await ranks(2, { checkpoint: ckpt, checkpointEvery: 35 });
    expect(full.error).toBeUndefined();
    const at35 = join(ckpt, 'step-00000035');
    expect(io.readCheckpoint(at35).manifest.meta.step).toBe(35);
    const [again] = await ranks(2, { resume: at35 });
    expect(again.error).toBeUndefined();
    expect(again.total).toEqual(full.total);
    expect(again.params).toEqual(full.params);
    const alone = await run({ resume: at35 });
    expect(alone.error).toBeUndefined();
    expect(alone.total.slice(0, 35)).toEqual(full.total.slice(0, 35));
    expect(maxRelative(alone.total, full.total)).toBeLessThan(1e-12);
  }, 180_000);

  it('a rank killed mid-run: the other stops with it named, within the timeout, and the last checkpoint loads', async () => {
    const ckpt = join(dir, 'killed');
    const t0 = Date.now();
    const [r0, r1] = await ranks(2, { checkpoint: ckpt, checkpointEvery: 10, dies: 1, dieAtStep: 25, timeoutMs: 20_000 });
    expect(r1.exit).toBe(9);
    expect(r0.ok).toBe(false);
    expect(r0.name).toBe('DistributedError');
    expect(r0.error).toMatch(/on rank 0 of 2 failed: rank 1 /);
    expect(Date.now() - t0).toBeLessThan(60_000);
    const latest = io.latestCheckpoint(ckpt)!;
    expect(io.readCheckpoint(latest).manifest.meta.step).toBe(20);
    const resumed = await run({ resume: ckpt });
    expect(resumed.error).toBeUndefined();
    expect(resumed.steps).toBe(70);
  }, 120_000);
});

// The GPU check (`npm run test:gpu`): the elastic-wave preset trained on CUDA against the same
// run on the CPU. Skipped, saying why, on a machine without a CUDA device; no GPU figure is
// claimed from a machine that did not run it.
import { describe, expect, it } from 'vitest';
import { validate } from '../src/cli/config.js';
import { PRESETS } from '../src/cli/presets.js';
import { buildRun, disposeRun } from '../src/cli/problems.js';
import { Tensor, Trainer, cuda, distributed } from '../src/index.js';
import { freePort } from './helpers/ports.js';
import { rank } from './helpers/rank_process.js';

const STEPS = Number(process.env.PINN_TORCH_GPU_CHECK_STEPS ?? 300);
/** 'cpu' runs the same check CPU against CPU: a dry run of this harness on a machine without a GPU. */
const TARGET = (process.env.PINN_TORCH_GPU_CHECK_DEVICE ?? 'cuda') as 'cpu' | 'cuda';

/** The preset's problem and network, trained STEPS Adam steps on `device`; losses per step and steps/s. */
async function train(device: 'cpu' | 'cuda') {
  const c = validate({ ...PRESETS['elastic-wave-2d'], phases: [{ name: 'adam', steps: STEPS, optimizer: { type: 'adam', lr: 1e-3 } }] }, 'elastic-wave-2d (GPU check)');
  const run = buildRun(c);
  const trainer = new Trainer({ problem: run.problem, model: run.model, phases: c.phases!, device });
  // Every tensor a step makes stays on the device: the only host reads are the documented one per step.
  const proto = Tensor.prototype as unknown as Record<'data' | 'item', (...a: unknown[]) => unknown>;
  const original = { data: proto.data, item: proto.item };
  let reads = 0;
  proto.data = function (this: Tensor, ...a: unknown[]) { reads++; return original.data.apply(this, a); };
  proto.item = function (this: Tensor, ...a: unknown[]) { reads++; return original.item.apply(this, a); };
  try {
    const result = await trainer.fit();
    const devices = new Set([...run.model.parameters(), ...run.problem.conditions.flatMap((k) => k.tensors())].map((t) => t.device));
    return { losses: result.history.total, stepsPerSecond: STEPS / result.timing.total, reads, devices };
  } finally {
    Object.assign(proto, original);
    trainer.dispose();
    disposeRun(run);
  }
}

describe.skipIf(TARGET === 'cuda' && !cuda.isAvailable())('GPU (skipped: no CUDA device on this machine)', () => {
  it(`elastic-wave preset: ${STEPS} Adam steps on ${TARGET} match the CPU run to float32 tolerance, with no hidden host reads`, async () => {
    const gpu = await train(TARGET);
    const cpu = await train('cpu');
    expect([...gpu.devices]).toEqual([TARGET === 'cuda' ? 'cuda:0' : 'cpu']);
    expect(gpu.reads).toBeLessThanOrEqual(STEPS + 4); // one stacked read per step (+ the first step's probe)
    for (let i = 0; i < STEPS; i += 50) expect(Math.abs(gpu.losses[i] - cpu.losses[i]) / cpu.losses[i]).toBeLessThan(1e-3 * (1 + i / 50));
    console.log(`elastic-wave preset, ${STEPS} Adam steps: ${TARGET} ${gpu.stepsPerSecond.toFixed(1)} steps/s, cpu ${cpu.stepsPerSecond.toFixed(1)} steps/s`);
  }, 600_000);
});

// NCCL: the collectives of test/distributed.test.ts on GPUs, one rank per GPU (one rank where
// the machine has one GPU: the path through NCCL and the staging of a CPU tensor still run).
const ncclBuilt = distributed.isAvailable().backends.includes('nccl');
const gpus = cuda.isAvailable() ? cuda.deviceCount() : 0;
describe.skipIf(!ncclBuilt || gpus === 0)(`NCCL ${!ncclBuilt ? `(skipped: ${distributed.isAvailable().reasons.nccl})` : gpus === 0 ? '(skipped: no CUDA device on this machine)' : ''}`, () => {
  it(`allreduce (sum, avg), broadcast and barrier across ${Math.min(gpus, 2)} rank(s), one GPU each, CUDA tensors beside a CPU one`, async () => {
    const world = Math.min(gpus, 2);
    const port = await freePort();
    const rs = await Promise.all([...Array(world).keys()].map((r) =>
      rank({ scenario: 'collectives', device: `cuda:${r}`, init: { rank: r, worldSize: world, masterPort: port, timeoutMs: 60_000, backend: 'nccl', cudaDevice: r } })));
    const ranksSum = (world * (world + 1)) / 2;
    for (const [r, report] of rs.entries()) {
      expect(report.error).toBeUndefined();
      expect(report.backend).toBe('nccl');
      expect(report.devices).toEqual([`cuda:${r}`, 'cpu']);
      expect(report.a).toEqual([[1, 2], [3, 4]].map((row) => row.map((v) => v * ranksSum)));
      expect(report.b).toEqual([10, 20, 30].map((v) => v * world + (world * (world - 1)) / 2));
      expect(report.c).toEqual([0.5 * ranksSum]);
      expect(report.d).toEqual([(world - 1) / 2, world - 1]);
      expect(report.e).toEqual([1, 1, 1].map(() => (world - 1) * 7 + 1));
    }
  }, 180_000);
});

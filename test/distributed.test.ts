// Collectives across processes on c10d Gloo: each case starts ranks as child processes
// (test/fixtures/distributed_rank.mjs) on a loopback TCP store, and checks what each reports.
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from './helpers/ports.js';
import { rank } from './helpers/rank_process.js';
import { cuda, distributed, pinn, tensor } from '../src/index.js';
import { DataParallel } from '../src/distributed/data_parallel.js';
import { type ProcessGroup } from '../src/distributed/process_group.js';

// Gloo's tests: a CUDA build may have NCCL alone.
const available = distributed.isAvailable().backends.includes('gloo');
const reason = distributed.isAvailable().reasons.gloo ?? '';

describe.skipIf(!available)(`distributed (Gloo) ${available ? '' : `— skipped: ${reason}`}`, () => {
  it('allreduce (sum, avg, mixed dtypes and shapes), broadcast and barrier across 2 ranks', async () => {
    const port = await freePort();
    const rs = await Promise.all([0, 1].map((r) => rank({ scenario: 'collectives', init: { rank: r, worldSize: 2, masterPort: port, timeoutMs: 20_000 } })));
    for (const r of rs) {
      expect(r.error).toBeUndefined();
      expect(r.a).toEqual([[3, 6], [9, 12]]); // 1·x + 2·x
      expect(r.b).toEqual([21, 41, 61]);
      expect(r.c).toEqual([1.5]);
      expect(r.d).toEqual([0.5, 1]);
      expect(r.e).toEqual([8, 8, 8]); // rank 1's 7·1 + 1
    }
    expect(rs.map((r) => r.rank)).toEqual([0, 1]);
  }, 60_000);

  it('meets through a FileStore as well (a fresh file per run)', async () => {
    const storePath = join(mkdtempSync(join(tmpdir(), 'pinn-store-')), 'store');
    const rs = await Promise.all([0, 1].map((r) => rank({ scenario: 'collectives', init: { rank: r, worldSize: 2, storePath, timeoutMs: 20_000 } })));
    for (const r of rs) {
      expect(r.error).toBeUndefined();
      expect(r.b).toEqual([21, 41, 61]);
    }
  }, 60_000);

  it("reads torchrun's RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT", async () => {
    const port = String(await freePort());
    const rs = await Promise.all([0, 1].map((r) => rank({ scenario: 'collectives', init: { timeoutMs: 20_000 } },
      { RANK: String(r), WORLD_SIZE: '2', LOCAL_RANK: String(r), MASTER_ADDR: '127.0.0.1', MASTER_PORT: port })));
    expect(rs.map((r) => [r.ok, r.rank, r.worldSize])).toEqual([[true, 0, 2], [true, 1, 2]]);
  }, 60_000);

  it('a rank that exits mid-run: the other stops with that rank named, well within the timeout', async () => {
    const port = await freePort();
    const rs = await Promise.all([0, 1].map((r) => rank({ scenario: 'die', dies: 1, init: { rank: r, worldSize: 2, masterPort: port, timeoutMs: 30_000 } })));
    expect(rs[1].exit).toBe(3);
    expect(rs[0].ok).toBe(false);
    expect(rs[0].name).toBe('DistributedError');
    expect(rs[0].error).toMatch(/barrier #4 on rank 0 of 2 failed: rank 1 /);
    expect(rs[0].ms).toBeLessThan(30_000);
  }, 60_000);

  it('a rank that hangs: the other gives up after the timeout, naming it', async () => {
    const port = await freePort();
    const rs = await Promise.all([0, 1].map((r) => rank({ scenario: 'hang', hangs: 1, hangMs: 8_000, init: { rank: r, worldSize: 2, masterPort: port, timeoutMs: 2_000 } })));
    expect(rs[0].ok).toBe(false);
    expect(rs[0].error).toMatch(/barrier #2 on rank 0 of 2 failed: rank 1 did not join it within 2000 ms/);
  }, 60_000);

  it('one clear error each: port in use, nobody at the master address, mismatched world size, a rank started twice', async () => {
    // Port in use: something else listens there.
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const busyPort = (busy.address() as { port: number }).port;
    const inUse = await rank({ scenario: 'none', init: { rank: 0, worldSize: 2, masterPort: busyPort, timeoutMs: 3_000 } });
    await new Promise((r) => busy.close(r));
    expect(inUse.error).toMatch(/rank 0 cannot listen on 127\.0\.0\.1:\d+: the port is in use/);

    // Nobody listening where rank 1 is told rank 0 is.
    const nobody = await rank({ scenario: 'none', init: { rank: 1, worldSize: 2, masterPort: await freePort(), timeoutMs: 2_000 } });
    expect(nobody.error).toMatch(/rank 1 could not reach the rendezvous store at 127\.0\.0\.1:\d+ within 2000 ms/);
    expect(nobody.ms).toBeLessThan(15_000);

    // World sizes disagree: both sides say so, neither hangs.
    let port = await freePort();
    const mismatch = await Promise.all([rank({ scenario: 'none', init: { rank: 0, worldSize: 2, masterPort: port, timeoutMs: 10_000 } }),
      rank({ scenario: 'none', init: { rank: 1, worldSize: 3, masterPort: port, timeoutMs: 10_000 } })]);
    for (const r of mismatch) expect(r.error).toMatch(/rank 1 was started with world size 3 but rank 0 with 2/);

    // Rank 1 twice in a world of 3 (rank 2 never comes): the second rank 1 is refused, and so is everyone waiting.
    port = await freePort();
    const r0 = rank({ scenario: 'none', init: { rank: 0, worldSize: 3, masterPort: port, timeoutMs: 10_000 } });
    const first = rank({ scenario: 'none', init: { rank: 1, worldSize: 3, masterPort: port, timeoutMs: 10_000 } });
    await new Promise((r) => setTimeout(r, 1500));
    const twice = await rank({ scenario: 'none', init: { rank: 1, worldSize: 3, masterPort: port, timeoutMs: 10_000 } });
    expect(twice.error).toMatch(/rank 1 was started twice/);
    const [zero, one] = await Promise.all([r0, first]);
    expect(zero.error).toMatch(/rank 1 was started twice/);
    // The first rank 1 reads the same, unless rank 0 has already stopped and taken the store with it.
    expect(one.error).toMatch(/rank 1 was started twice|rank 1 lost the rendezvous store at 127\.0\.0\.1:\d+ while joining: rank 0, which serves it, has stopped/);
  }, 90_000);

  it('refuses bad options before touching the network', async () => {
    expect(() => distributed.init({ rank: 2, worldSize: 2 })).toThrow(/rank must be in \[0, 1\], got 2/);
    expect(() => distributed.init({ rank: 0, worldSize: 0 })).toThrow(/worldSize must be in \[1, 65536\]/);
    expect(() => distributed.init({ rank: 0, worldSize: 2, masterPort: 70000 })).toThrow(/masterPort must be in \[1, 65535\]/);
    expect(() => distributed.init({ rank: 0, worldSize: 2, backend: 'mpi' as 'gloo' })).toThrow(/backend must be 'gloo' or 'nccl', got "mpi"/);
    expect(() => distributed.init({ rank: 0, worldSize: 2, backend: 'gloo', cudaDevice: 0 })).toThrow(/cudaDevice is for the NCCL backend; Gloo runs on the CPU/);
    // @ts-expect-error an unknown option
    expect(() => distributed.init({ rank: 0, worldSize: 2, port: 1 })).toThrow(/unknown option 'port'/);
    const saved = process.env.WORLD_SIZE;
    delete process.env.WORLD_SIZE;
    try { expect(() => distributed.init({ rank: 0 })).toThrow(/no worldSize: pass options.worldSize or set \$WORLD_SIZE/); } finally { if (saved !== undefined) process.env.WORLD_SIZE = saved; }
  });
});

describe.skipIf(available)('distributed without Gloo', () => {
  it('init explains what this build lacks', () => {
    expect(() => distributed.init({ rank: 0, worldSize: 1, backend: 'gloo' })).toThrow(/distributed.init: .*(Gloo|c10d)/);
  });
});

// NCCL is tested on a GPU by test/gpu.test.ts; here, what every other build and machine says.
describe.skipIf(distributed.isAvailable().backends.includes('nccl') && cuda.isAvailable())('NCCL where it cannot run', () => {
  it('init({ backend: "nccl" }) names what is missing: NCCL in this build, or a GPU on this machine', () => {
    const { backends, reasons } = distributed.isAvailable();
    if (!backends.includes('nccl')) {
      expect(reasons.nccl).toMatch(/CPU only|NCCL headers|nccl\.h/);
      expect(() => distributed.init({ rank: 0, worldSize: 1, backend: 'nccl' })).toThrow(/distributed\.init: this build has no NCCL: (LibTorch|no nccl\.h)/);
    } else {
      expect(() => distributed.init({ rank: 0, worldSize: 1, backend: 'nccl' })).toThrow(/the NCCL backend needs a CUDA device, and this machine has none/);
    }
  });
});

describe('DataParallel.shard (no process group needed)', () => {
  it('refuses terms whose loss is not a sum of per-rank parts: residual attention, causal weighting; shards nothing then', () => {
    const group = { rank: 0, worldSize: 2 } as unknown as ProcessGroup;
    const points = () => tensor([[0, 0.1], [1, 0.5], [0.5, 0.9], [0.2, 0.3]], { dtype: 'float64' });
    const cases: [pinn.Condition, RegExp][] = [
      [new pinn.PDE('pde', points(), (d) => d.u, { attention: new pinn.ResidualAttention() }), /PDE 'pde' has residual attention/],
      [new pinn.PDE('pde', points(), (d) => d.u, { causal: new pinn.Causality({ timeColumn: 1, chunks: 2, epsilon: 1 }) }), /PDE 'pde' is weighted causally in time/],
    ];
    for (const [term, message] of cases) {
      const data = new pinn.DirichletBC('bc', points(), 0, { output: 'u' });
      const problem = new pinn.Problem({ inputs: ['x', 't'], outputs: ['u'], conditions: [data, term] });
      expect(() => new DataParallel(group).shard(problem)).toThrow(message);
      expect(data.rowShare).toBe(1); // checked before any term was sharded
      problem.dispose();
    }
  });
});

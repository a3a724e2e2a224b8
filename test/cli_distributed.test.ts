// `pinn-torch train … --nproc 2`: two local ranks launched as torchrun launches them. The run
// matches a one-process run of the same config; rank 0 alone writes the run directory and talks
// to the terminal; another rank's error reaches the terminal with its rank; Ctrl-C stops every
// rank at the same step with a checkpoint that `resume --nproc 2` continues.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/ports.js';
import { distributed } from '../src/index.js';

const CLI = resolve(__dirname, '../dist/cli/main.js');
// Gloo's tests: a CUDA build may have NCCL alone.
const available = distributed.isAvailable().backends.includes('gloo');
const reason = distributed.isAvailable().reasons.gloo ?? '';
const dir = mkdtempSync(join(tmpdir(), 'pinn-cli-dp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 180_000, env: { ...process.env, PINN_TORCH_DIST_TIMEOUT_MS: '3000' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const metrics = (run: string) => JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8')).result;

const config = join(dir, 'poisson.json');
writeFileSync(config, JSON.stringify({
  extends: 'poisson-2d', problem: { type: 'poisson-2d', points: 301, sampler: 'sobol' }, model: { hidden: [12, 12], dtype: 'float64' },
  phases: [{ steps: 30, dtype: 'float64', optimizer: { type: 'adam', lr: 1e-2 } }, { steps: 10, optimizer: { type: 'lbfgs', maxIter: 1, lineSearchFn: 'strong_wolfe' } }],
  evalEvery: 20, checkpointEvery: 20,
}));

describe.skipIf(!available)(`pinn-torch train --nproc ${available ? '' : `— skipped: ${reason}`}`, () => {
  it('--nproc 2 trains what one process trains (losses to 1e-12), and only rank 0 writes and prints', async () => {
    const one = cli('train', config, '--out', join(dir, 'one'), '--quiet');
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    const two = cli('train', config, '--out', join(dir, 'two'), '--nproc', '2', '--master-port', String(await freePort()));
    expect(two.stderr).not.toMatch(/pinn-torch: error|\[rank 1\]/);
    expect(two.code).toBe(0);
    expect(two.stdout.match(/^done after 40 steps/gm)).toHaveLength(1); // one summary: rank 0's
    const [a, b] = [metrics(join(dir, 'one')), metrics(join(dir, 'two'))];
    expect(b.history.total).toHaveLength(40);
    const rel = Math.max(...a.history.total.map((v: number, i: number) => Math.abs(v - b.history.total[i]) / Math.abs(v)));
    expect(rel).toBeLessThan(1e-12);
    expect(existsSync(join(dir, 'two', 'checkpoints', 'step-00000040'))).toBe(true);
  }, 240_000);

  it("another rank's error reaches the terminal with its rank, and the launcher exits non-zero", async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = cli('train', config, '--out', join(dir, 'busy'), '--nproc', '2', '--master-port', String(port));
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/rank 0 cannot listen on 127\.0\.0\.1:\d+: the port is in use/);
      expect(r.stderr).toMatch(/pinn-torch: rank 0 of 2 failed \(exit 1\)/);
    } finally {
      await new Promise((r) => busy.close(r));
    }
    // Every rank refuses a run directory that already holds a run: rank 1's words come prefixed.
    const again = cli('train', config, '--out', join(dir, 'two'), '--nproc', '2', '--master-port', String(await freePort()));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^\[rank 1\] pinn-torch: error: .*two: already holds a run/m);
    expect(again.stderr).toMatch(/^pinn-torch: error: .*two: already holds a run/m);
  }, 120_000);

  it('Ctrl-C stops both ranks at the same step; rank 0 saves the checkpoint, and resume --nproc 2 finishes the run', async () => {
    const long = join(dir, 'long.json');
    writeFileSync(long, JSON.stringify({
      extends: 'burgers', problem: { interior: 100, boundary: 20, initial: 20 }, model: { hidden: [8, 8] },
      phases: [{ steps: 300, optimizer: { type: 'adam', lr: 1e-3 } }], evalEvery: 100, checkpointEvery: 0, logEvery: 1,
    }));
    const out = join(dir, 'interrupted');
    const child = spawn(process.execPath, [CLI, 'train', long, '--out', out, '--nproc', '2', '--json', '--master-port', String(await freePort())], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await new Promise<void>((r) => child.stdout.on('data', (d) => { stdout += d; if (/"type":"step"/.test(stdout)) r(); }));
    child.kill('SIGINT');
    expect(await exit).toBe(130);
    expect(stderr).not.toMatch(/\[rank 1\].*error/);
    const events = stdout.trim().split('\n').map((l) => JSON.parse(l));
    const saved = events.find((e) => e.type === 'checkpoint' && e.data.reason === 'abort');
    expect(saved).toBeDefined();
    expect(saved.data.step).toBeLessThan(300);
    const resumed = cli('resume', out, '--nproc', '2', '--master-port', String(await freePort()));
    expect(resumed.stderr).not.toMatch(/pinn-torch: error|\[rank 1\]/);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/^done after 300 steps/m);
    expect(metrics(out).history.total).toHaveLength(300);
  }, 180_000);
});

// `--nproc N` (and --nnodes/--node-rank/--master-addr/--master-port for several machines): starts
// this node's N ranks as torchrun does, each this same command with RANK, WORLD_SIZE, LOCAL_RANK,
// MASTER_ADDR and MASTER_PORT set. Rank 0 owns the terminal (progress, summary); the others'
// stderr is shown prefixed with their rank. A signal reaches every rank once (they agree on the
// step to stop at, and rank 0 saves the checkpoint). When a rank fails, the others are given
// time to fail on their own with the rank named, then stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { UsageError } from './errors.js';

export interface LaunchOptions {
  nproc: number;
  nnodes: number;
  nodeRank: number;
  masterAddr: string;
  masterPort: number;
  /** The command line each rank runs (the launcher's own, without its launch flags). */
  argv: string[];
}

const int = (flag: string, v: string | undefined, fallback: number, min: number, max: number): number => {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`${flag} must be an integer in [${min}, ${max}], got '${v}'`);
  return Number(v);
};

/** The launch flags, checked; null when the command runs as one process. */
export function launchOptions(v: { nproc?: string; nnodes?: string; 'node-rank'?: string; 'master-addr'?: string; 'master-port'?: string }, argv: string[]): LaunchOptions | null {
  if (v.nproc === undefined && v.nnodes === undefined) {
    for (const flag of ['node-rank', 'master-addr', 'master-port'] as const) if (v[flag] !== undefined) throw new UsageError(`--${flag} needs --nproc (ranks per node)`);
    return null;
  }
  const nnodes = int('--nnodes', v.nnodes, 1, 1, 4096);
  const o = {
    nproc: int('--nproc', v.nproc, 1, 1, 1024), nnodes, nodeRank: int('--node-rank', v['node-rank'], 0, 0, nnodes - 1),
    masterAddr: v['master-addr'] ?? '127.0.0.1', masterPort: int('--master-port', v['master-port'], 29500, 1, 65535),
  };
  if (nnodes > 1 && v['master-addr'] === undefined) throw new UsageError('--nnodes > 1 needs --master-addr (the address of node 0, where rank 0 listens)');
  const launchFlags = /^--(nproc|nnodes|node-rank|master-addr|master-port)(=|$)/;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (!launchFlags.test(argv[i])) { rest.push(argv[i]); continue; }
    if (!argv[i].includes('=')) i++; // its value
  }
  return { ...o, argv: rest };
}

/** Runs this node's ranks to the end; resolves with the exit code to return (the first failing rank's, else 0). */
export function launch(o: LaunchOptions, script: string): Promise<number> {
  const worldSize = o.nnodes * o.nproc;
  const children: ChildProcess[] = [];
  const codes: (number | null)[] = Array(o.nproc).fill(null);
  let firstFailure: { rank: number; code: number } | null = null;
  let forceTimer: NodeJS.Timeout | null = null;
  const onSignal = (s: NodeJS.Signals) => { for (const c of children) if (c.exitCode === null) c.kill(s); };
  const signals = ['SIGINT', 'SIGTERM'] as const;
  for (const s of signals) process.on(s, onSignal);

  return new Promise((done) => {
    let running = o.nproc;
    for (let local = 0; local < o.nproc; local++) {
      const rank = o.nodeRank * o.nproc + local;
      const env = {
        ...process.env, RANK: String(rank), WORLD_SIZE: String(worldSize), LOCAL_RANK: String(local), LOCAL_WORLD_SIZE: String(o.nproc),
        MASTER_ADDR: o.masterAddr, MASTER_PORT: String(o.masterPort), OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? '1',
        // c10d logs its socket retries through glog, which reads this as the library loads: errors come as ours.
        GLOG_minloglevel: process.env.GLOG_minloglevel ?? '3',
      };
      // Own process groups: a Ctrl-C at the terminal reaches the launcher, which passes it on once.
      const child = spawn(process.execPath, [script, ...o.argv], { env, detached: true, stdio: rank === 0 ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'ignore', 'pipe'] });
      if (rank !== 0) createInterface({ input: child.stderr! }).on('line', (l) => process.stderr.write(`[rank ${rank}] ${l}\n`));
      children.push(child);
      child.on('exit', (code, signal) => {
        codes[local] = code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 9);
        if (codes[local] !== 0 && codes[local] !== 130 && !firstFailure) {
          firstFailure = { rank, code: codes[local]! };
          // A peer that died is noticed at once by the others' next collective, which names it:
          // give them a moment to say so; then stop them, as torchrun does (one that hangs would
          // otherwise wait out its timeout).
          forceTimer = setTimeout(() => {
            for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
            forceTimer = setTimeout(() => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL'); }, 10_000);
          }, 5_000);
        }
        if (--running > 0) return;
        if (forceTimer) clearTimeout(forceTimer);
        for (const s of signals) process.off(s, onSignal);
        if (firstFailure) process.stderr.write(`pinn-torch: rank ${firstFailure.rank} of ${worldSize} failed (exit ${firstFailure.code}); exit codes of this node's ranks: ${codes.join(', ')}\n`);
        done(firstFailure?.code ?? codes.find((c) => c !== 0) ?? 0);
      });
    }
  });
}

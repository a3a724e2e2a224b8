// The PyTorch peers the bench runs every case against: Debian's PyTorch 1.x (the same LibTorch
// and BLAS as pinn-torch: the bridge against the same engine) and a PyTorch 2.x (bench/torch2.mjs:
// a wheel with its own BLAS, torch.func and torch.compile: what a user would pick today). Each is
// one persistent worker process (bench/torch_bench.py; importing torch takes seconds: once per run).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { findTorch2 } from '../torch2.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const TORCH_BENCH = join(here, '..', 'torch_bench.py');
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** A worker answering one JSON line per command; a failed case rejects with caseOnly (the worker lives on). */
export function startWorker(python, env) {
  const child = spawn(python, [TORCH_BENCH], { stdio: ['pipe', 'pipe', 'inherit'], env });
  child.stdin.on('error', () => {}); // a dead worker surfaces as end of output below
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async ask(cmd) {
      child.stdin.write(JSON.stringify(cmd) + '\n');
      const { value, done } = await lines.next();
      if (done) throw new Error('PyTorch worker exited');
      const out = JSON.parse(value);
      if (out.error) throw Object.assign(new Error(out.error), { caseOnly: true });
      return out;
    },
    close: () => child.stdin.end(),
  };
}

/**
 * The peers of this run: { id, python, env, worker } where one was found, { id, note } where not
 * (the report prints the note and leaves the column out).
 */
export async function findPeers({ noTorch = false, env = process.env } = {}) {
  if (noTorch) return [{ id: 'torch1', note: 'PyTorch columns skipped (--no-torch)' }, { id: 'torch2', note: 'PyTorch columns skipped (--no-torch)' }];
  const peers = [];
  if (spawnSync(DEBIAN_PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) {
    peers.push({ id: 'torch1', python: DEBIAN_PYTHON, env });
  } else {
    peers.push({ id: 'torch1', note: `PyTorch 1.x not found at ${DEBIAN_PYTHON} (Debian's python3-torch): its column is skipped` });
  }
  const t2 = await findTorch2({ env, log: (m) => console.log(m) });
  // torch.compile compiles in one process: no pool of compile workers beside the timed cases on a small machine.
  peers.push(t2.note ? { id: 'torch2', note: `PyTorch 2.x column skipped: ${t2.note}` }
    : { id: 'torch2', python: t2.python, env: { ...t2.env, TORCHINDUCTOR_COMPILE_THREADS: '1' }, source: t2.source });
  for (const p of peers) if (p.python) p.worker = startWorker(p.python, p.env);
  return peers;
}

// Starts one rank of a test/fixtures/distributed_rank.mjs scenario as a child process and
// resolves with the JSON line it prints last (or a failed report saying what it printed).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export interface RankReport { ok: boolean; error?: string; name?: string; ms: number; exit: number | null; [k: string]: unknown }

const script = resolve(__dirname, '../fixtures/distributed_rank.mjs');

export function rank(args: object, env: Record<string, string> = {}): Promise<RankReport> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script, JSON.stringify(args)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try { done({ ...JSON.parse(line), exit: code }); } catch { done({ ok: false, error: `no report (exit ${code}): ${out}${err}`, ms: NaN, exit: code }); }
    });
  });
}

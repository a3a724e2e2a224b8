// The distributed bench: the elastic-wave-2d preset at the same global batch (N interior points,
// its boundary and initial terms) in one process and as 2 data-parallel ranks on this machine,
// one thread each: step time, the time to allreduce the model's gradients alone, and the scaling
// efficiency T1 / (n · Tn). Beside them, the machine's own ceiling: two independent one-process
// runs at once (no communication at all), whose step time T1∥ says what two cores give two jobs
// here (shared caches, memory bandwidth, SMT siblings); T1∥ / (n · Tn) is then the efficiency
// left to the data-parallel code. Each configuration runs `rounds` times, alternating; medians.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function run(args) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(here, 'distributed_run.mjs'), JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, OMP_NUM_THREADS: '1', GLOG_minloglevel: '3' } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('exit', (code) => (code === 0 ? done(JSON.parse(out.trim().split('\n').pop())) : fail(new Error(`distributed bench: a rank exited with ${code}`))));
  });
}

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const ms = (s) => `${(s * 1000).toFixed(2)} ms`;

/** Runs the suite; returns { text (Markdown), rows } or null when this build has no collectives. */
export async function distributedBench({ points = 8000, steps = 40, warmup = 5, rounds = 3, available }) {
  if (!available.backends.includes('gloo')) { // the ranks share this machine's CPUs
    const why = available.reasons.gloo;
    console.log(`\ndistributed: skipped (${why})`);
    return { text: `## Data-parallel training\n\nSkipped: ${why}.`, rows: null };
  }
  console.log(`\ndistributed: elastic-wave-2d, N = ${points} interior points, 1 process vs 2 ranks, ${rounds} rounds…`);
  const one = [], two = [], comm = [], side = [];
  let facts = null;
  for (let r = 0; r < rounds; r++) {
    const single = await run({ points, steps, warmup });
    one.push(single.step);
    const port = await freePort();
    const ranks = await Promise.all([0, 1].map((rank) => run({ world: 2, rank, port, points, steps, warmup })));
    two.push(Math.max(...ranks.map((x) => x.step)));
    comm.push(Math.max(...ranks.map((x) => x.comm)));
    const pair = await Promise.all([0, 1].map(() => run({ points, steps, warmup })));
    side.push(Math.max(...pair.map((x) => x.step)));
    facts = single;
    console.log(`  round ${r + 1}: 1 process ${ms(single.step)}/step, two independent at once ${ms(side.at(-1))}/step, 2 ranks ${ms(two.at(-1))}/step (gradient allreduce ${ms(comm.at(-1))})`);
  }
  const t1 = median(one), t2 = median(two), c = median(comm), t1side = median(side);
  const efficiency = t1 / (2 * t2), ceiling = t1 / t1side, ofCeiling = t1side / (2 * t2);
  const rows = { points, parameters: facts.parameters, bytes: facts.bytes, t1, t2, comm: c, efficiency, t1side, ceiling, ofCeiling };
  const text = [
    '## Data-parallel training (bench/distributed.mjs)',
    '',
    `elastic-wave-2d preset (network ${facts.parameters} parameters, float32), N = ${points} interior points plus its boundary and initial terms, Adam;`,
    `one thread per process; medians over ${rounds} rounds of ${steps} steps (after ${warmup}).`,
    '',
    '| | step time | gradient allreduce | efficiency T1 / (n·Tn) |',
    '|---|---:|---:|---:|',
    `| 1 process | ${ms(t1)} | – | – |`,
    `| 2 ranks (Gloo, loopback) | ${ms(t2)} | ${ms(c)} (${(facts.bytes / 1024).toFixed(1)} KiB) | ${efficiency.toFixed(2)} |`,
    `| two independent processes at once (no communication) | ${ms(t1side)} each | – | machine ceiling T1 / T1∥ = ${ceiling.toFixed(2)} |`,
    '',
    `Of what this machine gives two jobs, the data-parallel run keeps T1∥ / (2·T2) = ${ofCeiling.toFixed(2)}.`,
  ].join('\n');
  console.log(`distributed: efficiency at 2 ranks ${efficiency.toFixed(2)}; two independent processes at once run at ${ceiling.toFixed(2)} of one alone; data-parallel keeps ${ofCeiling.toFixed(2)} of that`);
  return { text, rows };
}

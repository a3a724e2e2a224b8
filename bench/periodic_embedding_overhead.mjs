// What one loss-and-gradient evaluation costs with the default recipe's periodic embedding, on
// the accuracy suite's periodic problems (float32, one thread, as in the Adam phase): the plain
// MLP (3×32 tanh) and Embedded(PeriodicEmbedding, the same MLP), each with forward-mode
// derivatives and with nested autograd (the embedded network's only path before the engine took it).
// Rounds alternate the four and the median of the rounds is reported; times are the process's
// CPU time (one thread), so load on a shared machine moves them less than wall time would.
//
//   node bench/periodic_embedding_overhead.mjs [--rounds 7] [--evals 20] [--out bench/results/NAME]
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { nn, setNumThreads, tidy } from '../dist/index.js';
import { loadProblem } from '../accuracy/lib/problems.mjs';

const argv = process.argv.slice(2);
const arg = (k, d) => { const i = argv.indexOf(`--${k}`); return i < 0 ? d : argv[i + 1]; };
const rounds = Number(arg('rounds', 7)), evals = Number(arg('evals', 20)), out = arg('out', null);
setNumThreads(1);

const PERIODS = { advection: 2 * Math.PI, 'allen-cahn': 2, kdv: 2 };
const ASKED = { advection: 'u_t, u_x', 'allen-cahn': 'u_t, u_xx', kdv: 'u_t, u_x, u_xxx (third order)' };
const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const rows = [];
for (const [name, period] of Object.entries(PERIODS)) {
  const p = await loadProblem(name);
  const built = (derivatives) => {
    const { problem } = p.build({ dtype: 'float64', seed: 0 });
    const q = derivatives === 'autograd' ? new (problem.constructor)({ ...problemOptions(problem), derivatives }) : problem;
    q.to('float32');
    return q;
  };
  const fwd = built('auto'), ag = built('autograd');
  const opts = { activation: 'tanh', init: 'xavierNormal', seed: 0, dtype: 'float32' };
  const mlp = new nn.MLP([2, 32, 32, 32, 1], opts);
  const emb = new nn.Embedded(new nn.PeriodicEmbedding([period, null]), new nn.MLP([3, 32, 32, 32, 1], opts));
  const cases = [['plain MLP, forward mode', fwd, mlp], ['plain MLP, nested autograd', ag, mlp], ['embedded, forward mode', fwd, emb], ['embedded, nested autograd', ag, emb]];
  const time = (problem, model, n) => {
    // CPU time of this process (one thread), not wall time: other work on a shared machine
    // delays the run but does not add to it.
    const t0 = process.cpuUsage();
    for (let i = 0; i < n; i++) tidy(() => { problem.total(problem.losses(model)).backward(); });
    const t = process.cpuUsage(t0);
    return (t.user + t.system) / 1000 / n;
  };
  for (const [, problem, model] of cases) time(problem, model, 3); // warm-up, and the forward engine learns what each term asks
  const ms = cases.map(() => []);
  for (let r = 0; r < rounds; r++) cases.forEach(([, problem, model], k) => ms[k].push(time(problem, model, evals)));
  const row = { problem: name, period, ms: Object.fromEntries(cases.map(([label], k) => [label, median(ms[k])])), forward: fwd.usesForward(emb) };
  rows.push(row);
  console.log(name, JSON.stringify(row.ms));
}

/** The options a problem was built with, for a copy that differs in `derivatives` (same condition objects). */
function problemOptions(problem) {
  const constants = {};
  for (const [k, v] of Object.entries(problem.coefficients)) if (!problem.trainableCoefficients.includes(k)) constants[k] = v.item();
  return { inputs: problem.inputs, outputs: problem.outputs, conditions: problem.conditions, constants };
}

if (out) {
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores`;
  const md = [
    `# Periodic embedding: cost of one loss-and-gradient evaluation (${new Date().toISOString().slice(0, 10)})`, '',
    `- machine: ${machine}; one thread; float32; median of ${rounds} alternating rounds of ${evals} evaluations, CPU time of the process`,
    '- command: `node bench/periodic_embedding_overhead.mjs' + argv.map((a) => ` ${a}`).join('') + '`',
    '- every term of the problem is evaluated (the recipe holds the periodic terms at weight 0, but they are still computed)', '',
    '| problem | derivatives asked | plain MLP, forward (ms) | plain MLP, autograd (ms) | embedded, forward (ms) | embedded, autograd (ms) | embedded / plain (forward) | autograd / forward (embedded) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const [a, a2, b, c] = Object.values(r.ms);
      return `| ${r.problem} (P = ${r.period === 2 ? 2 : '2π'}) | ${ASKED[r.problem]} | ${a.toFixed(2)} | ${a2.toFixed(2)} | ${b.toFixed(2)} | ${c.toFixed(2)} | ${(b / a).toFixed(2)}× | ${(c / b).toFixed(2)}× |`;
    }), '',
  ].join('\n');
  writeFileSync(`${out}.md`, md);
  writeFileSync(`${out}.json`, JSON.stringify({ date: new Date().toISOString(), machine, rounds, evals, rows }, null, 2));
  console.log(`wrote ${out}.md and .json`);
}

// The accuracy suite (issue #17): each problem of accuracy/problems/ trained with the library's
// default recipe (Trainer.auto) for a time budget, its relative L2 error against the reference
// solution reported beside published vanilla-PINN and best-method figures.
//
//   npm run accuracy [-- --quick] [--only name,name] [--budget seconds] [--seed N] [--verbose]
//
// --budget: seconds of training per problem (default 600; --quick: 60). Each problem runs alone,
// in its own process (memory and crashes isolated), on one LibTorch thread. Writes
// accuracy/results/<YYYY-MM-DD>[-quick][-<names given to --only>][-2, -3 … when that is taken].md
// and .json: a second run on the same day adds a report, it does not replace one.
// A problem that fails is a row saying why; the runner goes on with the next.
// --fallback forces the plain Adam → L-BFGS plan the runner uses when Trainer.auto is missing.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { loadProblem, selectNames } from './lib/problems.mjs';
import { freshStem } from '../bench/lib/fresh_stem.mjs';
import { writeFileAtomic } from '../dist/io/atomic.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
  return v;
};

// ---- one problem, in its own process ------------------------------------------------------

async function child() {
  const name = arg('child'), budget = Number(arg('budget')), seed = Number(arg('seed', 0)), out = arg('result');
  const t0 = performance.now();
  const write = (o) => writeFileSync(out, JSON.stringify(o));
  try {
    const lib = await import('../dist/index.js');
    const { Trainer, nn, setNumThreads, tuneAllocator, allocatorSetByEnvironment, memory } = lib;
    setNumThreads(1);
    if (!allocatorSetByEnvironment()) tuneAllocator(); // this process is ours: keep freed step buffers mapped
    const p = await loadProblem(name);
    const { problem, domain, evalPoints } = p.build({ dtype: 'float64', seed });
    const buildSeconds = (performance.now() - t0) / 1000;
    const common = { evalPoints, logEvery: 100, evalEvery: 1000 };
    let trainer, path;
    if (typeof Trainer.auto === 'function' && !flag('fallback')) {
      trainer = Trainer.auto(problem, { timeBudget: budget, domain, seed, ...common });
      path = 'Trainer.auto';
    } else {
      // ---- FALLBACK: only while Trainer.auto is missing from dist/ (or with --fallback). ----
      // A plain plan over the same budget: MLP [in, 32, 32, 32, out] tanh in float64, Adam
      // (lr 1e-3) for half the budget, then L-BFGS (strong Wolfe, 50 iterations a step).
      const model = new nn.MLP([problem.inputs.length, 32, 32, 32, problem.outputs.length], { activation: 'tanh', init: 'xavierNormal', seed, dtype: 'float64' });
      trainer = new Trainer({
        problem, model, timeBudget: budget, ...common,
        phases: [
          { name: 'adam', optimizer: { type: 'adam', lr: 1e-3 }, steps: 1e9, timeBudget: budget / 2 },
          { name: 'lbfgs', optimizer: { type: 'lbfgs', lr: 1, maxIter: 50, historySize: 100, lineSearchFn: 'strong_wolfe', toleranceGrad: 0, toleranceChange: 0 }, steps: 1e9, dtype: 'float64' },
        ],
      });
      path = 'fallback (Adam → L-BFGS)';
    }
    trainer.on('evaluation', (e) => process.stderr.write(`  ${name} step ${e.step}: relative L2 ${e.relL2.all.toExponential(2)}\n`));
    // What each phase ran: its steps, and its optimizer's inner iterations (a quasi-Newton step is up to 50).
    const ran = [];
    trainer.on('phaseStart', (e) => {
      process.stderr.write(`  ${name} phase ${e.phase ?? e.name ?? ''} starts\n`);
      ran.push({ phase: e.phase, start: e.step, iterations: 0 });
    });
    trainer.on('optimizerIteration', () => { if (ran.length) ran[ran.length - 1].iterations++; });
    const result = await trainer.fit();
    const phases = ran.map((p, k) => ({ phase: p.phase, steps: (ran[k + 1]?.start ?? result.steps) - p.start, iterations: p.iterations }));
    const metrics = p.metrics ? p.metrics(result) : undefined;
    write({
      name, path, relL2: result.relL2 ?? null, steps: result.steps, fitSeconds: result.timing.total,
      buildSeconds, wallSeconds: (performance.now() - t0) / 1000, stopReason: result.stopReason,
      total: result.total, coefficients: result.coefficients, metrics: metrics ?? null,
      validation: result.validation ?? null, plan: trainer.plan ? summarizePlan(trainer.plan) : null, phases,
      tensorsLeft: memory().tensors,
    });
  } catch (e) {
    write({ name, error: String(e?.message ?? e).split('\n')[0], stack: String(e?.stack ?? '') });
    process.exitCode = 1;
  }
}

/** What Trainer.auto chose, in a few words (the plan's shape is read loosely: it is young). */
function summarizePlan(plan) {
  const desc = (v) => {
    if (v == null) return null;
    if (Array.isArray(v)) return v.map(desc).join(', ');
    if (typeof v !== 'object') return String(v);
    const { type, name, ...rest } = v;
    const args = Object.entries(rest).filter(([, x]) => x !== undefined && typeof x !== 'object').map(([k, x]) => `${k} ${x}`).join(' ');
    return `${type ?? name ?? ''}${args ? ` (${args})` : ''}`.trim();
  };
  const widths = plan.model?.sizes?.length ? plan.model.sizes : plan.model?.hidden ? ['in', ...plan.model.hidden, 'out'] : null;
  return {
    model: widths ? `${plan.model.periods ? `periodic embedding (periods ${plan.model.periods.map((p) => p ?? '–').join(', ')}) then ` : ''}${widths.join('→')} ${plan.model.activation ?? ''}`.trim() : null,
    parameters: plan.model?.parameters ?? null,
    phases: (plan.phases ?? []).map((ph) => `${ph.name ?? ph.optimizer?.type} ${ph.steps} steps${ph.dtype ? ` ${ph.dtype}` : ''}`),
    weighting: [desc(plan.weighting), ...Object.entries(plan.weighting?.fixed ?? plan.weighting?.weights ?? {}).map(([k, w]) => `${k} held at ${w}`)].filter(Boolean).join('; ') || null, sampling: desc(plan.sampling), validation: desc(plan.validation),
    reasons: plan.reasons ?? null,
  };
}

// ---- the suite ------------------------------------------------------------------------------

async function parent() {
  const quick = flag('quick');
  const budget = Number(arg('budget', quick ? 60 : 600));
  const seed = Number(arg('seed', 0));
  if (!(budget > 0)) throw new Error(`--budget must be a positive number of seconds, got ${arg('budget')}`);
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be an integer, got ${arg('seed')}`);
  const only = arg('only', null);
  const names = selectNames(only);
  const verbose = flag('verbose');
  const machine = machineInfo();
  console.log(`accuracy: ${names.length} problem${names.length > 1 ? 's' : ''}, ${budget} s each, seed ${seed}; ${machine.cpu}, ${machine.cores} cores, LibTorch ${machine.libtorch}`);

  const rows = [];
  for (const [i, name] of names.entries()) {
    const p = await loadProblem(name).catch((e) => ({ name, error: e.message }));
    const tag = `[${i + 1}/${names.length}] ${name}`;
    process.stdout.write(`${tag} … `);
    const r = p.error ? { name, error: p.error } : await runChild(name, budget, seed, verbose);
    rows.push({ problem: p, result: r });
    if (r.error) console.log(`failed: ${r.error}`);
    else console.log(`relative L2 ${fmtErr(r.relL2?.all)} in ${r.fitSeconds.toFixed(0)} s, ${r.steps} steps (${r.path})${r.metrics ? `; ${fmtMetrics(r.metrics)}` : ''}`);
  }

  const dir = join(HERE, 'results');
  mkdirSync(dir, { recursive: true });
  const date = new Date();
  const day = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  const base = join(dir, freshStem(dir, `${day}${quick ? '-quick' : ''}${only ? `-${names.join('-')}` : ''}`));
  const run = { date: date.toISOString(), budget, seed, quick, only: only ?? null, machine };
  writeFileAtomic(`${base}.md`, Buffer.from(markdown(run, rows)));
  writeFileAtomic(`${base}.json`, Buffer.from(JSON.stringify({
    ...run,
    problems: rows.map(({ problem: p, result: r }) => ({
      name: p.name, kind: p.kind ?? null, referenceType: p.referenceType ?? null, description: p.description ?? null,
      source: p.source ?? null, published: p.published ?? null, result: r,
    })),
  }, null, 1) + '\n'));
  const failed = rows.filter((r) => r.result.error).length;
  console.log(`wrote ${relative(process.cwd(), base)}.md and .json${failed ? ` (${failed} failed)` : ''}`);
}

function runChild(name, budget, seed, verbose) {
  const result = join(tmpdir(), `pinn-torch-accuracy-${process.pid}-${name}.json`);
  rmSync(result, { force: true });
  // Planning, reference solutions and the final evaluation come on top of the budget.
  const limit = (budget * 1.5 + 300) * 1000;
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', name, '--budget', String(budget), '--seed', String(seed), '--result', result, ...(flag('fallback') ? ['--fallback'] : [])], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    });
    let tail = '';
    const keep = (chunk) => { tail = (tail + chunk).slice(-4000); if (verbose) process.stderr.write(chunk); };
    proc.stdout.on('data', keep);
    proc.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; proc.kill('SIGKILL'); }, limit);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      let r = null;
      if (existsSync(result)) { try { r = JSON.parse(readFileSync(result, 'utf8')); } catch { /* a partial write */ } }
      rmSync(result, { force: true });
      if (r && !r.error && code === 0) return resolve(r);
      const last = tail.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
      const why = timedOut ? `killed after ${(limit / 1000).toFixed(0)} s (budget ${budget} s)`
        : r?.error ? r.error
        : signal ? `the process died (${signal})${last ? `: ${last}` : ''}`
        : `exit code ${code}${last ? `: ${last}` : ''}`;
      resolve({ name, error: why, stack: r?.stack });
    });
  });
}

function machineInfo() {
  let cpu = 'unknown CPU';
  try { cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu; } catch { cpu = cpus()[0]?.model ?? cpu; }
  let libtorch = 'unknown', blas = 'unknown', version = 'unknown';
  try {
    const out = execFileSync(process.execPath, ['-e', "import('./dist/index.js').then((m) => { const c = m.config(); console.log(JSON.stringify({ v: c.version, t: c.libtorch?.version, b: c.blas?.name })); })"], { cwd: ROOT, encoding: 'utf8' });
    const c = JSON.parse(out.trim().split('\n').pop());
    [libtorch, blas, version] = [c.t, c.b, c.v];
  } catch (e) { libtorch = `unavailable (${String(e.message).split('\n')[0]})`; }
  let commit = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    // A report must say when the code it measured is not the commit's.
    const changed = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    if (changed.length) commit += ` with uncommitted changes to ${changed.map((l) => l.slice(3)).join(', ')}`;
  } catch { /* not a clone */ }
  return { cpu, cores: cpus().length, libtorch, blas, pinnTorch: version, node: process.version, commit };
}

const fmtErr = (v) => (typeof v === 'number' && Number.isFinite(v) ? v.toExponential(2) : '—');
const fmtMetrics = (m) => Object.entries(m).filter(([k]) => k.includes('error')).map(([k, v]) => `${k} ${fmtErr(v)}`).join(', ');
const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdown(run, rows) {
  const { machine: m } = run;
  const paths = [...new Set(rows.map((r) => r.result.path).filter(Boolean))];
  const out = [
    `# Accuracy suite, ${run.date.slice(0, 10)}${run.quick ? ' (quick)' : ''}`,
    '',
    `- machine: ${m.cpu}, ${m.cores} cores; LibTorch ${m.libtorch}, ${m.blas}; one intra-op thread per problem; Node ${m.node}; pinn-torch ${m.pinnTorch}${m.commit ? ` at ${m.commit}` : ''}`,
    `- budget: ${run.budget} s of training per problem (\`npm run accuracy${run.quick ? ' -- --quick' : ''}\`${run.only ? `, --only ${run.only}` : ''}), seed ${run.seed}; training path: ${paths.join(', ') || '—'}`,
    '- relative L2: ‖u − u_ref‖₂ / ‖u_ref‖₂ over the evaluation points (all outputs together); time: seconds in `fit()`; steps: optimizer steps (a quasi-Newton step is up to 50 iterations)',
    '- published: relative L2 unless marked; "—": no figure we could confirm for this setup (see Problems)',
    '',
    '| problem | kind | pinn-torch rel. L2 | time (s) | steps | published vanilla PINN | published best (method) | source |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const { problem: p, result: r } of rows) {
    const pub = p.published ?? {};
    const unit = pub.metric ? ` (${pub.metric})` : '';
    const ours = r.error ? `**failed**: ${cell(r.error)}` : `${fmtErr(r.relL2?.all)}${r.metrics ? `; ${fmtMetrics(r.metrics)}` : ''}`;
    out.push(`| ${p.name} | ${cell(p.kind ?? '')} | ${ours} | ${r.error ? '—' : r.fitSeconds.toFixed(0)} | ${r.error ? '—' : r.steps} | ${pub.vanilla == null ? '—' : fmtErr(pub.vanilla) + unit} | ${pub.best == null ? '—' : `${fmtErr(pub.best)}${unit}${pub.bestMethod ? ` (${cell(pub.bestMethod)})` : ''}`} | ${cell(pub.source ?? p.source ?? '')} |`);
  }
  out.push('', '## Problems', '');
  for (const { problem: p, result: r } of rows) {
    out.push(`### ${p.name}`, '', `${cell(p.description ?? '')}`, '', `- reference: ${p.referenceType ?? '—'}; setup from: ${cell(p.source ?? '—')}`);
    if (p.published?.note) out.push(`- published figures: ${cell(p.published.note)}`);
    if (!r.error) {
      const per = r.relL2 && Object.keys(r.relL2).length > 2 ? `; per output ${Object.entries(r.relL2).filter(([k]) => k !== 'all').map(([k, v]) => `${k} ${fmtErr(v)}`).join(', ')}` : '';
      out.push(`- this run: ${r.path}${r.plan ? ` (${r.plan.model ? `network ${r.plan.model}, ` : ''}${r.plan.phases.join(' + ')}${r.plan.weighting ? `, weighting ${r.plan.weighting}` : ''}${r.plan.sampling ? `, redraws ${r.plan.sampling}` : ''}${r.plan.validation ? `, held-out ${r.plan.validation}` : ''})` : ''}${r.phases?.length ? `; ran ${r.phases.map((p) => `${p.phase} ${p.steps} steps${p.iterations ? ` (${p.iterations} iterations)` : ''}`).join(' + ')}` : ''}; stop: ${r.stopReason}; final loss ${fmtErr(r.total)}${per}${r.metrics ? `; ${Object.entries(r.metrics).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toPrecision(4) : v}`).join(', ')}` : ''}; wall ${r.wallSeconds.toFixed(0)} s (build ${r.buildSeconds.toFixed(1)} s)`);
    } else out.push(`- this run failed: ${cell(r.error)}`);
    out.push('');
  }
  return out.join('\n');
}

// Last, so that every helper above is initialised before either side runs.
if (flag('child')) await child();
else await parent();

// The bench's Markdown report: machine and peers, the main table (pinn-torch, PyTorch 1.x eager,
// PyTorch 2.x eager and its best variant, ratios), throughput, sizes, the PyTorch 2.x variants
// with their errors, peak memory, what suites add of their own, and a baseline comparison.
import { fmtNs, mib, quantile, throughput } from './stats.mjs';

const LABEL = { torch1: 'PyTorch 1.x', torch2: 'PyTorch 2.x' };
const VARIANT = { func: 'torch.func (vmap∘jacfwd∘jacrev)', compile: 'torch.compile (nested autograd)', 'func+compile': 'torch.compile (torch.func)' };
const cell = (s) => (s ? `${fmtNs(s.median)} (${fmtNs(s.p10)}–${fmtNs(s.p90)})` : '—');
const ratio = (a, b) => (a && b ? `${(a.median / b.median).toFixed(2)}×` : '—');

/** PyTorch 2.x's fastest way to run a case: its eager run or a variant that worked. */
export function bestTorch2(row) {
  let best = null;
  for (const [key, p] of Object.entries(row.peers)) {
    if (!key.startsWith('torch2') || !p.summary) continue;
    if (!best || p.summary.median < best.summary.median) best = { key, ...p };
  }
  return best;
}

function header(run) {
  const m = run.machine;
  const lines = [
    `Machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}; ${m.threads} intra-op thread(s) on every side; ${run.quick ? 'quick' : 'full'} run ` +
      `(${run.rounds} alternating rounds, up to ${run.maxTime} s per side per round), total run time ${run.seconds.toFixed(0)} s.`,
    `- pinn-torch: LibTorch ${m.libtorch}, BLAS ${m.blas}.`,
  ];
  for (const [id, f] of Object.entries(m.peers)) {
    lines.push(f.torch
      ? `- ${LABEL[id]}: PyTorch ${f.torch} on Python ${f.python} (${f.source}), BLAS ${f.blasInfo ?? '?'} (BLAS_INFO in torch.__config__.show())${f.blas?.length ? `; BLAS libraries mapped in its process: ${f.blas.join(', ')}` : ''}${f.openblasCore ? `, OpenBLAS kernels ${f.openblasCore}` : ''}, ${f.threads} intra-op thread(s).`
      : `- ${LABEL[id]}: not run. ${f.note}.`);
  }
  lines.push('', 'Per-call times: median (p10–p90). Ratio = pinn-torch / PyTorch (below 1 is faster); "best 2.x" is the fastest of PyTorch 2.x eager and its variants for that case.');
  return lines.join('\n');
}

function mainTable(results) {
  const rows = results.map((r) => {
    const t1 = r.peers.torch1?.summary, t2 = r.peers.torch2?.summary, best = bestTorch2(r);
    const bestCell = best ? `${fmtNs(best.summary.median)} (${best.key === 'torch2' ? 'eager' : best.variant})` : '—';
    return `| ${r.suite} | ${r.case} | ${cell(r.js)} | ${cell(t1)} | ${cell(t2)} | ${bestCell} | ${ratio(r.js, t1)} | ${ratio(r.js, best?.summary)} |`;
  });
  return ['| suite | case | pinn-torch | PyTorch 1.x eager | PyTorch 2.x eager | best 2.x | ratio 1.x | ratio best 2.x |', '|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}

/**
 * Per round, pinn-torch's median over the fastest PyTorch 2.x way's median of that same round;
 * the median over rounds, with the smallest and largest. A slow stretch of a shared machine
 * slows both sides of a round alike, which a ratio of whole-run medians does not cancel.
 */
export function pairedRatios(row) {
  const rounds = row.jsRounds ?? [];
  const ratios = rounds.map((js, r) => {
    const peers = Object.entries(row.peers).filter(([key, p]) => key.startsWith('torch2') && p.rounds?.[r] > 0).map(([, p]) => p.rounds[r]);
    return peers.length ? js / Math.min(...peers) : null;
  }).filter((x) => x !== null);
  return ratios.length ? { median: quantile(ratios, 0.5), min: Math.min(...ratios), max: Math.max(...ratios), n: ratios.length } : null;
}

function pairedTable(results) {
  const rows = results.map((r) => [r, pairedRatios(r)]).filter(([, p]) => p);
  if (!rows.length) return '';
  return ['\n\nPaired ratios against the best PyTorch 2.x way, round by round (each round: pinn-torch\'s median over the fastest 2.x median of the same round; median over rounds, min–max):\n',
    '| suite | case | paired ratio best 2.x | rounds |', '|---|---|---|---|',
    ...rows.map(([r, p]) => `| ${r.suite} | ${r.case} | ${p.median.toFixed(3)}× (${p.min.toFixed(3)}–${p.max.toFixed(3)}) | ${p.n} |`)].join('\n');
}

function throughputTable(results) {
  const rows = results.filter((r) => r.points);
  if (!rows.length) return '';
  const t = (r, key) => (r.peers[key]?.summary ? throughput(r.points, r.peers[key].summary.median) : '—');
  return ['\n\nThroughput (points per second, from the medians):\n', '| suite | case | pinn-torch | PyTorch 1.x | PyTorch 2.x |', '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.suite} | ${r.case} | ${throughput(r.points, r.js.median)} | ${t(r, 'torch1')} | ${t(r, 'torch2')} |`)].join('\n');
}

function factsTable(results) {
  const rows = results.filter((r) => r.facts || Object.values(r.peers).some((p) => p.facts));
  if (!rows.length) return '';
  const show = (f) => (f ? Object.entries(f).map(([k, v]) => `${k} ${typeof v === 'number' && /bytes/i.test(k) ? `${v} B` : v}`).join(', ') : '—');
  return ['\n\nSizes measured beside the times:\n', '| suite | case | pinn-torch | PyTorch 1.x | PyTorch 2.x |', '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.suite} | ${r.case} | ${show(r.facts)} | ${show(r.peers.torch1?.facts)} | ${show(r.peers.torch2?.facts)} |`)].join('\n');
}

function variantsTable(results) {
  const rows = [];
  for (const r of results) {
    for (const [key, p] of Object.entries(r.peers)) {
      if (!key.startsWith('torch2:')) continue;
      const outcome = p.summary ? `${cell(p.summary)}; pinn-torch ${ratio(r.js, p.summary)}` : `fails: ${p.error.split('\n')[0].replace(/\|/g, '\\|').slice(0, 200)}`;
      rows.push(`| ${r.suite} | ${r.case} | ${VARIANT[p.variant] ?? p.variant} | ${outcome} |`);
    }
  }
  if (!rows.length) return '';
  return ['\n\nPyTorch 2.x variants (torch.compile is tried in full runs only: compiling takes minutes):\n', '| suite | case | variant | time, or why it does not run |', '|---|---|---|---|', ...rows].join('\n');
}

function memoryText(memory, machine) {
  if (!memory) return '';
  const parts = [`pinn-torch ${mib(memory.js.maxRSS)} (${memory.js.seconds.toFixed(1)} s)`];
  for (const [id, m] of Object.entries(memory.peers)) {
    parts.push(m ? `${LABEL[id]} ${mib(m.maxRSS)} (${m.seconds.toFixed(1)} s) → ${(memory.js.maxRSS / m.maxRSS).toFixed(2)}×` : `${LABEL[id]} failed`);
  }
  const missing = Object.keys(machine.peers).filter((id) => !(id in memory.peers));
  return `\n\nPeak RSS of a ${memory.steps}-step run of the reference step (a fresh process each, run side by side): ${parts.join(', ')}` +
    (missing.length ? `; ${missing.map((id) => LABEL[id]).join(', ')} not run` : '') + '.';
}

function comparisonTable(comparison) {
  if (!comparison) return '';
  const rows = comparison.rows.map((r) => (r.before === undefined
    ? `| ${r.suite} | ${r.case} | — | — | — | ${r.verdict} |`
    : `| ${r.suite} | ${r.case} | ${fmtNs(r.before)} → ${fmtNs(r.after)} | ${(100 * r.change).toFixed(1)} % | ±${(100 * r.noise).toFixed(1)} % | ${r.verdict} |`));
  const regressed = comparison.rows.filter((r) => r.verdict === 'regressed').length;
  return [`\n\nAgainst baseline '${comparison.name}' (pinn-torch medians; noise = the larger relative interquartile range of the two runs): ${regressed} regressed.\n`,
    '| suite | case | median | change | noise | verdict |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

export function renderReport(run, comparison = null) {
  const notes = run.notes.length ? `\n\n${run.notes.map((n) => `Note: ${n}.`).join('\n')}` : '';
  const extras = Object.values(run.extras ?? {}).filter(Boolean).map((text) => `\n\n${text}`).join('');
  return `${header(run)}${notes}\n\n${mainTable(run.results)}${pairedTable(run.results)}${throughputTable(run.results)}${factsTable(run.results)}` +
    `${variantsTable(run.results)}${memoryText(run.memory, run.machine)}${extras}${comparisonTable(comparison)}\n`;
}

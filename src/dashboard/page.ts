// The dashboard's one page: plain HTML and a script that keeps the RunView the server streams
// (server.ts: 'snapshot' replaces it, 'update' appends to it, 'done' ends the stream) and draws it
// with uPlot, served by the same server. `query` ('' or '?token=…') goes on every URL it loads.

export function page(query: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>pinn-torch dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="uPlot.min.css${query}">
<style>
  body { font: 14px system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  header { display: flex; flex-wrap: wrap; align-items: center; gap: 14px; padding: 12px 20px; background: #1d2330; color: #fff; }
  header h1 { font-size: 18px; margin: 0; }
  .badge { padding: 2px 10px; border-radius: 10px; background: #6b7280; font-weight: 600; }
  .badge.running { background: #2563eb; } .badge.finished { background: #16a34a; } .badge.failed { background: #dc2626; }
  .progress { flex: 1; min-width: 160px; height: 10px; background: #3b4252; border-radius: 5px; overflow: hidden; }
  #bar { height: 100%; width: 0; background: #60a5fa; transition: width .2s; }
  main { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 14px; padding: 14px 20px; }
  .card { background: #fff; border-radius: 8px; padding: 10px 14px; box-shadow: 0 1px 3px rgba(0,0,0,.12); min-width: 0; }
  .card.wide { grid-column: 1 / -1; }
  .card h2 { font-size: 14px; margin: 0 0 8px; color: #374151; }
  .chart { min-height: 60px; }
  .empty { color: #6b7280; font-style: italic; }
  table { border-collapse: collapse; width: 100%; }
  td { padding: 2px 8px; border-bottom: 1px solid #eef0f3; font-variant-numeric: tabular-nums; }
  td:last-child { text-align: right; font-family: ui-monospace, monospace; }
  pre { margin: 0; max-height: 360px; overflow: auto; font-size: 12px; }
  #fields img { max-width: 100%; }
</style>
</head>
<body>
<header>
  <h1>pinn-torch</h1>
  <span id="status" class="badge">connecting</span>
  <span id="phase"></span>
  <div class="progress"><div id="bar"></div></div>
  <span id="steps"></span>
  <span id="eta"></span>
</header>
<main>
  <section class="card wide"><h2>Loss per term (raw) and weighted total</h2><div id="loss" class="chart" data-points="0"></div></section>
  <section class="card"><h2>Learning rate</h2><div id="lr" class="chart"></div></section>
  <section class="card"><h2>Relative L2 error and held-out residual</h2><div id="errors" class="chart"></div></section>
  <section class="card"><h2>Latest values</h2><table id="latest"></table></section>
  <section class="card"><h2>Coefficients</h2><div id="coefficients" class="chart"></div></section>
  <section class="card wide"><h2>Fields</h2><div id="fields"></div></section>
  <section class="card wide"><h2>Configuration</h2><pre id="config"></pre></section>
</main>
<script src="uPlot.min.js${query}"></script>
<script>
'use strict';
const QUERY = ${JSON.stringify(query)};
const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];
const $ = (id) => document.getElementById(id);
let run = null;
let drawPending = false;
const charts = {};

const events = new EventSource('events' + QUERY);
events.addEventListener('snapshot', (m) => { run = JSON.parse(m.data); draw(); });
events.addEventListener('update', (m) => { if (run) { merge(run, JSON.parse(m.data)); draw(); } });
// The server stops once every page closed its stream: close it after the last plot loaded.
events.addEventListener('done', () => setTimeout(() => {
  const img = document.querySelector('#fields img');
  if (img && !img.complete) { img.addEventListener('load', () => events.close()); img.addEventListener('error', () => events.close()); } else events.close();
}, 0));

function merge(r, d) {
  r.head = d.head;
  const c = r.curves, n = c.step.length;
  const append = (into, from) => {
    for (const [k, v] of Object.entries(from)) { if (!into[k]) into[k] = new Array(n).fill(null); into[k].push(...v); }
  };
  c.step.push(...d.curves.step); c.total.push(...d.curves.total); c.lr.push(...d.curves.lr);
  append(c.losses, d.curves.losses); append(c.coefficients, d.curves.coefficients);
  r.evaluations.push(...d.evaluations); r.validation.push(...d.validation);
}

function draw() {
  if (drawPending) return;
  drawPending = true;
  setTimeout(() => { drawPending = false; render(); }, 0); // not requestAnimationFrame: it pauses in background tabs
}

const positive = (a) => a.map((v) => (v !== null && v > 0 ? v : null));
const fmt = (v) => (v === null || v === undefined ? '–' : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(4) : v.toPrecision(6));
/** Axis labels: uPlot's own print 1e-4 as 0 on a log scale. */
const tick = (v) => (v === 0 || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4) ? String(+v.toPrecision(3)) : v.toExponential(0));
function duration(s) {
  if (s === null || !isFinite(s)) return '?';
  if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + ' s';
  const m = Math.floor(s / 60);
  return m < 60 ? m + ' min ' + Math.round(s % 60) + ' s' : Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
}

function render() {
  const h = run.head, c = run.curves;
  $('status').textContent = h.status;
  $('status').className = 'badge ' + h.status;
  const pi = h.phases.findIndex((p) => p.name === h.phase);
  $('phase').textContent = h.phase ? 'phase ' + (pi + 1) + '/' + h.phases.length + ': ' + h.phase : '';
  $('steps').textContent = 'step ' + h.step + ' / ' + h.totalSteps;
  $('bar').style.width = (h.totalSteps ? Math.min(100, 100 * h.step / h.totalSteps) : 0) + '%';
  $('eta').textContent = h.status === 'running' ? 'ETA ' + duration(h.eta) + (h.stepsPerSecond ? ' (' + h.stepsPerSecond.toFixed(1) + ' steps/s)' : '')
    : h.status === 'failed' ? 'error: ' + h.error : h.elapsed !== null ? 'trained ' + duration(h.elapsed) : '';

  const losses = Object.entries(c.losses).map(([k, v]) => [k, positive(v)]);
  losses.push(['total (weighted)', positive(c.total)]);
  chart('loss', c.step, losses, true);
  $('loss').dataset.points = String(c.step.length);
  chart('lr', c.step, [['learning rate', positive(c.lr)]], true);
  chart('coefficients', c.step, Object.entries(c.coefficients), false);
  errorChart();
  latest();
  fields(h.plots);
  const config = JSON.stringify(h.config, null, 2);
  if ($('config').textContent !== config) $('config').textContent = config ?? '';
}

/** Relative L2 (per evaluation) and held-out residuals (per validation) on one step axis. */
function errorChart() {
  const rows = new Map();
  const names = [];
  const put = (step, name, value) => {
    if (!names.includes(name)) names.push(name);
    if (!rows.has(step)) rows.set(step, {});
    rows.get(step)[name] = value;
  };
  for (const e of run.evaluations) put(e.step, 'relative L2', e.relL2.all);
  for (const v of run.validation) put(v.step, 'held-out ' + v.condition, v.value);
  const steps = [...rows.keys()].sort((a, b) => a - b);
  chart('errors', steps, names.map((n) => [n, positive(steps.map((s) => rows.get(s)[n] ?? null))]), true);
}

/** Creates the chart, or recreates it when its series changed; otherwise only swaps its data. */
function chart(id, x, series, log) {
  const el = $(id);
  if (x.length === 0 || series.length === 0) {
    if (charts[id]) { charts[id].plot.destroy(); delete charts[id]; }
    el.innerHTML = '<div class="empty">' + (id === 'coefficients' ? 'no trainable coefficients' : 'no points yet') + '</div>';
    return;
  }
  const key = series.map(([n]) => n).join('\\u0000');
  const data = [x, ...series.map(([, v]) => v)];
  if (charts[id] && charts[id].key === key) { charts[id].plot.setData(data); return; }
  if (charts[id]) charts[id].plot.destroy();
  el.innerHTML = '';
  const opts = {
    width: Math.max(300, el.clientWidth), height: id === 'loss' ? 320 : 220,
    scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
    axes: [{ label: 'step' }, { size: 70, values: (u, splits) => splits.map((v) => (v === null || v === undefined ? null : tick(v))) }],
    series: [{ label: 'step' }, ...series.map(([n], i) => ({ label: n, stroke: COLOURS[i % COLOURS.length], width: n.startsWith('total') ? 2 : 1.4, spanGaps: true, points: { show: id === 'errors' } }))],
  };
  charts[id] = { key, plot: new uPlot(opts, data, el) };
}

function latest() {
  const h = run.head, c = run.curves, r = h.result, n = c.step.length;
  const rows = [];
  const row = (key, label, value) => rows.push([key, label, value]);
  const last = (a) => (a && a.length ? a[a.length - 1] : null);
  row('total', 'total (weighted)', r ? r.total : last(c.total));
  for (const [k, v] of Object.entries(r ? r.losses : Object.fromEntries(Object.entries(c.losses).map(([k, a]) => [k, last(a)])))) row('loss:' + k, 'loss ' + k, v);
  const relL2 = r ? r.relL2 : last(run.evaluations)?.relL2;
  for (const [k, v] of Object.entries(relL2 ?? {})) row('relL2:' + k, 'relative L2 ' + k, v);
  const held = last(run.validation);
  if (held) row('heldout', 'held-out residual (step ' + held.step + ')', held.value);
  const coef = r ? r.coefficients : Object.fromEntries(Object.entries(c.coefficients).map(([k, a]) => [k, last(a)]));
  for (const [k, v] of Object.entries(coef)) row('coef:' + k, 'coefficient ' + k, v);
  if (!r && n) row('lr', 'learning rate', last(c.lr));
  const table = $('latest');
  table.replaceChildren(...rows.map(([key, label, value]) => {
    const tr = document.createElement('tr');
    const a = document.createElement('td'), b = document.createElement('td');
    a.textContent = label; b.textContent = fmt(value);
    tr.dataset.key = key; tr.dataset.value = value === null || value === undefined ? '' : String(value);
    tr.append(a, b);
    return tr;
  }));
}

function fields(plots) {
  const el = $('fields');
  const at = plots.fields;
  if (at === undefined) {
    if (!el.querySelector('.empty')) el.innerHTML = '<div class="empty">no field plot yet: fields.png is drawn when the run ends (and by pinn-torch eval)</div>';
    return;
  }
  const src = 'plots/fields.png' + QUERY + (QUERY ? '&' : '?') + 'v=' + at;
  const img = el.querySelector('img');
  if (img && img.getAttribute('src') === src) return;
  el.innerHTML = '';
  const i = document.createElement('img');
  i.alt = 'prediction, reference and error fields';
  i.src = src;
  el.append(i);
}

window.addEventListener('resize', () => {
  for (const [id, c] of Object.entries(charts)) c.plot.setSize({ width: Math.max(300, $(id).clientWidth), height: id === 'loss' ? 320 : 220 });
});
</script>
</body>
</html>
`;
}

// The live dashboard: the server without a browser (token and Host refusal, several event
// streams, a late page gets the whole history, a resume cuts it), a real Trainer streamed to a
// client, a run directory followed while its events.jsonl grows, the CLI's refusals; then the
// page in headless Chromium (Debian's, driven by playwright-core) during a real CLI run.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { followRun } from '../src/cli/follow_run.js';
import { jsonLine } from '../src/cli/progress.js';
import { DashboardServer, RunView, type Tensor, Trainer, type TrainerEvent, dashboard, nn, pinn, tensor } from '../src/index.js';
import type { StepEvent } from '../src/train/events.js';

const CLI = resolve(__dirname, '../dist/cli/main.js');
const root = mkdtempSync(join(tmpdir(), 'pinn-dashboard-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!(await ok())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** An event-stream client: every message as { event, data }, parsed by the SSE framing rules it uses; closes on 'done'. */
async function stream(url: string) {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal });
  const messages: Array<{ event: string; data: any }> = [];
  const done = (async () => {
    let buf = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          messages.push({ event, data: JSON.parse(data) });
          if (event === 'done') ac.abort(); // as the page does: the server waits for it
        }
      }
    } catch { /* aborted by close() */ }
  })();
  return { status: res.status, type: res.headers.get('content-type'), messages, done, close: () => ac.abort() };
}

/** What a page knows after these messages: the last snapshot with every later update appended (as the page does). */
function replay(messages: Array<{ event: string; data: any }>) {
  let run: any = null;
  for (const { event, data } of messages) {
    if (event === 'snapshot') run = structuredClone(data);
    if (event !== 'update' || !run) continue;
    const n = run.curves.step.length;
    run.head = data.head;
    for (const k of ['step', 'total', 'lr'] as const) run.curves[k].push(...data.curves[k]);
    for (const group of ['losses', 'coefficients'] as const) {
      for (const [k, v] of Object.entries(data.curves[group] as Record<string, number[]>)) (run.curves[group][k] ??= new Array(n).fill(null)).push(...v);
    }
    run.evaluations.push(...data.evaluations);
    run.validation.push(...data.validation);
  }
  return run;
}

function stepEvent(step: number, totalSteps = 20): StepEvent {
  const losses = { pde: Math.exp(-step / 5), bc: 1 / (step + 1) };
  const total = losses.pde + 2 * losses.bc;
  return {
    phase: 'adam', phaseIndex: 0, step, phaseStep: step, totalSteps, losses, weights: { pde: 1, bc: 2 }, weighted: { pde: losses.pde, bc: 2 * losses.bc },
    total, lr: 1e-3 * 0.9 ** step, gradNorm: 1, coefficients: { nu: 0.1 + step / 100 }, stepTime: 0.01, stepsPerSecond: 100, eta: (totalSteps - step) / 100,
    elapsed: step / 100, timing: { sampling: 0, forward: 0, loss: 0, backward: 0, optimizer: 0 },
  };
}
const start = (step: number, totalSteps = 20): TrainerEvent => ({
  type: 'start', data: { step, totalSteps, phases: [{ name: 'adam', steps: totalSteps, optimizer: 'adam' }], resumed: step > 0, parameters: 10 },
});
/** The curves the step events describe, built straight from them. */
const expected = (steps: StepEvent[]) => ({
  step: steps.map((s) => s.step), total: steps.map((s) => s.total), lr: steps.map((s) => s.lr),
  losses: { pde: steps.map((s) => s.losses.pde), bc: steps.map((s) => s.losses.bc) }, coefficients: { nu: steps.map((s) => s.coefficients.nu) },
});

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    }).on('error', fail).end();
  });
}

describe('dashboard server', () => {
  it('beyond loopback, refuses every request without the generated token; on loopback, refuses foreign Host names', async () => {
    const open = await new DashboardServer(new RunView(), { host: '0.0.0.0', port: 0 }).listen();
    try {
      expect(open.token).toMatch(/^[0-9a-f]{32}$/);
      const port = new URL(open.url).port;
      const base = `http://127.0.0.1:${port}`;
      for (const path of ['/', '/events', '/uPlot.min.js', `/?token=${'0'.repeat(32)}`, `/?token=${open.token!.slice(1)}`]) {
        expect((await get(base + path)).status, path).toBe(403);
      }
      const page = await get(`${base}/?token=${open.token}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain(`uPlot.min.js?token=${open.token}`); // the page's own requests carry it
      expect((await get(`${base}/uPlot.min.js?token=${open.token}`)).body).toContain('uPlot');
      const s = await stream(`${base}/events?token=${open.token}`);
      expect([s.status, s.type]).toEqual([200, 'text/event-stream']);
      s.close();
    } finally {
      await open.close();
    }
    const local = await new DashboardServer(new RunView(), { port: 0 }).listen();
    try {
      expect(local.token).toBeNull();
      expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect((await get(local.url)).status).toBe(200);
      expect((await get(local.url, { host: 'attacker.example:80' })).status).toBe(403);
      await expect(new DashboardServer(new RunView(), { port: Number(new URL(local.url).port) }).listen()).rejects.toThrow(/port \d+ on 127\.0\.0\.1 is in use; choose another port/);
    } finally {
      await local.close();
    }
    expect(() => new DashboardServer(new RunView(), { token: 'short' })).toThrow(/token must be at least 8/);
    expect(() => new DashboardServer(new RunView(), { port: 70000 })).toThrow(/port must be an integer in \[0, 65535\], got 70000/);
  });

  it('streams to several pages at once; a page that connects late or reloads gets the whole history; a resume cuts it', async () => {
    const view = new RunView();
    const server = await new DashboardServer(view, { port: 0, updateMs: 15 }).listen();
    const url = server.url + 'events';
    try {
      const steps = Array.from({ length: 12 }, (_, i) => stepEvent(i + 1));
      view.apply(start(0));
      for (const s of steps.slice(0, 4)) view.apply({ type: 'step', data: s });
      const a = await stream(url);
      for (const s of steps.slice(4, 8)) view.apply({ type: 'step', data: s });
      await until('page A sees step 8', () => replay(a.messages)?.head.step === 8);
      const b = await stream(url); // connects mid-run
      for (const s of steps.slice(8)) {
        view.apply({ type: 'step', data: s });
        await new Promise((r) => setTimeout(r, 5));
      }
      view.apply({ type: 'evaluation', data: { step: 10, relL2: { all: 0.25, u: 0.25 } } });
      view.apply({ type: 'validation', data: { step: 10, condition: 'pde', value: 0.5, best: 0.5, bestStep: 10 } });
      for (const s of [a, b]) await until('step 12', () => replay(s.messages)?.head.step === 12 && replay(s.messages).validation.length === 1);
      expect(server.connections).toBe(2);
      const reload = await stream(url); // a reload: one snapshot holds everything
      await until('the snapshot', () => reload.messages.length > 0);
      for (const s of [a, b, reload]) {
        const run = replay(s.messages);
        expect(run.curves).toEqual(expected(steps));
        expect(run.evaluations).toEqual([{ step: 10, relL2: { all: 0.25, u: 0.25 } }]);
        expect(run.validation).toEqual([{ step: 10, condition: 'pde', value: 0.5 }]);
      }
      expect(a.messages.filter((m) => m.event === 'update').length).toBeGreaterThan(1); // live, not one message at the end
      expect(reload.messages.map((m) => m.event)).toEqual(['snapshot']);

      // A resume from step 6 (another process): steps after 6 are gone, the pages get a new snapshot.
      const resumed = Array.from({ length: 3 }, (_, i) => stepEvent(7 + i));
      view.apply(start(6));
      for (const s of resumed) view.apply({ type: 'step', data: s });
      view.apply({ type: 'end', data: { stopReason: 'completed', steps: 9, losses: resumed[2].losses, total: resumed[2].total, coefficients: resumed[2].coefficients, history: {} as never, timing: {} as never } });
      for (const s of [a, b, reload]) {
        await until('the end', () => replay(s.messages).head.status === 'finished');
        const run = replay(s.messages);
        expect(run.curves).toEqual(expected([...steps.slice(0, 6), ...resumed]));
        expect(run.evaluations).toEqual([]);
        expect(run.head.result.total).toBe(resumed[2].total);
        expect(run.head.result.history).toBeUndefined();
      }
      await server.close();
      for (const s of [a, b, reload]) {
        await s.done; // the server ended the streams
        expect(s.messages.at(-1)?.event).toBe('done');
      }
    } finally {
      await server.close();
    }
  });
});

/** −u'' = π² sin πx on (0, 1), u(0) = u(1) = 0: a Trainer that runs in a second. */
function smallTrainer() {
  const dtype = 'float64';
  const x = tensor(Array.from({ length: 32 }, (_, i) => [(i + 0.5) / 32]), { dtype });
  const pde = pinn.pdes.poisson((p) => p.mul(Math.PI).sin().mul(Math.PI ** 2), { spatial: ['x'] });
  const problem = new pinn.Problem({
    inputs: ['x'], outputs: ['u'],
    conditions: [
      new pinn.PDE('pde', x, (d, c) => pde(d, c) as Tensor[]),
      new pinn.DirichletBC('bc', tensor([[0], [1]], { dtype }), 0, { output: 'u' }),
    ],
    reference: (p) => p.mul(Math.PI).sin(),
  });
  const model = new nn.MLP([1, 16, 16, 1], { seed: 0, dtype });
  return new Trainer({
    problem, model, evalEvery: 10, evalPoints: tensor([[0.3], [0.7]], { dtype }),
    phases: [{ optimizer: { type: 'adam', lr: 1e-2 }, steps: 60 }, { optimizer: { type: 'lbfgs', maxIter: 5 }, steps: 3 }],
    config: { note: 'from the test' },
  });
}

describe('dashboard(trainer)', () => {
  it("streams a real Trainer's history and result as fit() runs", async () => {
    const trainer = smallTrainer();
    const d = await dashboard(trainer, { port: 0, updateMs: 20 });
    try {
      const page = await get(d.url);
      expect(page.status).toBe(200);
      const s = await stream(d.url + 'events');
      const result = await trainer.fit();
      await d.close();
      await s.done;
      const run = replay(s.messages);
      const h = trainer.history;
      expect(run.curves.step).toEqual(h.step);
      expect(run.curves.total).toEqual(h.total);
      expect(run.curves.lr).toEqual(h.lr);
      expect(run.curves.losses).toEqual(h.losses);
      expect(run.evaluations).toEqual(h.evaluations);
      expect(run.head).toMatchObject({ status: 'finished', step: 63, totalSteps: 63, phase: 'lbfgs' });
      expect(run.head.result).toMatchObject({ total: result.total, losses: result.losses, relL2: result.relL2 });
      expect(run.head.config).toEqual({ phases: trainer.phases, config: { note: 'from the test' } });
      expect(s.messages.filter((m) => m.event === 'update').length).toBeGreaterThan(1);
      expect(trainer.listenerCount('step')).toBe(0); // close() let go of the Trainer
    } finally {
      trainer.dispose();
      await d.close();
    }
  }, 60_000);
});

describe('a run directory as a dashboard', () => {
  it('follows events.jsonl as it grows, taking only complete lines', async () => {
    const dir = join(root, 'follow');
    mkdirSync(dir);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ problem: { type: 'burgers' } }));
    const log = join(dir, 'events.jsonl');
    const line = (e: TrainerEvent) => jsonLine(e.type as never, e.data);
    writeFileSync(log, line(start(0)) + line({ type: 'step', data: stepEvent(1) }));
    const third = line({ type: 'step', data: stepEvent(2) });
    appendFileSync(log, third.slice(0, 40)); // a line still being written
    const view = new RunView();
    const warnings: string[] = [];
    const f = followRun(dir, view, { pollMs: 10, warn: (w) => warnings.push(w) });
    try {
      expect(view.snapshot().curves.step).toEqual([1]);
      expect(view.snapshot().head.config).toEqual({ problem: { type: 'burgers' } });
      appendFileSync(log, third.slice(40) + line({ type: 'step', data: stepEvent(3) }));
      await until('steps 2 and 3', () => view.snapshot().curves.step.length === 3);
      expect(view.snapshot().curves).toEqual(expected([1, 2, 3].map((s) => stepEvent(s))));
      appendFileSync(log, 'garbage\n' + line({ type: 'step', data: stepEvent(4) }));
      await until('step 4', () => view.snapshot().curves.step.length === 4);
      expect(warnings).toEqual([`${log}:5: not JSON (each line of an event log is one JSON event) (line skipped)`]);
    } finally {
      f.stop();
    }
  });

  it('pinn-torch dashboard beyond loopback: a generated token in the printed address, refusal without it, exit 0 on SIGTERM', async () => {
    const dir = join(root, 'served');
    mkdirSync(dir);
    writeFileSync(join(dir, 'events.jsonl'), line0() + jsonLine('step', stepEvent(1)));
    const served = await startCli(['dashboard', dir, '--host', '0.0.0.0', '--port', '0'], /on (http:\/\/\S+) \(Ctrl-C/, true);
    try {
      const url = new URL(served.url);
      expect(url.hostname).toBe('0.0.0.0');
      expect(url.searchParams.get('token')).toMatch(/^[0-9a-f]{32}$/);
      const local = `http://127.0.0.1:${url.port}/`;
      expect((await get(local)).status).toBe(403);
      expect((await get(local + url.search)).status).toBe(200);
    } finally {
      served.child.kill('SIGTERM');
    }
    expect(await served.exit).toBe(0);
  }, 60_000);

  it('refuses what is not a run directory, naming it (library and CLI)', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const bad = join(root, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'events.jsonl'), line0() + '{"type": "step"}\n');
    expect(() => followRun(join(root, 'nope'), new RunView())).toThrow(`${join(root, 'nope')}: no such directory`);
    expect(() => followRun(join(bad, 'events.jsonl'), new RunView())).toThrow(/events\.jsonl: not a directory/);
    expect(() => followRun(empty, new RunView())).toThrow(`${empty}: not a run directory (none of config.json, events.jsonl, metrics.json inside)`);
    expect(() => followRun(bad, new RunView())).toThrow(`${join(bad, 'events.jsonl')}:2: not an event ({"type": …, "data": {…}})`);
    const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
    const r = cli('dashboard', empty, '--port', '0');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`pinn-torch: error: ${empty}: not a run directory (none of config.json, events.jsonl, metrics.json inside)\n`);
    expect(cli('eval', empty, '--dashboard').stderr).toMatch(/--dashboard is for train and resume/);
    expect(cli('dashboard', empty, '--port', 'x').stderr).toMatch(/--port: expected a port number in \[0, 65535\], got 'x'/);
    expect(cli('train', 'burgers', '--token', 'abcdefgh1').stderr).toMatch(/--host and --token are for the dashboard/);
  }, 60_000);
});

function line0() { return jsonLine('start', start(0).data); }

// ---- In a real browser -------------------------------------------------------------------------

const CHROMIUM = [process.env.PINN_TORCH_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
const NO_BROWSER = CHROMIUM ? '' : ' [skipped: no Chromium at /usr/bin/chromium; apt-get install chromium, or set PINN_TORCH_CHROMIUM]';
if (!CHROMIUM) console.warn(`dashboard.test.ts: browser tests${NO_BROWSER}`);

/**
 * A CLI run long enough that a page opened after it started still sees it train: two phases,
 * Adam ~10 s on a quiet machine. (At 700 steps a fast CI machine finished before Chromium had
 * loaded the page, and the page never saw the curve grow.)
 */
const browserRun = {
  extends: 'poisson-2d', problem: { type: 'poisson-2d', points: 400, sampler: 'sobol' }, model: { hidden: [16, 16] },
  phases: [{ steps: 2500, optimizer: { type: 'adam', lr: 1e-2 } }, { steps: 3, optimizer: { type: 'lbfgs', maxIter: 20, lineSearchFn: 'strong_wolfe' } }],
  evalEvery: 50, checkpointEvery: 0, logEvery: 1,
};
const browserSteps = browserRun.phases.reduce((n, p) => n + p.steps, 0);

/** Starts the CLI and resolves with the dashboard's URL from its stderr. */
function startCli(args: string[], pattern: RegExp, stdout = false): Promise<{ child: ChildProcess; url: string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let text = '';
  return new Promise((ok, fail) => {
    const look = (c: Buffer) => {
      text += c;
      const url = pattern.exec(text)?.[1];
      if (url) ok({ child, url, exit });
    };
    (stdout ? child.stdout! : child.stderr!).on('data', look);
    child.stderr!.on('data', (c) => { if (!stdout) return; text += c; });
    void exit.then((code) => fail(new Error(`the CLI exited (${code}) before serving a dashboard: ${text}`)));
  });
}

async function shownValues(page: import('playwright-core').Page): Promise<Record<string, number>> {
  return page.$$eval('#latest tr', (rows) => Object.fromEntries(rows.map((r) => [(r as HTMLElement).dataset.key!, Number((r as HTMLElement).dataset.value)])));
}

function expectShownEqualsMetrics(shown: Record<string, number>, metrics: any) {
  const want: Record<string, number> = { total: metrics.result.total };
  for (const [k, v] of Object.entries(metrics.result.losses as Record<string, number>)) want[`loss:${k}`] = v;
  for (const [k, v] of Object.entries(metrics.result.relL2 as Record<string, number>)) want[`relL2:${k}`] = v;
  expect(shown).toEqual(want);
}

describe.skipIf(!CHROMIUM)(`the page in headless Chromium${NO_BROWSER}`, () => {
  it('loads without console errors, gains points while a CLI run trains, survives a reload, ends on metrics.json; a screenshot has content', async () => {
    const { chromium } = await import('playwright-core');
    const out = join(root, 'browser-run');
    const cfg = join(root, 'browser.json');
    writeFileSync(cfg, JSON.stringify(browserRun));
    // The browser first: it takes seconds to start on a loaded machine, and the run must not end meanwhile.
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const train = await startCli(['train', cfg, '--out', out, '--dashboard', '0', '--quiet'], /dashboard on (http:\/\/\S+)/);
    let serve: Awaited<ReturnType<typeof startCli>> | null = null;
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      const watch = (p: import('playwright-core').Page) => {
        p.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
        p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      };
      const [tab1, tab2] = [await context.newPage(), await context.newPage()];
      watch(tab1); watch(tab2);
      const points = (p: import('playwright-core').Page) => p.$eval('#loss', (e) => Number((e as HTMLElement).dataset.points));
      const status = (p: import('playwright-core').Page) => p.$eval('#status', (e) => e.textContent);
      await tab1.goto(train.url);
      await tab2.goto(train.url);
      // Points arrive while the run trains.
      await until('first points', async () => (await points(tab1)) > 0, 60_000);
      const first = await points(tab1);
      expect(await status(tab1)).toBe('running');
      expect(first).toBeLessThan(browserSteps); // the page opened while the run trained
      await until('more points', async () => (await points(tab1)) > first, 60_000);
      const beforeReload = await points(tab1);
      await tab1.reload();
      await until('points after the reload', async () => (await points(tab1)) >= beforeReload);
      expect(await train.exit).toBe(0);
      for (const tab of [tab1, tab2]) await until('finished', async () => (await status(tab)) === 'finished');
      const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
      for (const tab of [tab1, tab2]) {
        expect(await points(tab)).toBe(metrics.result.history.step.length); // logEvery 1: a point per step
        expectShownEqualsMetrics(await shownValues(tab), metrics);
        expect(await tab.$eval('#steps', (e) => e.textContent)).toBe(`step ${browserSteps} / ${browserSteps}`);
      }

      // The same run from its files, with the field plot.
      serve = await startCli(['dashboard', out, '--port', '0'], /on (http:\/\/\S+) \(Ctrl-C/, true);
      const tab3 = await context.newPage();
      watch(tab3);
      await tab3.goto(serve.url);
      await until('finished', async () => (await status(tab3)) === 'finished');
      await until('the field plot', () => tab3.$eval('#fields img', (i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0).catch(() => false));
      expectShownEqualsMetrics(await shownValues(tab3), metrics);
      expect(await tab3.$eval('#config', (e) => JSON.parse(e.textContent!).phases.length)).toBe(2);
      const shot = process.env.PINN_TORCH_DASHBOARD_SCREENSHOT ?? join(root, 'dashboard.png');
      await tab3.screenshot({ path: shot, fullPage: true });
      const img = PNG.sync.read(readFileSync(shot));
      const colours = new Set<number>();
      for (let i = 0; i < img.data.length; i += 4 * 7) colours.add(img.data.readUInt32BE(i));
      expect(img.width).toBe(1280);
      expect(colours.size).toBeGreaterThan(200); // curves, heatmaps and text, not a blank page
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      train.child.kill();
      serve?.child.kill('SIGTERM');
      if (serve) expect(await serve.exit).toBe(0);
    }
  }, 180_000);
});

#!/usr/bin/env node
// node scripts/dashboard_screenshot.mjs [--out docs/img/dashboard.png] [--keep <run-dir>]
// (--keep: train into <run-dir> and leave it there; when it already holds a finished run, only
// the screenshot is taken again.)
// The README's dashboard picture, from a real run: trains a shortened Burgers preset with the CLI
// (Adam, then BFGS in float64 with RAD draws and held-out validation), serves the finished run
// with `pinn-torch dashboard <run-dir>`, and screenshots the page in headless Chromium (the
// system's /usr/bin/chromium or $PINN_TORCH_CHROMIUM, driven by playwright-core). Needs dist/.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(repo, 'dist/cli/main.js');
const shot = resolve(arg('--out', join(repo, 'docs/img/dashboard.png')));
const browserPath = [process.env.PINN_TORCH_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
if (!browserPath) throw new Error('no Chromium at /usr/bin/chromium (apt-get install chromium) and PINN_TORCH_CHROMIUM is not set');

const work = mkdtempSync(join(tmpdir(), 'pinn-dashboard-shot-'));
const runDir = resolve(arg('--keep', join(work, 'run')));
const config = join(work, 'burgers-short.json');
writeFileSync(config, JSON.stringify({
  extends: 'burgers', seed: 0,
  problem: { interior: 1000 },
  phases: [
    { name: 'adam', steps: 3000, optimizer: { type: 'adam', lr: 1e-3 } },
    { name: 'bfgs', steps: 12, dtype: 'float64', optimizer: { type: 'bfgs', lr: 1, maxIter: 50, maxEval: 100, lineSearchFn: 'strong_wolfe', toleranceGrad: 0, toleranceChange: 0 } },
  ],
  sampling: [{ type: 'rad', condition: 'pde', every: 4, from: 3002, until: 3010, candidates: 20000 }],
  validation: { condition: 'pde', points: 5000, every: 1, restoreBest: true, from: 3000 },
  evalEvery: 200, checkpointEvery: 0, logEvery: 1,
}, null, 2));

try {
  if (!existsSync(join(runDir, 'metrics.json'))) {
    console.log(`training ${config} → ${runDir}`);
    const train = spawnSync(process.execPath, [CLI, 'train', config, '--out', runDir], { stdio: 'inherit' });
    if (train.status !== 0) throw new Error(`training failed (exit ${train.status})`);
  }
  const server = spawn(process.execPath, [CLI, 'dashboard', runDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise((ok, fail) => {
      let text = '';
      server.stdout.on('data', (c) => { text += c; const m = /on (http:\/\/\S+) \(Ctrl-C/.exec(text); if (m) ok(m[1]); });
      server.on('exit', (code) => fail(new Error(`pinn-torch dashboard exited (${code}): ${text}`)));
    });
    const browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(url);
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'finished');
      await page.waitForFunction(() => { const i = document.querySelector('#fields img'); return i && i.complete && i.naturalWidth > 0; });
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`screenshot: ${shot}`);
    } finally {
      await browser.close();
    }
  } finally {
    server.kill('SIGTERM');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

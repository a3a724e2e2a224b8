// The LibTorch download path, against a local HTTP server serving archives this test builds.
import { createHash } from 'node:crypto';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM scripts without type declarations
import { downloadLibTorch, archiveSpec } from '../scripts/libtorch/download.mjs';
// @ts-expect-error plain ESM scripts without type declarations
import { findLibTorch } from '../scripts/libtorch/find.mjs';
import yazl from 'yazl';

function makeZip(files: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(files)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let server: Server;
let base: string;
let good: Buffer;
let cache: string;
const silent = () => {};

beforeAll(async () => {
  good = await makeZip({
    'libtorch/share/cmake/Torch/TorchConfig.cmake': '# fake LibTorch for the download test\n',
    'libtorch/lib/README': 'x'.repeat(50_000),
  });
  const noConfig = await makeZip({ 'something/else.txt': 'hello' });
  server = createServer((req, res) => {
    if (req.url === '/good.zip') return res.end(good);
    if (req.url === '/redirect') { res.writeHead(302, { location: '/good.zip' }); return res.end(); }
    if (req.url === '/noconfig.zip') return res.end(noConfig);
    if (req.url === '/truncated-zip.zip') return res.end(good.subarray(0, good.length - 200));
    if (req.url === '/cut.zip') {
      // Promise the whole archive, send half, then drop the connection.
      res.writeHead(200, { 'content-length': good.length });
      res.write(good.subarray(0, good.length >> 1));
      return setTimeout(() => res.socket?.destroy(), 20);
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(() => server?.close());

function freshCache() {
  cache = mkdtempSync(join(tmpdir(), 'pinn-torch-cache-'));
  return { PINN_TORCH_CACHE: cache };
}

describe('LibTorch download', () => {
  it('downloads, verifies the checksum, unpacks, and the search then finds it', async () => {
    const env = freshCache();
    const dir = await downloadLibTorch({ url: `${base}/redirect`, sha256: sha(good) }, { env, log: silent });
    expect(existsSync(join(dir, 'libtorch', 'share', 'cmake', 'Torch', 'TorchConfig.cmake'))).toBe(true);
    const found = findLibTorch({ ...env, PINN_TORCH_SEARCH: 'cache' });
    expect(found.torchDir).toBe(join(dir, 'libtorch', 'share', 'cmake', 'Torch'));
    // A second call reuses the unpacked copy instead of downloading again.
    const lines: string[] = [];
    await downloadLibTorch({ url: `${base}/nothing-here`, sha256: sha(good) }, { env, log: (l: string) => lines.push(l) });
    expect(lines.join('\n')).toMatch(/already downloaded/);
    rmSync(cache, { recursive: true, force: true });
  });

  it('refuses an archive whose SHA-256 differs, leaving nothing in the cache', async () => {
    const env = freshCache();
    await expect(downloadLibTorch({ url: `${base}/good.zip`, sha256: '0'.repeat(64) }, { env, log: silent }))
      .rejects.toThrow(/checksum mismatch .*expected sha256 0{64}, got [0-9a-f]{64}/);
    expect(readdirSync(cache)).toEqual([]);
  });

  it('detects a connection that ends before Content-Length bytes', async () => {
    const env = freshCache();
    await expect(downloadLibTorch({ url: `${base}/cut.zip`, sha256: sha(good) }, { env, log: silent }))
      .rejects.toThrow(/truncated|aborted|socket hang up|ECONNRESET|premature/i);
    expect(readdirSync(cache)).toEqual([]);
  });

  it('reports a truncated archive that passes its (wrong) checksum as unpackable', async () => {
    const env = freshCache();
    const truncated = good.subarray(0, good.length - 200);
    await expect(downloadLibTorch({ url: `${base}/truncated-zip.zip`, sha256: sha(truncated) }, { env, log: silent }))
      .rejects.toThrow(/cannot unpack/);
    expect(readdirSync(cache)).toEqual([]);
  });

  it('refuses an archive without a LibTorch CMake config, and HTTP errors', async () => {
    const env = freshCache();
    const noConfig = await (await fetch(`${base}/noconfig.zip`)).arrayBuffer();
    await expect(downloadLibTorch({ url: `${base}/noconfig.zip`, sha256: sha(Buffer.from(noConfig)) }, { env, log: silent }))
      .rejects.toThrow(/no libtorch\/share\/cmake\/Torch\/TorchConfig.cmake/);
    await expect(downloadLibTorch({ url: `${base}/missing.zip`, sha256: sha(good) }, { env, log: silent }))
      .rejects.toThrow(/HTTP 404/);
  });

  it('will not download a custom URL without a checksum', () => {
    expect(() => archiveSpec({ PINN_TORCH_LIBTORCH_URL: 'http://x/y.zip' })).toThrow(/refusing to install an unverified archive/);
    expect(() => archiveSpec({ PINN_TORCH_LIBTORCH_VERSION: '0.1.0' })).toThrow(/no checksum known for LibTorch 0.1.0/);
    expect(archiveSpec({}).sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('install script', () => {
  it('fails with one message listing every place it looked and how to fix it', () => {
    const env = { ...process.env, ...freshCache(), PINN_TORCH_SEARCH: 'env,cache', LIBTORCH: '/nonexistent/libtorch',
      PINN_TORCH_NO_APT: '1', PINN_TORCH_NO_DOWNLOAD: '1', PINN_TORCH_BUILD_FROM_SOURCE: '1' };
    const r = spawnSync(process.execPath, ['scripts/install.mjs'], { env, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/could not find or obtain LibTorch/);
    expect(r.stderr).toMatch(/LIBTORCH: \/nonexistent\/libtorch\/share\/cmake\/Torch/);
    expect(r.stderr).toMatch(/apt: disabled by PINN_TORCH_NO_APT/);
    expect(r.stderr).toMatch(/download: disabled by PINN_TORCH_NO_DOWNLOAD/);
    expect(r.stderr).toMatch(/set LIBTORCH=/);
    expect(r.stderr).not.toMatch(/at .*\.mjs:\d+/); // no stack trace
  });

  it('downloads from PINN_TORCH_LIBTORCH_URL end to end when nothing else is found', async () => {
    const env = { ...process.env, ...freshCache(), PINN_TORCH_SEARCH: 'cache', PINN_TORCH_NO_APT: '1',
      PINN_TORCH_LIBTORCH_URL: `${base}/good.zip`, PINN_TORCH_LIBTORCH_SHA256: sha(good), PINN_TORCH_BUILD_FROM_SOURCE: '1',
      PINN_TORCH_BUILD_DIR: join(cache, 'build') };
    // The fake archive has no real LibTorch, so the build step fails: what matters is the order
    // of events and that the downloaded copy was found and handed to cmake.
    // Async: the server answering lives in this process, so its event loop must keep turning.
    const out = await new Promise<string>((resolve) => {
      execFile(process.execPath, ['scripts/install.mjs'], { env, encoding: 'utf8', timeout: 120_000 },
        (_err, stdout, stderr) => resolve(stdout + stderr));
    });
    expect(out).toMatch(/downloading LibTorch from http:\/\/127\.0\.0\.1/);
    expect(out).toMatch(/checksum verified/);
    expect(out).toMatch(/building the native addon against .*pinn-torch-cache-.*\/libtorch\/share\/cmake\/Torch/);
  }, 120_000);
});

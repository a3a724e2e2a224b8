// The LibTorch download path, against a local HTTP server serving archives this test builds.
import { createHash } from 'node:crypto';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM scripts without type declarations
import { downloadLibTorch, archiveSpec } from '../scripts/libtorch/download.mjs';
// @ts-expect-error plain ESM scripts without type declarations
import { findLibTorch, locateLibTorch } from '../scripts/libtorch/find.mjs';
import { writeFileSync } from 'node:fs';
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

const caches: string[] = [];
afterAll(() => caches.forEach((c) => rmSync(c, { recursive: true, force: true })));
function freshCache() {
  cache = mkdtempSync(join(tmpdir(), 'pinn-torch-cache-'));
  caches.push(cache);
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

describe('a PyTorch wheel as the LibTorch source', () => {
  const fakeWheel = () => makeZip({
    'torch/share/cmake/Torch/TorchConfig.cmake': '# fake LibTorch inside a fake wheel\n',
    'torch/share/cmake/Torch/TorchConfigVersion.cmake': 'set(PACKAGE_VERSION "2.99.0")\n',
    'torch/lib/README': 'x'.repeat(10_000),
    'torch-2.99.0.dist-info/METADATA': 'Name: torch\n',
  });

  it('LIBTORCH=…whl is unpacked once into the cache, then found there', async () => {
    const env = freshCache();
    const wheel = join(cache, 'elsewhere', 'torch-2.99.0+cpu-cp311-cp311-linux_x86_64.whl');
    mkdirSync(dirname(wheel));
    writeFileSync(wheel, await fakeWheel());
    const lines: string[] = [];
    const found = await locateLibTorch({ ...env, LIBTORCH: wheel, PINN_TORCH_SEARCH: 'env' }, (l: string) => lines.push(l));
    expect(found.torchDir).toMatch(new RegExp(`^${cache}/wheel-torch-2\\.99\\.0\\+cpu-[^/]+/torch/share/cmake/Torch$`));
    expect(found.version).toBe('2.99.0');
    expect(found.source).toMatch(/LIBTORCH \(wheel /);
    expect(lines.join('\n')).toMatch(/unpacking the LibTorch inside .*torch-2\.99\.0/);
    // Once: the next search finds the unpacked copy without unpacking, and so does the cache search.
    const again = findLibTorch({ ...env, LIBTORCH: wheel, PINN_TORCH_SEARCH: 'env' });
    expect(again.torchDir).toBe(found.torchDir);
    expect(again.source).toMatch(/unpacked/);
    expect(findLibTorch({ ...env, PINN_TORCH_SEARCH: 'cache' }).torchDir).toBe(found.torchDir);
    expect(readdirSync(cache).filter((d) => d.startsWith('.partial'))).toEqual([]);
  });

  it('a wheel dropped into the cache is found and unpacked', async () => {
    const env = freshCache();
    writeFileSync(join(cache, 'torch-2.99.0-cp312-cp312-linux_x86_64.whl'), await fakeWheel());
    const first = findLibTorch({ ...env, PINN_TORCH_SEARCH: 'cache' });
    expect(first.torchDir).toBe(null);
    expect(first.wheel).toBe(join(cache, 'torch-2.99.0-cp312-cp312-linux_x86_64.whl'));
    const found = await locateLibTorch({ ...env, PINN_TORCH_SEARCH: 'cache' }, silent);
    expect(found.torchDir).toMatch(/wheel-torch-2\.99\.0-cp312.*\/torch\/share\/cmake\/Torch$/);
    expect(found.source).toMatch(/download cache \(wheel torch-2\.99\.0/);
  });

  it('a zip without a LibTorch inside is a miss that says why, leaving nothing in the cache', async () => {
    const env = freshCache();
    const wheel = join(cache, '..', `${basename(cache)}-not-torch.whl`);
    writeFileSync(wheel, await makeZip({ 'numpy/__init__.py': '' }));
    const found = await locateLibTorch({ ...env, LIBTORCH: wheel, PINN_TORCH_SEARCH: 'env' }, silent);
    rmSync(wheel);
    expect(found.torchDir).toBe(null);
    expect(found.tried.join('\n')).toMatch(/holds no LibTorch \(no torch\/share\/cmake\/Torch\/TorchConfig\.cmake\): is it a PyTorch wheel\?/);
    expect(readdirSync(cache)).toEqual([]);
    const missing = findLibTorch({ ...env, LIBTORCH: '/nonexistent/torch-2.0.0.whl', PINN_TORCH_SEARCH: 'env' });
    expect(missing.tried.join('\n')).toMatch(/LIBTORCH: \/nonexistent\/torch-2\.0\.0\.whl \(no such wheel\)/);
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
    expect(r.stderr).toMatch(/LIBTORCH=\/path\/to\/torch-2\.x-….whl \(a PyTorch wheel/);
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

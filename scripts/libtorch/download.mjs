// Downloads a LibTorch archive, verifies its SHA-256 while streaming, and unpacks it
// atomically (into a temporary folder, renamed into place only when complete).
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import extractZip from 'extract-zip';
import { cacheRoot } from './paths.mjs';

/**
 * Official CPU archives (cxx11 ABI, Linux x86-64) and their SHA-256, as published alongside
 * other projects' install scripts. They cannot be re-checked from this project's build machine
 * (no internet); a mismatch fails the install rather than using an unverified archive.
 */
export const OFFICIAL = {
  '2.5.1': 'https://download.pytorch.org/libtorch/cpu/libtorch-cxx11-abi-shared-with-deps-2.5.1%2Bcpu.zip',
  '2.4.1': 'https://download.pytorch.org/libtorch/cpu/libtorch-cxx11-abi-shared-with-deps-2.4.1%2Bcpu.zip',
};
export const OFFICIAL_SHA256 = {
  '2.5.1': '618ca54eef82a1dca46ff1993d5807d9c0deb0bae147da4974166a147cb562fa',
  '2.4.1': '415c3ed51c766a6ef20dc10b2e60fae7f10a3ae8aa62223d6f4bccc1fc98740b',
};
export const DEFAULT_VERSION = '2.5.1';

/** The archive to fetch: $PINN_TORCH_LIBTORCH_URL + $PINN_TORCH_LIBTORCH_SHA256, or an official one. */
export function archiveSpec(env = process.env) {
  if (env.PINN_TORCH_LIBTORCH_URL) {
    if (!/^[0-9a-f]{64}$/i.test(env.PINN_TORCH_LIBTORCH_SHA256 ?? '')) {
      throw new Error('PINN_TORCH_LIBTORCH_URL is set but PINN_TORCH_LIBTORCH_SHA256 is not a 64-hex-digit SHA-256: ' +
        'refusing to install an unverified archive');
    }
    return { url: env.PINN_TORCH_LIBTORCH_URL, sha256: env.PINN_TORCH_LIBTORCH_SHA256.toLowerCase(), name: 'custom' };
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`no known official LibTorch archive with a checksum for ${process.platform}-${process.arch}: ` +
      'set PINN_TORCH_LIBTORCH_URL and PINN_TORCH_LIBTORCH_SHA256, or LIBTORCH to an unpacked LibTorch');
  }
  const version = env.PINN_TORCH_LIBTORCH_VERSION ?? DEFAULT_VERSION;
  if (!OFFICIAL[version]) {
    throw new Error(`no checksum known for LibTorch ${version} (known: ${Object.keys(OFFICIAL).join(', ')}); ` +
      'set PINN_TORCH_LIBTORCH_URL and PINN_TORCH_LIBTORCH_SHA256 to use another archive (e.g. a CUDA build)');
  }
  return { url: OFFICIAL[version], sha256: OFFICIAL_SHA256[version], name: `${version}-cpu` };
}

function request(url, redirects = 5) {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? httpsGet : url.startsWith('http:') ? httpGet : null;
    if (!get) return reject(new Error(`unsupported URL ${url}`));
    const req = get(url, (res) => {
      if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location && redirects > 0) {
        res.resume();
        return resolve(request(new URL(res.headers.location, url).toString(), redirects - 1));
      }
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`GET ${url}: HTTP ${res.statusCode}`));
      }
      resolve(res);
    });
    req.setTimeout(60_000, () => req.destroy(new Error(`GET ${url}: no data for 60 s`)));
    req.on('error', reject);
  });
}

/**
 * Fetches spec.url into the cache, checks size and SHA-256, unpacks; returns the unpacked root.
 * `log` receives progress lines. Nothing is left in the cache when any check fails.
 */
export async function downloadLibTorch(spec, { env = process.env, log = console.log } = {}) {
  const root = cacheRoot(env);
  const target = join(root, `libtorch-${spec.sha256.slice(0, 12)}`);
  if (existsSync(join(target, 'libtorch'))) {
    log(`pinn-torch: using LibTorch already downloaded to ${target}`);
    return target;
  }
  mkdirSync(root, { recursive: true });
  const tmp = join(root, `.partial-${process.pid}-${Date.now()}`);
  const archive = `${tmp}.zip`;
  try {
    log(`pinn-torch: downloading LibTorch from ${spec.url}`);
    const res = await request(spec.url);
    const expected = Number(res.headers['content-length'] ?? NaN);
    const hash = createHash('sha256');
    let received = 0, lastReport = 0;
    const meter = new Transform({
      transform(chunk, _enc, done) {
        hash.update(chunk);
        received += chunk.length;
        if (expected && received - lastReport > expected / 10) {
          lastReport = received;
          log(`pinn-torch:   ${Math.round((100 * received) / expected)} % of ${(expected / 1e6).toFixed(1)} MB`);
        }
        done(null, chunk);
      },
    });
    let aborted = false;
    res.on('aborted', () => { aborted = true; });
    await pipeline(res, meter, createWriteStream(archive));
    if (aborted || (Number.isFinite(expected) && received !== expected)) {
      throw new Error(`download truncated: got ${received} of ${expected} bytes from ${spec.url}`);
    }
    const actual = hash.digest('hex');
    if (actual !== spec.sha256) {
      throw new Error(`checksum mismatch for ${spec.url}: expected sha256 ${spec.sha256}, got ${actual}`);
    }
    log('pinn-torch: checksum verified; unpacking');
    try {
      await extractZip(archive, { dir: tmp });
    } catch (e) {
      throw new Error(`cannot unpack ${spec.url}: ${e.message}`);
    }
    if (!existsSync(join(tmp, 'libtorch', 'share', 'cmake', 'Torch', 'TorchConfig.cmake'))) {
      throw new Error(`archive from ${spec.url} has no libtorch/share/cmake/Torch/TorchConfig.cmake`);
    }
    renameSync(tmp, target);
    log(`pinn-torch: LibTorch unpacked to ${target}`);
    return target;
  } finally {
    rmSync(archive, { force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
}

// Debian/Ubuntu: LibTorch from the distribution, with OpenBLAS (without it, matmul runs
// on the reference BLAS, 15-30x slower: shared/notes/bridge.md), and Gloo's headers, which
// LibTorch's c10d headers include (without them the addon has no collectives).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const APT_PACKAGES = ['libtorch-dev', 'libopenblas0-pthread', 'libgloo-dev', 'libxsmm-dev'];

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export function aptUsable() {
  if (!existsSync('/etc/debian_version')) return 'not Debian/Ubuntu';
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) return 'apt-get not found';
  if (!isRoot() && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status !== 0) return 'not root and no password-less sudo';
  return null;
}

export function installed(pkg) {
  return spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout?.includes('install ok installed') ?? false;
}

/** apt-get update + install of the packages still missing; throws with apt's own output on failure. */
export function aptInstall(packages, log = console.log) {
  const missing = packages.filter((p) => !installed(p));
  if (missing.length === 0) return;
  const sudo = isRoot() ? [] : ['sudo', '-n'];
  const run = (args) => {
    log(`pinn-torch: ${[...sudo, ...args].join(' ')}`);
    const [cmd, ...rest] = [...sudo, ...args];
    execFileSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', ...missing]);
}

// A directory of checkpoints that survives crashes:
//   root/
//     step-000100/   manifest.json + the files it lists (sha256 and size of each)
//     step-000200/
//     latest         the name of the newest complete checkpoint
// A checkpoint is written into a temporary directory, every file and the directory fsynced,
// then renamed into place; only then does `latest` move (itself an atomic file write). A kill
// at any moment leaves the previous checkpoint complete and `latest` naming it. The temporary
// directory is invisible until its rename, so its files need no renames of their own; they and
// the directory are fsynced together (fsyncMany: one journal commit rather than one per file),
// all before the rename.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir, writeChunks, writeFileAtomic } from './atomic.js';
import { fsyncMany } from './fsync_many.js';
import { parseJson } from './json.js';
import { makeDirectory } from './make_directory.js';

export const CHECKPOINT_FORMAT = 1;

export interface Manifest {
  format: number;
  createdAt: string;
  files: Record<string, { sha256: string; bytes: number }>;
  /** Free-form description (step, metric values, problem name, …), JSON. */
  meta: Record<string, unknown>;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const toBytes = (v: Uint8Array | Uint8Array[] | string): Uint8Array[] =>
  typeof v === 'string' ? [Buffer.from(v, 'utf8')] : Array.isArray(v) ? v : [v];

function checkName(what: string, name: string): void {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.') || name === 'latest' || name === 'manifest.json') {
    throw new Error(`checkpoint: invalid ${what} '${name}' (letters, digits, '.', '_', '-'; not hidden, not reserved)`);
  }
}

/** Prefix of a checkpoint moved aside while the same step is saved again. */
const REPLACED = '.replaced-';

/** Files a checkpoint holds open at once before they are fsynced together (well under any descriptor limit). */
const SYNC_BATCH = 64;

/**
 * fsyncs the open files (and the directory `dir`, if given) together and closes them, emptying
 * `written`; a file's failed fsync is an error naming it, the directory's is not (some file
 * systems cannot fsync a directory; its rename is still atomic).
 */
function syncAndClose(written: { path: string; fd: number }[], dir?: string): void {
  let dirFd: number | null = null;
  try {
    if (dir !== undefined) { try { dirFd = openSync(dir, 'r'); } catch { /* cannot open a directory here: nothing to fsync */ } }
    const errors = fsyncMany(dirFd === null ? written.map((w) => w.fd) : [...written.map((w) => w.fd), dirFd]);
    const bad = written.findIndex((_, i) => errors[i] !== null);
    if (bad >= 0) throw new Error(`${written[bad].path}: fsync failed (${errors[bad]})`);
  } finally {
    if (dirFd !== null) closeSync(dirFd);
    for (const { fd } of written.splice(0)) closeSync(fd);
  }
}

/** Writes checkpoint `name` under `root` atomically and points `latest` at it. Returns its path. */
export function writeCheckpoint(root: string, name: string, files: Record<string, Uint8Array | Uint8Array[] | string>, meta: Record<string, unknown> = {}): string {
  checkName('checkpoint name', name);
  makeDirectory(root);
  const final = join(root, name);
  const tmp = join(root, `.tmp-${name}-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(tmp);
  try {
    const manifest: Manifest = { format: CHECKPOINT_FORMAT, createdAt: new Date().toISOString(), files: {}, meta };
    const written: { path: string; fd: number }[] = [];
    try {
      const write = (file: string, chunks: Uint8Array[]) => {
        const path = join(tmp, file);
        written.push({ path, fd: openSync(path, 'wx') });
        writeChunks(written[written.length - 1].fd, chunks);
        if (written.length >= SYNC_BATCH) syncAndClose(written);
      };
      for (const [file, content] of Object.entries(files)) {
        checkName('file name', file);
        const chunks = toBytes(content);
        const hash = createHash('sha256');
        let bytes = 0;
        for (const c of chunks) { hash.update(c); bytes += c.length; }
        write(file, chunks);
        manifest.files[file] = { sha256: hash.digest('hex'), bytes };
      }
      write('manifest.json', [Buffer.from(JSON.stringify(manifest, null, 2) + '\n')]);
      syncAndClose(written, tmp);
    } finally {
      for (const { fd } of written) closeSync(fd);
    }
    // Re-saving the same step replaces it: the old one is moved aside first (a crash before the
    // next rename leaves it complete where latestCheckpoint looks), and deleted last.
    const aside = join(root, `${REPLACED}${name}`);
    const replacing = existsSync(final);
    if (replacing) {
      rmSync(aside, { recursive: true, force: true });
      renameSync(final, aside);
    }
    renameSync(tmp, final);
    fsyncDir(root);
    rmSync(aside, { recursive: true, force: true }); // also one left by a process stopped mid re-save
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  writeFileAtomic(join(root, 'latest'), Buffer.from(name + '\n'));
  return final;
}

/** Reads and verifies a checkpoint directory: format, every listed file's size and SHA-256. */
export function readCheckpoint(dir: string): { manifest: Manifest; files: Record<string, Buffer> } {
  const mpath = join(dir, 'manifest.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(mpath, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${mpath}: ${code === 'ENOENT' ? 'missing: not a checkpoint directory, or an interrupted write' : `unreadable or not JSON (${(e as Error).message.replace(/\s+/g, ' ')})`}`);
  }
  if (manifest.format !== CHECKPOINT_FORMAT) {
    throw new Error(`${mpath}: checkpoint format ${JSON.stringify(manifest.format)} is not supported (this pinn-torch reads format ${CHECKPOINT_FORMAT})`);
  }
  if (!manifest.files || typeof manifest.files !== 'object') throw new Error(`${mpath}: has no file list`);
  const files: Record<string, Buffer> = {};
  for (const [file, { sha256: want, bytes }] of Object.entries(manifest.files)) {
    const path = join(dir, file);
    if (!existsSync(path)) throw new Error(`${path}: listed in the manifest but missing`);
    const data = readFileSync(path);
    if (data.length !== bytes) throw new Error(`${path}: ${data.length} bytes, the manifest says ${bytes} (truncated or replaced)`);
    if (sha256(data) !== want) throw new Error(`${path}: SHA-256 does not match the manifest (corrupted)`);
    files[file] = data;
  }
  return { manifest, files };
}

/** The directory `latest` names, or null when there is no complete checkpoint yet. */
export function latestCheckpoint(root: string): string | null {
  const pointer = join(root, 'latest');
  if (!existsSync(pointer)) return null;
  const name = readFileSync(pointer, 'utf8').trim();
  checkName('checkpoint name in latest', name);
  const dir = join(root, name);
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  // A process stopped while re-saving this step: the old copy is complete, moved aside.
  const aside = join(root, `${REPLACED}${name}`);
  if (existsSync(join(aside, 'manifest.json'))) return aside;
  throw new Error(`${pointer}: names '${name}', which is not a complete checkpoint`);
}

/**
 * Deletes old checkpoints: keeps the newest `keepLast` (by manifest time) plus those in `keep`
 * (e.g. the best by a metric), never the one `latest` names. Also removes abandoned temporaries.
 */
export function pruneCheckpoints(root: string, { keepLast = 3, keep = [] as string[] } = {}): string[] {
  if (!existsSync(root)) return [];
  const latest = existsSync(join(root, 'latest')) ? readFileSync(join(root, 'latest'), 'utf8').trim() : null;
  const removed: string[] = [];
  const complete: { name: string; time: number }[] = [];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (name.startsWith('.tmp-')) { rmSync(path, { recursive: true, force: true }); removed.push(name); continue; }
    if (!statSync(path).isDirectory() || !existsSync(join(path, 'manifest.json'))) continue;
    complete.push({ name, time: statSync(join(path, 'manifest.json')).mtimeMs });
  }
  complete.sort((a, b) => b.time - a.time || b.name.localeCompare(a.name));
  complete.slice(keepLast).forEach(({ name }) => {
    if (name === latest || keep.includes(name)) return;
    rmSync(join(root, name), { recursive: true, force: true });
    removed.push(name);
  });
  return removed;
}

/** The config saved with a checkpoint (config.json) at `dir`, a checkpoint or a root holding `latest`; undefined when none was saved. */
export function readCheckpointConfig(dir: string): unknown {
  let path = dir;
  try { path = latestCheckpoint(dir) ?? dir; } catch { /* not a root: a checkpoint directory itself */ }
  const { files } = readCheckpoint(path);
  const raw = files['config.json'];
  if (!raw) return undefined;
  return parseJson(raw.toString('utf8'), `${path}/config.json`);
}

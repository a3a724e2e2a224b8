// Atomic file writes: write a temporary file beside the target, fsync it, rename it over the
// target, fsync the directory. A crash at any point leaves either the old file or the new one.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // some filesystems cannot fsync a directory; the rename is still atomic
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Creates `path` (it must not exist) with `chunks` and fsyncs it; the directory entry is left to
 * the caller, which makes it durable once for all of a directory's new files (fsyncDir). On
 * failure the partial file is removed.
 */
export function writeFileDurable(path: string, chunks: Uint8Array | Uint8Array[]): void {
  const fd = openSync(path, 'wx');
  try {
    for (const c of Array.isArray(chunks) ? chunks : [chunks]) {
      let off = 0;
      while (off < c.length) off += writeSync(fd, c, off, c.length - off);
    }
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw e;
  }
  closeSync(fd);
}

export function writeFileAtomic(path: string, chunks: Uint8Array | Uint8Array[]): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  writeFileDurable(tmp, chunks);
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dirname(path));
}

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

/** Writes every chunk to `fd` in full. */
export function writeChunks(fd: number, chunks: Uint8Array | Uint8Array[]): void {
  for (const c of Array.isArray(chunks) ? chunks : [chunks]) {
    let off = 0;
    while (off < c.length) off += writeSync(fd, c, off, c.length - off);
  }
}

export function writeFileAtomic(path: string, chunks: Uint8Array | Uint8Array[]): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const fd = openSync(tmp, 'w');
  try {
    writeChunks(fd, chunks);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

// fsyncMany: several descriptors fsynced at once by a helper thread, each one's outcome reported;
// and a checkpoint with more files than one batch holds writes and verifies as any other.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { io } from '../src/index.js';
import { fsyncMany } from '../src/io/fsync_many.js';

const root = mkdtempSync(join(tmpdir(), 'pinn-fsync-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('fsyncMany', () => {
  it('fsyncs files and a directory together, reporting each descriptor\'s outcome in order', () => {
    const fds = [0, 1, 2].map((i) => { const fd = openSync(join(root, `f${i}`), 'w'); writeSync(fd, Buffer.alloc(4096, i)); return fd; });
    const dir = openSync(root, 'r');
    try {
      expect(fsyncMany([...fds, dir])).toEqual([null, null, null, null]);
      const closed = openSync(join(root, 'closed'), 'w');
      closeSync(closed);
      expect(fsyncMany([fds[0], closed, fds[2]])).toEqual([null, 'EBADF', null]); // a failure is reported, not thrown, and the others still sync
      expect(fsyncMany([closed])).toEqual(['EBADF']); // one descriptor: fsynced on this thread
      expect(fsyncMany([])).toEqual([]);
    } finally {
      for (const fd of [...fds, dir]) closeSync(fd);
    }
  });

  it('its helper starts in a process whose own flags would make it a module (node --input-type=module -e)', () => {
    // The helper once inherited -e/--input-type and died at start; the caller, blocked waiting,
    // fell back only after its startup limit (3 s) on every such process's first checkpoint.
    const script = `
      const { openSync } = await import('node:fs');
      const { fsyncMany } = await import(${JSON.stringify(join(__dirname, '..', 'dist', 'io', 'fsync_many.js'))});
      const fds = [0, 1, 2].map((i) => openSync(${JSON.stringify(root)} + '/m' + i, 'w'));
      const t0 = Date.now();
      const out = fsyncMany(fds);
      console.log(JSON.stringify({ out, ms: Date.now() - t0 }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const { out, ms } = JSON.parse(r.stdout.trim());
    expect(out).toEqual([null, null, null]);
    expect(ms).toBeLessThan(2500); // a working helper answers in milliseconds; the fallback waits 3 s first
  });

  it('a checkpoint of more files than one fsync batch writes and verifies', () => {
    const files = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`part-${i}.bin`, Buffer.alloc(100 + i, i)]));
    const dir = io.writeCheckpoint(join(root, 'many'), 'step-1', files, { step: 1 });
    const { files: back } = io.readCheckpoint(dir);
    expect(Object.keys(back)).toHaveLength(150);
    for (const [name, bytes] of Object.entries(files)) expect(back[name].equals(bytes)).toBe(true);
  });
});

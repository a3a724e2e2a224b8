// The checkpoint store: verified reads, atomic commits, and a SIGKILL in the middle of a write.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { io } from '../src/index.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'pinn-torch-ckpt-'));
const readCheckpointBytes = (dir: string, file: string) => [...io.readCheckpoint(dir).files[file]];

describe('checkpoint store', () => {
  it('writes, points latest at it, and reads back verified', () => {
    const root = fresh();
    io.writeCheckpoint(root, 'step-000010', { 'weights.safetensors': Buffer.from([1, 2, 3]), 'state.json': '{"step":10}' }, { step: 10 });
    io.writeCheckpoint(root, 'step-000020', { 'state.json': '{"step":20}' }, { step: 20 });
    const dir = io.latestCheckpoint(root)!;
    expect(dir).toBe(join(root, 'step-000020'));
    const { manifest, files } = io.readCheckpoint(dir);
    expect(manifest.format).toBe(io.CHECKPOINT_FORMAT);
    expect(manifest.meta).toEqual({ step: 20 });
    expect(files['state.json'].toString()).toBe('{"step":20}');
    expect(readdirSync(root).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    // each file was written in place in the (then invisible) temporary directory: nothing else is left there
    expect(readdirSync(join(root, 'step-000010')).sort()).toEqual(['manifest.json', 'state.json', 'weights.safetensors']);
    expect(readCheckpointBytes(join(root, 'step-000010'), 'weights.safetensors')).toEqual([1, 2, 3]);
  });

  it('refuses truncated, corrupted, missing and wrong-version checkpoints, naming the file', () => {
    const root = fresh();
    const dir = io.writeCheckpoint(root, 'a', { 'w.bin': Buffer.alloc(64, 7), 'x.json': '{}' });
    writeFileSync(join(dir, 'w.bin'), Buffer.alloc(60, 7));
    expect(() => io.readCheckpoint(dir)).toThrow(/w\.bin: 60 bytes, the manifest says 64 \(truncated or replaced\)/);
    const flipped = Buffer.alloc(64, 7); flipped[30] = 8;
    writeFileSync(join(dir, 'w.bin'), flipped);
    expect(() => io.readCheckpoint(dir)).toThrow(/w\.bin: SHA-256 does not match the manifest \(corrupted\)/);
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...m, format: 99 }));
    expect(() => io.readCheckpoint(dir)).toThrow(/manifest\.json: checkpoint format 99 is not supported/);
    expect(() => io.readCheckpoint(join(root, 'nope'))).toThrow(/manifest\.json: missing/);
    expect(() => io.writeCheckpoint(root, '../escape', {})).toThrow(/invalid checkpoint name/);
  });

  it('keeps the newest N plus named ones, never the latest, and clears abandoned temporaries', () => {
    const root = fresh();
    for (const s of [1, 2, 3, 4, 5]) io.writeCheckpoint(root, `s${s}`, { 'f': String(s) });
    io.writeCheckpoint(root, 's1', { 'f': 'again' }); // re-saving s1 makes it the newest and latest
    const removed = io.pruneCheckpoints(root, { keepLast: 2, keep: ['s3'] });
    expect(removed.sort()).toEqual(['s2', 's4']);
    expect(readdirSync(root).filter((f) => f !== 'latest').sort()).toEqual(['s1', 's3', 's5']);
  });

  it('re-saving a step moves the old copy aside first: stopped between the renames, latest still finds a complete checkpoint', () => {
    const root = fresh();
    io.writeCheckpoint(root, 's1', { f: 'first' });
    io.writeCheckpoint(root, 's1', { f: 'again' });
    expect(readdirSync(root).sort()).toEqual(['latest', 's1']); // nothing left aside
    expect(io.readCheckpoint(io.latestCheckpoint(root)!).files.f.toString()).toBe('again');
    // What a process killed after the first rename of a re-save leaves: s1 aside, its new copy not yet in place.
    renameSync(join(root, 's1'), join(root, '.replaced-s1'));
    expect(io.readCheckpoint(io.latestCheckpoint(root)!).files.f.toString()).toBe('again');
    io.writeCheckpoint(root, 's1', { f: 'third' }); // the next save of the step replaces the copy aside too
    expect(readdirSync(root).sort()).toEqual(['latest', 's1']);
    expect(io.readCheckpoint(io.latestCheckpoint(root)!).files.f.toString()).toBe('third');
  });

  it('a SIGKILL during a checkpoint write leaves the previous checkpoint loadable and latest naming it', async () => {
    const root = fresh();
    io.writeCheckpoint(root, 'good', { 'w.bin': Buffer.alloc(1 << 20, 1) }, { step: 1 });
    // A child (the compiled module, as users run it) writes large checkpoints in a loop.
    // Copied out of dist/ first: the pack test may be rebuilding dist/ in parallel.
    const lib = fresh();
    for (const f of ['checkpoint_store.js', 'atomic.js', 'fsync_many.js', 'json.js', 'make_directory.js']) copyFileSync(resolve(__dirname, '../dist/io', f), join(lib, f));
    writeFileSync(join(lib, 'package.json'), '{"type":"module"}');
    const store = join(lib, 'checkpoint_store.js');
    const script = `
      const { writeCheckpoint } = await import(${JSON.stringify(store)});
      const big = Buffer.alloc(32 << 20, 2);
      for (let i = 0; ; i++) writeCheckpoint(${JSON.stringify(root)}, 'next-' + (i % 2), { 'a.bin': big, 'b.bin': big }, { step: 100 + i });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
    // Kill it the moment a write is provably in progress: its temporary directory exists.
    const started = Date.now();
    while (!readdirSync(root).some((f) => f.startsWith('.tmp-'))) {
      if (Date.now() - started > 30_000) throw new Error('the writer never started');
      await new Promise((r) => setTimeout(r, 2));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(readdirSync(root).some((f) => f.startsWith('.tmp-'))).toBe(true); // it died mid-write
    const dir = io.latestCheckpoint(root)!;
    const { manifest } = io.readCheckpoint(dir); // whatever latest names is complete and verifies
    expect(dir.endsWith('good') ? manifest.meta.step === 1 : (manifest.meta.step as number) >= 100).toBe(true);
    io.pruneCheckpoints(root, { keepLast: 10 });
    expect(readdirSync(root).filter((f) => f.startsWith('.tmp-'))).toEqual([]); // abandoned temporaries cleared
  }, 60_000);
});

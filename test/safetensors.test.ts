// safetensors: pinn-torch ⇄ a plain-Python reader/writer of the format, and refused corruptions.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { io, nn, tensor, tidy } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pinn-torch-st-'));
const PY = '/usr/bin/python3';

// Standard library only: the format is 8-byte little-endian length, JSON header, raw data.
const PY_READ = `
import json, struct, sys
raw = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n]); data = raw[8 + n:]
fmt = {"F32": "f", "F64": "d", "I64": "q", "I32": "i", "U8": "B", "BOOL": "?"}
out = {}
for name, e in header.items():
    if name == "__metadata__": out[name] = e; continue
    b, end = e["data_offsets"]; f = fmt[e["dtype"]]
    count = (end - b) // struct.calcsize(f)
    out[name] = {"dtype": e["dtype"], "shape": e["shape"], "values": list(struct.unpack("<%d%s" % (count, f), data[b:end]))}
print(json.dumps(out))`;

const PY_WRITE = `
import json, struct, sys
vals = [0.5, -1.25, 3.0, 1e-300]
ints = [1, -2, 2**40]
blob_d = struct.pack("<4d", *vals); blob_q = struct.pack("<3q", *ints)
header = {"w": {"dtype": "F64", "shape": [2, 2], "data_offsets": [0, 32]},
          "n": {"dtype": "I64", "shape": [3], "data_offsets": [32, 56]},
          "__metadata__": {"producer": "python"}}
h = json.dumps(header).encode()
open(sys.argv[1], "wb").write(struct.pack("<Q", len(h)) + h + blob_d + blob_q)`;

describe('safetensors', () => {
  it('round-trips tensors and metadata exactly', () => tidy(() => {
    const net = new nn.MLP([3, 5, 2], { seed: 1 });
    const path = join(dir, 'model.safetensors');
    io.saveSafetensors(path, { ...net.stateDict(), steps: tensor([12345678901], { dtype: 'int64' }), mask: tensor([true, false]) }, { format: 'pinn-torch' });
    const back = io.loadSafetensors(path);
    expect(back.metadata).toEqual({ format: 'pinn-torch' });
    for (const [k, v] of Object.entries(net.stateDict())) expect(Array.from(back.tensors[k].data() as Float32Array)).toEqual(Array.from(v.data() as Float32Array));
    expect(back.tensors.steps.toArray()).toEqual([12345678901]);
    expect(back.tensors.mask.toArray()).toEqual([true, false]);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]); // no temporary left behind
  }));

  it('is read by a plain Python reader into the same values', () => tidy(() => {
    const path = join(dir, 'py-read.safetensors');
    const w = tensor([[1.5, -2.25], [1e-30, 3]], { dtype: 'float64' });
    io.saveSafetensors(path, { w, b: tensor([0.1, 0.2, 0.3]) }, { note: 'hi' });
    const out = JSON.parse(execFileSync(PY, ['-c', PY_READ, path], { encoding: 'utf8' }));
    expect(out.w).toEqual({ dtype: 'F64', shape: [2, 2], values: [1.5, -2.25, 1e-30, 3] });
    expect(out.b.values).toEqual([0.1, 0.2, 0.3].map(Math.fround));
    expect(out.__metadata__).toEqual({ note: 'hi' });
  }));

  it('loads a file written by Python', () => tidy(() => {
    const path = join(dir, 'py-write.safetensors');
    execFileSync(PY, ['-c', PY_WRITE, path]);
    const { tensors, metadata } = io.loadSafetensors(path);
    expect(tensors.w.toArray()).toEqual([[0.5, -1.25], [3, 1e-300]]);
    expect(tensors.n.toArray()).toEqual([1, -2, 2 ** 40]);
    expect(metadata).toEqual({ producer: 'python' });
  }));

  it('refuses truncated, corrupted and inconsistent files, naming the file and the problem', () => {
    const path = join(dir, 'good.safetensors');
    tidy(() => io.saveSafetensors(path, { a: tensor([1, 2, 3, 4]) }));
    const good = readFileSync(path);
    const variant = (name: string, bytes: Uint8Array) => { const p = join(dir, name); writeFileSync(p, bytes); return p; };
    expect(() => io.loadSafetensors(variant('short', good.subarray(0, 5)))).toThrow(/short: too short to be a safetensors file/);
    expect(() => io.loadSafetensors(variant('trunc', good.subarray(0, good.length - 4)))).toThrow(/trunc: 'a' has data_offsets \[0,16\] outside the 12 data bytes/);
    // A flipped byte inside a name or a value is invisible to the format itself (checkpoints add a
    // SHA-256 per file for that); a flipped structural byte must be refused.
    const flipped = Buffer.from(good); flipped[8] ^= 0xff;
    expect(() => io.loadSafetensors(variant('flip', flipped))).toThrow(/flip: header is not valid JSON/);
    const huge = Buffer.from(good); huge.writeBigUInt64LE(10n ** 9n);
    expect(() => io.loadSafetensors(variant('huge', huge))).toThrow(/huge: header length 1000000000 exceeds the file/);
    expect(() => io.loadSafetensors(join(dir, 'missing'))).toThrow(/missing: cannot read \(ENOENT\)/);
    expect(() => io.saveSafetensors(join(dir, 'c'), { z: tidy(() => tensor([[1, 2]], { dtype: 'complex64' })) })).toThrow(/'z' has dtype complex64, which safetensors cannot store/);
  });
});

// What a Trainer checkpoint of a large network holds: the weights and Adam's moments bit for bit
// (encoded from the live tensors, not through JS numbers), in the same file bytes the JSON-form
// state dict gave, with the optimizer's own state left alive; and a damaged file is still refused.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Tensor, Trainer, io, keep, nn, pinn, rand, tensor } from '../src/index.js';
import { type OptimizerStateDict } from '../src/optim/optimizer.js';
import { isSerializedTensor } from '../src/optim/serialize.js';

const root = mkdtempSync(join(tmpdir(), 'pinn-capture-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SIZES = [3, ...Array(8).fill(200), 2]; // the bench's large MLP: 282 602 parameters
const bitsOf = (t: Tensor) => Buffer.from(new Uint8Array((t.data() as Float32Array).buffer.slice(0)));
const fileOf = (chunks: Uint8Array[]) => Buffer.concat(chunks);

function setup() {
  const problem = pinn.problems.elasticWave2D({ rho: 1, lambda: 1, mu: 0.5, interior: keep(rand([64, 3])), boundary: 0, initial: 0, loss: 'mse' });
  const model = new nn.MLP(SIZES, { seed: 0, init: 'default' });
  return { problem, model };
}

/** optimizer.safetensors as the JSON-form state dict made it: tensors rebuilt from numbers, named t0, t1, … in walk order. */
function optimizerFileFromJson(sd: OptimizerStateDict): Buffer {
  const tensors: Record<string, Tensor> = {};
  for (const entry of Object.values(sd.state)) {
    for (const v of Object.values(entry)) {
      if (isSerializedTensor(v)) tensors[`t${Object.keys(tensors).length}`] = tensor(v.data.map(Number), { dtype: v.dtype, shape: v.shape });
    }
  }
  const bytes = fileOf(io.encodeSafetensors(tensors));
  Object.values(tensors).forEach((t) => t.dispose());
  return bytes;
}

describe('Trainer checkpoint capture', () => {
  it('stores a large run\'s weights and Adam moments bit for bit, in the bytes the JSON-form state dict gave', async () => {
    const { problem, model } = setup();
    const dir = join(root, 'large');
    const seen: { jsonFile?: Buffer; path1?: string; path2?: string; live?: Record<string, Buffer>; weights?: Record<string, Buffer> } = {};
    const probe = {
      name: 'probe',
      onStepEnd(t: Trainer) {
        const opt = t.optimizer!;
        if (t.progress.step === 1) {
          seen.jsonFile = optimizerFileFromJson(opt.stateDict());
          seen.path1 = t.saveCheckpoint();
        }
        if (t.progress.step === 2) {
          // Values the JSON form cannot keep: NaNs with a sign and a payload (it turns every NaN into
          // the one canonical NaN). A checkpoint must store the state as it is.
          const sd = opt.liveStateDict();
          const m = sd.state[0].expAvg as Tensor;
          const bits = new Uint32Array(new Float32Array(m.data() as Float32Array).buffer);
          bits[0] = 0x7fc00001; bits[1] = 0xffc12345;
          const poked = tensor(new Float32Array(bits.buffer), { shape: m.shape });
          opt.loadStateDict({ ...sd, state: { ...sd.state, 0: { ...sd.state[0], expAvg: poked } } });
          poked.dispose();
          seen.path2 = t.saveCheckpoint();
          const after = opt.liveStateDict();
          seen.live = {};
          for (const [id, s] of Object.entries(after.state)) for (const [k, v] of Object.entries(s)) if (typeof v === 'object' && v !== null && 'data' in v) seen.live[`${id}.${k}`] = bitsOf(v as Tensor);
          seen.weights = Object.fromEntries(Object.entries(t.model.stateDict()).map(([k, w]) => [k, bitsOf(w)]));
        }
      },
    };
    const trainer = new Trainer({ problem, model, phases: [{ optimizer: { type: 'adam', lr: 1e-3 }, steps: 3 }], checkpoint: { dir, every: 0, keepLast: 5 }, callbacks: [probe] });
    const result = await trainer.fit(); // steps on after the saves: the capture left the optimizer's state alive
    expect(result.steps).toBe(3);

    // Same bytes as before the capture took live tensors: the file format did not change.
    expect(readFileSync(join(seen.path1!, 'optimizer.safetensors')).equals(seen.jsonFile!)).toBe(true);

    const { files } = io.readCheckpoint(seen.path2!); // verified against the manifest's SHA-256
    const moments = io.decodeSafetensors(files['optimizer.safetensors']).tensors;
    const trainerJson = JSON.parse(files['trainer.json'].toString('utf8'));
    const live = seen.live!;
    // expAvg and expAvgSq of 9 weights and 8 biases: the output bias has no gradient (the loss
    // holds only derivatives of the outputs), so Adam keeps no moments for it, as PyTorch's would.
    expect(Object.keys(live)).toHaveLength(2 * 17);
    let checked = 0;
    for (const [id, s] of Object.entries(trainerJson.optimizer.state as Record<string, Record<string, unknown>>)) {
      for (const [k, v] of Object.entries(s)) {
        if (!(v && typeof v === 'object' && '__tensorRef' in v)) continue;
        expect(bitsOf(moments[(v as { __tensorRef: string }).__tensorRef]).equals(live[`${id}.${k}`])).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(2 * 17);
    const first = new Uint32Array(new Uint8Array(live['0.expAvg']).buffer);
    expect([first[0], first[1]]).toEqual([0x7fc00001, 0xffc12345]);
    const weights = io.decodeSafetensors(files['model.safetensors']).tensors;
    for (const [k, w] of Object.entries(seen.weights!)) expect(bitsOf(weights[k]).equals(w)).toBe(true);
    for (const t of [...Object.values(moments), ...Object.values(weights)]) t.dispose();
    trainer.dispose();
    model.dispose();
    problem.dispose();
  }, 60_000);

  it('a large checkpoint with a flipped or cut byte is refused, naming the file', async () => {
    const { problem, model } = setup();
    const dir = join(root, 'damaged');
    await new Trainer({ problem, model, phases: [{ optimizer: { type: 'adam', lr: 1e-3 }, steps: 2 }], checkpoint: { dir, every: 0 } }).fit();
    const ckpt = io.latestCheckpoint(dir)!;
    const path = join(ckpt, 'optimizer.safetensors');
    const good = readFileSync(path);
    const load = () => {
      const t = new Trainer({ problem, model, phases: [{ optimizer: { type: 'adam', lr: 1e-3 }, steps: 2 }] });
      try { t.load(dir); } finally { t.dispose(); }
    };
    expect(load).not.toThrow();
    const flipped = Buffer.from(good); flipped[flipped.length >> 1] ^= 1;
    writeFileSync(path, flipped);
    expect(load).toThrow(/optimizer\.safetensors: SHA-256 does not match the manifest \(corrupted\)/);
    writeFileSync(path, good.subarray(0, good.length - 4));
    expect(load).toThrow(/optimizer\.safetensors: \d+ bytes, the manifest says \d+ \(truncated or replaced\)/);
    model.dispose();
    problem.dispose();
  }, 60_000);
});

// Devices end to end: a Trainer's `device` moves the model and everything the problem holds;
// what a step reads back to the host is counted (the same on any device); an unavailable device
// is one error before any work. The GPU run itself is test/gpu.test.ts (npm run test:gpu).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor, Trainer, cuda, nn, pinn, tensor } from '../src/index.js';

const dtype = 'float64';
function setup(coefficients = true) {
  const x = tensor(Array.from({ length: 16 }, (_, i) => [(i + 0.5) / 16]), { dtype });
  const problem = new pinn.Problem({
    inputs: ['x'], outputs: ['u'], ...(coefficients ? { coefficients: { k: 1 } } : { constants: { k: 1 } }),
    conditions: [
      new pinn.PDE('pde', x, (d, c) => d.d('u', 'x', 'x').add(d.value('u').mul(c.k)), { attention: new pinn.ResidualAttention() }),
      new pinn.DirichletBC('bc', tensor([[0], [1]], { dtype }), tensor([[0], [0.5]], { dtype }), { output: 'u' }),
    ],
    reference: { points: tensor([[0.25], [0.5]], { dtype }), values: tensor([[0.1], [0.2]], { dtype }) },
  });
  return { problem, model: new nn.MLP([1, 8, 1], { seed: 0, dtype }) };
}

describe('Trainer device', () => {
  it("every condition's tensors, the coefficients, the reference and the optimizer state are on the run's device", async () => {
    const { problem, model } = setup();
    const trainer = new Trainer({ problem, model, device: 'cpu', phases: [{ optimizer: { type: 'adam' }, steps: 3 }] });
    let state: Tensor[] = [];
    trainer.on('phaseEnd', () => {
      const opt = (trainer as unknown as { optimizer: { state: Map<Tensor, Record<string, unknown>> } }).optimizer;
      state = [...opt.state.values()].flatMap((s) => Object.values(s).filter((v): v is Tensor => v instanceof Tensor));
    });
    await trainer.fit();
    const all = [...problem.conditions.flatMap((c) => c.tensors()), ...Object.values(problem.coefficients), problem.referencePoints!, ...model.parameters(), ...state];
    expect(state.length).toBeGreaterThan(0);
    expect(problem.conditions[0].attention!.multipliers).not.toBeNull();
    for (const t of all) expect(t.device).toBe('cpu');
    trainer.dispose(); problem.dispose(); model.dispose();
  });

  it('an Adam step reads back to the host once (losses, total and gradient norm in one crossing; trainable coefficients would add one)', async () => {
    const { problem, model } = setup(false);
    const trainer = new Trainer({ problem, model, phases: [{ optimizer: { type: 'adam' }, steps: 20 }] });
    const proto = Tensor.prototype as unknown as Record<'data' | 'item', (...a: unknown[]) => unknown>;
    const original = { data: proto.data, item: proto.item };
    let reads = 0, steps = 0;
    trainer.on('step', () => { steps++; });
    proto.data = function (this: Tensor, ...a: unknown[]) { reads++; return original.data.apply(this, a); };
    proto.item = function (this: Tensor, ...a: unknown[]) { reads++; return original.item.apply(this, a); };
    try {
      await trainer.fit();
    } finally {
      Object.assign(proto, original);
    }
    // + the final evaluation against the reference data (two reads) and the first step's probe.
    expect(steps).toBe(20);
    expect(reads).toBeLessThanOrEqual(20 + 4);
    trainer.dispose(); problem.dispose(); model.dispose();
  });

  it.runIf(!cuda.isAvailable())('asking for CUDA where there is none is one error naming the device, before anything moves (no CUDA device on this machine)', () => {
    const { problem, model } = setup();
    expect(() => new Trainer({ problem, model, device: 'cuda', phases: [{ optimizer: { type: 'adam' }, steps: 1 }] })).toThrow(/Trainer: device 'cuda' requested but CUDA is not available/);
    expect(model.parameters()[0].device).toBe('cpu');
    const cli = spawnSync(process.execPath, [join(__dirname, '..', 'dist', 'cli', 'main.js'), 'train', 'poisson-2d', '--device', 'cuda:1', '--out', join(__dirname, 'never')], { encoding: 'utf8' });
    expect(cli.status).toBe(2);
    expect(cli.stderr.trim().split('\n')).toEqual(["pinn-torch: error: --device: device 'cuda:1' requested but CUDA is not available (cuda.isAvailable() is false: no GPU, or this LibTorch build is CPU-only)"]);
    problem.dispose(); model.dispose();
  });
});

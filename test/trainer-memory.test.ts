// A long run keeps memory steady. In its own file so that no other test's garbage (tensors the
// finalizer frees whenever V8 collects) moves the live count mid-run.
import { describe, expect, it } from 'vitest';
import { Trainer, memory, nn, pinn, tensor } from '../src/index.js';

describe('Trainer memory', () => {
  it('20 000 small steps keep the live tensor count flat and RSS bounded', async () => {
    const x = tensor(Array.from({ length: 16 }, (_, i) => [i / 16]), { dtype: 'float32' });
    const problem = new pinn.Problem({
      inputs: ['x'], outputs: ['u'],
      conditions: [new pinn.PDE('pde', x, (d) => [d.d('u', 'x', 'x').add(d.value('u'))]), new pinn.DirichletBC('bc', tensor([[0]]), 1, { output: 'u' })],
    });
    const model = new nn.MLP([1, 8, 1], { seed: 0 });
    const trainer = new Trainer({ problem, model, phases: [{ optimizer: { type: 'adam', lr: 1e-3 }, scheduler: { type: 'ExponentialLR', gamma: 0.9999 }, steps: 20_000 }] });
    const live: number[] = [];
    const rss: number[] = [];
    trainer.on('step', (e) => { if (e.step % 2000 === 0) { live.push(memory().tensors); rss.push(process.memoryUsage().rss); } });
    await trainer.fit();
    expect(live).toHaveLength(10);
    expect(new Set(live).size, `live tensors every 2000 steps: ${live}`).toBe(1);
    expect(rss.at(-1)! - rss[1]).toBeLessThan(48 * 2 ** 20);
    trainer.dispose();
  }, 180_000);
});

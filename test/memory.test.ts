// Memory is owned: scopes free deterministically, counts are exact, RSS stays bounded.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import * as pt from '../src/index.js';
import { Tensor, dispose, keep, memory, ones, tensor, tidy, zeros } from '../src/index.js';

describe('tidy', () => {
  it('10⁵ ops inside tidy leave the live count at its baseline and RSS bounded', () => {
    const a = ones([64]), b = ones([64]);
    const base = memory().tensors;
    const rss0 = process.memoryUsage().rss;
    for (let round = 0; round < 100; round++) {
      tidy(() => { let x = a; for (let i = 0; i < 1000; i++) x = x.add(b).mul(0.5); return x.sum().item(); });
      expect(memory().tensors).toBe(base);
    }
    const grown = (process.memoryUsage().rss - rss0) / 2 ** 20;
    expect(grown).toBeLessThan(100); // MiB; without freeing this would be ~50 MB of tensors plus handles
  });

  it('returns what fn returns to the enclosing scope, frees the rest', () => {
    const base = memory().tensors;
    const out = tidy(() => {
      const inner = tidy(() => { const t = ones([2]).mul(3); ones([5]); return { t, list: [ones([1])] }; });
      expect(memory().tensors).toBe(base + 2); // t and the listed tensor survived the inner scope
      return inner.t.add(1);
    });
    expect(memory().tensors).toBe(base + 1);
    expect(out.toArray()).toEqual([4, 4]);
    out.dispose();
    expect(memory().tensors).toBe(base);
  });

  it('keep() exempts a tensor from every scope; dispose() frees it; twice is harmless', () => {
    const base = memory().tensors;
    const kept = tidy(() => { const k = keep(ones([3])); ones([3]); return null; });
    expect(kept).toBeNull();
    expect(memory().tensors).toBe(base + 1);
    const again = tidy(() => keep(zeros([2])));
    again.dispose(); again.dispose();
    expect(again.isDisposed).toBe(true);
    expect(memory().tensors).toBe(base + 1);
  });

  it('scopes of every size free exactly their own tensors (the list of handles to free is reused)', () => {
    const a = ones([1]);
    const base = memory().tensors;
    // Past the largest reused list, then within it, then far smaller: each frees all it made but its result.
    for (const n of [70_000, 3000, 5, 1, 0, 1500]) {
      const kept = tidy(() => { let x = a; for (let i = 0; i < n; i++) x = x.add(1); return x.add(0); });
      expect(memory().tensors).toBe(base + 1);
      expect(kept.item()).toBe(1 + n);
      kept.dispose();
      expect(memory().tensors).toBe(base);
    }
    const outer = tidy(() => {
      const survivors = [tidy(() => { for (let i = 0; i < 2000; i++) a.mul(2); return a.mul(3); })];
      survivors.push(tidy(() => a.mul(4)));
      expect(memory().tensors).toBe(base + 2);
      return survivors[0].add(survivors[1]);
    });
    expect(outer.item()).toBe(7);
    expect(memory().tensors).toBe(base + 1);
    outer.dispose();
    a.dispose();
  });

  it('frees the scope even when fn throws', () => {
    const base = memory().tensors;
    expect(() => tidy(() => { ones([4]); ones([4]); throw new Error('boom'); })).toThrow('boom');
    expect(memory().tensors).toBe(base);
  });
});

describe('using and dispose', () => {
  it('`using` releases at block end', () => {
    const base = memory().tensors;
    {
      using t = ones([8]);
      expect(memory().tensors).toBe(base + 1);
      expect(t.numel).toBe(8);
    }
    expect(memory().tensors).toBe(base);
  });
  it('dispose() walks arrays and objects', () => {
    const base = memory().tensors;
    const group = { a: ones([1]), b: [ones([1]), ones([1])] };
    dispose(group);
    expect(memory().tensors).toBe(base);
    expect(group.b[1].isDisposed).toBe(true);
  });
});

describe('memory().bytes', () => {
  it('counts storage bytes; views add none', () => {
    const before = memory();
    const t = zeros([1000]);
    expect(memory().bytes - before.bytes).toBe(4000);
    const v = t.narrow(0, 10, 100);
    expect(memory().tensors).toBe(before.tensors + 2);
    expect(memory().bytes - before.bytes).toBe(4000);
    const d = zeros([10], { dtype: 'float64' });
    expect(memory().bytes - before.bytes).toBe(4080);
    dispose([t, v, d]);
    expect(memory()).toEqual(before);
  });
});

describe('grad handles', () => {
  it('reading .grad repeatedly does not grow the live count', () => {
    const p = keep(tensor([1, 2, 3]).requiresGrad_());
    tidy(() => p.square().sum().backward());
    const g = p.grad;
    const base = memory().tensors;
    for (let i = 0; i < 100; i++) expect(p.grad).toBe(g);
    expect(memory().tensors).toBe(base);
    expect((g as Tensor).toArray()).toEqual([2, 4, 6]);
  });
});

describe('the finalizer backstop and Module.to', () => {
  it("a collected temporary never frees the tensor a parameter took over (Module.to, then GC)", () => {
    // In a child process with --expose-gc: module.to() moves each cast tensor into its
    // parameter; the temporary's finalizer used to free it once V8 collected the temporary.
    const script = `
      import { nn, rand, memory } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
      const net = new nn.MLP([2, 8, 1], { seed: 0 });
      net.to('float64');
      for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
      const y = net.forward(rand([3, 2], { dtype: 'float64' }));
      console.log(JSON.stringify({ shape: y.shape, dtype: y.dtype, live: memory().tensors }));`;
    const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.shape).toEqual([3, 1]);
    expect(out.dtype).toBe('float64');
    expect(out.live).toBe(6); // 4 parameters, x and y: nothing freed early, nothing left over
  });

  it('the backstop frees unscoped tensors nobody disposed once they are collected (registered in batches)', () => {
    // 3000 dropped tensors: two full batches registered at once, the rest when the loop turns.
    const script = `
      import { rand, memory } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
      const base = memory().tensors;
      for (let i = 0; i < 3000; i++) rand([2]);
      for (let i = 0; i < 3000; i++) rand([2]).dispose();
      const during = memory().tensors - base;
      for (let i = 0; i < 10; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
      console.log(JSON.stringify({ during, after: memory().tensors - base }));`;
    const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.during).toBe(3000);
    expect(out.after).toBe(0);
  });
});

describe('what #21 found leaking', () => {
  it('reading .grad of a tensor that tidy frees leaves nothing; Module.to frees its intermediates and refuses an integer dtype up front', () => {
    const { tensor, tidy, memory, nn } = pt;
    const before = memory().tensors;
    for (let i = 0; i < 3; i++) tidy(() => { const x = tensor([1, 2]).requiresGrad_(); x.square().sum().backward(); void x.grad; void x.grad; });
    expect(memory().tensors).toBe(before);
    const net = new nn.MLP([2, 8, 1], { seed: 0 });
    const withNet = memory().tensors;
    net.to('float64'); net.to('float32');
    expect(memory().tensors).toBe(withNet);
    expect(() => net.to('int64')).toThrow(/Module.to: dtype must be floating point \(parameters carry gradients\), got "int64"/);
    expect(net.parameters().every((p) => p.dtype === 'float32' && p.requiresGrad)).toBe(true);
    net.dispose();
  });
});

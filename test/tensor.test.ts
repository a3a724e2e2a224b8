// Tensor creation, conversion and ops against closed forms and PyTorch.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as pt from '../src/index.js';
import { Tensor, ones, scalar, tensor, tidy } from '../src/index.js';

const PY = '/usr/bin/python3';
const hasTorch = (() => { try { execFileSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }); return true; } catch { return false; } })();

describe('creation and read-back', () => {
  it('nested arrays, typed arrays, dtypes, shapes', () => tidy(() => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    expect([a.shape, a.dtype, a.device]).toEqual([[2, 3], 'float32', 'cpu']);
    expect(a.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] }).dtype).toBe('float64');
    expect(tensor([1, 2], { dtype: 'int64' }).data()).toEqual(new BigInt64Array([1n, 2n]));
    expect(tensor([true, false]).toArray()).toEqual([true, false]);
    expect(tensor([[1, 2], [3, -4]], { dtype: 'complex64' }).toArray()).toEqual([[1, 2], [3, -4]]);
    expect(tensor(7).shape).toEqual([]);
    expect(tensor(7).item()).toBe(7);
    expect(tensor([2.5], { dtype: 'float64' }).to('int32').toArray()).toEqual([2]);
    expect(tensor([1]).to({ dtype: 'float64' }).dtype).toBe('float64');
  }));
  it('factories', () => tidy(() => {
    expect(pt.zeros([2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(pt.full([2], 3.5).toArray()).toEqual([3.5, 3.5]);
    expect(pt.eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(pt.arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(pt.arange(1, 2, 0.25, { dtype: 'float64' }).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(pt.linspace(0, 1, 5, { dtype: 'float64' }).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const r = pt.rand([1000]);
    expect(r.min().item()).toBeGreaterThanOrEqual(0);
    expect(r.max().item()).toBeLessThan(1);
    expect(Math.abs((r.mean().item() as number) - 0.5)).toBeLessThan(0.05);
    const n = pt.randn([4000], { dtype: 'float64' });
    expect(Math.abs((n.std().item() as number) - 1)).toBeLessThan(0.05);
    const k = pt.randint(2, 5, [200]);
    expect(k.dtype).toBe('int64');
    expect([k.min().item(), k.max().item()]).toEqual([2, 4]);
  }));
});

describe('ops with broadcasting and scalars', () => {
  it('arithmetic, math and comparisons', () => tidy(() => {
    const a = tensor([[1, 2], [3, 4]], { dtype: 'float64' }), b = tensor([10, 20], { dtype: 'float64' });
    expect(a.add(b).toArray()).toEqual([[11, 22], [13, 24]]);
    expect(a.sub(1).mul(2).div(4).toArray()).toEqual([[0, 0.5], [1, 1.5]]);
    expect(a.pow(2).toArray()).toEqual([[1, 4], [9, 16]]);
    expect(a.rsub(10).toArray()).toEqual([[9, 8], [7, 6]]);
    expect(a.rdiv(12).toArray()).toEqual([[12, 6], [4, 3]]);
    expect(a.rpow(2).toArray()).toEqual([[2, 4], [8, 16]]);
    const x = tensor([-1, 0, 0.5, 2], { dtype: 'float64' });
    const close = (t: Tensor, f: (v: number) => number) => (x.toArray() as number[]).forEach((v, i) => expect((t.toArray() as number[])[i]).toBeCloseTo(f(v), 12));
    close(x.exp(), Math.exp); close(x.sin(), Math.sin); close(x.cos(), Math.cos); close(x.tanh(), Math.tanh);
    close(x.abs(), Math.abs); close(x.neg(), (v) => -v); close(x.sigmoid(), (v) => 1 / (1 + Math.exp(-v)));
    close(x.relu(), (v) => Math.max(v, 0)); close(x.silu(), (v) => v / (1 + Math.exp(-v)));
    close(x.softplus(), (v) => Math.log1p(Math.exp(v))); close(x.softplus(2), (v) => Math.log1p(Math.exp(2 * v)) / 2);
    close(x.abs().add(1).log(), (v) => Math.log(Math.abs(v) + 1)); close(x.abs().sqrt(), (v) => Math.sqrt(Math.abs(v)));
    expect(x.gt(0).toArray()).toEqual([false, false, true, true]);
    expect(pt.where(x.gt(0), x, pt.zerosLike(x)).toArray()).toEqual([0, 0, 0.5, 2]);
    expect(x.clamp(-0.5, 1).toArray()).toEqual([-0.5, 0, 0.5, 1]);
    expect(x.maximum(0.25).toArray()).toEqual([0.25, 0.25, 0.5, 2]);
    expect(x.minimum(tensor([0, 0, 0, 0], { dtype: 'float64' })).toArray()).toEqual([-1, 0, 0, 0]);
  }));
  it('matmul and linear', () => tidy(() => {
    const A = tensor([[1, 2], [3, 4]]), v = tensor([1, -1]);
    expect(A.matmul(v).toArray()).toEqual([-1, -1]);
    expect(A.matmul(A).toArray()).toEqual([[7, 10], [15, 22]]);
    expect(pt.linear(tensor([[1, 1]]), A, tensor([0.5, 0.5])).toArray()).toEqual([[3.5, 7.5]]);
  }));
  it('shape ops', () => tidy(() => {
    const t = pt.arange(6).reshape(2, 3);
    expect(t.transpose(0, 1).toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(t.permute(1, 0).shape).toEqual([3, 2]);
    expect(t.unsqueeze(0).shape).toEqual([1, 2, 3]);
    expect(t.unsqueeze(0).squeeze(0).shape).toEqual([2, 3]);
    expect(t.view(-1).shape).toEqual([6]);
    expect(tensor([[1], [2]]).expand(2, 3).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(t.narrow(1, 1, 2).toArray()).toEqual([[1, 2], [4, 5]]);
    expect(t.slice(1, 0, undefined, 2).toArray()).toEqual([[0, 2], [3, 5]]);
    expect(t.select(0, -1).toArray()).toEqual([3, 4, 5]);
    expect(t.indexSelect(1, tensor([2, 0], { dtype: 'int64' })).toArray()).toEqual([[2, 0], [5, 3]]);
    expect(t.gather(1, tensor([[0], [2]], { dtype: 'int64' })).toArray()).toEqual([[0], [5]]);
    expect(pt.cat([t, t], 0).shape).toEqual([4, 3]);
    expect(pt.stack([t, t], 1).shape).toEqual([2, 2, 3]);
    expect(t.split(2, 1).map((s) => s.shape)).toEqual([[2, 2], [2, 1]]);
    expect(t.chunk(3, 1).map((s) => s.toArray())).toEqual([[[0], [3]], [[1], [4]], [[2], [5]]]);
    expect(t.flip(1).toArray()).toEqual([[2, 1, 0], [5, 4, 3]]);
  }));
  it('reductions over dims with keepdim', () => tidy(() => {
    const t = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
    expect(t.sum().item()).toBe(21);
    expect(t.sum(0).toArray()).toEqual([5, 7, 9]);
    expect(t.sum(1, true).toArray()).toEqual([[6], [15]]);
    expect(t.mean([0, 1]).item()).toBe(3.5);
    expect(t.max(1).toArray()).toEqual([3, 6]);
    expect(t.min().item()).toBe(1);
    expect(t.argmax(1).toArray()).toEqual([2, 2]);
    expect(t.norm().item()).toBeCloseTo(Math.sqrt(91), 12);
    expect(t.norm(1, 1).toArray()).toEqual([6, 15]);
    expect(t.std(1).toArray()).toEqual([1, 1]);
    expect((t.std(1, { unbiased: false }).toArray() as number[])[0]).toBeCloseTo(Math.sqrt(2 / 3), 12);
  }));
  it('single-dim reductions: without a dim over all elements (argmax, argmin, prod), never a crash on a missing dim', () => tidy(() => {
    const t = tensor([[1, 7, 3], [4, 5, 6]], { dtype: 'float64' });
    expect(t.argmax().item()).toBe(1); // index in the flattened tensor, as PyTorch
    expect(t.argmin().item()).toBe(0);
    expect(t.prod().item()).toBe(2520);
    expect(t.argmax(undefined, true).shape).toEqual([1, 1]);
    expect(scalar(3).argmax().item()).toBe(0); // a 0-d tensor once crashed the process here
    expect(scalar(3).prod().item()).toBe(3);
    expect(() => ones([2, 2]).softmax([] as never)).toThrow(/softmax: dim must be one integer, got \[\]/);
    expect(() => ones([2, 2]).cumsum(undefined as never)).toThrow(/cumsum: dim must be one integer, got undefined/);
    expect(() => ones([2, 2]).logSoftmax([0, 1] as never)).toThrow(/logSoftmax: dim must be one integer, got \[0, 1\]/);
    expect(() => ones([0]).argmax()).toThrow(/argmax: the tensor is empty/);
  }));
  it('complex: real, imag, abs, conj', () => tidy(() => {
    const z = pt.complex(tensor([3, 0], { dtype: 'float64' }), tensor([4, -2], { dtype: 'float64' }));
    expect(z.dtype).toBe('complex128');
    expect(z.real().toArray()).toEqual([3, 0]);
    expect(z.imag().toArray()).toEqual([4, -2]);
    expect(z.abs().toArray()).toEqual([5, 2]);
    expect(z.conj().toArray()).toEqual([[3, -4], [0, 2]]);
    expect(z.mul(z.conj()).real().toArray()).toEqual([25, 4]);
  }));
  it('in-place ops used by optimizers', () => tidy(() => {
    const p = tensor([1, 2], { dtype: 'float64' }), g = tensor([0.5, -1], { dtype: 'float64' });
    expect(p.clone().add_(g, -2).toArray()).toEqual([0, 4]);
    expect(p.clone().mul_(3).toArray()).toEqual([3, 6]);
    expect(p.clone().addcmul_(g, g, 2).toArray()).toEqual([1.5, 4]);
    expect(p.clone().addcdiv_(g, p, 2).toArray()).toEqual([2, 1]);
    expect(p.clone().lerp_(g, 0.5).toArray()).toEqual([0.75, 0.5]);
    expect(p.clone().copy_(g).toArray()).toEqual([0.5, -1]);
    expect(p.clone().zero_().toArray()).toEqual([0, 0]);
    expect(p.clone().maximum_(tensor([1.5, 0], { dtype: 'float64' })).toArray()).toEqual([1.5, 2]);
    const q = p.clone(); const same = q.sqrt_();
    expect(same).toBe(q);
  }));
  it('addmm_: this ← beta·this + alpha·(mat1 @ mat2), with shape, dtype and disposal checks', () => tidy(() => {
    const c = tensor([[1, 2], [3, 4]], { dtype: 'float64' });
    const a = tensor([[1, 0, 2], [0, 1, -1]], { dtype: 'float64' }), b = tensor([[1, 1], [2, 0], [0, 3]], { dtype: 'float64' });
    // a @ b = [[1, 7], [2, -3]]; 0.5·c + 2·(a @ b)
    expect(c.clone().addmm_(a, b, { beta: 0.5, alpha: 2 }).toArray()).toEqual([[2.5, 15], [5.5, -4]]);
    expect(c.clone().addmm_(a, b).toArray()).toEqual([[2, 9], [5, 1]]);
    expect(() => c.clone().addmm_(b, a)).toThrow(/addmm_: shapes do not chain: \[2, 2\] \+= \[3, 2\] @ \[2, 3\]/);
    expect(() => c.clone().addmm_(a, b.float())).toThrow(/addmm_: dtypes differ \(float64 and float32\)/);
    expect(() => c.clone().addmm_(a.flatten(), b)).toThrow(/addmm_: needs 2-D tensors/);
    const gone = a.clone(); gone.dispose();
    expect(() => c.clone().addmm_(gone, b)).toThrow(/addmm_: mat1 has been disposed/);
  }));
});

describe.skipIf(!hasTorch)('against PyTorch (needs /usr/bin/python3 with torch)', () => {
  it('random-input ops agree to 1e-12 in float64', () => {
    pt.manualSeed(7);
    const names = ['exp', 'tanh', 'sigmoid', 'gelu', 'silu', 'softplus', 'sin', 'erf'] as const;
    const mine = tidy(() => {
      const x = pt.randn([6], { dtype: 'float64' });
      const y = pt.randn([6], { dtype: 'float64' });
      const out: Record<string, number[]> = { x: x.toArray() as number[], y: y.toArray() as number[] };
      for (const n of names) out[n] = (x as any)[n]().toArray();
      out.atan2 = x.atan2(y).toArray() as number[];
      out.logsumexp = [x.logsumexp(0).item() as number];
      out.std = [x.std().item() as number];
      return out;
    });
    const ref = JSON.parse(execFileSync(PY, ['-c', `
import torch, json, sys
d = json.load(sys.stdin); x = torch.tensor(d["x"], dtype=torch.float64); y = torch.tensor(d["y"], dtype=torch.float64)
F = torch.nn.functional
out = {"exp": x.exp(), "tanh": x.tanh(), "sigmoid": x.sigmoid(), "gelu": F.gelu(x), "silu": F.silu(x),
       "softplus": F.softplus(x), "sin": x.sin(), "erf": torch.erf(x), "atan2": torch.atan2(x, y),
       "logsumexp": x.logsumexp(0).reshape(1), "std": x.std().reshape(1)}
print(json.dumps({k: v.tolist() for k, v in out.items()}))`], { input: JSON.stringify(mine), encoding: 'utf8' }));
    for (const k of Object.keys(ref)) ref[k].forEach((v: number, i: number) => expect(Math.abs(mine[k][i] - v), `${k}[${i}]`).toBeLessThan(1e-12 * Math.max(1, Math.abs(v))));
  });
});

describe('runtime', () => {
  it('config() reports LibTorch, BLAS, threads and CUDA', () => {
    const c = pt.config();
    expect(c.libtorch.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(c.binary).toMatch(/pinn_torch\.node$/);
    expect(['OpenBLAS', 'MKL', 'reference BLAS (slow)', 'unknown']).toContain(c.blas.name);
    expect(c.threads.intraOp).toBeGreaterThanOrEqual(1);
    expect(c.cuda.available).toBe(pt.cuda.isAvailable());
    if (!c.cuda.available) expect(c.cuda.deviceCount).toBe(0);
  });
  it('setNumThreads/getNumThreads round-trip', () => {
    const n = pt.getNumThreads();
    pt.setNumThreads(2);
    expect(pt.getNumThreads()).toBe(2);
    pt.setNumThreads(n);
    expect(pt.getNumThreads()).toBe(n);
  });
  // In a child process: the setting is process-wide, and the first large block of a fresh
  // process is where glibc's defaults and the tuned thresholds differ (mmap'd and unmapped on
  // free, vs kept in the heap).
  it('tuneAllocator keeps a freed 16 MiB tensor in the heap; glibc by default unmaps it', () => {
    if (pt.allocatorSetByEnvironment()) return; // the environment's thresholds would decide instead
    const dist = JSON.stringify(join(__dirname, '..', 'dist', 'index.js'));
    // glibc's own behaviour: the tensor cache (which would keep the buffer itself) is off.
    const env = { ...process.env, PINN_TORCH_CPU_CACHE_MB: '0' };
    const probe = (tune: boolean) => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', `
      const pt = await import(${dist});
      const tuned = ${tune} ? pt.tuneAllocator() : false;
      const rss = () => process.memoryUsage().rss;
      const t = pt.zeros([4, 2 ** 20]); // 16 MiB, every page written
      const held = rss();
      t.dispose();
      console.log(JSON.stringify({ tuned, released: (held - rss()) / 2 ** 20, config: pt.config().allocator, cache: pt.cpuCache.stats().enabled }));
    `], { encoding: 'utf8', env }));
    const byDefault = probe(false), tuned = probe(true);
    expect(byDefault.config).toBe(null);
    expect(byDefault.released).toBeGreaterThan(12);
    expect(tuned.tuned).toBe(true);
    expect(tuned.config).toEqual({ mmapThreshold: 32 * 2 ** 20, trimThreshold: 256 * 2 ** 20 });
    expect(tuned.released).toBeLessThan(4);
    expect(byDefault.cache).toBe(false);
  }, 30_000);
  it('the CPU tensor cache: a freed 16 MiB buffer serves the next tensor of its size, bounded, and empty() hands it back to the OS', () => {
    const dist = JSON.stringify(join(__dirname, '..', 'dist', 'index.js'));
    const r = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', `
      const pt = await import(${dist});
      const rss = () => process.memoryUsage().rss / 2 ** 20;
      const s0 = pt.cpuCache.stats();
      const a = pt.ones([4, 2 ** 20]); // 16 MiB, every page written
      a.dispose();
      const afterFree = pt.cpuCache.stats();
      const b = pt.zeros([4, 2 ** 20]); // the same size: the cached buffer, zeroed again
      const zeros = b.sum().item();
      const afterReuse = pt.cpuCache.stats();
      b.dispose();
      const small = pt.ones([100]); small.dispose(); // under 64 KiB: not cached
      const held = rss();
      pt.cpuCache.empty();
      const emptied = pt.cpuCache.stats();
      const released = held - rss();
      pt.cpuCache.setLimit(8 * 2 ** 20); // a bound under the buffer: it is not kept
      const c = pt.ones([4, 2 ** 20]); c.dispose();
      const bounded = pt.cpuCache.stats();
      let refused = ''; try { pt.cpuCache.setLimit(-1); } catch (e) { refused = e.message; }
      console.log(JSON.stringify({ s0, afterFree, zeros, afterReuse, emptied, released, bounded, refused }));
    `], { encoding: 'utf8', env: { ...process.env, PINN_TORCH_CPU_CACHE_MB: '64' } }));
    expect(r.s0.enabled).toBe(true);
    expect(r.s0.limitBytes).toBe(64 * 2 ** 20);
    expect(r.afterFree.cachedBytes - r.s0.cachedBytes).toBe(16 * 2 ** 20);
    expect(r.zeros).toBe(0);
    expect(r.afterReuse.hits - r.afterFree.hits).toBe(1);
    expect(r.afterReuse.cachedBytes).toBe(r.s0.cachedBytes);
    expect(r.emptied).toMatchObject({ cachedBytes: 0, blocks: 0, limitBytes: 64 * 2 ** 20 });
    expect(r.released).toBeGreaterThan(12);
    expect(r.bounded).toMatchObject({ cachedBytes: 0, limitBytes: 8 * 2 ** 20 });
    expect(r.refused).toMatch(/cpuCache.setLimit: bytes must be a non-negative integer, got -1/);
  }, 30_000);
  it('the CPU tensor cache releases what was freed longest ago first: a full cache of stale sizes does not evict the running step\'s buffers', () => {
    const dist = JSON.stringify(join(__dirname, '..', 'dist', 'index.js'));
    const r = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', `
      const pt = await import(${dist});
      const MiB = 2 ** 18; // float32 elements in 1 MiB
      // A finished run's leftovers: twelve 5 MiB buffers, 60 of the 64 MiB the cache may hold.
      const stale = Array.from({ length: 12 }, () => pt.ones([5 * MiB]));
      for (const t of stale) t.dispose();
      const full = pt.cpuCache.stats();
      // The running "step": two 8 MiB buffers alive together, freed, allocated again.
      const step = () => { const a = pt.ones([8 * MiB]), b = pt.ones([8 * MiB]); a.dispose(); b.dispose(); };
      step(); step();
      const s0 = pt.cpuCache.stats();
      for (let i = 0; i < 3; i++) step();
      const s1 = pt.cpuCache.stats();
      console.log(JSON.stringify({ full, misses: s1.misses - s0.misses, hits: s1.hits - s0.hits, cached: s1.cachedBytes, blocks: s1.blocks }));
    `], { encoding: 'utf8', env: { ...process.env, PINN_TORCH_CPU_CACHE_MB: '64' } }));
    expect(r.full.cachedBytes).toBeGreaterThanOrEqual(60 * 2 ** 20);
    // Largest-first eviction released one of the step's own 8 MiB buffers every step (3 misses here).
    expect(r.misses).toBe(0);
    expect(r.hits).toBe(6);
    expect(r.cached).toBeLessThanOrEqual(64 * 2 ** 20);
    expect(r.blocks).toBeGreaterThanOrEqual(2); // the step's two, beside whatever stale ones still fit
  }, 30_000);
  it('tuneAllocator refuses thresholds glibc would not take', () => {
    expect(() => pt.tuneAllocator({ mmapThreshold: 64 * 2 ** 20 })).toThrow(/mmapThreshold must be an integer from 0 to 33554432 bytes, got 67108864/);
    expect(() => pt.tuneAllocator({ trimThreshold: -1 })).toThrow(/trimThreshold must be an integer/);
    expect(() => pt.tuneAllocator({ trimThreshold: 1.5 })).toThrow(/trimThreshold must be an integer/);
    expect(pt.config().allocator).toBe(null); // nothing applied
  });
  it("allocatorSetByEnvironment sees glibc's variables and tunables", () => {
    expect(pt.allocatorSetByEnvironment({})).toBe(false);
    expect(pt.allocatorSetByEnvironment({ MALLOC_TRIM_THRESHOLD_: '1' })).toBe(true);
    expect(pt.allocatorSetByEnvironment({ GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=1' })).toBe(true);
    expect(pt.allocatorSetByEnvironment({ GLIBC_TUNABLES: 'glibc.pthread.rseq=0' })).toBe(false);
  });
  it('getRngState/setRngState replays the random stream exactly', () => {
    const s = pt.getRngState();
    const a = tidy(() => Array.from(pt.rand([8]).data() as Float32Array));
    pt.setRngState(s);
    const b = tidy(() => Array.from(pt.rand([8]).data() as Float32Array));
    expect(b).toEqual(a);
  });
});

describe.skipIf(!pt.cuda.isAvailable())('CUDA (skipped: no CUDA device on this machine)', () => {
  it('moves tensors to the GPU and back, and differentiates there', () => tidy(() => {
    const x = tensor([1, 2, 3], { device: 'cuda' }).requiresGrad_();
    expect(x.device).toBe('cuda:0');
    x.square().sum().backward();
    expect(x.grad!.cpu().toArray()).toEqual([2, 4, 6]);
  }));
});

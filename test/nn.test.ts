// nn against PyTorch (fixtures from test/fixtures/gen_nn.py), and Module behaviour.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor, complex, huber, l1, memory, msae, mse, nn, relativeL2, tensor, tidy, zeros } from '../src/index.js';

const fx = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'nn.json'), 'utf8'));

function expectClose(actual: ArrayLike<number>, expected: number[], rel: number, what = 'value') {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= rel * Math.max(1, Math.abs(expected[i])))) {
      throw new Error(`${what}[${i}]: got ${actual[i]}, PyTorch ${expected[i]}`);
    }
  }
}

describe('MLP initialisation matches PyTorch draw for draw', () => {
  for (const c of fx.inits) {
    it(`${c.init} ${c.dtype} seed ${c.seed}`, () => {
      const net = new nn.MLP([3, 20, 20, 2], { init: c.init, seed: c.seed, dtype: c.dtype });
      const sd = net.stateDict();
      expect(Object.keys(sd)).toEqual(Object.keys(c.state));
      for (const [k, v] of Object.entries<number[]>(c.state)) expectClose(sd[k].data() as Float32Array, v, 0, k);
      net.dispose();
    });
  }
  it('the seed option does not disturb the global random stream', () => {
    const a = tidy(() => { new nn.MLP([2, 4, 1], { seed: 3 }).dispose(); return Array.from(zeros([3]).uniform_().data() as Float32Array); });
    const b = tidy(() => Array.from(zeros([3]).uniform_().data() as Float32Array));
    expect(a).not.toEqual(b); // stream advanced normally between draws, not reset by the seed
  });
});

describe('forward and parameter gradients match PyTorch (float64)', () => {
  it('MLP [3,16,16,2] tanh', () => {
    const f = fx.forward;
    const net = new nn.MLP([3, 16, 16, 2], { init: 'xavierNormal', seed: f.seed, dtype: 'float64' });
    const x = tensor(f.x, { dtype: 'float64', shape: [5, 3] });
    const y = net.forward(x);
    expectClose(y.data() as Float64Array, f.y, 1e-12, 'y');
    y.square().sum().backward();
    for (const [name, p] of net.namedParameters()) expectClose(p.grad!.data() as Float64Array, f.grads[name], 1e-12, `grad ${name}`);
  });
});

describe('embeddings and architectures', () => {
  it('FourierFeatures draws B like normal_(0, scale) and maps x to [cos 2πxB, sin 2πxB]', () => {
    const ff = new nn.FourierFeatures(3, 8, { scale: fx.fourier.scale, seed: fx.fourier.seed });
    expectClose(ff.B.data() as Float32Array, fx.fourier.B, 0, 'B');
    const x = tensor([[0.1, 0.2, 0.3]]);
    const out = ff.forward(x).data() as Float32Array;
    const B = fx.fourier.B;
    for (let j = 0; j < 8; j++) {
      const proj = 2 * Math.PI * (0.1 * B[j] + 0.2 * B[8 + j] + 0.3 * B[16 + j]);
      expect(out[j]).toBeCloseTo(Math.cos(proj), 4);
      expect(out[8 + j]).toBeCloseTo(Math.sin(proj), 4);
    }
    expect(ff.parameters()).toHaveLength(0); // B is a buffer, not trained
    expect(Object.keys(ff.stateDict())).toEqual(['B']);
  });

  it('PeriodicEmbedding makes the output exactly periodic in the chosen inputs', () => {
    const emb = new nn.PeriodicEmbedding([2, null]);
    const net = new nn.Embedded(emb, new nn.MLP([emb.outFeatures, 8, 1], { seed: 1, dtype: 'float64' }));
    const a = net.forward(tensor([[0.3, 0.7]], { dtype: 'float64' })).item() as number;
    const b = net.forward(tensor([[2.3, 0.7]], { dtype: 'float64' })).item() as number;
    const c = net.forward(tensor([[0.3, 0.9]], { dtype: 'float64' })).item() as number;
    expect(a).toBeCloseTo(b, 12);
    expect(Math.abs(a - c)).toBeGreaterThan(1e-6);
  });

  it('ModifiedMLP gates hidden layers with the two encoders', () => {
    const m = new nn.ModifiedMLP(2, 8, 3, 1, { seed: 4, dtype: 'float64' });
    const x = tensor([[0.2, -0.5], [0.9, 0.1]], { dtype: 'float64' });
    // the formula, spelled out with the module's own layers
    const u = m.encoderU.forward(x).tanh(), v = m.encoderV.forward(x).tanh();
    let h = x;
    for (const layer of m.hidden) { const z = layer.forward(h).tanh(); h = z.rsub(1).mul(u).add(z.mul(v)); }
    expectClose(m.forward(x).data() as Float64Array, Array.from(m.output.forward(h).data() as Float64Array), 1e-15);
    expect(m.parameters()).toHaveLength(2 * (2 + 3 + 1));
  });

  it('RWFLinear starts equal to its factorised weight W = diag(exp s) V', () => {
    const l = new nn.RWFLinear(3, 4, { dtype: 'float64' });
    const w = l.s.exp().mul(l.v);
    const x = tensor([[1, 2, 3]], { dtype: 'float64' });
    expectClose(l.forward(x).data() as Float64Array, Array.from(x.matmul(w.t()).data() as Float64Array), 1e-14);
    expect([...l.namedParameters()].map(([n]) => n)).toEqual(['s', 'v', 'bias']);
  });

  it('ResidualBlock adds its input back', () => {
    const r = new nn.ResidualBlock(4, { dtype: 'float64' });
    const x = tensor([[0.1, 0.2, 0.3, 0.4]], { dtype: 'float64' });
    const inner = r.fc2.forward(r.fc1.forward(x).tanh());
    expectClose(r.forward(x).data() as Float64Array, Array.from(x.add(inner).tanh().data() as Float64Array), 1e-15);
  });
});

describe('Module', () => {
  it('names parameters like nn.Sequential and round-trips state dicts', () => {
    const a = new nn.MLP([2, 3, 1], { seed: 1 });
    const b = new nn.MLP([2, 3, 1], { seed: 2 });
    expect([...a.namedParameters()].map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    b.loadStateDict(a.stateDict());
    const x = tensor([[0.5, -0.5]]);
    expect(b.forward(x).item()).toBe(a.forward(x).item());
    expect(a.numParameters()).toBe(2 * 3 + 3 + 3 + 1);
  });

  it('loadStateDict names the missing, unexpected, mis-shaped or mis-typed key and loads nothing', () => {
    const net = new nn.MLP([2, 3, 1], { seed: 1 });
    const before = Array.from(net.layers[0].weight.data() as Float32Array);
    const other = new nn.MLP([2, 3, 1], { seed: 7 }).stateDict();
    const { ['2.bias']: _, ...missing } = other;
    expect(() => net.loadStateDict(missing)).toThrow(/missing key\(s\) '2.bias'/);
    expect(() => net.loadStateDict({ ...other, extra: zeros([1]) })).toThrow(/unexpected key\(s\) 'extra'/);
    expect(() => net.loadStateDict({ ...other, '2.weight': zeros([3, 1]) })).toThrow(/'2.weight' has shape \[3, 1\], the model expects \[1, 3\]/);
    expect(() => net.loadStateDict({ ...other, '0.bias': zeros([3], { dtype: 'float64' }) })).toThrow(/'0.bias' is float64, the model expects float32/);
    expect(Array.from(net.layers[0].weight.data() as Float32Array)).toEqual(before);
    expect(net.loadStateDict(missing, { strict: false }).missingKeys).toEqual(['2.bias']);
  });

  it('to(dtype) converts in place, keeping references (and optimizers) valid', () => {
    const net = new nn.MLP([2, 3, 1], { seed: 1 });
    const w = net.layers[0].weight;
    const before = Array.from(w.data() as Float32Array);
    net.to('float64');
    expect(w.dtype).toBe('float64');
    expect(w.requiresGrad).toBe(true);
    expectClose(w.data() as Float64Array, before, 0);
  });

  it('parameters survive tidy; zeroGrad clears gradients; train/eval toggle', () => {
    const net = new nn.MLP([2, 4, 1], { seed: 1 });
    const live = memory().tensors;
    tidy(() => net.forward(tensor([[1, 2]])).sum().backward());
    expect(net.layers[0].weight.grad).not.toBeNull();
    net.zeroGrad();
    expect(net.layers[0].weight.grad).toBeNull();
    expect(memory().tensors).toBe(live);
    expect(net.eval().training).toBe(false);
    expect(net.train().training).toBe(true);
  });

  it('rejects bad sizes', () => {
    expect(() => new nn.MLP([3])).toThrow(/MLP: sizes must be an array of ≥ 2 positive integers \[in, …, out\], got \[3\]/);
    expect(() => new nn.Linear(0, 2)).toThrow(/inFeatures must be a positive integer/);
    expect(() => nn.activation('swish' as any)).toThrow(/activation: name must be 'tanh' or .* got "swish"/);
    // The shared argument checks (src/checks.ts): fractional counts, unknown or ignored option keys, ±Inf and NaN are refused by name, before any tensor is made.
    const live = memory().tensors;
    expect(() => new nn.ModifiedMLP(2, 4, 2.5, 1)).toThrow('ModifiedMLP: depth must be a positive integer, got 2.5');
    expect(() => new nn.ModifiedMLP(2, 4, 2, 1, { init: 'bad' as never })).toThrow(/ModifiedMLP: init must be 'default' or .* got "bad"/);
    expect(() => new nn.RWFMLP([2])).toThrow('RWFMLP: sizes must be an array of ≥ 2 positive integers [in, …, out], got [2]');
    expect(() => new nn.RWFLinear(2, 3, { std: NaN })).toThrow('RWFLinear: std must be a non-negative number, got NaN');
    expect(() => new nn.ResidualBlock(4, { seed: 1 } as never)).toThrow("ResidualBlock: unknown option 'seed' (options: dtype, device, activation)");
    expect(() => new nn.FourierFeatures(2, 4, { scale: Infinity })).toThrow('FourierFeatures: scale must be a positive number, got Infinity');
    expect(() => new nn.FourierFeatures(2, 0)).toThrow('FourierFeatures: numFeatures must be a positive integer, got 0');
    expect(() => new nn.PeriodicEmbedding([1, -1])).toThrow('PeriodicEmbedding: periods[1] must be a positive number or null, got -1');
    expect(() => tidy(() => new nn.PeriodicEmbedding([1, null]).forward(zeros([4, 3])))).toThrow('PeriodicEmbedding.forward: x must be of 2 features in its last dim (one per period), got [4, 3]');
    expect(() => new nn.Concat()).toThrow('Concat: branches must be at least one Module, got 0');
    expect(() => new nn.Softplus(NaN)).toThrow('Softplus: beta must be a finite number, got number NaN');
    expect(() => nn.init.calculateGain('swish' as never)).toThrow(/calculateGain: nonlinearity must be 'linear' or .* got "swish"/);
    expect(memory().tensors).toBe(live);
    const net = new nn.MLP([2, 4, 1]);
    expect(() => net.loadStateDict({ '0.weight': 3 } as never, { strict: false })).toThrow("MLP.loadStateDict: state['0.weight'] must be a Tensor, got number 3");
    net.dispose();
  });
});

describe('losses match PyTorch', () => {
  const L = fx.losses;
  const a = tensor(L.a, { dtype: 'float64' }), b = tensor(L.b, { dtype: 'float64' });
  it('mse, l1, huber, reductions', () => {
    expect(mse(a, b).item()).toBeCloseTo(L.mse, 14);
    expect(mse(a, b, 'sum').item()).toBeCloseTo(L.mseSum, 14);
    expect(l1(a, b).item()).toBeCloseTo(L.l1, 14);
    expect(huber(a, b, { delta: 0.7 }).item()).toBeCloseTo(L.huber, 14);
    expect(mse(a, b, 'none').shape).toEqual([5]);
  });
  it('msae on complex values = mean |za − zb|²', () => {
    const za = complex(a, b), zb = complex(b, a.flip(0));
    expect(msae(za, zb).item()).toBeCloseTo(L.msaeComplex, 14);
    expect(() => mse(za, zb)).toThrow(/use msae/);
  });
  it('relativeL2 = ‖x − y‖ / ‖y‖', () => {
    expect(relativeL2(tensor([3, 4]), tensor([3, 0]))).toBeCloseTo(4 / 3, 6);
    expect(() => relativeL2(tensor([1]), tensor([0]))).toThrow(/identically zero/);
    expect(() => mse(a, tensor([1, 2]))).toThrow(/differ in shape/);
  });
});

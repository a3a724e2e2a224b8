// Bad input never crashes the process: every case below is a clear JS Error naming the op.
import { describe, expect, it } from 'vitest';
import * as pt from '../src/index.js';
import { native } from '../src/backend.js';

const { tensor, zeros, ones, grad, tidy } = pt;

const cases: [string, () => unknown, RegExp][] = [
  ['add: mismatched shapes', () => ones([2, 3]).add(ones([4])), /add: shapes \[2, 3\] and \[4\] cannot be broadcast together/],
  ['mul: mismatched shapes', () => ones([2]).mul(ones([3])), /mul: shapes \[2\] and \[3\] cannot be broadcast/],
  ['matmul: shapes do not chain', () => ones([2, 3]).matmul(ones([2, 3])), /matmul: shapes \[2, 3\] and \[2, 3\] do not chain \(3 ≠ 2\)/],
  ['matmul: dtypes differ', () => ones([2, 2]).matmul(ones([2, 2], { dtype: 'float64' })), /matmul: dtypes differ \(float32 and float64\)/],
  ['matmul: 0-d operand', () => pt.scalar(1).matmul(ones([2])), /matmul: both operands need at least 1 dimension/],
  ['linear: in-features', () => pt.linear(ones([4, 3]), ones([5, 2])), /linear: input \[4, 3\] does not end in weight's in-features 2/],
  ['reshape: wrong numel', () => ones([2, 3]).reshape(4, 2), /reshape: shape \[4, 2\] is invalid for a tensor of 6 elements/],
  ['reshape: two -1', () => ones([2, 3]).reshape(-1, -1), /reshape: invalid shape \[-1,-1\]/],
  ['view: non-integer size', () => ones([4]).view(2.5, 2), /view: invalid shape/],
  ['use after dispose', () => { const t = ones([2]); t.dispose(); return t.exp(); }, /exp: tensor has been disposed/],
  ['disposed operand', () => { const t = ones([2]); t.dispose(); return ones([2]).add(t); }, /add: other has been disposed/],
  ['disposed input to grad', () => { const x = ones([1]).requiresGrad_(); const y = x.mul(2); x.dispose(); return grad(y, x); }, /grad: inputs has been disposed/],
  ['stale handle straight into native', () => { const t = ones([1]); const h = t.handle; t.dispose(); return native.unary(0, h); }, /neg: tensor has been disposed \(or the handle is invalid\)/],
  ['grad of non-scalar without gradOutputs', () => { const x = ones([3]).requiresGrad_(); return grad(x.mul(2), x); }, /grad: outputs\[0\] has shape \[3\]; pass gradOutputs/],
  ['grad with mismatched gradOutputs count', () => { const x = ones([1]).requiresGrad_(); return grad([x.mul(2)], x, { gradOutputs: [ones([1]), ones([1])] }); }, /grad: 1 outputs but 2 gradOutputs/],
  ['grad of unused input without allowUnused', () => { const x = ones([1]).requiresGrad_(); const y = ones([1]).requiresGrad_(); return grad(x.mul(2).sum(), [x, y]); }, /grad: .*(not have been used|allow_unused|allowUnused)/i],
  ['grad: input without requiresGrad', () => { const x = ones([1]).requiresGrad_(); return grad(x.sum(), ones([1])); }, /grad: inputs\[0\] does not require grad/],
  ['backward of non-scalar', () => ones([2]).requiresGrad_().mul(2).backward(), /backward: output has shape \[2\]; a gradient can be implied only for one-element outputs/],
  ['backward without grad', () => ones([1]).mul(2).sum().backward(), /backward: tensor does not require grad/],
  ['backward: gradient shape', () => ones([2]).requiresGrad_().mul(2).backward(ones([3])), /backward: gradient shape \[3\] does not match output shape \[2\]/],
  ['requiresGrad on int', () => zeros([2], { dtype: 'int64' }).requiresGrad_(), /only floating point and complex tensors can require gradients, got int64/],
  ['unknown dtype', () => zeros([2], { dtype: 'float16' as any }), /zeros: dtype must be one of float32, float64/],
  ['bad device string', () => zeros([2], { device: 'gpu' }), /zeros: device must be 'cpu', 'cuda' or 'cuda:N', got "gpu"/],
  ['ragged nested array', () => tensor([[1, 2], [3]]), /tensor: ragged nested array: at \[1\] expected 2 elements/],
  ['string element', () => tensor([1, 'a' as any]), /tensor: element at \[1\] must be a number or boolean, got "a"/],
  ['NaN for int64', () => tensor([1, NaN], { dtype: 'int64' }), /tensor: value NaN at flat index 1 is not an integer, as int64 needs/],
  ['fraction for int32', () => tensor([1.5], { dtype: 'int32' }), /value 1.5 at flat index 0 is not an integer/],
  ['typed array / shape mismatch', () => tensor(new Float32Array(5), { shape: [2, 2] }), /tensor: shape \[2, 2\] needs 4 values, got 5/],
  ['unsupported typed array', () => tensor(new Int16Array(2) as any), /tensor: data must be a Float32Array/],
  ['negative shape', () => zeros([2, -1]), /zeros: shape must be an array of non-negative integers/],
  ['dim out of range', () => ones([2, 3]).sum(2), /sum: dim must be an integer in \[-2, 1\], got 2/],
  ['select index out of range', () => ones([2, 3]).select(1, 3), /select: index 3 is out of range for dim 1 of size 3/],
  ['narrow out of range', () => ones([5]).narrow(0, 3, 4), /narrow: start 3, length 4 out of range for dim 0 of size 5/],
  ['item of many', () => ones([2]).item(), /item: needs exactly one element, got shape \[2\]/],
  ['cat: mismatched shapes', () => pt.cat([ones([2, 3]), ones([2, 4])], 0), /cat: tensors\[1\] has shape \[2, 4\], incompatible with \[2, 3\] outside dim 0/],
  ['stack: mismatched shapes', () => pt.stack([ones([2]), ones([3])]), /stack: tensors\[1\] has shape \[3\], tensors\[0\] \[2\]/],
  ['where: non-bool condition', () => pt.where(ones([2]), ones([2]), zeros([2])), /where: condition must be bool, got float32/],
  ['indexSelect: float index', () => ones([3]).indexSelect(0, ones([1])), /indexSelect: index must be int64 or int32, got float32/],
  ['gather: index values out of range (native check)', () => ones([2, 2]).gather(1, tensor([[0, 5], [1, 0]], { dtype: 'int64' })), /gather: .*(out of bounds|index 5)/i],
  ['expand to incompatible', () => ones([2, 3]).expand(4, 3), /expand: cannot expand \[2, 3\] to \[4, 3\]/],
  ['wrong argument type', () => ones([2]).add('3' as any), /add: other must be a Tensor, got "3"/],
  ['null argument', () => ones([2]).mul(null as any), /mul: other must be a Tensor, got null/],
  ['setRngState wrong size', () => pt.setRngState(new Uint8Array(3)), /setRngState: state has 3 bytes, expected \d+/],
  ['manualSeed negative', () => pt.manualSeed(-1), /manualSeed: seed must be a non-negative safe integer, got -1/],
  ['arange zero step', () => pt.arange(0, 5, 0), /arange: step 0 cannot go from 0 to 5/],
  ['linspace NaN', () => pt.linspace(0, NaN, 3), /linspace: start and end must be finite/],
  ['randint empty range', () => pt.randint(3, 3, [2]), /randint: need integers low < high, got 3, 3/],
  ['setNumThreads 0', () => pt.setNumThreads(0), /setNumThreads: n must be a positive integer, got 0/],
  ['tidy returning a Promise', () => tidy(() => Promise.resolve(1) as any), /tidy: fn returned a Promise/],
  ['imag of a real tensor', () => ones([2]).imag(), /imag: needs a complex tensor, got float32/],
  ['complex of mixed dtypes', () => pt.complex(ones([2]), ones([2], { dtype: 'float64' })), /complex: re and im must both be float32 or both float64/],
];

describe(`bad input gives a clear Error, never a crash (${cases.length} cases)`, () => {
  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));
  for (const [name, fn, message] of cases) {
    it(name, () => {
      let error: unknown;
      try { tidy(() => { fn(); }); } catch (e) { error = e; }
      expect(error, 'expected an Error').toBeInstanceOf(Error);
      const msg = (error as Error).message;
      expect(msg).toMatch(message);
      expect(msg).not.toMatch(/Exception raised from|frame #\d|\.cpp:\d+/); // no C++ backtrace noise
    });
  }
  if (!pt.cuda.isAvailable()) {
    it("'cuda' device without a GPU (no CUDA device on this machine)", () => {
      expect(() => zeros([2], { device: 'cuda' })).toThrow(/device 'cuda' requested but CUDA is not available/);
    });
  }
  it('leaves the process alive and working, with no tensors leaked', () => {
    const before = pt.memory().tensors;
    for (const [, fn] of cases) { try { tidy(() => { fn(); }); } catch { /* expected */ } }
    expect(pt.memory().tensors).toBe(before);
    expect(tidy(() => tensor([1, 2, 3]).mul(2).sum().item())).toBe(12);
  });
});

describe('no leak after a refused construction, no silently wrong in-place op', () => {
  it('Problem with a bad coefficient, MLP with an unknown init: nothing is left held', () => {
    const before = pt.memory().tensors;
    const bc = () => new pt.pinn.DirichletBC('bc', tensor([[0]]), 0, { output: 'u' });
    const c1 = bc();
    expect(() => new pt.pinn.Problem({ inputs: ['x'], outputs: ['u'], conditions: [c1], coefficients: { a: 1, b: NaN } })).toThrow(/coefficient 'b' must be a finite number, got NaN/);
    c1.dispose();
    const c2 = bc();
    expect(() => new pt.pinn.Problem({ inputs: ['x'], outputs: ['u'], conditions: [c2], coefficients: { a: 1 }, constants: { a: 2 } })).toThrow(/'a' is both a trainable coefficient and a constant/);
    c2.dispose();
    expect(() => new pt.nn.MLP([2, 8, 8, 1], { init: 'xavier' as never })).toThrow(/MLP: init must be 'default' or 'xavierNormal' or .* got "xavier"/);
    expect(pt.memory().tensors).toBe(before);
  });
  it('add_(number, alpha) scales the number by alpha, as PyTorch; a grad of another dtype is refused', () => {
    expect(tidy(() => ones([2]).add_(2, 3).toArray())).toEqual([7, 7]);
    expect(() => tidy(() => { ones([2]).requiresGrad_().grad = ones([2], { dtype: 'float64' }); })).toThrow(/grad: a float64 gradient for a float32 tensor/);
  });
});

describe('optimizer options and state dicts are checked, not trusted', () => {
  it('a misspelt option is refused with a suggestion, in code and in a Trainer phase', () => {
    const x = tensor([1, 2]).requiresGrad_();
    expect(() => new pt.optim.Adam([x], { lrr: 1e-3 } as never)).toThrow(/Adam: unknown option 'lrr'; did you mean 'lr'\?/);
    expect(() => new pt.optim.SGD([x], { lr: 0.1, momentun: 0.9 } as never)).toThrow(/SGD: unknown option 'momentun'; did you mean 'momentum'\?/);
    expect(() => new pt.optim.LBFGS([x], { maxiter: 5 } as never)).toThrow(/LBFGS: unknown option 'maxiter'; did you mean 'maxIter'\?/);
    const problem = new pt.pinn.Problem({ inputs: ['x'], outputs: ['u'], conditions: [new pt.pinn.DirichletBC('bc', tensor([[0]]), 0, { output: 'u' })] });
    const model = new pt.nn.MLP([1, 4, 1], { seed: 0 });
    // A phase's options are checked against the optimizer registry when the Trainer is made, before any training.
    try {
      expect(() => new pt.Trainer({ problem, model, phases: [{ optimizer: { type: 'adam', lrr: 1 }, steps: 1 }] })).toThrow(/phases\[0\]\.optimizer: unknown option 'lrr'; did you mean 'lr'\?/);
    } finally { problem.dispose(); model.dispose(); }
  });
  it('loadStateDict refuses a non-numeric lr or step before changing anything', () => {
    const x = tensor([1, 2]).requiresGrad_();
    const opt = new pt.optim.Adam([x], { lr: 0.1 });
    tidy(() => { x.square().sum().backward(); });
    opt.step();
    const good = opt.stateDict();
    const badLr = { ...good, paramGroups: [{ ...good.paramGroups[0], lr: 'abc' }] };
    expect(() => opt.loadStateDict(badLr as never)).toThrow(/Adam.loadStateDict: paramGroups\[0\]: Adam: lr must be in \[0, Infinity\], got abc/);
    const badStep = { ...good, state: { 0: { ...good.state[0], step: 'x' } } };
    expect(() => opt.loadStateDict(badStep as never)).toThrow(/Adam.loadStateDict: state '0'.step must be a non-negative integer, got "x"/);
    expect(opt.paramGroups[0].lr).toBe(0.1);
    opt.dispose();
  });
});

describe("the Trainer's built-in callbacks check their options when the Trainer is made", () => {
  it('nanGuard.every, nanGuard.maxRollbacks and checkpoint.every must be integers in range', () => {
    const problem = new pt.pinn.Problem({ inputs: ['x'], outputs: ['u'], conditions: [new pt.pinn.DirichletBC('bc', tensor([[0]]), 0, { output: 'u' })] });
    const model = new pt.nn.MLP([1, 4, 1], { seed: 0 });
    const phases = [{ optimizer: { type: 'adam' }, steps: 1 }];
    try {
      expect(() => new pt.Trainer({ problem, model, phases, nanGuard: { action: 'rollback', every: 0 } })).toThrow(/^Trainer: nanGuard.every must be a positive integer, got 0$/);
      expect(() => new pt.Trainer({ problem, model, phases, nanGuard: { action: 'rollback', maxRollbacks: 1.5 } })).toThrow(/^Trainer: nanGuard.maxRollbacks must be a non-negative integer, got 1.5$/);
      expect(() => new pt.Trainer({ problem, model, phases, checkpoint: { dir: '/tmp/x', every: '10' as never } })).toThrow(/^Trainer: checkpoint.every must be a non-negative integer, got "10"$/);
    } finally { problem.dispose(); model.dispose(); }
  });
});

describe('integers out of range are refused, not wrapped', () => {
  it('int32, uint8 and int64 refuse what they cannot hold, and keep what they can', () => {
    expect(() => tensor([2 ** 40], { dtype: 'int32' })).toThrow(/tensor: value 1099511627776 at flat index 0 is out of range for int32/);
    expect(() => tensor([1, 256], { dtype: 'uint8' })).toThrow(/value 256 at flat index 1 is out of range for uint8 \[0, 255\]/);
    expect(() => tensor([-1], { dtype: 'uint8' })).toThrow(/out of range for uint8/);
    expect(() => tensor([2 ** 63], { dtype: 'int64' })).toThrow(/out of range for int64/);
    expect(() => tensor(new Float64Array([2 ** 31]), { dtype: 'int32' })).toThrow(/out of range for int32/);
    expect(tidy(() => tensor([2 ** 31 - 1, -(2 ** 31)], { dtype: 'int32' }).toArray())).toEqual([2 ** 31 - 1, -(2 ** 31)]);
    expect(tidy(() => tensor([255, 0], { dtype: 'uint8' }).toArray())).toEqual([255, 0]);
  });
});

describe('numbers keep their integer-ness on integer tensors', () => {
  it('in-place ops and clamp with a number work on int64 and int32 tensors, as in PyTorch', () => tidy(() => {
    for (const dtype of ['int64', 'int32'] as const) {
      const t = tensor([1, 2, 3], { dtype });
      expect(t.mul_(2).toArray()).toEqual([2, 4, 6]);
      expect(t.add_(1).toArray()).toEqual([3, 5, 7]);
      expect(t.clampMin_(4).toArray()).toEqual([4, 5, 7]);
      expect(t.clampMax_(6).toArray()).toEqual([4, 5, 6]);
      expect(t.clamp(5, null).toArray()).toEqual([5, 5, 6]);
      expect(t.fill_(9).toArray()).toEqual([9, 9, 9]);
      expect(t.dtype).toBe(dtype);
    }
  }));
});

describe('messages that name what is wrong', () => {
  it('tidy and noGrad without a function, slice and expand with non-integers, logsumexp without a dim, NaN rows listed', () => {
    expect(() => tidy(5 as never)).toThrow(/tidy: expected a function to run, got number/);
    expect(() => pt.noGrad(null as never)).toThrow(/noGrad: expected a function to run, got null/);
    expect(() => tidy(() => ones([4]).slice(0, NaN))).toThrow(/slice: start must be an integer, got NaN/);
    expect(() => tidy(() => ones([4]).slice(0, 0, 2.5))).toThrow(/slice: end must be an integer, got 2.5/);
    expect(() => tidy(() => ones([1, 2]).expand(3.5, 2))).toThrow(/expand: sizes must be integers/);
    expect(() => tidy(() => ones([2, 2]).logsumexp(undefined as never))).toThrow(/logsumexp: dim is required/);
    const pts = tensor([[0], [1], [NaN], [3], [4], [NaN]]);
    expect(() => new pt.pinn.PDE('p', pts, (d) => d.x)).toThrow(/PDE 'p': points contain NaN or Inf \(rows 2, 5\)/);
    pts.dispose();
  });
});

describe('sizes too large to hold, and values JSON cannot show', () => {
  it('interior(1e9) says how much memory it would need; a BigInt in a shape is shown, not a serialisation error', () => {
    expect(() => new pt.geometry.Rectangle([0, 0], [1, 1]).interior(1e9)).toThrow(/Rectangle.samplePoints: 1000000000 points need 14.9 GiB of coordinates; at most 134217728 coordinates per call/);
    expect(() => ones([2n as never, 2])).toThrow(/ones: shape must be an array of non-negative integers, got \["2n",2\]/);
  });
});

describe('a condition built from several tensors takes none of them when one is wrong', () => {
  it('DirichletBC, NeumannBC, PeriodicBC and PointSetData leave the live count unchanged after a refusal', () => {
    const { pinn } = pt;
    const before = pt.memory().tensors;
    const tries: Array<() => unknown> = [
      () => new pinn.DirichletBC('d', ones([3, 1]), ones([2]), { output: 'u' }),
      () => new pinn.NeumannBC('n', ones([3, 2]), ones([2, 2]), 0, { output: 'u' }),
      () => new pinn.PeriodicBC('p', ones([3, 1]), ones([4, 1]), { output: 'u' }),
      () => new pinn.PointSetData('o', ones([3, 1]), ones([3, 2]), { outputs: ['u'] }),
    ];
    for (const make of tries) expect(() => tidy(() => { make(); })).toThrow();
    expect(pt.memory().tensors).toBe(before);
  });
});

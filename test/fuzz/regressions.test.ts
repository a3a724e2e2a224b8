// What the fuzz suite found, one test per defect, each failing before its fix. Crashes are run in
// a child process (tensor ops on a zero-storage derivative killed the process).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as pt from '../../src/index.js';
import { geometry, memory, nn, ones, optim, pinn, scalar, tensor, tidy, zeros } from '../../src/index.js';

/** The error fn throws (the test fails when it throws none). */
function thrown(fn: () => unknown): Error {
  try { fn(); } catch (e) { return e as Error; }
  throw new Error('expected an error, none was thrown');
}
/** Live tensors fn leaves behind, error or not (fn's result disposed). */
function leftBehind(fn: () => unknown): number {
  const before = memory().tensors;
  try { pt.dispose(fn()); } catch { /* the count is the point */ }
  return memory().tensors - before;
}

describe('tensor ops', () => {
  it('keepdim must be a boolean (mean(-1, null) and sum(0, "yes") were accepted)', () => tidy(() => {
    expect(thrown(() => ones([2]).mean(-1, null as any)).message).toMatch(/mean: keepdim must be a boolean, got null/);
    expect(thrown(() => ones([2]).sum(0, 'yes' as any)).message).toMatch(/sum: keepdim must be a boolean/);
  }));
  it('std/var options are checked (var(dim, 1e300) ran; keepDim was ignored)', () => tidy(() => {
    expect(thrown(() => ones([3]).var(undefined, 1e300 as any)).message).toMatch(/var: options must be an object/);
    expect(thrown(() => ones([3]).std(0, { keepDim: true } as any)).message).toMatch(/std: unknown option 'keepDim'; did you mean 'keepdim'\?/);
  }));
  it('factory options: unknown keys and non-objects are refused (zeros([3], { dtpye }) gave float32)', () => tidy(() => {
    expect(thrown(() => zeros([3], { dtpye: 'float64' } as any)).message).toMatch(/zeros: unknown option 'dtpye'; did you mean 'dtype'\?/);
    expect(thrown(() => pt.randn([2], [1] as any)).message).toMatch(/randn: options must be an object/);
    expect(thrown(() => tensor([1, 2], Infinity as any)).message).toMatch(/tensor: options must be an object/);
    expect(thrown(() => pt.zerosLike(ones([2]), [1] as any)).message).toMatch(/zerosLike: options must be an object/);
  }));
  it('requiresGrad for an integer dtype is refused before the tensor is made (it leaked one)', () => {
    expect(leftBehind(() => zeros([2], { dtype: 'int64', requiresGrad: true }))).toBe(0);
    expect(thrown(() => zeros([2], { dtype: 'int64', requiresGrad: true })).message).toMatch(/zeros: requiresGrad needs a floating point or complex dtype, got int64/);
  });
  it('scalar() and full() keep integer dtypes integral, as tensor() does (2.5 became 2)', () => {
    expect(thrown(() => scalar(2.5, { dtype: 'int64' })).message).toMatch(/scalar: value 2.5 is not an integer, as int64 needs/);
    expect(thrown(() => pt.full([2], 300, { dtype: 'uint8' })).message).toMatch(/full: value 300 is out of range for uint8/);
  });
  it('scalar(1e300) in float32 is Infinity, as tensor([1e300]) stores it (it threw)', () => tidy(() => {
    expect(scalar(1e300).item()).toBe(Infinity);
  }));
  it('integer division by zero names the divisor ("remainder: ZeroDivisionError")', () => tidy(() => {
    expect(thrown(() => tensor([1], { dtype: 'int64' }).remainder(tensor([0], { dtype: 'int64' }))).message).toMatch(/remainder: other has a zero \(integer division by zero\)/);
  }));
  it('tensor(..., bool): NaN is true, as in PyTorch (it was false)', () => tidy(() => {
    expect(tensor([NaN, 0, 2], { dtype: 'bool' }).toArray()).toEqual([true, false, true]);
  }));
  it('losses free their intermediates, with or without an error (mse of a tensor left 2)', () => {
    const x = tensor([1, 2, 3]), y = tensor([0, 2, 5]), z = tensor([[1, 0]], { dtype: 'complex64' });
    expect(leftBehind(() => pt.mse(x, y))).toBe(0);
    expect(leftBehind(() => pt.huber(x, 1))).toBe(0);
    expect(leftBehind(() => pt.l1(x, 0, 'avg' as any))).toBe(0);
    expect(leftBehind(() => pt.huber(z, 0))).toBe(0); // refused (clamp of complex) after computing |z|
    pt.dispose([x, y, z]);
  });
  it('loss errors name the loss and its options (huber of bools said "sub: …"; huber({ delta: "1" }) ran)', () => tidy(() => {
    expect(thrown(() => pt.huber(tensor([true]), tensor([false]))).message).toMatch(/^huber: .*bool/);
    expect(thrown(() => pt.huber(ones([1]), 0, { delta: '1' } as any)).message).toMatch(/huber: delta must be a number/);
    expect(thrown(() => pt.huber(ones([1]), 0, { detla: 1 } as any)).message).toMatch(/huber: unknown option 'detla'; did you mean 'delta'\?/);
  }));
  it('linear takes any bias that broadcasts and a 1-D weight, as PyTorch (both were refused)', () => tidy(() => {
    expect(pt.linear(tensor([1, 2, 3]), tensor([[1, 1, 1]]), scalar(0.5)).toArray()).toEqual([6.5]);
    expect(pt.linear(tensor([[1, 2]]), tensor([3, 4])).toArray()).toEqual([11]);
  }));
  it('maximum/minimum with a number past float32 saturate, as t + 1e300 does (they threw)', () => tidy(() => {
    expect(tensor([1, 2]).maximum(1e300).toArray()).toEqual([Infinity, Infinity]);
    expect(tensor([1, 2]).minimum(-1e300).toArray()).toEqual([-Infinity, -Infinity]);
  }));
  it('rdiv divides (other · (1/this) overflowed: 1e-10 / 1e-40 in float32 gave Infinity)', () => tidy(() => {
    expect((tensor([1e-40]).rdiv(1e-10).item() as number) / 1e30).toBeCloseTo(1, 4);
    expect(tensor([4], { dtype: 'int64' }).rdiv(2).toArray()).toEqual([0.5]);
  }));
  it('size(dim) of a 0-d tensor throws (it returned undefined); size() of a disposed tensor too', () => {
    expect(thrown(() => scalar(1).size(0)).message).toMatch(/size: a 0-d tensor has no dim 0/);
    const t = ones([2]);
    t.dispose();
    expect(thrown(() => t.size()).message).toMatch(/size: tensor has been disposed/);
  });
  it('conversions name themselves; to() takes own dtype names only ("toString" reached the addon)', () => {
    const t = ones([2]);
    t.dispose();
    expect(thrown(() => t.float()).message).toMatch(/^float: tensor has been disposed/);
    expect(thrown(() => t.toArray()).message).toMatch(/^toArray: tensor has been disposed/);
    tidy(() => {
      expect(thrown(() => ones([2]).to('toString')).message).toMatch(/to: device must be 'cpu', 'cuda' or 'cuda:N', got "toString"/);
      expect(thrown(() => ones([2]).to({ dtpye: 'float64' } as any)).message).toMatch(/to: unknown target 'dtpye'; did you mean 'dtype'\?/);
      expect(thrown(() => ones([2]).to({ copy: 'yes' } as any)).message).toMatch(/to: copy must be a boolean/);
    });
  });
  it('ops without a number form say so (atan2(2) said "A number was expected")', () => tidy(() => {
    expect(thrown(() => ones([2]).atan2(2 as any)).message).toMatch(/atan2: other must be a Tensor, got number 2/);
    expect(thrown(() => ones([2], { dtype: 'bool' }).logicalAnd(1 as any)).message).toMatch(/logicalAnd: other must be a Tensor/);
  }));
  it('native errors carry the public name and the argument (softplusBeta: …; "value cannot be converted")', () => tidy(() => {
    expect(thrown(() => ones([1], { dtype: 'int64' }).softplus(2)).message).toMatch(/^softplus: /);
    expect(thrown(() => ones([1]).softplus(1e300)).message).toMatch(/^softplus: beta 1e\+300: /);
    expect(thrown(() => ones([1], { dtype: 'int64' }).clamp(1e300)).message).toMatch(/^clamp: min 1e\+300/);
    expect(thrown(() => ones([1]).leakyRelu('1' as any)).message).toMatch(/leakyRelu: negativeSlope must be a number/);
  }));
  it('in-place ops name the number LibTorch cannot convert (sub_ and addmm_ said only "value cannot be converted")', () => tidy(() => {
    expect(thrown(() => ones([2]).sub_(ones([2]), 1e300)).message).toMatch(/^sub_: alpha 1e\+300: value cannot be converted/);
    expect(thrown(() => ones([1, 1]).addmm_(ones([1, 1]), ones([1, 1]), { alpha: 1e300 })).message).toMatch(/^addmm_: beta 1, alpha 1e\+300: /);
  }));
  it('losses refuse integer inputs, as PyTorch\'s (huber of int64 ran in int64 arithmetic)', () => tidy(() => {
    expect(thrown(() => pt.huber(tensor([3], { dtype: 'int64' }), 2 ** 62, { reduction: 'none' })).message).toMatch(/huber: input must be floating point or complex, got int64/);
    expect(thrown(() => pt.mse(tensor([3], { dtype: 'int32' }), 0, 'sum')).message).toMatch(/mse: input must be floating point or complex, got int32/);
  }));
  it('huber with a delta past float32 is the squared error there (it threw from clamp)', () => tidy(() => {
    expect(pt.huber(tensor([3]), 0, { delta: 1e300 }).item()).toBe(4.5);
  }));
  it('addcmul_/addcdiv_ with dtypes that promote past the tensor: a clear error, not an internal assert', () => tidy(() => {
    const e = thrown(() => scalar(1).addcmul_(scalar(2), scalar(3, { dtype: 'float64' })));
    expect(e.message).toMatch(/addcmul_: tensor1 \(float32\) and tensor2 \(float64\) promote past the tensor's dtype float32/);
    expect(e.message).not.toMatch(/INTERNAL ASSERT/);
  }));
  it('gather takes a 0-d index for a 1-D input, as PyTorch (it was refused)', () => tidy(() => {
    expect(tensor([7, 8, 9]).gather(0, scalar(2, { dtype: 'int64' })).toArray()).toBe(9);
  }));
  it('split of an empty dim gives one empty piece, as PyTorch (it gave none)', () => tidy(() => {
    expect(zeros([0, 2]).split(2, 0).map((t) => t.shape)).toEqual([[0, 2]]);
  }));
  it('indexSelect of a 0-d tensor with an empty index is refused (LibTorch returned uninitialized memory)', () => tidy(() => {
    expect(thrown(() => scalar(1).indexSelect(0, zeros([0], { dtype: 'int64' }))).message).toMatch(/indexSelect: a 0-d tensor needs an index of one element/);
  }));
  it('sizes and counts past what int64 holds are refused in JS (1e300 reached LibTorch as 2⁶³ − 1)', () => {
    expect(thrown(() => pt.rand([1e300])).message).toMatch(/rand: shape must be an array of non-negative integers/);
    expect(thrown(() => tidy(() => ones([2]).chunk(1e300))).message).toMatch(/chunk: chunks must be a positive integer/);
    expect(thrown(() => pt.randint(0, 1e300, [2])).message).toMatch(/randint: need integers low < high/);
    expect(thrown(() => pt.arange(0, 2 ** 62)).message).toMatch(/arange: start 0, end 4611686018427388000, step 1 give \d+ elements, too many/);
  });
  it('a failed allocation names the op and the shape, without the allocator\'s source location', () => {
    const e = thrown(() => pt.full([2 ** 40], 0));
    expect(e.message).toMatch(/^full: shape \[1099511627776\], value 0: DefaultCPUAllocator: can't allocate memory/);
    expect(e.message).not.toMatch(/enforce fail/);
  });
  it('grad() and backward() check their options (grad(…, { createGraph: NaN }) ran; typos were ignored)', () => tidy(() => {
    const x = ones([1]).requiresGrad_();
    expect(thrown(() => pt.grad(x.mul(2).sum(), x, { createGraph: NaN as any })).message).toMatch(/grad: createGraph must be a boolean/);
    expect(thrown(() => pt.grad(x.mul(2).sum(), x, { allowUnsued: true } as any)).message).toMatch(/grad: unknown option 'allowUnsued'; did you mean 'allowUnused'\?/);
    expect(thrown(() => x.mul(2).sum().backward(null, { retainGraph: 1 } as any)).message).toMatch(/backward: retainGraph must be a boolean/);
  }));
  it('expand names the shape it cannot expand', () => tidy(() => {
    expect(thrown(() => ones([3]).expand([2, 2])).message).toMatch(/expand: cannot expand \[3\] to \[2, 2\] \(dim 0 of the shape is 3, not 1\)/);
  }));
});

describe('nn and optim', () => {
  it('Module.loadStateDict leaves nothing behind (one tensor per parameter leaked)', () => {
    const net = new nn.MLP([2, 3, 1], { seed: 0 });
    const sd = net.stateDict();
    expect(leftBehind(() => net.loadStateDict(sd))).toBe(0);
    pt.dispose(Object.values(sd));
    net.dispose();
  });
  it('Module.loadStateDict checks its options (strict: "no" and { strct } were accepted)', () => {
    const net = new nn.MLP([2, 3, 1], { seed: 0 });
    const sd = net.stateDict();
    expect(thrown(() => net.loadStateDict(sd, { strct: false } as any)).message).toMatch(/MLP.loadStateDict: unknown option 'strct'; did you mean 'strict'\?/);
    expect(thrown(() => net.loadStateDict(sd, { strict: 'no' } as any)).message).toMatch(/MLP.loadStateDict: strict must be a boolean/);
    pt.dispose(Object.values(sd));
    net.dispose();
  });
  it('Module.to checks its whole target first, under its own name (errors said "to: …")', () => {
    const net = new nn.MLP([2, 3, 1], { seed: 0 });
    expect(thrown(() => net.to('float16')).message).toMatch(/^Module.to: device must be/);
    expect(thrown(() => net.to({ dtpye: 'float64' } as any)).message).toMatch(/^Module.to: unknown target 'dtpye'/);
    expect(net.parameters().every((p) => p.dtype === 'float32')).toBe(true);
    net.dispose();
  });
  it('Linear checks its options and leaves nothing behind when refused', () => {
    expect(thrown(() => new nn.Linear(2, 3, { baias: false } as any)).message).toMatch(/Linear: unknown option 'baias'; did you mean 'bias'\?/);
    expect(thrown(() => new nn.Linear(2, 3, 1.5 as any)).message).toMatch(/Linear: options must be an object/);
    expect(thrown(() => new nn.Linear(2, 3, null as any)).message).toMatch(/Linear: options must be an object, got null/);
    expect(leftBehind(() => new nn.Linear(2, 3, { dtype: 'int64' }))).toBe(0);
    expect(thrown(() => new nn.Linear(2, 3, { dtype: 'int64' })).message).toMatch(/Linear: dtype must be floating point \(parameters carry gradients\), got "int64"/);
    expect(thrown(() => new nn.Linear(2, 1e300)).message).toMatch(/Linear: outFeatures must be a positive integer/);
    expect(thrown(() => new nn.Linear(2 ** 40, 2 ** 10)).message).toMatch(/^Linear: shape \[1024, 1099511627776\]: .*allocate/);
  });
  it('MLP checks its options first and frees the layers it made when one fails', () => {
    expect(thrown(() => new nn.MLP([2, 2], { activaton: 'relu' } as any)).message).toMatch(/MLP: unknown option 'activaton'; did you mean 'activation'\?/);
    expect(thrown(() => new nn.MLP([2, 2], null as any)).message).toMatch(/MLP: options must be an object, got null/);
    expect(thrown(() => new nn.MLP([2, 2], { activation: 'swish' as any })).message).toMatch(/^MLP: activation: name must be 'tanh' or .* got "swish"/);
    expect(thrown(() => new nn.MLP([2n, 2] as any)).message).toMatch(/MLP: sizes must be an array of ≥ 2 positive integers \[in, …, out\], got \[2n, 2\]/);
    expect(leftBehind(() => new nn.MLP([2, 3], { dtype: 'int32' }))).toBe(0);
    expect(leftBehind(() => new nn.MLP([2, 4, 2 ** 40]))).toBe(0);
  });
  it('optimizers refuse options that are not an object and flags that are not booleans', () => {
    const p = pt.keep(ones([2]).requiresGrad_());
    expect(thrown(() => new optim.Adam([p], -7 as any)).message).toMatch(/Adam: options must be an object, got number -7/);
    expect(thrown(() => new optim.Adam([p], { amsgrad: 'yes' } as any)).message).toMatch(/Adam: amsgrad must be a boolean/);
    expect(thrown(() => new optim.SGD([p], { lr: 0.1, nesterov: 1 } as any)).message).toMatch(/SGD: nesterov must be a boolean/);
    expect(thrown(() => new optim.RMSprop([p], { centered: 'no' } as any)).message).toMatch(/RMSprop: centered must be a boolean/);
    expect(thrown(() => new optim.LBFGS([p], null as any)).message).toMatch(/LBFGS: options must be an object, got null/);
    p.dispose();
  });
  it('Optimizer.loadStateDict: a null state is refused clearly; tensors are checked under its name; NaN can be loaded', () => {
    const p = pt.keep(tensor([1, -1]).requiresGrad_());
    const opt = new optim.Adam([p], { lr: 0.1 });
    p.grad = tensor([Infinity, 1]);
    opt.step();
    const sd = opt.stateDict();
    expect(thrown(() => opt.loadStateDict({ ...sd, state: null as any })).message).toMatch(/Adam.loadStateDict: expected \{ state, paramGroups \}/);
    expect((sd.state[0].expAvg as any).data[0]).toBe('Infinity'); // a string, so that JSON keeps it
    const strings = JSON.parse(JSON.stringify(sd));
    opt.loadStateDict(strings);
    expect((opt.stateDict().state[0].expAvg as any).data).toEqual((sd.state[0].expAvg as any).data);
    const nulled = JSON.parse(JSON.stringify(sd, (_k, v) => (v === 'Infinity' ? null : v))); // as an older writer left it
    expect(thrown(() => opt.loadStateDict(nulled)).message).toMatch(/Adam.loadStateDict: state '0'.expAvg: value null at flat index 0 \(a NaN or ±Infinity that JSON.stringify turned into null/);
    strings.state[0].expAvg.shape = [3];
    expect(thrown(() => opt.loadStateDict(strings)).message).toMatch(/^Adam.loadStateDict: state '0'.expAvg: shape \[3\] does not fit 2 values/);
    opt.dispose();
    p.grad = null;
    p.dispose();
  });
});

describe('pinn and geometry', () => {
  const pts = () => tensor([[0, 1], [1, 0]]);
  it('conditions refuse unknown options (wieght), a missing output, integer points and NaN values', () => {
    expect(thrown(() => new pinn.PDE('pde', pts(), (d) => d.value('u'), { wieght: 2 } as any)).message).toMatch(/PDE 'pde': unknown option 'wieght'; did you mean 'weight'\?/);
    expect(thrown(() => new pinn.DirichletBC('bc', pts(), 0, {} as any)).message).toMatch(/DirichletBC 'bc': options.output must name the output/);
    expect(thrown(() => new pinn.PDE('pde', tensor([[1, 2]], { dtype: 'int64' }), (d) => d.value('u'))).message).toMatch(/PDE 'pde': points must be floating point \(float32 or float64\), got int64/);
    expect(thrown(() => new pinn.DirichletBC('bc', pts(), NaN, { output: 'u' })).message).toMatch(/DirichletBC 'bc': value must be a finite number, got NaN/);
    expect(thrown(() => new pinn.DirichletBC('bc', pts(), 'x' as any, { output: 'u' })).message).toMatch(/DirichletBC 'bc': value must be a number, a tensor/);
    expect(thrown(() => new pinn.PDE('pde', pts(), 'residual' as any)).message).toMatch(/PDE 'pde': residual must be a function/);
  });
  it('Problem checks its options before making anything (a bad derivatives leaked the coefficients)', () => {
    const made = () => [new pinn.PDE('pde', pts(), (d) => d.value('u'))];
    const base = { inputs: ['x', 't'], outputs: ['u'] };
    let cs = made();
    expect(leftBehind(() => new pinn.Problem({ ...base, conditions: cs, coefficients: { nu: 0.1 }, derivatives: 'reverse' as any }))).toBe(0);
    expect(thrown(() => new pinn.Problem({ ...base, conditions: cs, conditons: [] } as any)).message).toMatch(/Problem: unknown option 'conditons'; did you mean 'conditions'\?/);
    expect(thrown(() => new pinn.Problem({ ...base, conditions: cs, coefficients: 1 as any })).message).toMatch(/Problem: coefficients must be an object of numbers by name, got number 1/);
    expect(thrown(() => new pinn.Problem({ ...base, inputs: ['x'], conditions: cs })).message).toMatch(/^Problem: PDE 'pde': points have 2 columns/);
    for (const c of cs) c.dispose();
    cs = made();
    expect(thrown(() => new pinn.Problem({ ...base, conditions: cs, dtype: 'int64' })).message).toMatch(/Problem: dtype must be float32 or float64, got int64/);
    for (const c of cs) c.dispose();
  });
  it('sampling refuses unknown options (seed misspelt as sed was ignored)', () => {
    const square = new geometry.Rectangle([0, 0], [1, 1]);
    expect(thrown(() => square.interior(4, { sed: 1 } as any)).message).toMatch(/Rectangle.samplePoints: unknown option 'sed'; did you mean 'seed'\?/);
    expect(thrown(() => square.boundary(4, { wher: 'left' } as any)).message).toMatch(/Rectangle.sampleBoundary: unknown option 'wher'; did you mean 'where'\?/);
    expect(square.boundary(4, { where: 'left', seed: 1 }).points.length).toBe(8);
  });
});

describe('native fixes (need the addon rebuilt from native/)', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const inChild = (script: string) => spawnSync(process.execPath, ['--import', './test/fuzz/ts-hooks.mjs', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  // Probed: an addon built before the fixes fails these; the tests then say so instead of failing.
  const rebuilt = tidy(() => tensor([1], { dtype: 'int64' }).add(2 ** 53).dtype === 'int64');

  it.skipIf(!rebuilt)('integral numbers from 2⁵³ on are integer scalars: int tensors stay int (they became float32)', () => tidy(() => {
    expect(tensor([1], { dtype: 'int64' }).add(2 ** 62).dtype).toBe('int64');
    expect(tensor([2], { dtype: 'uint8' }).rsub(2 ** 62).dtype).toBe('uint8');
  }));
  it.skipIf(!rebuilt)('a zero derivative without storage (second derivative of abs) can be read (it crashed the process)', () => {
    const r = inChild(`
      import * as pt from './src/index.js';
      const x = pt.tensor([3, 1]).requiresGrad_();
      const [g] = pt.grad(x.abs().sum(), x, { createGraph: true });
      const [g2] = pt.grad(g.sum(), x);
      console.log(JSON.stringify(g2.toArray()));`);
    expect(r.signal).toBeNull();
    expect(r.stdout.trim()).toBe('[0,0]');
  }, 60_000); // a child process: LibTorch's load and, after an edit, transpiling the sources
  it('which of the two the addon here has', () => {
    // Documents the state for whoever reads the test output; never fails.
    expect(typeof rebuilt).toBe('boolean');
  });
});


describe('quasi-Newton steps that fail midway (fuzz: historySize 2⁴⁵ leaked a tensor)', () => {
  for (const Opt of [optim.LBFGS, optim.BFGS]) {
    it(`${Opt.name}: a closure that throws in the second iteration leaves no tensor behind`, () => {
      const before = memory().tensors;
      const x = pt.keep(tensor([0.5, -1], { dtype: 'float64' }).requiresGrad_());
      const opt = new Opt([x], { maxIter: 5 });
      let calls = 0;
      const closure = () => {
        if (++calls === 3) throw new Error('boom');
        opt.zeroGrad();
        const f = tidy(() => x.sub(1).square().sum().add(x.pow(4).sum()));
        f.backward();
        return f;
      };
      expect(() => opt.step(closure)).toThrow('boom');
      opt.dispose();
      x.grad = null;
      x.dispose();
      expect(memory().tensors).toBe(before);
    });
  }

  it('LBFGS: a history too large to allocate is refused before anything is allocated', () => {
    const x = pt.keep(tensor([0.5, -1], { dtype: 'float64' }).requiresGrad_());
    const opt = new optim.LBFGS([x], { historySize: 2 ** 45, maxIter: 3 });
    const before = memory().tensors;
    const closure = () => { opt.zeroGrad(); const f = tidy(() => x.sub(1).square().sum()); f.backward(); return f; };
    expect(() => opt.step(closure)).toThrow(/LBFGS: historySize 35184372088832 is too large/);
    expect(memory().tensors).toBe(before);
    opt.dispose();
    x.grad = null;
    x.dispose();
  });
});

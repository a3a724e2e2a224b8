// Conditions and problem options a user meets when bringing their own PDE: space-time normals
// as a geometry gives them, and a reference solution given as data.
import { describe, expect, it } from 'vitest';
import { Trainer, memory, nn, pinn, tensor, tidy } from '../src/index.js';

const dtype = 'float64';

describe('NeumannBC / RobinBC with space-time normals', () => {
  const pts = [[0, 0.2], [1, 0.7], [1, 0.4]];
  const lossOf = (normals: number[][], spatial?: string[], robin = false) => {
    const model = new nn.MLP([2, 5, 1], { dtype, seed: 1 });
    const o = { output: 'u', ...(spatial ? { spatial } : {}) };
    const c = robin
      ? new pinn.RobinBC('n', tensor(pts, { dtype }), tensor(normals, { dtype }), 0.5, 0.3, o)
      : new pinn.NeumannBC('n', tensor(pts, { dtype }), tensor(normals, { dtype }), 0.3, o);
    const problem = new pinn.Problem({ inputs: ['x', 't'], outputs: ['u'], conditions: [c] });
    const loss = tidy(() => problem.losses(model).n.item() as number);
    problem.dispose(); model.dispose();
    return loss;
  };
  it('takes (n_x, 0) per point as they are, with or without spatial, and equals the spatial-only form', () => {
    const spaceOnly = lossOf([[-1], [1], [1]], ['x']);
    expect(lossOf([[-1, 0], [1, 0], [1, 0]])).toBe(spaceOnly);
    expect(lossOf([[-1, 0], [1, 0], [1, 0]], ['x'])).toBe(spaceOnly);
    expect(lossOf([[-1, 0], [1, 0], [1, 0]], undefined, true)).toBe(lossOf([[-1], [1], [1]], ['x'], true));
    expect(spaceOnly).toBeGreaterThan(0);
  });
  it('refuses normals with a column count that fits neither the spatial inputs nor the inputs', () => {
    expect(() => lossOf([[-1, 0, 0], [1, 0, 0], [1, 0, 0]], ['x'])).toThrow(/NeumannBC 'n': normals have 3 columns; expected 1 \(spatial: x\) or 2 \(inputs: x, t\)/);
    expect(() => new pinn.NeumannBC('n', tensor(pts, { dtype }), tensor([[1, 0]], { dtype }), 0, { output: 'u' })).toThrow(/normals must be \[3, k\]/);
  });
});

describe('Problem.reference as data', () => {
  const x = tensor([[0.1], [0.4], [0.8]], { dtype });
  const exact = (p: number) => Math.sin(Math.PI * p);
  const values = tensor([[exact(0.1)], [exact(0.4)], [exact(0.8)]], { dtype });
  const make = () => new pinn.Problem({
    inputs: ['x'], outputs: ['u'],
    conditions: [new pinn.DirichletBC('bc', tensor([[0], [1]], { dtype }), 0, { output: 'u' })],
    reference: { points: x, values },
  });
  it('evaluates relative L2 at its own points, the same as the function form there', () => {
    const problem = make();
    const fn = new pinn.Problem({
      inputs: ['x'], outputs: ['u'], conditions: [new pinn.DirichletBC('bc', tensor([[0], [1]], { dtype }), 0, { output: 'u' })],
      reference: (p) => p.mul(Math.PI).sin(),
    });
    const model = new nn.MLP([1, 6, 1], { dtype, seed: 2 });
    const phases = [{ optimizer: { type: 'adam' as const }, steps: 0 }];
    const fromData = new Trainer({ problem, model, phases }).evaluate();
    const fromFn = new Trainer({ problem: fn, model, phases }).evaluate(x);
    expect(fromData.relL2.all).toBeCloseTo(fromFn.relL2.all, 14);
    expect(() => new Trainer({ problem, model, phases }).evaluate(tensor([[0.3]], { dtype }))).toThrow(/reference is data at its own 3 points/);
    problem.dispose(); fn.dispose(); model.dispose();
  });
  it('checks shapes and values, and holds its own copies (freed with the problem)', () => {
    const bc = () => [new pinn.DirichletBC('bc', tensor([[0]], { dtype }), 0, { output: 'u' })];
    expect(() => new pinn.Problem({ inputs: ['x'], outputs: ['u'], conditions: bc(), reference: { points: x, values: tensor([[1], [2]], { dtype }) } }))
      .toThrow(/reference.values must be a tensor \[3, 1\]/);
    expect(() => new pinn.Problem({ inputs: ['x'], outputs: ['u'], conditions: bc(), reference: { points: tensor([[1, 2]], { dtype }), values } }))
      .toThrow(/reference.points must be a tensor \[M, 1\]/);
    expect(() => new pinn.Problem({ inputs: ['x'], outputs: ['u'], conditions: bc(), reference: { points: x, values: tensor([[1], [NaN], [2]], { dtype }) } }))
      .toThrow(/reference.values contain NaN or Inf/);
    const before = memory().tensors;
    make().dispose();
    expect(memory().tensors).toBe(before);
  });
});

describe('Problem.to and reference data', () => {
  it('a dtype switch leaves the reference data at its precision, so float64 evaluation points still match it', () => {
    const x = tensor([[0.1], [0.30000000000000004], [0.7]], { dtype });
    const problem = new pinn.Problem({
      inputs: ['x'], outputs: ['u'],
      conditions: [new pinn.DirichletBC('bc', tensor([[0]], { dtype }), 0, { output: 'u' })],
      reference: { points: x, values: tensor([[1], [2], [3]], { dtype }) },
    });
    problem.to('float32');
    problem.to('float64');
    expect(problem.referencePoints!.dtype).toBe('float64');
    expect(tidy(() => problem.reference!(x).toArray())).toEqual([[1], [2], [3]]);
    expect(tidy(() => problem.reference!(x.to('float32')).dtype)).toBe('float32');
    problem.dispose(); x.dispose();
  });
});

// Training in time windows: nn.TimeWindows routes each point to its window's network,
// pinn.Continuity matches an initial condition's operator to a previous network, and
// marchInTime trains a heat problem window by window to a stated error, continuous across
// the windows' edge.
import { describe, expect, it } from 'vitest';
import { geometry as G, marchInTime, memory, nn, noGrad, pinn, tensor, tidy } from '../src/index.js';
import { expectClose, flat } from './helpers/compare.js';

const dtype = 'float64';

/** A network whose output is the constant c (a Linear with zero weight). */
function constant(c: number, inputs = 2): nn.Linear {
  const l = new nn.Linear(inputs, 1, { dtype });
  tidy(() => noGrad(() => { l.weight.fill_(0); l.bias!.fill_(c); }));
  return l;
}

// The training test runs first: its live-tensor count must not see earlier tests' garbage
// being collected.
describe('marchInTime', () => {
  // u_t = u_xx on (0, 1) × (0, 0.2), u(x, 0) = sin πx, u(0, t) = u(1, t) = 0: u = e^{−π²t} sin πx.
  function heat() {
    const domain = new G.GeometryXTime(new G.Interval(0, 1), new G.TimeDomain(0, 0.2));
    const pts = (rows: Float64Array | number[][]) => G.toTensor(rows as never, 2, { dtype });
    const problem = new pinn.Problem({
      inputs: ['x', 't'], outputs: ['u'],
      conditions: [
        new pinn.PDE('pde', pts(domain.interior(400, { seed: 1 })), (d) => d.d('u', 't').sub(d.d('u', 'x', 'x'))),
        new pinn.DirichletBC('bc', pts(domain.boundary(60, { seed: 2 }).points), 0, { output: 'u' }),
        new pinn.InitialCondition('ic', pts(domain.initial(60, { seed: 3 })), (x) => x.narrow(1, 0, 1).mul(Math.PI).sin(), { output: 'u' }),
      ],
      reference: (x) => x.narrow(1, 0, 1).mul(Math.PI).sin().mul(x.narrow(1, 1, 1).mul(-Math.PI * Math.PI).exp()),
    });
    return { domain, problem };
  }

  it('trains a heat problem in two windows to 0.2 % error, continuous at their edge', async () => {
    const { domain, problem } = heat();
    const live = memory().tensors;
    const r = await marchInTime(problem, { domain, windows: 2, timeBudget: 600, steps: { adam: 300, quasiNewton: 10 }, seed: 0 });
    expect(r.windows.map((w) => [w.t0, w.t1])).toEqual([[0, 0.1], [0.1, 0.2]]);
    expect(r.model.nets).toHaveLength(2);
    tidy(() => {
      const grid = tensor(Array.from({ length: 21 }, (_, i) => Array.from({ length: 11 }, (__, j) => [i / 20, j * 0.02])).flat(), { dtype });
      const dt = r.model.parameters()[0].dtype;
      const got = noGrad(() => r.model.forward(grid.to(dt)).to(dtype));
      const want = problem.reference!(grid);
      const err = got.sub(want).norm().item() as number / (want.norm().item() as number);
      expect(err).toBeLessThan(2e-3); // 5.0e-4 when written
      // at t = 0.1 the two windows' networks agree (continuity), to well under the error
      const edge = tensor(Array.from({ length: 11 }, (_, i) => [i / 10, 0.1]), { dtype }).to(dt);
      const [a, b] = r.model.nets.map((m) => flat(noGrad(() => m.forward(edge))));
      expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(0.01);
    });
    // the boundary term trained only its own window's rows, and was given back whole
    expect(problem.conditions[1].evaluatedRows).toBe(problem.conditions[1].points.shape[0]);
    r.model.dispose();
    expect(memory().tensors).toBe(live); // the windows' trainers, problems and continuity terms are freed
    problem.dispose();
  }, 120_000);

  it('refuses what one window cannot do: trained coefficients, an output transform, no space-time domain, bad window counts', async () => {
    const { domain, problem } = heat();
    await expect(marchInTime(problem, { domain: new G.Interval(0, 1) as never, windows: 2, timeBudget: 1 })).rejects.toThrow(/domain must be a GeometryXTime/);
    await expect(marchInTime(problem, { domain, windows: 0, timeBudget: 1 })).rejects.toThrow(/windows must be an integer ≥ 1/);
    await expect(marchInTime(problem, { domain, windows: 2, timeBudget: -1 })).rejects.toThrow(/timeBudget/);
    const inverse = new pinn.Problem({ inputs: ['x', 't'], outputs: ['u'], coefficients: { k: 1 }, conditions: [new pinn.PDE('pde', tensor([[0.5, 0.1]], { dtype }), (d, c) => d.d('u', 't').sub(d.d('u', 'x', 'x').mul(c.k)))] });
    await expect(marchInTime(inverse, { domain, windows: 2, timeBudget: 1 })).rejects.toThrow(/trains coefficients \(k\)/);
    const hard = new pinn.Problem({ inputs: ['x', 't'], outputs: ['u'], outputTransform: (x, u) => u.mul(x.narrow(1, 1, 1)), conditions: [new pinn.PDE('pde', tensor([[0.5, 0.1]], { dtype }), (d) => d.d('u', 't'))] });
    await expect(marchInTime(hard, { domain, windows: 2, timeBudget: 1 })).rejects.toThrow(/output transform/);
    problem.dispose(); inverse.dispose(); hard.dispose();
  });
});

describe('nn.TimeWindows', () => {
  it('sends each point to the network of its window, in the points\' order; the edges belong to the later window', () => {
    const m = new nn.TimeWindows([constant(1), constant(2), constant(3)], [0, 0.5, 1, 2], 1);
    const x = tensor([[0, 1.5], [0, 0.1], [0, 0.5], [9, 0.99], [0, 2], [0, -1], [0, 7]], { dtype });
    expect(flat(tidy(() => m.forward(x)))).toEqual([3, 1, 2, 2, 3, 1, 3]); // outside [0, 2]: the first or last window
    expect([...m.namedParameters()].map(([n]) => n)).toEqual(['window0.weight', 'window0.bias', 'window1.weight', 'window1.bias', 'window2.weight', 'window2.bias']);
    m.dispose(); x.dispose();
  });

  it('refuses bad bounds and inputs', () => {
    const [a, b] = [constant(1), constant(2)];
    expect(() => new nn.TimeWindows([a], [0, 0], 1)).toThrow(/bounds must be 2 increasing finite numbers/);
    expect(() => new nn.TimeWindows([a, b], [0, 1], 1)).toThrow(/bounds must be 3/);
    expect(() => new nn.TimeWindows([], [0], 1)).toThrow(/non-empty array of Modules/);
    expect(() => new nn.TimeWindows([a], [0, 1], -1)).toThrow(/timeInput/);
    const m = new nn.TimeWindows([a, b], [0, 1, 2], 1);
    expect(() => tidy(() => m.forward(tensor([[1]], { dtype })))).toThrow(/time in column 1/);
    m.dispose(); // and with it a and b
  });
});

describe('pinn.Continuity', () => {
  it('is the inner condition\'s operator of the network minus that of the previous one (its g cancels)', () => {
    const points = tensor([[0.1, 0], [0.4, 0], [0.8, 0]], { dtype });
    const ic = new pinn.InitialVelocity('iv', points, (x) => x.narrow(1, 0, 1).mul(7), { output: 'u' });
    const problem = new pinn.Problem({ inputs: ['x', 't'], outputs: ['u'], conditions: [ic] });
    const prev = new nn.MLP([2, 6, 1], { seed: 1, dtype }), now = new nn.MLP([2, 6, 1], { seed: 2, dtype });
    tidy(() => {
      const at = tensor([[0.1, 0.3], [0.4, 0.3], [0.8, 0.3]], { dtype }); // the points moved to t = 0.3
      const targets = problem.residualsAt(prev, ic, at);
      const cont = new pinn.Continuity('iv', ic, at, targets);
      const x = at.clone().requiresGrad_();
      const d = new pinn.Derivatives(x, now.forward(x), ['x', 't'], ['u']);
      const xp = at.clone().requiresGrad_();
      const dp = new pinn.Derivatives(xp, prev.forward(xp), ['x', 't'], ['u']);
      expectClose(flat(cont.residuals(d, {})[0]), flat(d.d('u', 't').sub(dp.d('u', 't'))), 1e-14, 'u_t − u_prev_t');
      const dSame = new pinn.Derivatives(xp, prev.forward(xp), ['x', 't'], ['u']);
      expect(Math.max(...flat(cont.residuals(dSame, {})[0]).map(Math.abs))).toBeLessThan(1e-15);
      cont.dispose();
    });
    expect(() => tidy(() => new pinn.Continuity('c', ic, tensor([[0, 0]], { dtype }), [tensor([1, 2], { dtype })]))).toThrow(/one target row per point/);
    problem.dispose(); prev.dispose(); now.dispose();
  });
});

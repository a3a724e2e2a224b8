// The default recipe (Trainer.auto): one plan for every problem, checked on a small problem of
// each kind against its exact solution, with phases sized by steps so the run is the same on
// any machine.
import { describe, expect, it } from 'vitest';
import { Trainer, geometry as G, memory, pinn, tensor } from '../src/index.js';

const dtype = 'float64';
const pts = (rows: Float64Array, dim: number) => G.toTensor(rows, dim, { dtype });

// Each fit trains a fixed number of steps: seconds on a quiet machine, minutes on a shared one (the timeouts).
describe('Trainer.auto', () => {
  it('elliptic: −u″ = π² sin πx on (0, 1), u = 0 at both ends, to relative L2 < 5e-5', async () => {
    const line = new G.Interval(0, 1);
    const problem = new pinn.Problem({
      inputs: ['x'], outputs: ['u'],
      conditions: [
        new pinn.PDE('pde', pts(line.interior(64, { sampler: 'sobol', seed: 1 }), 1), pinn.pdes.poisson((x) => x.mul(Math.PI).sin().mul(Math.PI ** 2), { spatial: ['x'] })),
        new pinn.DirichletBC('bc', tensor([[0], [1]], { dtype }), 0, { output: 'u' }),
      ],
      reference: (x) => x.mul(Math.PI).sin(),
    });
    const evalPoints = pts(line.uniformPoints(200), 1);
    const live = memory().tensors;
    const trainer = Trainer.auto(problem, { timeBudget: 600, domain: line, steps: { adam: 400, quasiNewton: 4 }, evalPoints });
    expect(trainer.plan!.phases.map((p) => p.optimizer.type)).toEqual(['adam', 'bfgs']);
    expect(trainer.plan!.weighting).toEqual({ type: 'ntk', every: 100, phase: 'adam', reduction: 'sum' });
    // Redraws and held-out validation count the quasi-Newton phase's steps, however long Adam ran.
    expect(trainer.plan!.sampling).toMatchObject([{ type: 'rad', condition: 'pde', every: 1, from: 1, until: 3, phase: 'bfgs' }]);
    expect(trainer.plan!.validation).toMatchObject({ condition: 'pde', every: 2, phase: 'bfgs' });
    const r = await trainer.fit();
    expect(r.relL2!.all).toBeLessThan(5e-5);
    // Everything the recipe made is freed with the trainer and the network: its held-out points,
    // and the best parameters validation kept (the problem's points were redrawn, one for one).
    trainer.dispose(); trainer.model.dispose();
    expect(memory().tensors).toBe(live);
    problem.dispose(); evalPoints.dispose();
  }, 300_000);

  it('parabolic: u_t = 0.1 u_xx, u(x, 0) = sin πx, u = 0 at x = 0, 1, to relative L2 < 1e-3', async () => {
    const domain = new G.GeometryXTime(new G.Interval(0, 1), new G.TimeDomain(0, 1));
    const problem = new pinn.Problem({
      inputs: ['x', 't'], outputs: ['u'], constants: { alpha: 0.1 },
      conditions: [
        new pinn.PDE('pde', pts(domain.interior(300, { sampler: 'sobol', seed: 0 }), 2), pinn.pdes.heat()),
        new pinn.DirichletBC('bc', pts(domain.boundary(60, { seed: 0 }).points, 2), 0, { output: 'u' }),
        new pinn.InitialCondition('ic', pts(domain.initial(60, { seed: 0 }), 2), (x) => x.narrow(1, 0, 1).mul(Math.PI).sin(), { output: 'u' }),
      ],
      reference: pinn.references.heat1D(0.1),
    });
    const trainer = Trainer.auto(problem, { timeBudget: 600, domain, steps: { adam: 500, quasiNewton: 4 }, evalPoints: pts(domain.interior(1000, { seed: 5 }), 2) });
    const r = await trainer.fit();
    expect(r.relL2!.all).toBeLessThan(1e-3);
    trainer.dispose(); problem.dispose(); trainer.model.dispose();
  }, 300_000);

  it('hyperbolic: u_tt = u_xx, u(x, 0) = sin πx, u_t(x, 0) = 0, u = 0 at the ends, to relative L2 < 1e-2', async () => {
    const domain = new G.GeometryXTime(new G.Interval(0, 1), new G.TimeDomain(0, 1));
    const problem = new pinn.Problem({
      inputs: ['x', 't'], outputs: ['u'],
      conditions: [
        new pinn.PDE('pde', pts(domain.interior(400, { sampler: 'sobol', seed: 0 }), 2), (d) => d.d('u', 't', 't').sub(d.d('u', 'x', 'x'))),
        new pinn.DirichletBC('bc', pts(domain.boundary(80, { seed: 0 }).points, 2), 0, { output: 'u' }),
        new pinn.InitialCondition('ic', pts(domain.initial(80, { seed: 0 }), 2), (x) => x.narrow(1, 0, 1).mul(Math.PI).sin(), { output: 'u' }),
        new pinn.InitialVelocity('iv', pts(domain.initial(80, { seed: 1 }), 2), 0, { output: 'u' }),
      ],
      reference: (x) => x.narrow(1, 0, 1).mul(Math.PI).sin().mul(x.narrow(1, 1, 1).mul(Math.PI).cos()),
    });
    const trainer = Trainer.auto(problem, { timeBudget: 600, domain, steps: { adam: 500, quasiNewton: 6 }, evalPoints: pts(domain.interior(1000, { seed: 5 }), 2) });
    const r = await trainer.fit();
    expect(r.relL2!.all).toBeLessThan(1e-2);
    trainer.dispose(); problem.dispose(); trainer.model.dispose();
  }, 300_000);

  it('with time for far more quasi-Newton iterations than it needs, the redraws keep more PDE points', () => {
    const line = new G.Interval(0, 1);
    const problem = new pinn.Problem({
      inputs: ['x'], outputs: ['u'],
      conditions: [
        new pinn.PDE('pde', pts(line.interior(64, { seed: 1 }), 1), pinn.pdes.poisson(() => 1, { spatial: ['x'] })),
        new pinn.DirichletBC('bc', tensor([[0], [1]], { dtype }), 0, { output: 'u' }),
      ],
    });
    const plan = (o: { timeBudget: number; steps?: { adam: number; quasiNewton: number } }) => {
      const trainer = Trainer.auto(problem, { ...o, domain: line });
      const p = trainer.plan!;
      trainer.dispose(); trainer.model.dispose();
      return p;
    };
    // An evaluation on 64 points takes well under a millisecond: 450 s of BFGS would be far more
    // than the 8 000 iterations the recipe plans for, so the redraws keep the most points it takes (4×).
    const long = plan({ timeBudget: 600 });
    expect(long.sampling).toMatchObject([{ type: 'rad', condition: 'pde', points: 256 }]);
    expect(long.sampling[0].candidates).toBeGreaterThanOrEqual(256);
    expect(long.reasons.some((r) => r.startsWith("the redraws keep 4× the problem's PDE points"))).toBe(true);
    // A short budget, or phases sized by steps: one for one.
    for (const short of [plan({ timeBudget: 0.5 }), plan({ timeBudget: 600, steps: { adam: 10, quasiNewton: 4 } })]) {
      expect(short.sampling[0].points).toBeUndefined();
      expect(short.reasons.some((r) => r.includes('the redraws keep'))).toBe(false);
    }
    problem.dispose();
  });

  it('refuses a bad budget, bad steps and a domain of another dimension', () => {
    const problem = new pinn.Problem({ inputs: ['x'], outputs: ['u'], conditions: [new pinn.DirichletBC('bc', tensor([[0]], { dtype }), 0, { output: 'u' })] });
    expect(() => Trainer.auto(problem, { timeBudget: 0 })).toThrow(/Trainer.auto: timeBudget must be a number of seconds > 0, got 0/);
    expect(() => Trainer.auto(problem, { timeBudget: 5, steps: { adam: 0, quasiNewton: 1 } })).toThrow(/steps must be \{ adam, quasiNewton \}/);
    expect(() => Trainer.auto(problem, { timeBudget: 5, domain: new G.Rectangle([0, 0], [1, 1]) })).toThrow(/domain has dimension 2, the problem 1 inputs/);
    problem.dispose();
  });
});

// The default recipe on periodic problems: when every PeriodicBC pairs points one constant shift
// apart in a single input, the plan puts an exact periodic embedding of that input in front of
// its MLP and takes those terms out of the objective; otherwise it leaves both alone.
import { describe, expect, it } from 'vitest';
import { Trainer, type Tensor, cat, geometry as G, nn, pinn, tensor, tidy } from '../src/index.js';
import { exactPeriodicity } from '../src/train/exact_periodicity.js';

const dtype = 'float64';
const pts = (rows: Float64Array, dim: number) => G.toTensor(rows, dim, { dtype });
const col = (x: Tensor, i: number) => x.narrow(1, i, 1);
const P = 2;

/** Pairs (lo, tₖ) ↔ (lo + shift(k), tₖ + dt) for n times in [0, T]. */
function pairs(n: number, shift: (k: number) => number, dt = 0, lo = 0): [Tensor, Tensor] {
  const a: number[][] = [], b: number[][] = [];
  for (let k = 0; k < n; k++) { const t = (k + 0.5) / n * 0.5; a.push([lo, t]); b.push([lo + shift(k), t + dt]); }
  return [tensor(a, { dtype }), tensor(b, { dtype })];
}

/** u_t + u_x = 0 on x ∈ [−1, 1] (period 2), t ∈ [0, 0.5], u(x, 0) = sin πx: u = sin π(x − t). */
function advection(periodic: pinn.PeriodicBC[], extra: Partial<pinn.ProblemOptions> = {}) {
  const domain = new G.GeometryXTime(new G.Interval(-1, 1), new G.TimeDomain(0, 0.5));
  const problem = new pinn.Problem({
    inputs: ['x', 't'], outputs: ['u'],
    conditions: [
      new pinn.PDE('pde', pts(domain.interior(300, { sampler: 'sobol', seed: 0 }), 2), (d) => d.d('u', 't').add(d.d('u', 'x'))),
      new pinn.InitialCondition('ic', pts(domain.initial(64, { seed: 0 }), 2), (x) => col(x, 0).mul(Math.PI).sin(), { output: 'u' }),
      ...periodic,
    ],
    reference: (x) => col(x, 0).sub(col(x, 1)).mul(Math.PI).sin(),
    ...extra,
  });
  return { problem, domain };
}

describe('Trainer.auto on a periodic problem', () => {
  it('picks the embedding of x with period 2, drops the periodic terms, uses the forward engine; u(−1, t) = u(1, t) to 1e-12 after training', async () => {
    const [a, b] = pairs(40, () => P, 0, -1);
    const { problem, domain } = advection([
      new pinn.PeriodicBC('periodic', a, b, { output: 'u' }),
      new pinn.PeriodicBC('periodic_x', a.clone(), b.clone(), { output: 'u', derivative: 'x' }),
    ]);
    const evalPoints = pts(domain.interior(500, { seed: 3 }), 2);
    const trainer = Trainer.auto(problem, { timeBudget: 600, domain, steps: { adam: 300, quasiNewton: 8 }, evalPoints });
    const plan = trainer.plan!;
    expect(plan.model.periods).toEqual([P, null]);
    expect(plan.weighting).toEqual({ type: 'ntk', every: 100, phase: 'adam', reduction: 'sum', fixed: { periodic: 0, periodic_x: 0 } });
    expect(plan.reasons.some((r) => r.includes('P = 2') && r.includes('periodic, periodic_x'))).toBe(true);
    expect(trainer.model).toBeInstanceOf(nn.Embedded);
    expect(problem.usesForward(trainer.model)).toBe(true);
    const r = await trainer.fit();
    expect(r.relL2!.all).toBeLessThan(2e-3);
    // Out of the objective, and zero up to rounding anyway.
    expect(r.losses.periodic).toBeLessThan(1e-28);
    tidy(() => {
      const t = tensor(Array.from({ length: 50 }, (_, k) => [k / 98]), { dtype });
      const left = cat([t.mul(0).sub(1), t], 1), right = cat([t.mul(0).add(1), t], 1);
      const ul = Array.from(trainer.model.forward(left).data() as Float64Array), ur = Array.from(trainer.model.forward(right).data() as Float64Array);
      ul.forEach((v, i) => expect(Math.abs(v - ur[i])).toBeLessThanOrEqual(1e-12));
      expect(Math.max(...ul.map(Math.abs))).toBeGreaterThan(0.1); // not a trivially constant network
    });
    trainer.dispose(); problem.dispose(); trainer.model.dispose(); evalPoints.dispose();
  }, 300_000);

  const refused: [string, () => pinn.PeriodicBC[], RegExp][] = [
    ['pairs that differ in x and t', () => [new pinn.PeriodicBC('periodic', ...pairs(20, () => P, 0.1), { output: 'u' })], /differ in x and t/],
    ['unequal shifts in x', () => [new pinn.PeriodicBC('periodic', ...pairs(20, (k) => (k % 2 ? P : 1)), { output: 'u' })], /unequal shifts/],
    ['two terms with different periods', () => [
      new pinn.PeriodicBC('periodic', ...pairs(20, () => P), { output: 'u' }),
      new pinn.PeriodicBC('periodic_x', ...pairs(20, () => 1), { output: 'u', derivative: 'x' }),
    ], /'periodic_x' pairs points 1 apart in x, another term 2 apart in x/],
  ];
  for (const [what, make, why] of refused) {
    it(`${what}: no embedding, every term stays in the objective`, () => {
      const { problem, domain } = advection(make());
      const trainer = Trainer.auto(problem, { timeBudget: 600, domain, steps: { adam: 10, quasiNewton: 1 } });
      const plan = trainer.plan!;
      expect(plan.model.periods).toBeUndefined();
      expect(plan.weighting).toEqual({ type: 'ntk', every: 100, phase: 'adam', reduction: 'sum' });
      expect(plan.reasons.find((r) => r.startsWith('no exact periodic embedding'))).toMatch(why);
      expect(trainer.model).toBeInstanceOf(nn.MLP);
      trainer.dispose(); problem.dispose(); trainer.model.dispose();
    });
  }

  it('an output transform, or a model of the caller\'s: no embedding', () => {
    const { problem } = advection([new pinn.PeriodicBC('periodic', ...pairs(20, () => P), { output: 'u' })], { outputTransform: (x, u) => u.mul(col(x, 0)) });
    expect(exactPeriodicity(problem)).toEqual({ input: null, reason: expect.stringMatching(/output transform/) });
    problem.dispose();
    const { problem: p2, domain } = advection([new pinn.PeriodicBC('periodic', ...pairs(20, () => P), { output: 'u' })]);
    const model = new nn.MLP([2, 8, 1], { seed: 1 });
    const trainer = Trainer.auto(p2, { timeBudget: 600, domain, model, steps: { adam: 10, quasiNewton: 1 } });
    expect(trainer.model).toBe(model);
    expect(trainer.plan!.weighting).toEqual({ type: 'ntk', every: 100, phase: 'adam', reduction: 'sum' });
    trainer.dispose(); p2.dispose(); model.dispose();
  });

  it('no residual term to balance against: the periodic terms leave the objective through static weights', () => {
    const [a, b] = pairs(20, () => P, 0, -1);
    const initial = new G.GeometryXTime(new G.Interval(-1, 1), new G.TimeDomain(0, 0.5)).initial(20, { seed: 0 });
    const problem = new pinn.Problem({
      inputs: ['x', 't'], outputs: ['u'],
      conditions: [
        new pinn.InitialCondition('ic', pts(initial, 2), (x) => col(x, 0).mul(Math.PI).sin(), { output: 'u' }),
        new pinn.PeriodicBC('periodic', a, b, { output: 'u' }),
      ],
    });
    const trainer = Trainer.auto(problem, { timeBudget: 600, steps: { adam: 10, quasiNewton: 1 } });
    expect(trainer.plan!.weighting).toEqual({ type: 'static', weights: { periodic: 0 } });
    trainer.dispose(); problem.dispose(); trainer.model.dispose();
  });
});

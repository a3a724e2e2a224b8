// The CLI's default-recipe plan for a periodic problem. No CLI problem kind has PeriodicBC yet,
// so the run builder is replaced by one that builds an advection problem with periodic pairs in
// x (period 2), honouring config.model (and its periods) as the real kinds do: the plan must
// rebuild the network behind the embedding and write model.periods and the held terms into the
// config it returns.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { geometry as G, nn, pinn, tensor } from '../src/index.js';
import type { RunConfig } from '../src/cli/config.js';

vi.mock('../src/cli/problems.js', async (importOriginal) => ({ ...(await importOriginal<object>()), buildRun: vi.fn(), disposeRun: vi.fn() }));
const problems = await import('../src/cli/problems.js');
const { planConfig } = await import('../src/cli/auto.js');
const { loadConfig } = await import('../src/cli/config.js');

const built: { model: nn.Module; problem: pinn.Problem; config: RunConfig }[] = [];
function periodicRun(c: RunConfig) {
  const dtype = c.model?.dtype ?? 'float32';
  const domain = new G.GeometryXTime(new G.Interval(-1, 1), new G.TimeDomain(0, 1));
  const ts = Array.from({ length: 20 }, (_, k) => (k + 0.5) / 20);
  const problem = new pinn.Problem({
    inputs: ['x', 't'], outputs: ['u'],
    conditions: [
      new pinn.PDE('pde', G.toTensor(domain.interior(100, { seed: 0 }), 2, { dtype }), (d) => d.d('u', 't').add(d.d('u', 'x'))),
      new pinn.InitialCondition('ic', G.toTensor(domain.initial(20, { seed: 0 }), 2, { dtype }), (x) => x.narrow(1, 0, 1).mul(Math.PI).sin(), { output: 'u' }),
      new pinn.PeriodicBC('periodic', tensor(ts.map((t) => [-1, t]), { dtype }), tensor(ts.map((t) => [1, t]), { dtype }), { output: 'u' }),
    ],
  });
  const m = c.model ?? { hidden: [32, 32, 32], activation: 'tanh' as const, init: 'xavierNormal' as const, dtype: 'float32' as const };
  const opts = { activation: m.activation, init: m.init, dtype: m.dtype, seed: c.seed };
  const embedding = m.periods ? new nn.PeriodicEmbedding(m.periods) : null;
  const model = embedding ? new nn.Embedded(embedding, new nn.MLP([embedding.outFeatures, ...m.hidden, 1], opts)) : new nn.MLP([2, ...m.hidden, 1], opts);
  built.push({ model, problem, config: c });
  return { problem, model, redrawable: ['pde'], sampling: [], fields: () => ({}) } as never;
}

describe('planConfig on a periodic problem', () => {
  afterEach(() => { for (const b of built.splice(0)) { b.problem.dispose(); b.model.dispose(); } });

  it('writes model.periods and the held periodic term into the config, and plans on the embedded network', () => {
    vi.mocked(problems.buildRun).mockImplementation(periodicRun);
    const { model: _m, phases: _p, ...c } = loadConfig('burgers', { problem: { type: 'burgers', interior: 50, boundary: 10, initial: 10 } }).config;
    const planned = planConfig({ ...c, timeBudget: 5 });
    expect(planned.config.model).toEqual({ hidden: [32, 32, 32], activation: 'tanh', init: 'xavierNormal', dtype: 'float32', periods: [2, null] });
    expect(planned.config.weighting).toMatchObject({ type: 'ntk', fixed: { periodic: 0 } });
    expect(planned.reasons.some((r) => r.includes('P = 2'))).toBe(true);
    // Built twice: with the recipe's plain network, then with the embedding the written config names.
    expect(built.map((b) => b.config.model?.periods)).toEqual([undefined, [2, null]]);
    expect(built[1].model).toBeInstanceOf(nn.Embedded);
    expect(vi.mocked(problems.disposeRun)).toHaveBeenCalledTimes(2);
  });
});

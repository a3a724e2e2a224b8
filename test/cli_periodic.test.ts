// The CLI's side of the default recipe's periodic embedding: a config's model.periods rebuilds the
// network the plan describes, and the plan's weighting with fixed (zero-weight) terms is a valid
// config; a problem without PeriodicBC plans no embedding.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/cli/config.js';
import { planConfig } from '../src/cli/auto.js';
import { buildRun, disposeRun } from '../src/cli/problems.js';
import { nn, tensor, tidy } from '../src/index.js';

const small = { problem: { type: 'burgers', interior: 50, boundary: 10, initial: 10 } };

describe('CLI config: model.periods', () => {
  it('builds Embedded(PeriodicEmbedding(periods), MLP) with the config\'s widths: equal outputs one period apart', () => {
    const { config } = loadConfig('burgers', { ...small, model: { hidden: [8, 8], periods: [2, null], dtype: 'float64' } });
    const run = buildRun(config);
    try {
      expect(run.model).toBeInstanceOf(nn.Embedded);
      const m = run.model as nn.Embedded;
      expect((m.embedding as nn.PeriodicEmbedding).periods).toEqual([2, null]);
      expect((m.net as nn.MLP).sizes).toEqual([3, 8, 8, 1]);
      tidy(() => {
        const u = m.forward(tensor([[-0.5, 0.3], [1.5, 0.3]], { dtype: 'float64' })).data() as Float64Array;
        expect(Math.abs(u[0] - u[1])).toBeLessThan(1e-12);
      });
    } finally { disposeRun(run); }
  });

  it('refuses periods of the wrong length or a non-positive period, naming the field', () => {
    const { config } = loadConfig('burgers', { ...small, model: { periods: [2] } });
    expect(() => buildRun(config)).toThrow(/config\.model\.periods: one entry per input \(x, t\), got 1/);
    expect(() => loadConfig('burgers', { ...small, model: { periods: [0, null] } })).toThrow(/config\.model\.periods/);
  });

  it('an LRA weighting with fixed terms is a valid config (what the plan writes)', () => {
    const { config } = loadConfig('burgers', { ...small, weighting: { type: 'lra', every: 100, until: 10, fixed: { bc: 0 } } });
    expect(config.weighting).toMatchObject({ type: 'lra', fixed: { bc: 0 } });
    expect(() => loadConfig('burgers', { ...small, weighting: { type: 'lra', fixed: { bc: -1 } } })).toThrow(/fixed/);
  });

  it('without PeriodicBC the default recipe plans a plain MLP and says nothing about periodicity', () => {
    const { model: _m, phases: _p, ...c } = loadConfig('burgers', small).config;
    const planned = planConfig({ ...c, timeBudget: 5 });
    expect(planned.config.model).toEqual({ hidden: [32, 32, 32], activation: 'tanh', init: 'xavierNormal', dtype: 'float32' });
    expect(planned.reasons.some((r) => /periodic/.test(r))).toBe(false);
  });
});

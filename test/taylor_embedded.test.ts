// The forward-mode engine through Embedded(PeriodicEmbedding, MLP) against nested reverse-mode
// autograd, derivative by derivative and through a Problem's loss and gradients.
import { afterEach, describe, expect, it } from 'vitest';
import { type Tensor, nn, pinn, rand, tidy } from '../src/index.js';
import { expectClose, flat } from './helpers/compare.js';
import { expectTaylorMatchesAutograd, expectThirdMatchesAutograd } from './helpers/taylor_check.js';

const NAMES = ['x', 't', 'y'];

function embedded(periods: (number | null)[], hidden: number[], out: number, activation: nn.ActivationName, seed: number) {
  const embedding = new nn.PeriodicEmbedding(periods);
  return new nn.Embedded(embedding, new nn.MLP([embedding.outFeatures, ...hidden, out], { activation, seed, dtype: 'float64', init: 'default' }));
}

describe('taylor through Embedded(PeriodicEmbedding, MLP) equals nested autograd', () => {
  afterEach(() => pinn.setFusedKernels(true));
  const cases: [(number | null)[], number[], number, nn.ActivationName][] = [
    [[2, null], [16, 16], 1, 'tanh'], [[null, 1.5], [12, 12, 12], 2, 'tanh'], [[2 * Math.PI, null], [10, 10], 1, 'sin'],
    [[0.7, 3, null], [9, 9], 2, 'tanh'], [[2, null], [], 1, 'tanh'], [[2, null], [10, 10], 1, 'softplus'], [[1, 2], [8, 8], 1, 'tanh'],
  ];
  for (const [periods, hidden, out, act] of cases) {
    for (const fused of [true, false]) {
      it(`periods [${periods.map(String).join(', ')}], ${act} ${hidden.length} hidden${fused ? '' : ', composite kernels'}: value, every first and second derivative to 1e-12`, () => {
        pinn.setFusedKernels(fused);
        const net = embedded(periods, hidden, out, act, 7);
        expect(pinn.supportsTaylor(net)).toBe(true);
        const d = periods.length;
        const inputs = NAMES.slice(0, d), outputs = Array.from({ length: out }, (_, k) => `u${k}`);
        const pairs: [number, number][] = [];
        for (let i = 0; i < d; i++) for (let j = i; j < d; j++) pairs.push([j, i]);
        tidy(() => {
          const x = rand([31, d], { dtype: 'float64' }).mul(6).sub(3).requiresGrad_();
          expectTaylorMatchesAutograd(net, x, inputs, outputs, pairs);
          expectThirdMatchesAutograd(net, x, inputs, outputs, inputs.map((_, i) => i));
        });
      });
    }
  }

  it('Fourier features: pure third derivatives, value and weight gradients, equal nested autograd', () => {
    const net = new nn.Embedded(new nn.FourierFeatures(2, 5, { seed: 3, dtype: 'float64' }), new nn.MLP([10, 9, 9, 2], { seed: 4, dtype: 'float64' }));
    tidy(() => {
      const x = rand([21, 2], { dtype: 'float64' }).mul(2).sub(1).requiresGrad_();
      expectThirdMatchesAutograd(net, x, ['x', 't'], ['a', 'b'], [0, 1]);
    });
  });

  it('a subset: only the mixed (x, t) pair, no first derivatives asked', () => {
    const net = embedded([2, null], [8, 8], 1, 'tanh', 3);
    tidy(() => {
      const x = rand([13, 2], { dtype: 'float64' }).requiresGrad_();
      const r = pinn.taylor(net, x, { second: [[1, 0]] });
      expect([...r.first.keys()]).toEqual([]);
      const ref = new pinn.Derivatives(x, net.forward(x), ['x', 't'], ['u']);
      expectClose(flat(r.second.get('0,1')!), flat(ref.d('u', 'x', 't')), 1e-12, 'u_xt');
      expectClose(flat(pinn.taylor(net, x).u), flat(net.forward(x)), 1e-15, 'u alone');
    });
  });

  // Fourier features move every feature with every input: mixed second derivatives are not zero
  // (unlike the periodic embedding's), which this compares too.
  for (const [d, m, hidden, act, scale] of [[2, 6, [12, 12], 'tanh', 1], [3, 4, [10, 10], 'sin', 0.5], [2, 5, [9], 'softplus', 2]] as const) {
    for (const fused of [true, false]) {
      it(`Fourier features (${d} inputs, ${m} features, σ ${scale}), ${act} ${hidden.length} hidden${fused ? '' : ', composite kernels'}: value, every first and second derivative to 1e-12`, () => {
        pinn.setFusedKernels(fused);
        const features = new nn.FourierFeatures(d, m, { scale, seed: 3, dtype: 'float64' });
        const net = new nn.Embedded(features, new nn.MLP([features.outFeatures, ...hidden, 2], { activation: act, seed: 5, dtype: 'float64', init: 'default' }));
        expect(pinn.supportsTaylor(net)).toBe(true);
        const pairs: [number, number][] = [];
        for (let i = 0; i < d; i++) for (let j = i; j < d; j++) pairs.push([j, i]);
        tidy(() => {
          const x = rand([23, d], { dtype: 'float64' }).mul(2).sub(1).requiresGrad_();
          expectTaylorMatchesAutograd(net, x, NAMES.slice(0, d), ['u0', 'u1'], pairs);
        });
      });
    }
  }

  it('other embeddings and a net of the wrong width are not supported', () => {
    expect(pinn.supportsTaylor(new nn.Embedded(new nn.FourierFeatures(2, 4, { seed: 1 }), new nn.MLP([7, 6, 1])))).toBe(false);
    expect(pinn.supportsTaylor(new nn.Embedded(new nn.PeriodicEmbedding([2, null]), new nn.MLP([2, 6, 1])))).toBe(false);
    expect(pinn.supportsTaylor(new nn.Embedded(new nn.PeriodicEmbedding([2, null]), new nn.MLP([3, 6, 1], { activation: 'relu' })))).toBe(false);
  });
});

describe('a Problem on an embedded network', () => {
  it('Allen–Cahn-like residual with a pure third order: forward mode carries it, and loss and gradients equal autograd to 1e-10', () => {
    const net = embedded([2, null], [12, 12], 1, 'tanh', 5);
    const residual: pinn.ResidualFn = (d) => d.d('u', 't').sub(d.d('u', 'x', 'x').mul(1e-2)).add(d.value('u').pow(3))
      .add(d.d('u', 'x', 't')).add(d.d('u', 'x', 'x', 'x').mul(0.1));
    const pts = tidy(() => rand([40, 2], { dtype: 'float64' }).mul(2).sub(1));
    const make = (mode: 'auto' | 'autograd', p: Tensor) => new pinn.Problem({ inputs: ['x', 't'], outputs: ['u'], derivatives: mode, conditions: [new pinn.PDE('pde', p, residual)] });
    const fwd = make('auto', pts), ag = make('autograd', tidy(() => pts.clone()));
    expect(fwd.usesForward(net)).toBe(true);
    const grads = (problem: pinn.Problem) => tidy(() => {
      net.zeroGrad();
      const loss = problem.total(problem.losses(net));
      loss.backward();
      return { loss: loss.item() as number, grads: [...net.parameters()].map((p) => flat(p.grad!)) };
    });
    const first = grads(fwd), second = grads(fwd), ref = grads(ag);
    tidy(() => {
      const d = fwd.derivatives(net).get(fwd.conditions[0].evaluationPoints)!;
      residual(d, {});
      expect([...d.misses]).toEqual([]); // u_xxx is a forward channel of its own
    });
    for (const g of [first, second]) {
      expectClose([g.loss], [ref.loss], 1e-10, 'loss');
      g.grads.forEach((v, i) => expectClose(v, ref.grads[i], 1e-10, `grad ${i}`));
    }
    fwd.dispose(); ag.dispose();
  });
});

// The forward-mode derivative engine (src/pinn/taylor.ts) against nested reverse-mode autograd.
import { describe, expect, it } from 'vitest';
import { Tensor, cat, grad, keep, memory, nn, optim, pinn, rand, tensor, tidy } from '../src/index.js';
import { expectClose, flat } from './helpers/compare.js';
import { expectTaylorMatchesAutograd, expectThirdMatchesAutograd } from './helpers/taylor_check.js';
import { activationDerivs, activationJet, activationThird } from '../src/functional.js';


const NAMES = ['x', 'y', 't', 's'];

describe('taylor: forward-mode derivatives of an MLP equal nested autograd', () => {
  const shapes: [number[], nn.ActivationName][] = [
    [[3, 8, 2], 'tanh'], [[3, 16, 16, 2], 'tanh'], [[2, 5, 5, 5, 1], 'tanh'], [[4, 12, 12, 3], 'sin'], [[3, 9, 9, 9, 2], 'sin'],
    [[1, 7, 3], 'tanh'], [[3, 4], 'tanh'], [[3, 10, 10, 2], 'sigmoid'], [[3, 10, 10, 2], 'softplus'], [[3, 10, 10, 2], 'silu'],
  ];
  for (const [sizes, act] of shapes) {
    it(`${act} MLP ${sizes.join('→')}: value, every first and second derivative to 1e-12`, () => {
      const net = new nn.MLP(sizes, { activation: act, seed: 3, dtype: 'float64', init: 'default' });
      expect(pinn.supportsTaylor(net)).toBe(true);
      const d = sizes[0], out = sizes[sizes.length - 1];
      const inputs = NAMES.slice(0, d), outputs = Array.from({ length: out }, (_, k) => `u${k}`);
      const pairs: [number, number][] = [];
      for (let i = 0; i < d; i++) for (let j = i; j < d; j++) pairs.push([j, i]); // (j, i): order must not matter
      tidy(() => {
        const x = rand([23, d], { dtype: 'float64' }).mul(4).sub(2).requiresGrad_();
        expectTaylorMatchesAutograd(net, x, inputs, outputs, pairs);
      });
    });
  }

  for (const [sizes, act] of shapes) {
    for (const fused of act === 'tanh' || act === 'sin' ? [true, false] : [false]) {
      it(`${act} MLP ${sizes.join('→')}${fused ? '' : ', composite'}: pure third derivatives, value and weight gradients, equal nested autograd`, () => {
        pinn.setFusedKernels(fused);
        try {
          const net = new nn.MLP(sizes, { activation: act, seed: 4, dtype: 'float64', init: 'default' });
          const d = sizes[0], out = sizes[sizes.length - 1];
          tidy(() => {
            const x = rand([19, d], { dtype: 'float64' }).mul(4).sub(2).requiresGrad_();
            expectThirdMatchesAutograd(net, x, NAMES.slice(0, d), Array.from({ length: out }, (_, k) => `u${k}`), d > 1 ? [d - 1, 0] : [0]);
          });
        } finally { pinn.setFusedKernels(true); }
      });
    }
  }

  it('computes only what is asked: a subset of pairs, no first derivatives', () => {
    const net = new nn.MLP([3, 8, 8, 2], { seed: 5, dtype: 'float64' });
    tidy(() => {
      const x = rand([11, 3], { dtype: 'float64' }).requiresGrad_();
      const r = pinn.taylor(net, x, { second: [[2, 0], [1, 1]] });
      expect([...r.first.keys()]).toEqual([]);
      expect([...r.second.keys()].sort()).toEqual(['0,2', '1,1']);
      const ref = new pinn.Derivatives(x, net.forward(x), ['x', 'y', 't'], ['a', 'b']);
      expectClose(flat(r.second.get('0,2')!.narrow(1, 1, 1)), flat(ref.d('b', 't', 'x')), 1e-12, 'b_xt');
      // The output layer skips the unasked first-derivative channels: the weight gradients of a
      // loss of second derivatives still match nested reverse mode.
      const loss = r.second.get('1,1')!.square().sum().add(r.second.get('0,2')!.sum());
      const refLoss = ref.d('a', 'y', 'y').square().sum().add(ref.d('b', 'y', 'y').square().sum())
        .add(ref.d('a', 'x', 't').sum()).add(ref.d('b', 'x', 't').sum());
      const params = net.parameters().slice(0, -1); // the output bias: no derivative depends on it
      const [got, want] = [grad([loss], params), grad([refLoss], params)];
      got.forEach((g, k) => expectClose(flat(g!), flat(want[k]!), 1e-10, `parameter ${k}`));
      expect(() => pinn.taylor(net, x, { first: [3] })).toThrow(/out of range/);
    });
  });

  // A combination Σ c ∂ᵢ∂ⱼ travels as one channel: it must equal the same sum of separately
  // computed second derivatives, in value and in the weight gradients of a loss built from it,
  // on every path (fused tanh and sin, composite sigmoid, composite tanh, behind an embedding).
  const combinationCases: [string, () => nn.Module, boolean][] = [
    ['fused tanh', () => new nn.MLP([3, 9, 9, 9, 2], { activation: 'tanh', seed: 4, dtype: 'float64' }), true],
    ['fused sin', () => new nn.MLP([3, 9, 9, 2], { activation: 'sin', seed: 4, dtype: 'float64' }), true],
    ['composite sigmoid', () => new nn.MLP([3, 9, 9, 2], { activation: 'sigmoid', seed: 4, dtype: 'float64' }), true],
    ['composite tanh', () => new nn.MLP([3, 9, 9, 9, 2], { activation: 'tanh', seed: 4, dtype: 'float64' }), false],
    ['periodic embedding', () => new nn.Embedded(new nn.PeriodicEmbedding([2, null, null], { dtype: 'float64' }), new nn.MLP([4, 9, 9, 2], { seed: 4, dtype: 'float64' })), true],
    ['Fourier features', () => new nn.Embedded(new nn.FourierFeatures(3, 4, { seed: 2, dtype: 'float64' }), new nn.MLP([8, 9, 9, 2], { seed: 4, dtype: 'float64' })), true],
  ];
  for (const [name, make, fused] of combinationCases) {
    it(`a fixed combination of second derivatives is one channel equal to the sum of its terms, value and gradients (${name})`, () => {
      const net = make();
      const ops: [number, number, number][][] = [[[1.5, 2, 2], [-0.75, 0, 0], [-0.25, 1, 1]], [[2, 0, 1], [1, 1, 1]], [[-3, 2, 0]], [[1, 0, 0], [2, 1, 1], [3, 2, 2], [0.5, 0, 1], [-1, 1, 2]]];
      pinn.setFusedKernels(fused);
      try {
        tidy(() => {
          const x = rand([17, 3], { dtype: 'float64' }).mul(4).sub(2).requiresGrad_();
          const r = pinn.taylor(net as pinn.TaylorModel, x, { second: [[0, 1]], combinations: ops });
          const ref = pinn.taylor(net as pinn.TaylorModel, x, { second: [[0, 0], [1, 1], [2, 2], [0, 1], [0, 2], [1, 2]] });
          const sum = (terms: [number, number, number][]) => terms.map(([c, i, j]) => ref.second.get(`${Math.min(i, j)},${Math.max(i, j)}`)!.mul(c)).reduce((a, b) => a.add(b));
          expect(r.combined.length).toBe(4); // of 3, 2, 1 and 5 terms (the last beyond the unrolled kernels)
          ops.forEach((terms, k) => expectClose(flat(r.combined[k]), flat(sum(terms)), 1e-12, `combination ${k}`));
          expectClose(flat(r.second.get('0,1')!), flat(ref.second.get('0,1')!), 1e-12, 'pair beside them');
          // A backward that builds a graph (third orders by reverse mode) takes the differentiable formulas.
          const [gx] = grad([r.combined[0].sum()], [x], { createGraph: true });
          const [wx] = grad([sum(ops[0]).sum()], [x], { createGraph: true });
          expectClose(flat(gx!), flat(wx!), 1e-10, 'third order through a combination');
          const loss = (ts: Tensor[]) => ts.map((t, k) => t.square().mul(k + 1).sum()).reduce((a, b) => a.add(b));
          const params = net.parameters().slice(0, -1);
          const got = grad([loss([...r.combined, r.second.get('0,1')!])], params);
          const want = grad([loss([...ops.map(sum), ref.second.get('0,1')!])], params);
          got.forEach((g, k) => expectClose(flat(g!), flat(want[k]!), 1e-10, `parameter ${k}`));
        });
      } finally {
        pinn.setFusedKernels(true);
      }
    });
  }

  it('combinations are checked: empty, non-finite coefficients, indices out of range', () => {
    const net = new nn.MLP([2, 5, 1], { seed: 1, dtype: 'float64' });
    tidy(() => {
      const x = rand([4, 2], { dtype: 'float64' });
      expect(() => pinn.taylor(net, x, { combinations: [[]] })).toThrow(/at least one term/);
      expect(() => pinn.taylor(net, x, { combinations: [[[NaN, 0, 0]]] })).toThrow(/not finite/);
      expect(() => pinn.taylor(net, x, { combinations: [[[1, 0, 2]]] })).toThrow(/out of range/);
    });
  });

  it('asked for nothing (a Dirichlet term): the value alone, through a deep MLP', () => {
    const net = new nn.MLP([2, 6, 6, 6, 1], { seed: 2, dtype: 'float64' });
    tidy(() => {
      const x = rand([9, 2], { dtype: 'float64' });
      const r = pinn.taylor(net, x);
      expect(r.first.size + r.second.size).toBe(0);
      expectClose(flat(r.u), flat(net.forward(x)), 0, 'u');
    });
  });
});

const RHO = { rho: 2.7, lambda: 1.3, mu: 0.45 };
function elastic(pts: Tensor, derivatives: 'auto' | 'forward' | 'autograd', extra: Partial<pinn.ProblemOptions> = {}) {
  return new pinn.Problem({
    inputs: ['x', 'y', 't'], outputs: ['ux', 'uy'], constants: RHO, derivatives,
    conditions: [new pinn.PDE('pde', pts, pinn.pdes.elasticWave2D(), { loss: 'mse' })], ...extra,
  });
}
/** Loss and ∂loss/∂θ for every parameter (null where the loss does not depend on it). */
function lossAndGrads(problem: pinn.Problem, net: nn.Module) {
  return tidy(() => {
    net.zeroGrad();
    const loss = problem.total(problem.losses(net));
    loss.backward();
    return { loss: loss.item() as number, grads: [...net.namedParameters()].map(([n, p]) => [n, p.grad ? flat(p.grad) : null] as const) };
  });
}
function expectSameGrads(a: ReturnType<typeof lossAndGrads>, b: ReturnType<typeof lossAndGrads>, tol: number) {
  expectClose([a.loss], [b.loss], tol, 'loss');
  a.grads.forEach(([n, g], i) => {
    const h = b.grads[i][1];
    if (g === null || h === null) { expect(g, n).toBe(h); return; }
    expectClose(g, h, tol, `∂loss/∂${n}`);
  });
}

describe('Problem with forward-mode derivatives', () => {
  it('Derivatives.combination: one logged request with fixed coefficients, the plain sum of its terms with a trained one', () => {
    const net = new nn.MLP([2, 6, 1], { seed: 3, dtype: 'float64' });
    tidy(() => {
      const x = rand([7, 2], { dtype: 'float64' }).requiresGrad_();
      const d = new pinn.Derivatives(x, net.forward(x), ['x', 'y'], ['u']);
      d.log = new Set();
      const fixed = d.combination('u', [[2, 'y', 'y'], [tensor(-0.5, { dtype: 'float64' }), 'x', 'x'], [1, 'y', 'y']]);
      expect([...d.log]).toEqual(['op:-0.5*0,0+3*1,1']); // merged, sorted; its terms are not requests
      expectClose(flat(fixed), flat(d.d('u', 'x', 'x').mul(-0.5).add(d.d('u', 'y', 'y').mul(3))), 1e-12, 'fixed');
      d.log = new Set();
      const k = tensor(-0.5, { dtype: 'float64' }).requiresGrad_();
      const trained = d.combination('u', [[k, 'x', 'x'], [3, 'y', 'y']]);
      expect([...d.log].sort()).toEqual(['0,0', '1,1']);
      expectClose(flat(trained), flat(fixed), 1e-12, 'trained');
      expect(grad([trained.sum()], [k])[0]!.item()).toBeCloseTo(d.d('u', 'x', 'x').sum().item() as number, 12);
      expect(() => d.combination('u', [])).toThrow(/no terms/);
    });
  });

  it('elastic wave (ρ ≠ 1): the forward engine is used from the second step, and loss and gradients equal autograd to 1e-10', () => {
    const net = new nn.MLP([3, 12, 12, 2], { seed: 11, dtype: 'float64' });
    const pts = () => tidy(() => rand([40, 3], { dtype: 'float64', }).mul(2).sub(1));
    const p1 = pts();
    const fwd = elastic(p1, 'forward'), ag = elastic(tidy(() => p1.clone()), 'autograd');
    const first = lossAndGrads(fwd, net); // learns what the residual needs (by autograd)
    tidy(() => { // now everything is precomputed: no reverse-mode miss
      const d = fwd.derivatives(net).get(fwd.conditions[0].evaluationPoints)!;
      pinn.pdes.elasticWave2D()(d, fwd.coefficients);
      expect([...d.misses]).toEqual([]);
      expect(fwd.usesForward(net)).toBe(true);
      expect(ag.usesForward(net)).toBe(false);
    });
    // Each component's own terms travel as one combination channel (ρ∂tt − (λ+2μ)∂xx − μ∂yy and
    // its mirror), beside the mixed pair: no first derivatives, no separate pure pairs.
    expect([...(fwd as unknown as { asked: Map<string, Set<string>> }).asked.get('pde')!].sort()).toEqual(['0,1', 'op:-0.45*0,0+-2.2*1,1+2.7*2,2', 'op:-2.2*0,0+-0.45*1,1+2.7*2,2']);
    const second = lossAndGrads(fwd, net), ref = lossAndGrads(ag, net);
    expectSameGrads(second, ref, 1e-10);
    expectSameGrads(first, ref, 1e-10);
    // A loss made only of second derivatives does not depend on the output bias, as with autograd.
    expect(second.grads.find(([n]) => n === '4.bias')![1]).toBeNull();
    expect(second.grads.filter(([, g]) => g !== null).length).toBe(5);
    fwd.dispose(); ag.dispose();
  });

  /**
   * A Problem with one PDE term on `net`, in forward mode and by nested autograd: the residual,
   * what forward mode had to take by reverse mode (`misses`), the loss and every gradient.
   */
  function expectForwardEqualsAutograd(net: nn.Module, inputs: string[], pts: Tensor, residual: pinn.ResidualFn, misses: string[]) {
    const make = (mode: 'forward' | 'autograd', p: Tensor) => new pinn.Problem({ inputs, outputs: ['u'], derivatives: mode, conditions: [new pinn.PDE('pde', p, residual)] });
    const fwd = make('forward', pts), ag = make('autograd', tidy(() => pts.clone()));
    lossAndGrads(fwd, net);
    tidy(() => {
      const d = fwd.derivatives(net).get(fwd.conditions[0].evaluationPoints)!;
      const ref = ag.derivatives(net).get(ag.conditions[0].evaluationPoints)!;
      expectClose(flat(residual(d, {}) as Tensor), flat(residual(ref, {}) as Tensor), 1e-12, 'residual');
      expect([...d.misses]).toEqual(misses);
    });
    expectSameGrads(lossAndGrads(fwd, net), lossAndGrads(ag, net), 1e-10);
    fwd.dispose(); ag.dispose();
  }

  it('a mixed third-order derivative falls back to reverse mode through a plain forward', () => {
    const net = new nn.MLP([2, 10, 10, 1], { activation: 'sin', seed: 2, dtype: 'float64' });
    const pts = tidy(() => rand([30, 2], { dtype: 'float64' }));
    expectForwardEqualsAutograd(net, ['x', 'y'], pts, (d) => d.d('u', 'x', 'x', 'y').add(d.d('u', 'y')).add(d.d('u', 'x', 'x').mul(d.value('u'))), ['u|x,x,y']);
  });

  it('a pure third order (KdV) is a forward channel: nothing falls back, and loss and gradients equal autograd', () => {
    const net = new nn.MLP([2, 10, 10, 1], { activation: 'tanh', seed: 2, dtype: 'float64' });
    const pts = tidy(() => rand([30, 2], { dtype: 'float64' }).mul(2).sub(1));
    expectForwardEqualsAutograd(net, ['x', 't'], pts, (d) => d.d('u', 't').add(d.value('u').mul(d.d('u', 'x'))).add(d.d('u', 'x', 'x', 'x').mul(0.0484)), []);
  });

  it('through an outputTransform: derivatives, loss and gradients equal autograd\'s; a third order falls back', () => {
    const net = new nn.MLP([3, 10, 10, 2], { seed: 4, dtype: 'float64' });
    const c = (t: Tensor, i: number) => t.narrow(1, i, 1);
    // Nonlinear in the outputs, mixing them, and depending on every input.
    const outputTransform = (x: Tensor, u: Tensor) => cat([
      c(u, 0).mul(c(x, 2).square()).add(c(x, 0).sin()).add(c(u, 0).mul(c(u, 1)).mul(c(x, 1))),
      c(u, 1).mul(c(x, 0)).mul(c(x, 1)).add(c(u, 0).square()),
    ], 1);
    const pts = tidy(() => rand([25, 3], { dtype: 'float64' }).mul(2).sub(1));
    const fwd = elastic(pts, 'forward', { outputTransform }), ag = elastic(tidy(() => pts.clone()), 'autograd', { outputTransform });
    expect(elastic(tidy(() => pts.clone()), 'auto', { outputTransform }).usesForward(net)).toBe(true);
    const first = lossAndGrads(fwd, net); // learns what the residual needs (by autograd)
    tidy(() => {
      const d = fwd.derivatives(net).get(fwd.conditions[0].evaluationPoints)!;
      pinn.pdes.elasticWave2D()(d, fwd.coefficients);
      expect([...d.misses]).toEqual([]);
      // Reference: the transform written out by hand, derivatives by nested autograd.
      const x = pts.detach().requiresGrad_();
      const ref = new pinn.Derivatives(x, outputTransform(x, net.forward(x)), ['x', 'y', 't'], ['ux', 'uy']);
      expectClose(flat(d.value('uy')), flat(ref.value('uy')), 1e-12, 'uy');
      expectClose(flat(d.d('ux', 't', 't')), flat(ref.d('ux', 't', 't')), 1e-12, 'ux_tt');
      expectClose(flat(d.d('uy', 'x', 'y')), flat(ref.d('uy', 'x', 'y')), 1e-12, 'uy_xy');
      // Not asked before: from T(x, N(x)) by reverse mode, not from the local quadratic model.
      expectClose(flat(d.d('ux', 'x', 'x', 'y')), flat(ref.d('ux', 'x', 'x', 'y')), 1e-12, 'ux_xxy');
      expectClose(flat(d.d('uy', 't', 'x')), flat(ref.d('uy', 'x', 't')), 1e-12, 'uy_xt');
      expect([...d.misses].sort()).toEqual(['ux|x,x,y', 'uy|x,t']);
    });
    const ref = lossAndGrads(ag, net);
    expectSameGrads(lossAndGrads(fwd, net), ref, 1e-10);
    expectSameGrads(first, ref, 1e-10);
    fwd.dispose(); ag.dispose();
  });

  it('through an outputTransform affine in u (A + B ⊙ u, per output): the product rule on the network\'s jets, equal to autograd; new points, a trained coefficient', () => {
    const net = new nn.MLP([3, 10, 10, 2], { seed: 6, dtype: 'float64' });
    const c = (t: Tensor, i: number) => t.narrow(1, i, 1);
    const affine = (x: Tensor, u: Tensor) => cat([
      c(u, 0).mul(c(x, 0).mul(Math.PI).sin().mul(c(x, 2))).add(c(x, 0).mul(c(x, 1))),
      c(u, 1).mul(c(x, 0).square().add(1)).add(c(x, 2).cos()),
    ], 1);
    const pts = tidy(() => rand([25, 3], { dtype: 'float64' }).mul(2).sub(1)), kept = tidy(() => pts.clone());
    const fwd = elastic(pts, 'forward', { outputTransform: affine }), ag = elastic(tidy(() => pts.clone()), 'autograd', { outputTransform: affine });
    lossAndGrads(fwd, net);
    tidy(() => {
      const d = fwd.derivatives(net).get(fwd.conditions[0].evaluationPoints)!;
      pinn.pdes.elasticWave2D()(d, fwd.coefficients);
      expect([...d.misses]).toEqual([]);
      const x = pts.detach().requiresGrad_();
      const ref = new pinn.Derivatives(x, affine(x, net.forward(x)), ['x', 'y', 't'], ['ux', 'uy']);
      for (const [o, wrt] of [['ux', []], ['uy', []], ['ux', ['t', 't']], ['uy', ['x', 'x']], ['ux', ['x', 'y']], ['uy', ['x', 'y']]] as const) {
        expectClose(flat(d.d(o, ...wrt)), flat(ref.d(o, ...wrt)), 1e-12, `${o}_${wrt.join('')}`);
      }
      expectClose(flat(d.d('ux', 'x', 'x', 'y')), flat(ref.d('ux', 'x', 'x', 'y')), 1e-12, 'ux_xxy (falls back)');
    });
    expectSameGrads(lossAndGrads(fwd, net), lossAndGrads(ag, net), 1e-10);
    // New points: A's and B's derivatives are measured again, not reused.
    const moved = tidy(() => rand([25, 3], { dtype: 'float64' }).mul(2).sub(1));
    fwd.conditions[0].setPoints(moved); ag.conditions[0].setPoints(moved);
    expectSameGrads(lossAndGrads(fwd, net), lossAndGrads(ag, net), 1e-10);
    fwd.dispose(); ag.dispose();

    // A transform scaled by a trained coefficient is affine in u but changes every step: the
    // general path, and the coefficient gets its gradient.
    const scaled = (p: pinn.Problem) => (x: Tensor, u: Tensor) => affine(x, u).mul(p.coefficients.s);
    const make = (mode: 'forward' | 'autograd') => {
      const p: pinn.Problem = new pinn.Problem({
        inputs: ['x', 'y', 't'], outputs: ['ux', 'uy'], constants: RHO, coefficients: { s: 1.7 }, derivatives: mode,
        conditions: [new pinn.PDE('pde', tidy(() => kept.clone()), pinn.pdes.elasticWave2D(), { loss: 'mse' })],
        outputTransform: (x, u) => scaled(p)(x, u),
      });
      return p;
    };
    const [sf, sa] = [make('forward'), make('autograd')];
    const withCoefficient = (p: pinn.Problem) => tidy(() => {
      p.coefficients.s.grad?.zero_();
      const r = lossAndGrads(p, net);
      return { ...r, s: p.coefficients.s.grad!.item() as number };
    });
    withCoefficient(sf);
    const [gf, ga] = [withCoefficient(sf), withCoefficient(sa)];
    expectSameGrads(gf, ga, 1e-10);
    expectClose([gf.s], [ga.s], 1e-10, '∂loss/∂s');
    expect(Math.abs(ga.s)).toBeGreaterThan(0);
    sf.dispose(); sa.dispose(); kept.dispose(); moved.dispose();
  });

  it('relu and gelu MLPs (and other modules) are not supported: auto falls back, forward is refused', () => {
    for (const activation of ['relu', 'gelu'] as const) {
      const net = new nn.MLP([3, 8, 8, 2], { activation, seed: 1, dtype: 'float64' });
      expect(pinn.supportsTaylor(net)).toBe(false);
      const pts = tidy(() => rand([20, 3], { dtype: 'float64' }));
      const auto = elastic(pts, 'auto'), ag = elastic(tidy(() => pts.clone()), 'autograd');
      lossAndGrads(auto, net);
      expectSameGrads(lossAndGrads(auto, net), lossAndGrads(ag, net), 1e-12);
      expect(() => tidy(() => elastic(tidy(() => pts.clone()), 'forward').losses(net))).toThrow(/plain MLP/);
      auto.dispose(); ag.dispose();
    }
    class Wrapped extends nn.MLP {}
    expect(pinn.supportsTaylor(new Wrapped([3, 4, 2]))).toBe(false);
    expect(pinn.supportsTaylor(new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 2)))).toBe(false);
    expect(() => elastic(tidy(() => rand([2, 3])), 'sideways' as 'auto')).toThrow(/derivatives must be/);
  });

  it('training with forward mode: the live tensor count is flat over 50 Adam steps', () => {
    const net = new nn.MLP([3, 16, 16, 2], { seed: 0 });
    const bc = keep(rand([10, 3]));
    const problem = new pinn.Problem({
      inputs: ['x', 'y', 't'], outputs: ['ux', 'uy'], constants: { rho: 1, lambda: 1, mu: 0.5 },
      conditions: [
        new pinn.PDE('pde', keep(rand([50, 3])), pinn.pdes.elasticWave2D(), { loss: 'mse' }),
        new pinn.DirichletBC('bc', bc, 0, { output: 'ux' }),
        new pinn.InitialVelocity('iv', bc, 0, { output: 'uy' }),
      ],
    });
    const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
    const step = () => tidy(() => { opt.zeroGrad(); const l = problem.total(problem.losses(net)); l.backward(); opt.step(); return l.item() as number; });
    step(); step();
    const base = memory().tensors;
    const losses: number[] = [];
    for (let i = 0; i < 50; i++) {
      losses.push(step());
      expect(memory().tensors).toBe(base);
    }
    expect(problem.usesForward(net)).toBe(true);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[49]).toBeLessThan(losses[0]);
    problem.dispose();
  });
});

describe('fused native kernels (tanh, sin on the CPU)', () => {
  /** Loss from every channel taylor() returns, and its gradient for every weight. */
  function run(net: nn.MLP, x: Tensor, request: pinn.TaylorRequest) {
    return tidy(() => {
      net.zeroGrad();
      const r = pinn.taylor(net, x, request);
      let loss = r.u.square().sum();
      for (const t of [...r.first.values(), ...r.second.values()]) loss = loss.add(t.mul(t.add(1)).sum());
      loss.backward();
      return { loss: loss.item() as number, grads: net.parameters().map((p) => flat(p.grad!)) };
    });
  }
  for (const activation of ['tanh', 'sin'] as const) {
    it(`${activation}: values and weight gradients equal the composite path (1e-12), mixed and pure pairs`, () => {
      const net = new nn.MLP([3, 12, 12, 12, 2], { activation, seed: 8, dtype: 'float64' });
      const x = tidy(() => rand([40, 3], { dtype: 'float64' }).mul(6).sub(3));
      const request: pinn.TaylorRequest = { first: [0, 2], second: [[0, 0], [1, 2], [2, 2], [0, 1]] };
      const fused = run(net, x, request);
      pinn.setFusedKernels(false);
      try {
        const composite = run(net, x, request);
        expectClose([fused.loss], [composite.loss], 1e-12, 'loss');
        fused.grads.forEach((g, i) => expectClose(g, composite.grads[i], 1e-12, `grad ${i}`));
      } finally {
        pinn.setFusedKernels(true);
      }
      x.dispose();
    });
  }

  for (const activation of ['tanh', 'sin'] as const) {
    it(`${activation}: the pure third channels' kernel equals the composite path, in value, weight gradients and a backward that builds a graph`, () => {
      const net = new nn.MLP([2, 10, 10, 10, 1], { activation, seed: 9, dtype: 'float64' });
      const x = tidy(() => rand([30, 2], { dtype: 'float64' }).mul(4).sub(2));
      const once = () => tidy(() => {
        net.zeroGrad();
        const xg = x.clone().requiresGrad_();
        const r = pinn.taylor(net, xg, { first: [1], third: [0, 1] });
        const t0 = r.third.get(0)!, t1 = r.third.get(1)!;
        const loss = t0.square().sum().add(t1.mul(r.u).sum());
        // ∂/∂x of the third channels, with a graph (a fourth order by reverse mode), then the weights' gradient of it all
        const [gx] = grad([t0.sum()], [xg], { createGraph: true });
        loss.add(gx!.square().sum()).backward();
        return { values: [...flat(t0), ...flat(t1), ...flat(gx!)], grads: net.parameters().map((p) => (p.grad ? flat(p.grad) : [])) };
      });
      const fused = once();
      pinn.setFusedKernels(false);
      try {
        const composite = once();
        expectClose(fused.values, composite.values, 1e-12, 'third channels and their x-gradient');
        fused.grads.forEach((g, i) => expectClose(g, composite.grads[i], 1e-11, `grad ${i}`));
      } finally {
        pinn.setFusedKernels(true);
      }
      x.dispose();
    });
  }

  it('tanh stays finite and saturates exactly for large |z| (float32 and float64)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      tidy(() => {
        const z = tensor([[-1e4, -50, -1e-6, 0, 1e-6, 50, 1e4]], { dtype });
        const [a, s1, s2] = activationDerivs('tanh', z);
        const got = Array.from(a.data() as Float64Array), ref = Array.from(z.tanh().data() as Float64Array);
        for (const i of [0, 1, 3, 5, 6]) expect(got[i]).toBe(ref[i]); // ±1 and 0 exactly
        expectClose(got, ref, dtype === 'float32' ? 2.4e-7 : 4.5e-16, `tanh ${dtype}`); // a couple of ulps of 1: absolute error
        expect([...s1.data(), ...s2.data()].every(Number.isFinite)).toBe(true);
      });
    }
  });

  it('bad arguments are errors naming the kernel, not crashes', () => {
    tidy(() => {
      const z = rand([4, 3], { dtype: 'float64' });
      expect(() => activationJet('tanh', z, rand([4, 2, 5], { dtype: 'float64' }), rand([4, 1, 3], { dtype: 'float64' }), [[0, 0]])).toThrow(/activationJet: d1 and d2 must be/);
      expect(() => activationJet('tanh', z, rand([4, 2, 3], { dtype: 'float64' }), rand([4, 1, 3], { dtype: 'float64' }), [[0, 2]])).toThrow(/activationJet: term index out of range/);
      expect(() => activationJet('relu' as 'tanh', z, rand([4, 1, 3], { dtype: 'float64' }), rand([4, 0, 3], { dtype: 'float64' }), [])).toThrow(/unsupported activation 'relu'/);
      expect(() => activationJet('tanh', z, rand([4, 1, 3]), rand([4, 0, 3]), [])).toThrow(/share a dtype/);
      const [d1, d2, d3] = [rand([4, 2, 3], { dtype: 'float64' }), rand([4, 1, 3], { dtype: 'float64' }), rand([4, 1, 3], { dtype: 'float64' })];
      expect(() => activationThird('tanh', z, d1, d2, d3, [2], [0])).toThrow(/activationThird: a first-channel position is out of range/);
      expect(() => activationThird('tanh', z, d1, d2, d3, [0], [1])).toThrow(/activationThird: a second-channel position is out of range/);
      expect(() => activationThird('tanh', z, d1, d2, d3, [0, 1], [0, 0])).toThrow(/activationThird: one first and one second channel position per third channel/);
      expect(() => activationThird('tanh', z, d1, d2, rand([4, 1, 5], { dtype: 'float64' }), [0], [0])).toThrow(/activationThird: d1, d2 and d3 must be/);
      expect(() => activationThird('tanh', z, d1, d2, rand([4, 1, 3]), [0], [0])).toThrow(/activationThird: z, d1, d2 and d3 must share a dtype/);
    });
  });
});

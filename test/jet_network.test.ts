// The whole network's jet as one autograd node (native/jet_network.cc) against the same jet
// composed layer by layer from linear() and activationJet() (taylor.ts with { network: false }),
// itself checked against nested autograd in taylor.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { type Tensor, countOps, grad, keep, manualSeed, nn, pinn, rand, tensor, tidy } from '../src/index.js';
import { jetNetwork, jetNetworkSets } from '../src/functional.js';
import { taylorSets } from '../src/pinn/taylor.js';
import { expectClose, flat } from './helpers/compare.js';

afterEach(() => pinn.setFusedKernels(true));

/** Every output of taylor(), a loss weighting each differently, its gradients, and a third order by reverse mode. */
function evaluate(network: boolean, net: nn.MLP, x: Tensor, request: pinn.TaylorRequest) {
  pinn.setFusedKernels(true, { network });
  return tidy(() => {
    const xg = x.detach().requiresGrad_();
    const r = pinn.taylor(net, xg, request);
    const parts = [r.u, ...r.first.values(), ...r.second.values(), ...r.combined];
    const loss = parts.map((t, k) => t.mul(t.add(k)).sum()).reduce((a, b) => a.add(b));
    const params = net.parameters();
    const grads = grad([loss], [...params, xg], { retainGraph: true });
    // Reverse mode through the node (create_graph): ∂/∂x of the last channel, then its weight gradients.
    const [gx] = grad([parts[parts.length - 1].sum()], [xg], { createGraph: true });
    const third = grad([gx!.square().sum()], params, { allowUnused: true });
    return {
      values: parts.map(flat),
      grads: grads.map((g) => (g ? flat(g) : null)),
      third: third.map((g) => (g ? flat(g) : null)),
    };
  });
}

describe('jetNetwork: the whole MLP jet as one node equals the layer-by-layer composition', () => {
  const requests: [string, pinn.TaylorRequest][] = [
    ['value only', {}],
    ['first derivatives only', { first: [0, 2] }],
    ['pairs and first derivatives', { first: [1], second: [[0, 0], [1, 2], [2, 2]] }],
    ['combinations beside a pair', { second: [[0, 1]], combinations: [[[1.5, 2, 2], [-0.75, 0, 0], [-0.25, 1, 1]], [[1, 0, 0], [2, 1, 1], [3, 2, 2], [0.5, 0, 1], [-1, 1, 2]]] }],
  ];
  const nets: [string, number[]][] = [['one hidden layer', [3, 9, 2]], ['two', [3, 10, 10, 1]], ['three', [3, 12, 12, 12, 2]]];
  for (const activation of ['tanh', 'sin'] as const) {
    for (const [netName, sizes] of nets) {
      for (const [name, request] of requests) {
        it(`${activation}, ${netName}, ${name}: values, gradients of weights and x, and a third order (float64)`, () => {
          const net = new nn.MLP(sizes, { activation, seed: 6, dtype: 'float64' });
          const x = tidy(() => rand([13, 3], { dtype: 'float64' }).mul(4).sub(2));
          const one = evaluate(true, net, x, request), layers = evaluate(false, net, x, request);
          one.values.forEach((v, k) => expectClose(v, layers.values[k], 1e-12, `output ${k}`));
          one.grads.forEach((g, k) => { expect(g === null).toBe(layers.grads[k] === null); if (g) expectClose(g, layers.grads[k]!, 1e-12, `gradient ${k}`); });
          one.third.forEach((g, k) => { expect(g === null).toBe(layers.third[k] === null); if (g) expectClose(g, layers.third[k]!, 1e-10, `third order ${k}`); });
          x.dispose(); net.dispose();
        });
      }
    }
  }

  it('float32: the same values and gradients to float32 rounding', () => {
    const net = new nn.MLP([3, 16, 16, 2], { seed: 2 });
    const x = tidy(() => rand([50, 3]).mul(2).sub(1));
    const request: pinn.TaylorRequest = { first: [2], second: [[0, 1]], combinations: [[[1, 2, 2], [-2, 0, 0]]] };
    const one = evaluate(true, net, x, request), layers = evaluate(false, net, x, request);
    one.values.forEach((v, k) => expectClose(v, layers.values[k], 2e-5, `output ${k}`));
    one.grads.forEach((g, k) => expectClose(g!, layers.grads[k]!, 2e-4, `gradient ${k}`));
    x.dispose(); net.dispose();
  });

  it('a loss of second derivatives alone leaves the output bias without a gradient, as autograd does', () => {
    const net = new nn.MLP([2, 8, 8, 1], { seed: 1, dtype: 'float64' });
    tidy(() => {
      const x = rand([9, 2], { dtype: 'float64' });
      const r = pinn.taylor(net, x, { second: [[0, 0]] });
      const g = grad([r.second.get('0,0')!.square().sum()], net.parameters(), { allowUnused: true });
      expect(g.map((t) => t === null)).toEqual([false, false, false, false, false, true]);
    });
  });

  it('bad arguments are errors naming the op, not crashes', () => {
    tidy(() => {
      const f = { dtype: 'float64' as const };
      const x = rand([4, 3], f);
      const layer = (o: number, i: number, dtype: 'float32' | 'float64' = 'float64'): [Tensor, Tensor] => [rand([o, i], { dtype }), rand([o], { dtype })];
      expect(() => jetNetwork('tanh', x, [layer(5, 3)], [], [], false)).toThrow(/jetNetwork: expected weights and biases of at least two layers/);
      expect(() => jetNetwork('tanh', x, [layer(5, 3), layer(2, 4)], [], [], false)).toThrow(/jetNetwork: layer 2's weight must be \[out, 5\]/);
      expect(() => jetNetwork('tanh', x, [layer(5, 3), [rand([2, 5], f), rand([3], f)]], [], [], false)).toThrow(/layer 2's bias must be \[2\]/);
      expect(() => jetNetwork('tanh', x, [layer(5, 3, 'float32'), layer(2, 5)], [], [], false)).toThrow(/layer 1: weights, biases and x must share a dtype/);
      expect(() => jetNetwork('tanh', x, [layer(5, 3), layer(2, 5)], [3], [], false)).toThrow(/first-derivative input index 3 out of range/);
      expect(() => jetNetwork('tanh', x, [layer(5, 3), layer(2, 5)], [0], [[0, 1]], false)).toThrow(/term index out of range/);
      expect(() => jetNetwork('relu' as 'tanh', x, [layer(5, 3), layer(2, 5)], [], [], false)).toThrow(/unsupported activation 'relu'/);
      expect(() => jetNetwork('tanh', tensor([1, 2, 3], f), [layer(5, 3), layer(2, 5)], [], [], false)).toThrow(/x must be \[N, inputs\]/);
      const set = (rows: number) => ({ rows, first: [0], channels: [[0, 0] as const], firstOut: false });
      expect(() => jetNetworkSets('tanh', x, [layer(5, 3), layer(2, 5)], [])).toThrow(/jetNetwork: expected at least one point set/);
      expect(() => jetNetworkSets('tanh', x, [layer(5, 3), layer(2, 5)], [set(3), set(2)])).toThrow(/the point sets have 5 rows in all, x has 4/);
      expect(() => jetNetworkSets('tanh', x, [layer(5, 3), layer(2, 5)], [set(4), set(-1), set(1)])).toThrow(/point set 1: rows must be ≥ 0/);
      expect(() => jetNetworkSets('tanh', x, [layer(5, 3), layer(2, 5)], [set(2), { ...set(2), channels: [[0, 1] as const] }])).toThrow(/point set 1: term index out of range/);
    });
  });
});

describe('taylorSets: several point sets through the network in one node equal each alone', () => {
  // A PDE's set (pairs and a combination), an initial condition's (∂t only, wanted at the output),
  // a boundary's (the value alone) and one with first channels the output does not map.
  const requests: pinn.TaylorRequest[] = [
    { first: [0], second: [[0, 1]], combinations: [[[1, 2, 2], [-0.5, 0, 0], [-2, 1, 1]]] },
    { first: [2] },
    {},
    { second: [[1, 1]] },
  ];
  const sizes = [9, 4, 1, 6];

  /** Values, weight and x gradients of a loss of every output, and a create_graph gradient, with the sets together or alone. */
  function run(together: boolean, net: nn.MLP, xs: Tensor[]) {
    return tidy(() => {
      const xg = xs.map((x) => x.detach().requiresGrad_());
      const rs = together ? taylorSets(net, xg, requests) : xg.map((x, k) => pinn.taylor(net, x, requests[k]));
      const parts = rs.flatMap((r) => [r.u, ...r.first.values(), ...r.second.values(), ...r.combined]);
      const loss = parts.map((t, k) => t.mul(t.add(k)).sum()).reduce((a, b) => a.add(b));
      const params = net.parameters();
      const grads = grad([loss], [...params, ...xg], { retainGraph: true });
      const [gx] = grad([rs[0].combined[0].sum()], [xg[0]], { createGraph: true });
      const third = grad([gx!.square().sum()], params, { allowUnused: true });
      return { values: parts.map(flat), grads: grads.map((g) => (g ? flat(g) : null)), third: third.map((g) => (g ? flat(g) : null)) };
    });
  }

  for (const activation of ['tanh', 'sin'] as const) {
    for (const hidden of [[10], [8, 8, 8]]) {
      it(`${activation}, ${hidden.length} hidden layer(s): values, gradients and a third order (float64)`, () => {
        const net = new nn.MLP([3, ...hidden, 2], { activation, seed: 4, dtype: 'float64' });
        const xs = sizes.map((n) => tidy(() => rand([n, 3], { dtype: 'float64' }).mul(2).sub(1)));
        const a = run(true, net, xs), b = run(false, net, xs);
        expect(a.values.length).toBe(b.values.length);
        a.values.forEach((v, k) => expectClose(v, b.values[k], 1e-12, `output ${k}`));
        a.grads.forEach((g, k) => { expect(g === null).toBe(b.grads[k] === null); if (g) expectClose(g, b.grads[k]!, 1e-12, `gradient ${k}`); });
        a.third.forEach((g, k) => { expect(g === null).toBe(b.third[k] === null); if (g) expectClose(g, b.third[k]!, 1e-10, `third order ${k}`); });
        for (const x of xs) x.dispose();
        net.dispose();
      });
    }
  }

  it('float32: the same values and gradients to float32 rounding', () => {
    const net = new nn.MLP([3, 16, 16, 2], { seed: 2 });
    const xs = sizes.map((n) => tidy(() => rand([n, 3]).mul(2).sub(1)));
    const a = run(true, net, xs), b = run(false, net, xs);
    a.values.forEach((v, k) => expectClose(v, b.values[k], 2e-5, `output ${k}`));
    a.grads.forEach((g, k) => expectClose(g!, b.grads[k]!, 2e-4, `gradient ${k}`));
    for (const x of xs) x.dispose();
    net.dispose();
  });

  it('a Problem with PDE, boundary and initial terms on four point sets: one node for all, the losses and gradients of nested autograd', () => {
    const net = new nn.MLP([3, 12, 12, 2], { seed: 5, dtype: 'float64' });
    const build = (derivatives: 'forward' | 'autograd') => {
      const pts = (n: number, seed: number) => { manualSeed(seed); return keep(rand([n, 3], { dtype: 'float64' }).mul(2).sub(1)); };
      return new pinn.Problem({
        inputs: ['x', 'y', 't'], outputs: ['ux', 'uy'], constants: { rho: 2.7, lambda: 1.3, mu: 0.45 }, derivatives,
        conditions: [
          new pinn.PDE('pde', pts(30, 1), pinn.pdes.elasticWave2D()),
          new pinn.DirichletBC('bc', pts(7, 2), 0, { output: 'uy' }),
          new pinn.InitialCondition('ic', pts(5, 3), (x) => x.narrow(1, 0, 1).sin(), { output: 'ux' }),
          new pinn.InitialVelocity('iv', pts(6, 4), 0, { output: 'uy' }),
        ],
      });
    };
    const lossAndGrads = (problem: pinn.Problem) => tidy(() => {
      net.zeroGrad();
      const raw = problem.losses(net);
      const total = problem.total(raw);
      const ops = countOps(() => total.backward());
      return { raw: Object.values(raw).map((t) => t.item() as number), grads: net.parameters().map((p) => flat(p.grad!)), ops: ops.byName };
    });
    const fwd = build('forward'), ag = build('autograd');
    lossAndGrads(fwd); // the first evaluation learns what each term asks for
    const a = lossAndGrads(fwd), b = lossAndGrads(ag);
    expectClose(a.raw, b.raw, 1e-10, 'losses');
    a.grads.forEach((g, k) => expectClose(g, b.grads[k], 1e-10, `gradient ${k}`));
    const nodes = Object.entries(a.ops).filter(([name]) => name.includes('JetNetwork'));
    expect(nodes.map(([, calls]) => calls)).toEqual([1]);
    fwd.dispose(); ag.dispose(); net.dispose();
  });
});

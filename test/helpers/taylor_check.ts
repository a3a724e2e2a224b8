// The forward-mode engine's check against nested reverse-mode autograd, shared by the MLP and
// the embedded-network tests: the value, every first derivative and every requested second
// derivative of every output, to `tol` (scale-relative).
import { expect } from 'vitest';
import { type Tensor, grad, type nn, pinn } from '../../src/index.js';
import { expectClose, flat } from './compare.js';

export function expectTaylorMatchesAutograd(net: nn.Module, x: Tensor, inputs: string[], outputs: string[], pairs: [number, number][], tol = 1e-12): void {
  const r = pinn.taylor(net, x, { first: inputs.map((_, i) => i), second: pairs });
  const ref = new pinn.Derivatives(x, net.forward(x), inputs, outputs);
  expectClose(flat(r.u), flat(ref.u), tol, 'u');
  outputs.forEach((o, k) => {
    inputs.forEach((a, i) => expectClose(flat(r.first.get(i)!.narrow(1, k, 1)), flat(ref.d(o, a)), tol, `${o}_${a}`));
    for (const [j, i] of pairs) {
      const got = r.second.get(`${i},${j}`)!;
      expect(got.shape).toEqual([x.shape[0], outputs.length]);
      expectClose(flat(got.narrow(1, k, 1)), flat(ref.d(o, inputs[i], inputs[j])), tol, `${o}_${inputs[i]}${inputs[j]}`);
    }
  });
}

/**
 * The pure third derivatives ∂³u/∂xᵢ³ for the inputs `third` against nested reverse mode, in
 * value and in the weight gradients of a loss built from them (and from ∂ᵢᵢu beside them).
 */
export function expectThirdMatchesAutograd(net: nn.Module, x: Tensor, inputs: string[], outputs: string[], third: number[], tol = 1e-11): void {
  const r = pinn.taylor(net, x, { third });
  const ref = new pinn.Derivatives(x, net.forward(x), inputs, outputs);
  let loss: Tensor | null = null, refLoss: Tensor | null = null;
  const add = (s: Tensor | null, t: Tensor) => (s === null ? t : s.add(t));
  for (const i of third) {
    const got = r.third.get(i)!;
    expect(got.shape).toEqual([x.shape[0], outputs.length]);
    outputs.forEach((o, k) => {
      const want = ref.d(o, inputs[i], inputs[i], inputs[i]);
      expectClose(flat(got.narrow(1, k, 1)), flat(want), tol, `${o}_${inputs[i]}${inputs[i]}${inputs[i]}`);
      // ∂ᵢᵢu comes with it (its channel carries the third's product term)
      expectClose(flat(r.second.get(`${i},${i}`)!.narrow(1, k, 1)), flat(ref.d(o, inputs[i], inputs[i])), tol, `${o}_${inputs[i]}${inputs[i]}`);
      loss = add(loss, got.narrow(1, k, 1).square().sum().add(r.second.get(`${i},${i}`)!.narrow(1, k, 1).sum()));
      refLoss = add(refLoss, want.square().sum().add(ref.d(o, inputs[i], inputs[i]).sum()));
    });
  }
  // A single linear layer: every second and third derivative is zero, a constant.
  expect(loss!.requiresGrad).toBe(refLoss!.requiresGrad);
  if (!loss!.requiresGrad) return;
  const params = net.parameters().filter((p) => p.numel > 0);
  const got = grad([loss!], params, { allowUnused: true }), want = grad([refLoss!], params, { allowUnused: true });
  const none = (g: Tensor | null) => g === null || flat(g).every((v) => v === 0);
  got.forEach((g, k) => {
    if (none(g) || none(want[k])) { expect(none(g), `parameter ${k}`).toBe(none(want[k])); return; }
    expectClose(flat(g!), flat(want[k]!), tol * 100, `parameter ${k}`);
  });
}

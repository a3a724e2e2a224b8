// The forward-mode engine's check against nested reverse-mode autograd, shared by the MLP and
// the embedded-network tests: the value, every first derivative and every requested second
// derivative of every output, to `tol` (scale-relative).
import { expect } from 'vitest';
import { type Tensor, type nn, pinn } from '../../src/index.js';
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

// The derivative engine's tall-by-small products on libxsmm (native/small_gemm.cc) against the
// same products on ATen's mm: values, input derivatives and parameter gradients of the
// whole-network jet, for row counts on and off libxsmm's 64-row blocks (and the weight
// gradients' 256-row blocks), widths up to and past its 256 limit (ATen then), both dtypes.
import { afterEach, describe, expect, it } from 'vitest';
import { blas, getNumThreads, nn, pinn, rand, setNumThreads, setSmallGemm, tidy, type Tensor } from '../src/index.js';

// On by default; true when the build has libxsmm (PINN_TORCH_SMALL_GEMM=0 only sets the default).
const available = setSmallGemm(true);

/** Value, ∂x, ∂t, ∂xx, ∂xt and every parameter's gradient of Σ (u + ∂xx u)² as flat arrays. */
function jet(net: nn.MLP, x: Tensor): number[][] {
  return tidy(() => {
    net.zeroGrad();
    const r = pinn.taylor(net, x, { first: [0, 1], second: [[0, 0], [0, 1]] });
    const loss = r.u.add(r.second.get('0,0')!).square().sum().add(r.first.get(1)!.square().sum());
    loss.backward();
    const flat = (t: Tensor) => Array.from(t.to('float64').reshape(-1).data() as Float64Array);
    return [r.u, r.first.get(0)!, r.first.get(1)!, r.second.get('0,0')!, r.second.get('0,1')!, ...net.parameters().map((p) => p.grad!)].map(flat);
  });
}

describe.skipIf(!available)(`tall-by-small products on libxsmm ${available ? '' : '— skipped: this build has no libxsmm (apt-get install libxsmm-dev, then rebuild)'}`, () => {
  afterEach(() => { setSmallGemm(true); });

  it('is what config().blas reports, and can be switched off and on', () => {
    expect(blas().smallGemm).toMatch(/^libxsmm \d/);
    expect(setSmallGemm(false)).toBe(false);
    expect(blas().smallGemm).toBe(null);
    expect(setSmallGemm(true)).toBe(true);
    expect(() => setSmallGemm('yes' as any)).toThrow(/setSmallGemm: expected true or false/);
  });

  const cases: [number, number[], 'float32' | 'float64'][] = [
    [1, [16, 16], 'float64'], [63, [64, 64], 'float64'], [64, [20, 200, 20], 'float64'], [130, [48, 48, 48], 'float64'],
    [200, [300, 40], 'float64'], [257, [64, 64, 64], 'float32'], [600, [32, 32], 'float32'],
  ];
  for (const [n, hidden, dtype] of cases) {
    it(`N ${n}, hidden ${hidden.join('×')}, ${dtype}: the jet and its gradients equal ATen's`, () => {
      const net = new nn.MLP([2, ...hidden, 3], { seed: n, dtype });
      const x = rand([n, 2], { dtype }).mul(2).sub(1);
      setSmallGemm(true);
      const fast = jet(net, x);
      setSmallGemm(false);
      const ref = jet(net, x);
      const tol = dtype === 'float64' ? 1e-12 : 2e-5;
      fast.forEach((values, k) => {
        const scale = Math.max(1, ...ref[k].map(Math.abs));
        const worst = Math.max(...values.map((v, i) => Math.abs(v - ref[k][i])));
        expect(worst / scale, `output ${k}`).toBeLessThan(tol);
      });
      x.dispose(); net.dispose();
    });
  }

  it('gives the same jet and gradients on two threads as on one (blocks and row ranges split across threads)', () => {
    const before = getNumThreads();
    const net = new nn.MLP([2, 48, 48, 3], { seed: 7, dtype: 'float64' });
    const x = rand([1500, 2], { dtype: 'float64' });
    try {
      setNumThreads(1);
      const one = jet(net, x);
      setNumThreads(2);
      const two = jet(net, x);
      one.forEach((values, k) => {
        const scale = Math.max(1, ...values.map(Math.abs));
        const worst = Math.max(...two[k].map((v, i) => Math.abs(v - values[i])));
        expect(worst / scale, `output ${k}`).toBeLessThan(1e-12);
      });
    } finally {
      setNumThreads(before);
      x.dispose(); net.dispose();
    }
  });
});

// tanh of float32 CPU tensors computed by native/fast_tanh.cc instead of at::tanh: its error
// against float64, its special values, strides, and its first and second derivatives.
import { describe, expect, it } from 'vitest';
import { grad, noGrad, tensor, tidy } from '../src/index.js';

/** The spacing of float32 values at |v| (the smallest subnormal at 0). */
function ulp32(v: number): number {
  const f = new Float32Array([Math.abs(Math.fround(v))]);
  const next = new Float32Array(1);
  new Uint32Array(next.buffer)[0] = new Uint32Array(f.buffer)[0] + 1;
  return next[0] - f[0];
}

describe('tanh on float32 CPU tensors', () => {
  it('is within 1.5 ulp of the exact value from 1e-30 to 1e30, both signs, and at the formulas\' seam', () => {
    const xs: number[] = [];
    for (let i = 0; i <= 400_000; i++) xs.push(-10 + (20 * i) / 400_000);
    for (let i = 0; i <= 100_000; i++) { const v = 10 ** (-30 + (60 * i) / 100_000); xs.push(v, -v); }
    for (let k = -50; k <= 50; k++) xs.push(0.625 + k * 6e-8, -0.625 - k * 6e-8);
    tidy(() => {
      const x = tensor(xs, { dtype: 'float32' });
      const got = x.tanh().to('float64').data() as Float64Array;
      const exact = x.to('float64').tanh().data() as Float64Array;
      let worst = 0, at = 0;
      exact.forEach((r, i) => {
        const e = Math.abs(got[i] - r) / ulp32(r);
        if (e > worst) { worst = e; at = i; }
      });
      expect(worst, `worst at x = ${xs[at]}`).toBeLessThan(1.5);
    });
  });

  it('keeps special values: ±0, ±∞, NaN, saturation, subnormals', () => {
    tidy(() => {
      const x = tensor([0, -0, Infinity, -Infinity, NaN, 44, -45, 1e38, 1e-45, -1e-40], { dtype: 'float32' });
      const t = Array.from(x.tanh().data() as Float32Array);
      expect(Object.is(t[0], 0)).toBe(true);
      expect(Object.is(t[1], -0)).toBe(true);
      expect(t.slice(2, 4)).toEqual([1, -1]);
      expect(Number.isNaN(t[4])).toBe(true);
      expect(t.slice(5, 8)).toEqual([1, -1, 1]);
      expect(t[8]).toBe(Math.fround(1e-45));
      expect(t[9]).toBe(Math.fround(-1e-40));
    });
  });

  it('reads any strides and keeps the shape', () => {
    tidy(() => {
      const x = tensor([[0.1, -2, 3], [0.7, 5, -0.3]], { dtype: 'float32' });
      const viaTranspose = x.t().tanh();
      expect(viaTranspose.shape).toEqual([3, 2]);
      expect(Array.from(viaTranspose.t().contiguous().data() as Float32Array)).toEqual(Array.from(x.tanh().data() as Float32Array));
    });
  });

  it('differentiates as tanh: first and second derivatives against closed forms', () => {
    tidy(() => {
      const values = [-3, -0.9, -0.2, 0, 0.3, 0.625, 1.7, 4];
      const x = tensor(values, { dtype: 'float32' }).requiresGrad_();
      const t = x.tanh();
      const [d1] = grad([t.sum()], [x], { createGraph: true });
      const [d2] = grad([d1!.sum()], [x]);
      const exact1 = values.map((v) => 1 - Math.tanh(v) ** 2);
      const exact2 = values.map((v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2));
      Array.from(d1!.data() as Float32Array).forEach((g, i) => expect(g).toBeCloseTo(exact1[i], 6));
      Array.from(d2!.data() as Float32Array).forEach((g, i) => expect(g).toBeCloseTo(exact2[i], 6));
    });
  });

  it('builds no history under noGrad, and float64 keeps LibTorch\'s tanh', () => {
    tidy(() => {
      const x = tensor([0.5, -1.5], { dtype: 'float32' }).requiresGrad_();
      noGrad(() => expect(x.tanh().requiresGrad).toBe(false));
      expect(x.tanh().requiresGrad).toBe(true);
      const y = tensor([0.5, -1.5, 1e-8], { dtype: 'float64' });
      // float64 precision (an ulp or two of Math.tanh), which no float32 kernel would give.
      Array.from(y.tanh().data() as Float64Array).forEach((v, i) => { const m = Math.tanh([0.5, -1.5, 1e-8][i]); expect(Math.abs(v - m)).toBeLessThanOrEqual(4.5e-16 * Math.abs(m)); });
    });
  });
});

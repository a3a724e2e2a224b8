// The phantom's wave field comes from a finite-difference Helmholtz solver: checked against the
// exact plane wave in a uniform medium (second-order convergence), then on the phantom itself
// by refinement (successive fine grids differ 4× less each time).
import { describe, expect, it } from 'vitest';
import { mre } from '../src/index.js';

const rho = 1000, mu0 = 3000, omega = 2 * Math.PI * 60, L = 0.1, k = omega * Math.sqrt(rho / mu0);

describe('solveHelmholtz2D', () => {
  it('converges to the exact plane wave at second order (the Robin boundary lets it out)', () => {
    const d: [number, number] = [Math.cos(0.5), Math.sin(0.5)];
    const errors = [17, 33, 65].map((n) => {
      const h = L / (n - 1);
      const u = mre.solveHelmholtz2D({ shape: [n, n], spacing: [h, h], mu: new Float64Array(n * n).fill(mu0), density: rho, omega }, { k, direction: d });
      let e2 = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        const p = k * (d[0] * i * h + d[1] * j * h), r = i * n + j;
        e2 += (u[2 * r] - Math.cos(p)) ** 2 + (u[2 * r + 1] - Math.sin(p)) ** 2;
      }
      return Math.sqrt(e2 / (n * n));
    });
    // measured: 0.72, 0.16, 0.039 (RMS |u − u₀|, |u₀| = 1)
    expect(errors[0] / errors[1]).toBeGreaterThan(3.8);
    expect(errors[1] / errors[2]).toBeGreaterThan(3.8);
    expect(errors[2]).toBeLessThan(0.05);
    expect(() => mre.solveHelmholtz2D({ shape: [3, 3], spacing: [1, 1], mu: new Float64Array(9), density: 1, omega: 1 }, { k: 1, direction: [1, 0] })).toThrow(/mu must be 9 positive values/);
  });
});

describe('mrePhantom', () => {
  it('its wave field converges under refinement of the solve; its stiffness has the inclusions', () => {
    const fields = [1, 2, 4].map((refine) => mre.mrePhantom({ n: 21, refine }));
    const diff = (a: mre.MREExample, b: mre.MREExample) => Math.sqrt(a.wave.reduce((s, v, i) => s + (v - b.wave[i]) ** 2, 0) / a.voxels);
    const d12 = diff(fields[0], fields[1]), d24 = diff(fields[1], fields[2]);
    expect(d12 / d24).toBeGreaterThan(3.5);
    const e = fields[2];
    expect([e.shape, e.components, e.frequencies, e.density]).toEqual([[21, 21], 1, [90], 1000]);
    expect(Math.max(...e.mu!)).toBeGreaterThan(5900);
    expect(Math.min(...e.mu!)).toBeLessThan(1600);
    expect(e.maskedVoxels()).toHaveLength(17 * 17);
  });

  it('adds complex Gaussian noise of the asked size, reproducibly by seed', () => {
    const clean = mre.mrePhantom({ n: 21, refine: 1 }), noisy = mre.mrePhantom({ n: 21, refine: 1, noise: 0.05, seed: 3 });
    const inMask = (a: Float64Array) => a.filter((_, k) => clean.mask[k >> 1] === 1);
    const rms = (a: Float64Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / (a.length / 2));
    const ratio = rms(inMask(noisy.wave.map((v, k) => v - clean.wave[k]))) / rms(inMask(clean.wave));
    expect(ratio).toBeGreaterThan(0.045);
    expect(ratio).toBeLessThan(0.055);
    expect(mre.mrePhantom({ n: 21, refine: 1, noise: 0.05, seed: 3 }).wave).toEqual(noisy.wave);
    expect(() => mre.mrePhantom({ n: 4 })).toThrow(/mrePhantom: n must be an integer >= 5, got 4/);
  });
});

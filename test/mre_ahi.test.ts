// Algebraic Helmholtz inversion on fields with a closed form: a plane wave exp(i k·x) in a
// medium of constant μ. The central-difference Laplacian of a plane wave is exactly
// −Σ_k (2 − 2cos(k_k h_k))/h_k² times it, so AHI must return μ_d = ρω² / Σ_k (2 − 2cos(k_k h_k))/h_k²
// (within (kh)²/12 of μ) wherever its stencil lies in the mask — and, since a Gaussian filter
// only scales a plane wave, with smoothing too, away from the mask's edge.
import { describe, expect, it } from 'vitest';
import { mre } from '../src/index.js';

const rho = 1000, mu = 3000, freq = 100, omega = 2 * Math.PI * freq, h = 1e-3;
const k = omega * Math.sqrt(rho / mu), dir = [Math.cos(0.6), Math.sin(0.6)], kv = dir.map((d) => k * d);
const muDiscrete = rho * omega ** 2 / kv.reduce((s, kk) => s + (2 - 2 * Math.cos(kk * h)) / h ** 2, 0);

function planeWave(shape: number[], components: number[], mask?: (s: number[]) => boolean) {
  const V = shape[0] * shape[1];
  const wave = new Float64Array(2 * components.length * V), m = new Uint8Array(V);
  for (let i = 0; i < V; i++) {
    const s = [Math.floor(i / shape[1]), i % shape[1]];
    const phase = kv[0] * s[0] * h + kv[1] * s[1] * h;
    components.forEach((a, c) => { wave[2 * (c * V + i)] = a * Math.cos(phase); wave[2 * (c * V + i) + 1] = a * Math.sin(phase); });
    m[i] = !mask || mask(s) ? 1 : 0;
  }
  return new mre.MREExample({
    wave: { dtype: 'complex128', shape: [1, components.length, ...shape], data: wave }, mask: { dtype: 'uint8', shape, data: m },
    frequencies: [freq], spacing: [h, h], density: rho,
  });
}

describe('AHI on a plane wave in a uniform medium', () => {
  it('gives the discrete closed form wherever its stencil is in the mask, within (kh)²/12 of μ', () => {
    const e = planeWave([40, 30], [1]);
    const r = mre.ahi(e, { sigma: 0 });
    expect(Math.abs(muDiscrete / mu - 1)).toBeLessThan(0.02);
    let n = 0;
    for (let i = 0; i < e.voxels; i++) {
      const [a, b] = [Math.floor(i / 30), i % 30];
      const interior = a > 0 && a < 39 && b > 0 && b < 29;
      expect(r.valid[i]).toBe(interior ? 1 : 0);
      if (!interior) { expect(r.mu[i]).toBeNaN(); continue; }
      expect(Math.abs(r.mu[i] / muDiscrete - 1)).toBeLessThan(1e-9);
      expect(Math.abs(r.muImag[i] / muDiscrete)).toBeLessThan(1e-9);
      n++;
    }
    expect(n).toBe(38 * 28);
  });

  it('smoothing leaves it unchanged away from the edge; a vector field (two components) gives the same μ', () => {
    const e = planeWave([40, 30], [1, -0.5]);
    const sigma = 1.5, edge = Math.ceil(3 * sigma) + 1;
    const r = mre.ahi(e, { sigma });
    for (let i = 0; i < e.voxels; i++) {
      const [a, b] = [Math.floor(i / 30), i % 30];
      if (a < edge || a >= 40 - edge || b < edge || b >= 30 - edge) continue;
      expect(Math.abs(r.mu[i] / muDiscrete - 1)).toBeLessThan(1e-9);
    }
  });

  it('the mask bounds it: no estimate outside, nor where the stencil reaches outside', () => {
    const inside = (s: number[]) => (s[0] - 20) ** 2 + (s[1] - 15) ** 2 <= 100;
    const e = planeWave([40, 30], [1], inside);
    const r = mre.ahi(e, { sigma: 0 });
    for (let i = 0; i < e.voxels; i++) {
      const s = [Math.floor(i / 30), i % 30];
      const ok = inside(s) && inside([s[0] - 1, s[1]]) && inside([s[0] + 1, s[1]]) && inside([s[0], s[1] - 1]) && inside([s[0], s[1] + 1]);
      expect(r.valid[i], `voxel ${s}`).toBe(ok ? 1 : 0);
      if (ok) expect(Math.abs(r.mu[i] / muDiscrete - 1)).toBeLessThan(1e-9);
    }
    expect(() => mre.ahi(e, { sigma: -1 })).toThrow(/ahi: sigma must be a number of voxels >= 0, got -1/);
  });
});

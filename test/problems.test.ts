// The library's problem recipes (pinn.problems): each builds, is consistent with its reference
// solution, refuses bad options with one clear Error, and the CLI presets built on them are the
// problems the CLI built before the recipes moved into the library.
import { describe, expect, it } from 'vitest';
import { Tensor, geometry as G, memory, nn, pinn, rand, tensor, tidy } from '../src/index.js';
import { loadConfig } from '../src/cli/config.js';
import { buildRun, disposeRun } from '../src/cli/problems.js';

/** A "model" that returns a closed form, so the problem's own terms can be evaluated on it. */
class Exact extends nn.Module {
  constructor(readonly f: (x: Tensor) => Tensor) { super(); }
  forward(x: Tensor) { return this.f(x); }
}

const lossesOf = (problem: pinn.Problem, model: nn.Module) =>
  tidy(() => Object.fromEntries(Object.entries(problem.losses(model)).map(([k, v]) => [k, v.item() as number])));

describe('each recipe builds with its defaults', () => {
  it.each([
    ['elasticWave2D', () => pinn.problems.elasticWave2D(), ['x', 'y', 't'], ['ux', 'uy'], { pde: 2000, bc_ux: 400, bc_uy: 400, ic_ux: 400, ic_uy: 400, iv_ux: 400, iv_uy: 400 }, [3, 64, 64, 64, 2]],
    ['mre', () => pinn.problems.mre(), ['x', 'y'], ['u_re', 'u_im', 'mu'], { wave: 800, pde: 800 }, [2, 32, 32, 32, 2]],
    ['poisson2D', () => pinn.problems.poisson2D(), ['x', 'y'], ['u'], { pde: 600 }, [2, 32, 32, 32, 1]],
    ['burgers', () => pinn.problems.burgers(), ['x', 't'], ['u'], { pde: 2540, bc: 80, ic: 160 }, [2, 20, 20, 20, 1]],
  ] as const)('%s', (name, make, inputs, outputs, counts, sizes) => {
    const p = make();
    expect(p).toBeInstanceOf(pinn.Problem);
    expect(p.recipe.name).toBe(name);
    expect(p.recipe.equation.length).toBeGreaterThan(10);
    expect(p.inputs).toEqual(inputs);
    expect(p.outputs).toEqual(outputs);
    expect(Object.fromEntries(p.conditions.map((c) => [c.name, c.points.shape[0]]))).toEqual(counts);
    expect(typeof p.reference).toBe('function');
    expect(p.recipe.domain.dim).toBe(inputs.length);
    const model = p.recipe.createModel();
    const first = model instanceof nn.Concat ? model.branches[0] : model;
    expect((first as nn.MLP).sizes).toEqual(sizes);
    // Every term whose points carry no data can be redrawn; new points have the domain's columns.
    const sources = p.recipe.sources('pool');
    expect(Object.keys(sources)).toEqual(name === 'mre' ? ['pde'] : Object.keys(counts));
    const drawn = sources.pde(7, new G.Random(1));
    expect(drawn.shape).toEqual([7, inputs.length]);
    const ev = p.recipe.evalPoints();
    expect(ev.shape[1]).toBe(inputs.length);
    expect(ev.dtype).toBe(p.conditions[0].points.dtype);
    for (const t of [drawn, ev]) t.dispose();
    model.dispose();
    p.dispose();
  });

  it('points given as tensors are used as they are (a benchmark on its own points), boundary and initial terms may be left out', () => {
    const X = rand([50, 3]);
    const p = pinn.problems.elasticWave2D({ rho: 1, lambda: 1, mu: 0.5, interior: X, boundary: 0, initial: 0, loss: 'mse' });
    expect(p.conditions.map((c) => c.name)).toEqual(['pde']);
    expect(p.conditions[0].points).toBe(X);
    expect(p.conditions[0].lossName).toBe('mse');
    expect(Object.fromEntries(Object.entries(p.coefficients).map(([k, v]) => [k, v.item()]))).toEqual({ rho: 1, lambda: 1, mu: 0.5 });
    p.dispose();
    const q = pinn.problems.burgers({ interior: 100, boundary: 0, initial: 10, weights: { ic: 3 }, dtype: 'float64', seed: 5 });
    expect(q.conditions.map((c) => [c.name, c.weight, c.points.dtype])).toEqual([['pde', 1, 'float64'], ['ic', 3, 'float64']]);
    q.dispose();
  });
});

describe('each recipe is consistent with its reference solution', () => {
  // The closed forms solve their PDEs exactly; in float64 a residual is rounding of its terms,
  // each ≲ ρω²|u| or (λ+2μ)k²|u|, i.e. ≤ ~40: ~1e-16 × 40 × a few ops ≈ 1e-13, squared ≈ 1e-26.
  // Every loss below 1e-20 (residuals ≲ 1e-10) leaves three orders of magnitude of margin and
  // still fails a wrong sign or coefficient, which gives residuals O(1) and losses O(1–1e4).
  it('elasticWave2D: every term (PDE, boundary, initial displacement and velocity) vanishes on the plane waves, also with ρ ≠ 1', () => {
    for (const o of [{}, { rho: 2.5, lambda: 1.2, mu: 0.7, k: 2, A: -0.3, B: 1.1 }]) {
      const p = pinn.problems.elasticWave2D({ ...o, interior: 200, boundary: 60, initial: 60, dtype: 'float64' });
      const losses = lossesOf(p, new Exact(p.reference!));
      expect(Object.keys(losses)).toEqual(['pde', 'bc_ux', 'bc_uy', 'ic_ux', 'ic_uy', 'iv_ux', 'iv_uy']);
      for (const [k, v] of Object.entries(losses)) expect(v, k).toBeLessThan(1e-20);
      // and a wrong solution does not: the P wave's speed with the S wave's
      const wrong = pinn.problems.elasticWave2D({ ...o, interior: 200, boundary: 60, initial: 60, dtype: 'float64', lambda: (o as { lambda?: number }).lambda === undefined ? 3 : 1 });
      expect(lossesOf(wrong, new Exact(p.reference!)).pde).toBeGreaterThan(1e-2);
      p.dispose(); wrong.dispose();
    }
  });

  it('mre: the data are the reference wave and the Helmholtz residual vanishes with μ ≡ stiffness', () => {
    const o = { rho: 1000, omega: 2 * Math.PI * 60, stiffness: 3000, points: 200 };
    const p = pinn.problems.mre(o);
    const losses = lossesOf(p, new Exact(p.reference!));
    expect(losses.wave).toBeLessThan(1e-20);
    // relative to the equation's scale (ρω² ≈ 1.4e8 here)
    expect(Math.sqrt(losses.pde) / (o.rho * o.omega ** 2)).toBeLessThan(1e-12);
    p.dispose();
  });

  it('poisson2D: the residual of the exact solution, through the hard boundary constraint, vanishes', () => {
    const p = pinn.problems.poisson2D({ points: 200 });
    const col = (x: Tensor, i: number) => x.narrow(1, i, 1);
    // The network output N that the transform u = x(1−x)y(1−y)·N turns into the exact solution.
    const N = new Exact((x) => p.reference!(x).div(col(x, 0).mul(col(x, 0).rsub(1)).mul(col(x, 1)).mul(col(x, 1).rsub(1))));
    expect(lossesOf(p, N).pde).toBeLessThan(1e-20);
    tidy(() => {
      const u = p.predict(N, p.conditions[0].points);
      expect(u.sub(p.reference!(p.conditions[0].points)).abs().max().item()).toBeLessThan(1e-14);
    });
    p.dispose();
  });

  it('burgers: the Cole–Hopf reference meets the boundary and initial data, and the PDE away from the shock (finite differences)', () => {
    const p = pinn.problems.burgers({ interior: 64, boundary: 20, initial: 20, dtype: 'float64' });
    const ref = p.reference!;
    tidy(() => {
      expect(ref(p.conditions[1].points).abs().max().item()).toBeLessThan(1e-10);
      const ic = p.conditions[2].points;
      expect(ref(ic).add(ic.narrow(1, 0, 1).mul(Math.PI).sin()).abs().max().item()).toBeLessThan(1e-12);
    });
    // Central differences with h = 1e-4: truncation O(h²·u''') plus rounding O(ε/h²) stay below
    // 1e-5 where u is smooth (test/references.test.ts uses the same bound); the shock at x = 0
    // (|u_x| up to 152) is left out.
    const nu = p.recipe.options.nu!;
    const at = (x: number, t: number) => tidy(() => ref(tensor([[x, t]], { dtype: 'float64' })).item() as number);
    const rows = Array.from(tidy(() => p.conditions[0].points.data() as Float64Array));
    let checked = 0;
    for (let i = 0; i < rows.length; i += 2) {
      const [x, t] = [rows[i], rows[i + 1]];
      if (Math.abs(x) < 0.3 || t < 1e-3 || t > 1 - 1e-3 || Math.abs(x) > 1 - 1e-3) continue;
      const h = 1e-4;
      const ut = (at(x, t + h) - at(x, t - h)) / (2 * h);
      const ux = (at(x + h, t) - at(x - h, t)) / (2 * h);
      const uxx = (at(x + h, t) - 2 * at(x, t) + at(x - h, t)) / (h * h);
      expect(Math.abs(ut + at(x, t) * ux - nu * uxx), `at (${x}, ${t})`).toBeLessThan(1e-5);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
    p.dispose();
  });

  it('burgers: the memoized reference gives the same values for the same points in any dtype, and others afresh', () => {
    const p = pinn.problems.burgers({ interior: 10, boundary: 0, initial: 0 });
    const grid = tidy(() => rand([40, 2], { dtype: 'float32' }).mul(tensor([2, 1], { dtype: 'float32' })).sub(tensor([1, 0], { dtype: 'float32' })));
    const fresh = pinn.references.burgers(p.recipe.options.nu!);
    tidy(() => {
      const a = p.reference!(grid), b = p.reference!(grid.to('float64')), c = fresh(grid.to('float64'));
      expect(a.dtype).toBe('float32');
      expect(b.dtype).toBe('float64');
      expect(Array.from(b.data() as Float64Array)).toEqual(Array.from(c.data() as Float64Array));
      expect(Array.from(a.data() as Float32Array)).toEqual(Array.from(c.to('float32').data() as Float32Array));
      const other = tensor([[0.5, 0.25], [-0.5, 0.75]], { dtype: 'float64' });
      expect(Array.from(p.reference!(other).data() as Float64Array)).toEqual(Array.from(fresh(other).data() as Float64Array));
    });
    grid.dispose();
    p.dispose();
  });
});

describe('bad options are one clear Error naming the recipe and the option', () => {
  it.each([
    [() => pinn.problems.burgers({ nu: -1 }), RangeError, /^pinn\.problems\.burgers: option 'nu' must be a finite number > 0, got number -1$/],
    [() => pinn.problems.burgers({ nu: '0.01' as never }), TypeError, /^pinn\.problems\.burgers: option 'nu' must be a finite number > 0, got "0\.01"$/],
    [() => pinn.problems.burgers({ nuu: 1 } as never), Error, /^pinn\.problems\.burgers: unknown option 'nuu'; did you mean 'nu'\?/],
    [() => pinn.problems.burgers({ interior: 2.5 }), RangeError, /option 'interior' must be an integer ≥ 1 or a floating tensor \[N, 2\], got number 2\.5/],
    [() => pinn.problems.burgers({ weights: { icc: 2 } }), Error, /^pinn\.problems\.burgers: option 'weights': unknown term 'icc'; did you mean 'ic'\?/],
    [() => pinn.problems.burgers({ boundary: 0, weights: { bc: 2 } }), Error, /unknown term 'bc'; did you mean 'ic'\? \(terms: pde, ic\)/],
    [() => pinn.problems.burgers(null as never), TypeError, /^pinn\.problems\.burgers: options must be an object, got null$/],
    [() => pinn.problems.elasticWave2D({ mu: 0 }), RangeError, /^pinn\.problems\.elasticWave2D: option 'mu' must be a finite number > 0, got number 0$/],
    [() => pinn.problems.elasticWave2D({ A: Infinity }), RangeError, /option 'A' must be a finite number, got number Infinity/],
    [() => pinn.problems.elasticWave2D({ interior: 0 }), RangeError, /option 'interior' must be an integer ≥ 1/],
    [() => pinn.problems.elasticWave2D({ sampler: 'sobel' as never }), RangeError, /option 'sampler' must be one of 'uniform', 'lhs', 'sobol', 'halton', 'grid', got "sobel"/],
    [() => pinn.problems.mre({ stiffnessHidden: [16, 0] }), RangeError, /^pinn\.problems\.mre: option 'stiffnessHidden' must be a non-empty array of integers ≥ 1, got array of length 2$/],
    [() => pinn.problems.mre({ dtype: 'float16' as never }), RangeError, /option 'dtype' must be one of 'float32', 'float64'/],
    [() => pinn.problems.poisson2D({ seed: -1 }), RangeError, /^pinn\.problems\.poisson2D: option 'seed' must be an integer ≥ 0, got number -1$/],
    [() => pinn.problems.poisson2D({ points: 'many' as never }), TypeError, /option 'points' must be an integer ≥ 1 or a floating tensor \[N, 2\]/],
  ] as const)('%#: %s', (make, type, message) => {
    expect(make).toThrow(type);
    expect(make).toThrow(message);
  });

  it('a tensor of the wrong shape is named with its shape, and nothing is left allocated', () => {
    const X = rand([10, 2]);
    const before = memory().tensors;
    expect(() => pinn.problems.elasticWave2D({ interior: X })).toThrow(/option 'interior' must be an integer ≥ 1 or a floating tensor \[N, 3\], got a float32 tensor \[10, 2\]/);
    expect(() => pinn.problems.elasticWave2D({ interior: 100, weights: { bcx: 1 } })).toThrow(/unknown term 'bcx'/);
    expect(memory().tensors).toBe(before);
    X.dispose();
  });
});

describe('the CLI presets build the problems they built before the recipes moved', () => {
  // Captured from the CLI's own builders (src/cli/problems.ts before this change) at seed 0:
  // points per term (count, dtype, sum of coordinates), the network's parameter count, the
  // evaluation grid, and the initial raw losses. The losses are float32 for two presets: a
  // relative 1e-5 allows another LibTorch's summation order, and nothing more.
  const before = {
    'elastic-wave-2d': {
      terms: { pde: [2000, 'float32', 3000.047605695], bc_ux: [400, 'float32', 599.746651572], bc_uy: [400, 'float32', 599.746651572], ic_ux: [400, 'float32', 399.9060068], ic_uy: [400, 'float32', 399.9060068], iv_ux: [400, 'float32', 399.9060068], iv_uy: [400, 'float32', 399.9060068] },
      losses: { pde: 0.15531006455421448, bc_ux: 0.5388647317886353, bc_uy: 0.06987927109003067, ic_ux: 0.6040141582489014, ic_uy: 0.07408087700605392, iv_ux: 14.815677642822266, iv_uy: 1.2382104396820068 },
      params: 8706, eval: [18491, 3], tol: 1e-5,
    },
    'mre-helmholtz': { terms: { wave: [800, 'float64', 800.061523251], pde: [800, 'float64', 800.061523251] }, losses: { wave: 1.0672105954648357, pde: 72.94046509644465 }, params: 2611, eval: [1681, 2], tol: 1e-9 },
    'poisson-2d': { terms: { pde: [600, 'float64', 599.903441774] }, losses: { pde: 96.984595916268 }, params: 2241, eval: [2601, 2], tol: 1e-9 },
    burgers: {
      terms: { pde: [2540, 'float32', 1270.249331943], bc: [80, 'float32', 40.168718649], ic: [160, 'float32', -0.56470678] },
      losses: { pde: 0.02896934002637863, bc: 0.13445807993412018, ic: 0.8148852586746216 }, params: 921, eval: [10201, 2], tol: 1e-5,
    },
  } as const;
  for (const [preset, want] of Object.entries(before)) {
    it(preset, () => {
      const run = buildRun(loadConfig(preset).config);
      const p = run.problem;
      for (const c of p.conditions) {
        const [n, dtype, sum] = want.terms[c.name as keyof typeof want.terms] as readonly [number, string, number];
        expect(c.points.shape[0], c.name).toBe(n);
        expect(c.points.dtype, c.name).toBe(dtype);
        const s = tidy(() => (c.points.to('float64').data() as Float64Array).reduce((a, v) => a + v, 0));
        expect(Math.abs(s - sum), c.name).toBeLessThan(1e-8);
      }
      expect(p.conditions.map((c) => c.name)).toEqual(Object.keys(want.terms));
      expect(run.model.parameters().reduce((a, t) => a + t.shape.reduce((x, y) => x * y, 1), 0)).toBe(want.params);
      expect(run.evalPoints.shape).toEqual(want.eval);
      const losses = lossesOf(p, run.model);
      for (const [k, v] of Object.entries(want.losses)) expect(Math.abs(losses[k] - v) / v, k).toBeLessThan(want.tol);
      disposeRun(run);
    });
  }

  it("the CLI's problem is the recipe's: the same points, bit for bit, as pinn.problems with the preset's options", () => {
    const run = buildRun(loadConfig('elastic-wave-2d').config);
    const lib = pinn.problems.elasticWave2D();
    expect(run.problem.conditions.map((c) => c.name)).toEqual(lib.conditions.map((c) => c.name));
    run.problem.conditions.forEach((c, i) => {
      expect(Array.from(c.points.data() as Float32Array)).toEqual(Array.from(lib.conditions[i].points.data() as Float32Array));
    });
    disposeRun(run);
    lib.dispose();
  });
});

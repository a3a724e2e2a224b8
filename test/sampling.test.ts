// Sampling strategies move the collocation points as documented, reproducibly.
import { describe, expect, it } from 'vitest';
import { Tensor, geometry as G, memory, nn, pinn, tensor, tidy } from '../src/index.js';

// A residual that is the first input itself: |r| = |x|, so "worst" points are the largest |x|.
const residualIsX: pinn.ResidualFn = (d) => d.x.narrow(1, 0, 1);
const square = new G.Rectangle([-1, -1], [1, 1]);
const source: pinn.PointSource = (n, rng) => G.toTensor(square.interior(n, { rng }), 2, { dtype: 'float64' });

function setup(n = 20) {
  const problem = new pinn.Problem({ inputs: ['x', 'y'], outputs: ['u'], conditions: [new pinn.PDE('pde', source(n, new G.Random(0)), residualIsX)] });
  return { problem, model: new nn.MLP([2, 4, 1], { dtype: 'float64' }), pde: problem.conditions[0] };
}
const xs = (t: Tensor) => Array.from(t.select(1, 0).data() as Float64Array);

describe('Resample', () => {
  it('replaces points every k steps, reproducibly, and changes them each time', () => {
    const run = () => {
      const { problem, model, pde } = setup();
      const s = new pinn.Resample({ condition: 'pde', every: 5, source, seed: 3 });
      const snaps: number[][] = [];
      for (let step = 0; step <= 10; step++) if (s.apply(step, problem, model)) snaps.push(xs(pde.points));
      return snaps;
    };
    const a = run();
    expect(a).toHaveLength(2); // steps 5 and 10
    expect(a[0]).not.toEqual(a[1]);
    expect(run()).toEqual(a);
  });
  it('stops after `until` (e.g. the last Adam step), and rejects a bad schedule', () => tidy(() => {
    const { problem, model } = setup();
    const s = new pinn.Resample({ condition: 'pde', every: 5, until: 10, source });
    expect(Array.from({ length: 31 }, (_, step) => s.apply(step, problem, model)).flatMap((hit, step) => (hit ? [step] : []))).toEqual([5, 10]);
    const rad = new pinn.RAD({ condition: 'pde', every: 2, until: 2, candidates: 50, source });
    expect([rad.apply(2, problem, model), rad.apply(4, problem, model)]).toEqual([true, false]);
    expect(() => new pinn.RAR({ condition: 'pde', every: 2, until: -1, candidates: 5, add: 1, source })).toThrow(/RAR: until must be a non-negative integer, got -1/);
    expect(() => new pinn.RAD({ condition: 'pde', every: 0, candidates: 5, source })).toThrow(/RAD: every must be a positive integer, got 0/);
    expect(() => new pinn.Resample({ condition: 'pde', every: 2, from: 1.5, source })).toThrow(/Resample: from must be a non-negative integer, got 1.5/);
    expect(() => new pinn.Resample({ condition: 'pde', every: 2, from: 9, until: 4, source })).toThrow(/Resample: from \(9\) is after until \(4\)/);
    // The shared argument checks (src/checks.ts): unknown keys, a non-object, NaN, a missing source or condition are refused by name.
    expect(() => new pinn.Resample({ condition: 'pde', every: 2, source, sed: 1 } as never)).toThrow("Resample: unknown option 'sed'; did you mean 'seed'?");
    expect(() => new pinn.RAR(null as never)).toThrow('RAR: options must be an object, got null');
    expect(() => new pinn.RAR({ condition: 'pde', every: 2, candidates: 5, add: 6, source })).toThrow('RAR: add must be in [1, 5], got 6');
    expect(() => new pinn.RAD({ condition: 'pde', every: 2, candidates: 5, k: NaN, source })).toThrow('RAD: k must be a non-negative number, got NaN');
    expect(() => new pinn.RAD({ condition: 'pde', every: 2, candidates: 2.5, source })).toThrow('RAD: candidates must be a positive integer, got 2.5');
    expect(() => new pinn.Resample({ condition: 'pde', every: 2, source: 3 as never })).toThrow('Resample: source must be a function (n, rng) => points, got 3');
    expect(() => new pinn.Resample({ condition: '', every: 2, source })).toThrow('Resample: condition must be a non-empty string, got ""');
    expect(() => new pinn.Resample({ condition: 'pde', every: 2, source, seed: 0.5 })).toThrow('Resample: seed must be an integer, got number 0.5');
    expect(() => s.loadStateDict({})).toThrow('Resample.loadStateDict: state.rng must be a generator state (an array), got undefined');
  }));
  it('starts at `from` (e.g. the first L-BFGS step) and counts `every` from there', () => tidy(() => {
    const { problem, model } = setup();
    const s = new pinn.Resample({ condition: 'pde', every: 4, from: 7, until: 20, source });
    expect(Array.from({ length: 31 }, (_, step) => s.apply(step, problem, model)).flatMap((hit, step) => (hit ? [step] : []))).toEqual([7, 11, 15, 19]);
  }));
  it('draws in the condition\'s dtype when a phase has cast the problem since the source was written', () => tidy(() => {
    const { problem, model } = setup();
    const f32: pinn.PointSource = (n, rng) => G.toTensor(square.interior(n, { rng }), 2, { dtype: 'float32' });
    for (const s of [new pinn.Resample({ condition: 'pde', every: 1, source: f32 }),
      new pinn.RAR({ condition: 'pde', every: 1, candidates: 30, add: 3, source: f32 }),
      new pinn.RAD({ condition: 'pde', every: 1, candidates: 30, source: f32 })]) {
      expect(s.apply(1, problem, model)).toBe(true);
      expect(problem.conditions[0].points.dtype).toBe('float64');
    }
  }));
});

describe('RAR', () => {
  it('adds the candidates with the largest residual', () => {
    const { problem, model, pde } = setup(10);
    const rar = new pinn.RAR({ condition: 'pde', every: 1, source, candidates: 200, add: 5, seed: 1 });
    const poolRng = new G.Random(1);
    const pool = xs(source(200, poolRng)).map(Math.abs).sort((a, b) => b - a);
    rar.apply(1, problem, model);
    expect(pde.points.shape[0]).toBe(15);
    expect(xs(pde.points).slice(10).map(Math.abs).sort((a, b) => b - a)).toEqual(pool.slice(0, 5));
    const r = new pinn.RAR({ condition: 'pde', every: 1, source, candidates: 10, add: 5, maxPoints: 15 });
    expect(r.apply(1, problem, model)).toBe(false);
  });
});

describe('RAD', () => {
  it('samples with p ∝ |r|^k / mean(|r|^k) + c', () => {
    const rad = new pinn.RAD({ condition: 'pde', every: 1, source, candidates: 4, k: 2, c: 0.5 });
    const p = rad.probabilities(Float64Array.from([0, 1, 2, 3]));
    const rk = [0, 1, 4, 9], mean = 14 / 4, raw = rk.map((v) => v / mean + 0.5), total = raw.reduce((a, b) => a + b);
    raw.forEach((v, i) => expect(p[i]).toBeCloseTo(v / total, 14));
  });
  it('concentrates points where the residual is large', () => {
    const { problem, model, pde } = setup(400);
    new pinn.RAD({ condition: 'pde', every: 1, source, candidates: 4000, k: 2, c: 0, seed: 2 }).apply(1, problem, model);
    const meanAbs = xs(pde.points).reduce((s, v) => s + Math.abs(v), 0) / 400;
    // For p ∝ x² on [−1, 1], E|x| = 3/4 (uniform would give 1/2).
    expect(meanAbs).toBeGreaterThan(0.7);
    expect(pde.points.shape[0]).toBe(400);
  });
  it('draws distinct candidates (without replacement), however peaked p is', () => {
    const { problem, model, pde } = setup(400);
    // 1000 candidates, p ∝ x⁸: drawn with replacement, 400 draws would repeat about a hundred of them.
    new pinn.RAD({ condition: 'pde', every: 1, source, candidates: 1000, k: 8, c: 0, seed: 3 }).apply(1, problem, model);
    const drawn = xs(pde.points);
    expect(new Set(drawn).size).toBe(400);
    // Still weighted: the drawn points sit further out than the pool's |x| ≈ 1/2.
    expect(drawn.reduce((s, v) => s + Math.abs(v), 0) / 400).toBeGreaterThan(0.6);
  });
  it('keeps `points` points per move when given: the set grows at the first move, then stays', () => {
    const { problem, model, pde } = setup(100);
    const rad = new pinn.RAD({ condition: 'pde', every: 1, source, candidates: 2000, points: 400, k: 2, c: 0, seed: 4 });
    rad.apply(1, problem, model);
    expect(pde.points.shape).toEqual([400, 2]);
    expect(new Set(xs(pde.points)).size).toBe(400);
    expect(xs(pde.points).reduce((s, v) => s + Math.abs(v), 0) / 400).toBeGreaterThan(0.7); // still p ∝ x²: E|x| = 3/4
    rad.apply(2, problem, model);
    expect(pde.points.shape).toEqual([400, 2]);
    expect(() => new pinn.RAD({ condition: 'pde', every: 1, source, candidates: 300, points: 400 })).toThrow('RAD: points (400) must be ≤ candidates (300)');
    expect(() => new pinn.RAD({ condition: 'pde', every: 1, source, candidates: 300, points: 0 })).toThrow('RAD: points must be a positive integer, got 0');
  });
});

describe('MiniBatch', () => {
  it('evaluates a different subset each step; the points themselves stay', () => {
    const { problem, model, pde } = setup(50);
    const mb = new pinn.MiniBatch({ condition: 'pde', batchSize: 8, seed: 4 });
    mb.apply(0, problem, model);
    const first = xs(pde.evaluationPoints);
    mb.apply(1, problem, model);
    expect(pde.evaluationPoints.shape).toEqual([8, 2]);
    expect(xs(pde.evaluationPoints)).not.toEqual(first);
    expect(pde.points.shape[0]).toBe(50);
    expect(tidy(() => Object.keys(problem.losses(model)))).toEqual(['pde']);
  });
  it('resumes exactly from its state dict', () => {
    const { problem, model, pde } = setup(50);
    const a = new pinn.MiniBatch({ condition: 'pde', batchSize: 8, seed: 4 });
    a.apply(0, problem, model);
    const saved = JSON.parse(JSON.stringify(a.stateDict()));
    a.apply(1, problem, model);
    const next = xs(pde.evaluationPoints);
    const b = new pinn.MiniBatch({ condition: 'pde', batchSize: 8, seed: 99 });
    b.loadStateDict(saved);
    b.apply(1, problem, model);
    expect(xs(pde.evaluationPoints)).toEqual(next);
  });
  it('goes back to all points after `until`, once (for a following full-batch L-BFGS phase)', () => {
    const { problem, model, pde } = setup(50);
    const mb = new pinn.MiniBatch({ condition: 'pde', batchSize: 8, until: 3, seed: 4 });
    const changed = [0, 1, 2, 3, 4, 5].map((step) => [mb.apply(step, problem, model), pde.evaluationPoints.shape[0]]);
    expect(changed).toEqual([[true, 8], [true, 8], [true, 8], [true, 8], [true, 50], [false, 50]]);
    expect(pde.evaluationPoints).toBe(pde.points);
    expect(() => new pinn.MiniBatch({ condition: 'pde', batchSize: 8, until: -1 })).toThrow(/MiniBatch: until must be a non-negative integer, got -1/);
  });
  it('restores a periodic term (whose evaluated points are both sides stacked) once, too', () => tidy(() => {
    const a = source(12, new G.Random(1)), b = source(12, new G.Random(2));
    const problem = new pinn.Problem({ inputs: ['x', 't'], outputs: ['u'], conditions: [new pinn.PeriodicBC('periodic', a, b, { output: 'u' })] });
    const model = new nn.MLP([2, 4, 1], { seed: 0, dtype: 'float64' });
    const mb = new pinn.MiniBatch({ condition: 'periodic', batchSize: 4, until: 0, seed: 1 });
    const periodic = problem.conditions[0];
    expect([0, 1, 2].map((step) => [mb.apply(step, problem, model), periodic.evaluationPoints.shape[0]])).toEqual([[true, 8], [true, 24], [false, 24]]);
    problem.dispose(); model.dispose();
  }));
  it('terms listed together draw the same rows (data kept paired with its points), anew every `every` steps, and resume mid-period', () => tidy(() => {
    const x = source(30, new G.Random(5));
    const values = x.narrow(1, 0, 1).mul(10); // the data is 10·x at each point: pairing is visible
    const problem = new pinn.Problem({ inputs: ['x', 'y'], outputs: ['u'], conditions: [
      new pinn.PDE('pde', x, residualIsX), new pinn.PointSetData('data', x, values, { outputs: ['u'] })] });
    const model = new nn.MLP([2, 4, 1], { dtype: 'float64' });
    const [pde, data] = problem.conditions;
    const mb = new pinn.MiniBatch({ condition: ['pde', 'data'], batchSize: 6, every: 3, seed: 2 });
    const seen: number[][] = [];
    let saved: Record<string, unknown> = {};
    for (let step = 0; step < 7; step++) {
      mb.apply(step, problem, model);
      if (step === 4) saved = JSON.parse(JSON.stringify(mb.stateDict()));
      expect(xs(data.evaluationPoints)).toEqual(xs(pde.evaluationPoints));
      // the data term's values at its evaluated rows are 10× their points: the residual u − 10x with u = 0 is −10x
      const r = (data.residuals({ value: () => tensor(Array(6).fill([0]), { dtype: 'float64' }) } as any, {})[0]);
      expect(Array.from(r.data() as Float64Array)).toEqual(xs(pde.evaluationPoints).map((v) => -10 * v));
      seen.push(xs(pde.evaluationPoints));
    }
    expect(seen[1]).toEqual(seen[0]); expect(seen[2]).toEqual(seen[0]);
    expect(seen[3]).not.toEqual(seen[0]); expect(seen[4]).toEqual(seen[3]); expect(seen[5]).toEqual(seen[3]);
    expect(seen[6]).not.toEqual(seen[3]);
    // A fresh strategy (as after a resume at step 5) evaluates the saved rows, then draws as the first did.
    const resumed = new pinn.MiniBatch({ condition: ['pde', 'data'], batchSize: 6, every: 3, seed: 99 });
    resumed.loadStateDict(saved);
    for (const c of problem.conditions) c.setBatch(null);
    resumed.apply(5, problem, model);
    expect(xs(pde.evaluationPoints)).toEqual(seen[5]);
    resumed.apply(6, problem, model);
    expect(xs(data.evaluationPoints)).toEqual(seen[6]);
    const uneven = new pinn.Problem({ inputs: ['x', 'y'], outputs: ['u'], conditions: [new pinn.PDE('a', x, residualIsX), new pinn.PDE('b', source(5, new G.Random(1)), residualIsX)] });
    expect(() => new pinn.MiniBatch({ condition: ['a', 'b'], batchSize: 2 }).apply(0, uneven, model)).toThrow(/MiniBatch: PDE 'a' has 30 points, PDE 'b' 5; terms sharing a batch need the same points/);
    expect(() => new pinn.MiniBatch({ condition: 'a', batchSize: 2, every: 0 })).toThrow(/MiniBatch: every must be a positive integer, got 0/);
    expect(() => new pinn.MiniBatch({ condition: [], batchSize: 2 })).toThrow('MiniBatch: condition must be a non-empty array of non-empty strings, got []');
    expect(() => new pinn.MiniBatch({ condition: 'a', batchSize: 2 }).loadStateDict({ rng: new G.Random(0).state(), rows: [1.5] })).toThrow('MiniBatch.loadStateDict: state.rows must be null or an array of non-negative integers, got [1.5]');
  }));
  it('names an unknown condition', () => {
    const { problem, model } = setup();
    expect(() => new pinn.MiniBatch({ condition: 'bc', batchSize: 4 }).apply(0, problem, model)).toThrow(/MiniBatch: no condition named 'bc' \(conditions: pde\)/);
  });
});

describe('Point sets with per-point data, and shared point sets', () => {
  // Terms of every kind whose rows carry data: observations, normals, partner points, a tensor value.
  function dataTerms() {
    const x = source(12, new G.Random(1));
    const other = source(12, new G.Random(2));
    const normals = tensor(Array.from({ length: 12 }, (_, i) => [Math.cos(i), Math.sin(i)]), { dtype: 'float64' });
    const values = tensor(Array.from({ length: 12 }, (_, i) => [i / 7]), { dtype: 'float64' });
    return [
      () => new pinn.PointSetData('data', x.clone(), values.clone(), { outputs: ['u'] }),
      () => new pinn.NeumannBC('neumann', x.clone(), normals.clone(), values.clone(), { output: 'u', spatial: ['x', 'y'] }),
      () => new pinn.PeriodicBC('periodic', x.clone(), other.clone(), { output: 'u', derivative: 'x' }),
      () => new pinn.DirichletBC('dirichlet', x.clone(), values.clone(), { output: 'u' }),
    ];
  }
  const model = new nn.MLP([2, 6, 1], { dtype: 'float64', seed: 3 });
  const rows = [9, 2, 5, 11, 0];

  it('a batch takes the same rows of the data as of the points: the loss equals that of a term built on those rows', () => tidy(() => {
    for (const make of dataTerms()) {
      const batched = make();
      const p1 = new pinn.Problem({ inputs: ['x', 'y'], outputs: ['u'], conditions: [batched] });
      batched.setBatch(tensor(rows, { dtype: 'int64' }));
      const full = make();
      // The same term on only the chosen rows, built from scratch.
      const pick = (t: Tensor) => t.indexSelect(0, tensor(rows, { dtype: 'int64' }));
      const sub = full instanceof pinn.PointSetData ? new pinn.PointSetData('data', pick(full.points), pick(full.values), { outputs: ['u'] })
        : full instanceof pinn.NeumannBC ? new pinn.NeumannBC('neumann', pick(full.points), pick(full.normals), pick(full.value as Tensor), { output: 'u', spatial: ['x', 'y'] })
          : full instanceof pinn.PeriodicBC ? new pinn.PeriodicBC('periodic', pick(full.points), pick(full.partner), { output: 'u', derivative: 'x' })
            : new pinn.DirichletBC('dirichlet', pick(full.points), pick((full as pinn.DirichletBC).value as Tensor), { output: 'u' });
      const p2 = new pinn.Problem({ inputs: ['x', 'y'], outputs: ['u'], conditions: [sub] });
      const a = p1.losses(model)[batched.name].item() as number;
      const b = p2.losses(model)[sub.name].item() as number;
      expect(a, batched.name).toBeGreaterThan(0);
      expect(a, batched.name).toBeCloseTo(b, 14);
      // Re-batching every step keeps the number of live tensors flat.
      const live = memory().tensors;
      for (let k = 0; k <= 20; k++) {
        const idx = tensor(k < 20 ? [k % 12, (k + 5) % 12] : rows, { dtype: 'int64' });
        batched.setBatch(idx);
        idx.dispose();
      }
      void batched.evaluationPoints; // PeriodicBC rebuilds its stacked sides lazily
      expect(memory().tensors, batched.name).toBe(live);
      p1.dispose(); p2.dispose(); full.dispose();
    }
  }));

  it('replacing such points is refused, naming the term and what its rows carry', () => tidy(() => {
    const fresh = source(12, new G.Random(5));
    const expected = [/PointSetData 'data': its points come with per-point values/, /NeumannBC 'neumann': its points come with per-point normals, value/,
      /PeriodicBC 'periodic': its points come with per-point partner points/, /DirichletBC 'dirichlet': its points come with per-point value/];
    dataTerms().forEach((make, i) => {
      const c = make();
      expect(() => c.setPoints(fresh)).toThrow(expected[i]);
      const problem = new pinn.Problem({ inputs: ['x', 'y'], outputs: ['u'], conditions: [c] });
      expect(() => new pinn.RAD({ condition: c.name, every: 1, candidates: 12, source }).apply(1, problem, model)).toThrow(expected[i]);
      problem.dispose();
    });
  }));

  it('resampling one of two terms that share points leaves the other its points; all are freed with the problem', () => {
    const before = memory().tensors;
    tidy(() => {
      const x = source(20, new G.Random(0));
      const values = tensor(Array.from({ length: 20 }, () => [0.5]), { dtype: 'float64' });
      const problem = new pinn.Problem({
        inputs: ['x', 'y'], outputs: ['u'],
        conditions: [new pinn.PointSetData('data', x, values, { outputs: ['u'] }), new pinn.PDE('pde', x, residualIsX)],
      });
      const [data, pde] = problem.conditions;
      const kept = xs(data.points);
      new pinn.Resample({ condition: 'pde', every: 1, source, seed: 1 }).apply(1, problem, model);
      expect(data.points.isDisposed).toBe(false);
      expect(xs(data.points)).toEqual(kept);
      expect(xs(pde.points)).not.toEqual(kept);
      expect(Object.keys(problem.losses(model))).toEqual(['data', 'pde']);
      problem.dispose();
      expect(data.points.isDisposed && pde.points.isDisposed).toBe(true);
    });
    expect(memory().tensors).toBe(before);
  });
});

// LR schedulers against torch.optim.lr_scheduler 1.13 (fixtures: test/fixtures/gen_lr_scheduler.py,
// run with /usr/bin/python3; the JSON is committed so no Python is needed here).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as S from '../src/optim/lr_scheduler/index.js';

interface Case {
  name: string;
  js: any;
  lrs: number[][];
  lastLr: (number[] | null)[];
  midState: any;
  finalState: any;
  metrics?: number[];
}
const fx: { torch: string; epochs: number; midEpoch: number; cases: Case[] } = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'lr_scheduler.json'), 'utf8'),
);
const { epochs: EPOCHS, midEpoch: MID } = fx;

type Sched = { step(m?: number): void; getLastLr(): number[]; stateDict(): S.SchedulerStateDict; loadStateDict(sd: S.SchedulerStateDict): void };
type FakeOptimizer = { paramGroups: Array<{ lr: number; initialLr?: number }> };

/** A fake optimizer: two parameter groups, as in the generator. */
const fake = (lrs = [0.1, 0.03]): FakeOptimizer => ({ paramGroups: lrs.map((lr) => ({ lr })) });
const lrsOf = (o: FakeOptimizer) => o.paramGroups.map((g) => g.lr);

const child = (o: FakeOptimizer, [type, options]: [string, object]) => new (S as any)[type](o, options) as S.LRScheduler;
function build(js: any, o: FakeOptimizer): Sched {
  switch (js.type) {
    case 'LambdaLR':
      return new S.LambdaLR(o, js.lambdas === 'pow' ? (e) => 0.95 ** e : [(e) => 1.0 / (1 + 0.1 * e), (e) => 0.5 ** Math.floor(e / 10)]);
    case 'SequentialLR':
      return new S.SequentialLR(o, { schedulers: js.children.map((c: any) => child(o, c)), milestones: js.milestones });
    case 'ChainedScheduler':
      return new S.ChainedScheduler(js.children.map((c: any) => child(o, c)));
    default:
      return new (S as any)[js.type](o, js.options);
  }
}
const stepOf = (s: Sched, c: Case, e: number) => (c.metrics ? s.step(c.metrics[e]) : s.step());

const REL = 1e-12;
function close(got: number, want: number): boolean {
  return got === want || Math.abs(got - want) <= REL * Math.abs(want);
}
/** Same keys and structure; numbers equal to 1e-12 relative. */
function expectClose(got: unknown, want: unknown, path = 'state'): void {
  if (typeof want === 'number') {
    if (typeof got !== 'number' || !close(got, want)) throw new Error(`${path}: ${String(got)} vs PyTorch ${want}`);
  } else if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) throw new Error(`${path}: ${JSON.stringify(got)} vs PyTorch ${JSON.stringify(want)}`);
    want.forEach((w, i) => expectClose(got[i], w, `${path}[${i}]`));
  } else if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object') throw new Error(`${path}: ${JSON.stringify(got)} vs PyTorch object`);
    expect(Object.keys(got as object).sort(), `${path} keys`).toEqual(Object.keys(want).sort());
    for (const k of Object.keys(want)) expectClose((got as any)[k], (want as any)[k], `${path}.${k}`);
  } else {
    expect(got, path).toEqual(want);
  }
}

describe(`LR sequences equal PyTorch ${fx.torch}'s (two groups, ${EPOCHS} epochs)`, () => {
  it('covers every scheduler', () => {
    const types = new Set(fx.cases.flatMap((c) => [c.js.type, ...(c.js.children ?? []).map((ch: any) => ch[0])]));
    for (const t of ['ConstantLR', 'LambdaLR', 'StepLR', 'MultiStepLR', 'ExponentialLR', 'CosineAnnealingLR', 'LinearLR',
      'SequentialLR', 'ChainedScheduler', 'ReduceLROnPlateau']) expect(types).toContain(t);
    expect(EPOCHS).toBeGreaterThanOrEqual(30);
  });

  for (const c of fx.cases) {
    it(`${c.name}: lrs and getLastLr() after construction and each step, to 1e-12`, () => {
      const o = fake();
      const s = build(c.js, o);
      for (let e = 0; e <= EPOCHS; e++) {
        if (e > 0) stepOf(s, c, e - 1);
        lrsOf(o).forEach((lr, i) => {
          if (!close(lr, c.lrs[e][i])) throw new Error(`epoch ${e} group ${i}: ${lr} vs PyTorch ${c.lrs[e][i]}`);
        });
        // PyTorch's plateau scheduler has no last lr before its first step; ours is the optimizer's.
        const want = c.lastLr[e] ?? lrsOf(o);
        s.getLastLr().forEach((lr, i) => {
          if (!close(lr, want[i])) throw new Error(`getLastLr() at epoch ${e} group ${i}: ${lr} vs PyTorch ${want[i]}`);
        });
      }
    });

    it(`${c.name}: stateDict() after ${MID} and ${EPOCHS} steps is PyTorch's state_dict()`, () => {
      const s = build(c.js, fake());
      for (let e = 0; e < EPOCHS; e++) {
        stepOf(s, c, e);
        if (e + 1 === MID) expectClose(s.stateDict(), c.midState, 'midState');
      }
      expectClose(s.stateDict(), c.finalState, 'finalState');
    });

    it(`${c.name}: loading PyTorch's state_dict() after ${MID} steps continues as PyTorch`, () => {
      const o = fake();
      const s = build(c.js, o);
      o.paramGroups.forEach((g, i) => { g.lr = c.lrs[MID][i]; }); // the optimizer's own state, restored
      s.loadStateDict(c.midState);
      for (let e = MID; e < EPOCHS; e++) {
        stepOf(s, c, e);
        lrsOf(o).forEach((lr, i) => { if (!close(lr, c.lrs[e + 1][i])) throw new Error(`epoch ${e + 1} group ${i}: ${lr} vs ${c.lrs[e + 1][i]}`); });
      }
    });
  }

  it('is bit for bit (the chainable forms PyTorch computes), except where V8 and glibc round cos or pow differently', () => {
    const inexact: string[] = [];
    let worst = 0;
    for (const c of fx.cases) {
      const o = fake();
      const s = build(c.js, o);
      let same = lrsOf(o).every((lr, i) => lr === c.lrs[0][i]);
      for (let e = 0; e < EPOCHS; e++) {
        stepOf(s, c, e);
        lrsOf(o).forEach((lr, i) => {
          const want = c.lrs[e + 1][i];
          same &&= lr === want;
          if (lr !== want) worst = Math.max(worst, Math.abs(lr - want) / Math.abs(want));
        });
      }
      if (!same) inexact.push(c.name);
    }
    // V8's cos and pow (fdlibm) and glibc's, which CPython calls, are each within an ulp of the
    // true value but not always the same ulp (cos at 1.2π; 0.95 ** 10 in the user's lambda).
    // Every other operation is the same IEEE arithmetic in the same order, so bit-identical.
    expect(inexact.filter((n) => !/Cosine|0\.95\^epoch/.test(n))).toEqual([]);
    // Where the two cos agree, cosine annealing is exact over 6 half-periods (the closed form
    // would differ in 69 of its 92 values), so this is the recursive form, not the closed one.
    expect(inexact).not.toContain('CosineAnnealingLR tMax 7 (6 tMax)');
    expect(inexact.length).toBeLessThanOrEqual(4);
    expect(worst).toBeLessThan(1e-15);
  });
});

describe('resuming from stateDict()', () => {
  for (const c of fx.cases) {
    it(`${c.name}: through JSON, into a fresh scheduler and fake optimizer, continues identically`, () => {
      const o1 = fake();
      const s1 = build(c.js, o1);
      for (let e = 0; e < MID; e++) stepOf(s1, c, e);
      const saved = JSON.parse(JSON.stringify({ sched: s1.stateDict(), lrs: lrsOf(o1) }));
      const o2 = fake();
      const s2 = build(c.js, o2);
      o2.paramGroups.forEach((g, i) => { g.lr = saved.lrs[i]; });
      s2.loadStateDict(saved.sched);
      expect(s2.stateDict()).toEqual(s1.stateDict());
      expect(s2.getLastLr()).toEqual(s1.getLastLr());
      for (let e = MID; e < EPOCHS; e++) {
        stepOf(s1, c, e);
        stepOf(s2, c, e);
        expect(lrsOf(o2), `epoch ${e + 1}`).toEqual(lrsOf(o1));
      }
      expect(s2.stateDict()).toEqual(s1.stateDict());
    });

    it(`${c.name}: loadStateDict names a missing or an unexpected key and changes nothing`, () => {
      const s = build(c.js, fake());
      for (let e = 0; e < 3; e++) stepOf(s, c, e);
      const sd = s.stateDict();
      const before = JSON.stringify(sd);
      const name = c.js.type;
      for (const k of Object.keys(sd)) {
        const { [k]: _, ...missing } = sd;
        expect(() => s.loadStateDict(missing)).toThrow(`${name}.loadStateDict: missing key '${k}'`);
      }
      expect(() => s.loadStateDict({ ...sd, extra: 1 })).toThrow(`${name}.loadStateDict: unexpected key 'extra'`);
      expect(JSON.stringify(s.stateDict())).toBe(before);
    });
  }

  it('a bad sub-scheduler state leaves a SequentialLR entirely as it was', () => {
    const o = fake();
    const seq = new S.SequentialLR(o, { schedulers: [new S.LinearLR(o), new S.ExponentialLR(o, { gamma: 0.9 })], milestones: [5] });
    for (let e = 0; e < 7; e++) seq.step();
    const sd = seq.stateDict();
    const before = JSON.stringify(sd);
    const subs = sd.schedulers as S.SchedulerStateDict[];
    const { gamma: _, ...noGamma } = subs[1];
    // Everything before schedulers[1] is valid and different: none of it may be applied.
    const bad = { ...sd, lastEpoch: 0, schedulers: [{ ...subs[0], lastEpoch: 0 }, noGamma] };
    expect(() => seq.loadStateDict(bad)).toThrow("SequentialLR.loadStateDict: schedulers[1] (ExponentialLR): missing key 'gamma'");
    expect(() => seq.loadStateDict({ ...sd, schedulers: [subs[0], { ...subs[1], gamma: -2 }] }))
      .toThrow('SequentialLR.loadStateDict: schedulers[1] (ExponentialLR): gamma must be a positive number, got -2');
    expect(() => seq.loadStateDict({ ...sd, schedulers: [subs[0]] })).toThrow(/schedulers must be an array of 2 state dicts/);
    expect(JSON.stringify(seq.stateDict())).toBe(before);
  });

  it('checks values, not just keys', () => {
    const s = new S.StepLR(fake(), { stepSize: 3 });
    const sd = s.stateDict();
    expect(() => s.loadStateDict({ ...sd, lastEpoch: 1.5 })).toThrow('StepLR.loadStateDict: lastEpoch must be an integer ≥ -1, got 1.5');
    expect(() => s.loadStateDict({ ...sd, baseLrs: [0.1] })).toThrow('StepLR.loadStateDict: baseLrs must hold 2 numbers (one per parameter group), got 1');
    expect(() => s.loadStateDict({ ...sd, lastLr: [0.1, 'x'] })).toThrow('StepLR.loadStateDict: lastLr[1] must be a finite number, got "x"');
    expect(() => s.loadStateDict({ ...sd, stepSize: 0 })).toThrow('StepLR.loadStateDict: stepSize must be a positive integer, got 0');
    expect(() => s.loadStateDict(null as any)).toThrow('StepLR.loadStateDict: expected a state dict object, got null');
    const l = new S.LambdaLR(fake(), (e) => e + 1);
    expect(() => l.loadStateDict({ ...l.stateDict(), lrLambdas: [null] })).toThrow(/lrLambdas must be an array of 2 nulls/);
    const p = new S.ReduceLROnPlateau(fake());
    expect(() => p.loadStateDict({ ...p.stateDict(), best: null })).toThrow(/best must be a finite number, 'Infinity' or '-Infinity', got null/);
    expect(() => p.loadStateDict({ ...p.stateDict(), mode: 'up' })).toThrow("ReduceLROnPlateau.loadStateDict: mode must be 'min' or 'max', got \"up\"");
  });

  it('hyperparameters load too, as in PyTorch', () => {
    const a = new S.StepLR(fake(), { stepSize: 3, gamma: 0.5 });
    const b = new S.StepLR(fake(), { stepSize: 10 });
    b.loadStateDict(a.stateDict());
    expect([b.stepSize, b.gamma]).toEqual([3, 0.5]);
  });

  it("a plateau scheduler's ±Infinity best survives JSON", () => {
    for (const mode of ['min', 'max'] as const) {
      const o = fake();
      const p = new S.ReduceLROnPlateau(o, { mode, patience: 0 });
      const sd = JSON.parse(JSON.stringify(p.stateDict()));
      expect(sd.best).toBe(mode === 'min' ? 'Infinity' : '-Infinity');
      const q = new S.ReduceLROnPlateau(o, { mode, patience: 0 });
      q.step(1);
      q.loadStateDict(sd);
      expect(q.best).toBe(mode === 'min' ? Infinity : -Infinity);
      q.step(1); // improves on ±Infinity: no cut
      expect(lrsOf(o)).toEqual([0.1, 0.03]);
    }
  });
});

describe('construction', () => {
  it('sets initialLr only where absent and takes the first step (lastEpoch 0)', () => {
    const o: FakeOptimizer = { paramGroups: [{ lr: 0.1 }, { lr: 0.05, initialLr: 0.2 }] };
    const s = new S.LinearLR(o, { startFactor: 0.5 });
    expect(o.paramGroups.map((g) => g.initialLr)).toEqual([0.1, 0.2]);
    expect(s.baseLrs).toEqual([0.1, 0.2]);
    expect(s.lastEpoch).toBe(0);
    expect(lrsOf(o)).toEqual([0.05, 0.025]); // chainable: current lr × startFactor
    expect(s.getLastLr()).toEqual([0.05, 0.025]);
  });

  it('resuming with lastEpoch needs initialLr in every group', () => {
    expect(() => new S.ExponentialLR(fake(), { gamma: 0.9, lastEpoch: 4 }))
      .toThrow('ExponentialLR: optimizer.paramGroups[0] has no initialLr to resume from (lastEpoch 4)');
    const o: FakeOptimizer = { paramGroups: [{ lr: 0.05, initialLr: 0.1 }] };
    const s = new S.CosineAnnealingLR(o, { tMax: 10, lastEpoch: 4 });
    expect(s.lastEpoch).toBe(5);
    expect(o.paramGroups[0].lr).toBeCloseTo(0.05, 15); // closed form at epoch 5 of 10
  });

  it('ReduceLROnPlateau takes no step and sets no initialLr, as PyTorch', () => {
    const o = fake();
    const p = new S.ReduceLROnPlateau(o);
    expect(o.paramGroups[0]).toEqual({ lr: 0.1 });
    expect(p.lastEpoch).toBe(0);
    p.step({ item: () => 3 }); // a scalar Tensor works too
    expect(p.best).toBe(3);
  });

  it('works on the real optimizers', async () => {
    const { tensor, optim } = await import('../src/index.js');
    const sgd = new optim.SGD([{ params: [tensor([0], { dtype: 'float64' }).requiresGrad_()] }], { lr: 0.1 });
    const s = new optim.lrScheduler.StepLR(sgd, { stepSize: 2, gamma: 0.5 });
    s.step(); s.step();
    expect(sgd.paramGroups[0].lr).toBe(0.05);
    expect((sgd.paramGroups[0] as { initialLr?: number }).initialLr).toBe(0.1);
  });
});

describe('PyTorch semantics worth pinning down', () => {
  it('cosine annealing rises again past tMax, along the closed form', () => {
    const o = fake([1]);
    const s = new S.CosineAnnealingLR(o, { tMax: 10, etaMin: 0.1 });
    const seq = [lrsOf(o)[0]];
    for (let e = 1; e <= 30; e++) { s.step(); seq.push(lrsOf(o)[0]); }
    expect(seq[10]).toBeCloseTo(0.1, 15);
    expect(seq[15]).toBeGreaterThan(seq[11]);
    expect(seq[20]).toBeCloseTo(1, 14);
    seq.forEach((lr, e) => expect(lr).toBeCloseTo(0.1 + 0.9 * (1 + Math.cos((Math.PI * e) / 10)) / 2, 14));
  });

  it('SequentialLR restarts the next scheduler at its milestone from initialLr (its step(0))', () => {
    const o = fake([1]);
    const s = new S.SequentialLR(o, {
      schedulers: [new S.ConstantLR(o, { factor: 0.5, totalIters: 10 }), new S.ExponentialLR(o, { gamma: 0.5 })], milestones: [3],
    });
    const seq = [lrsOf(o)[0]];
    for (let e = 0; e < 5; e++) { s.step(); seq.push(lrsOf(o)[0]); }
    expect(seq).toEqual([0.5, 0.5, 0.5, 1, 0.5, 0.25]); // not 0.5 · 0.5 at epoch 3
    expect(s.schedulers[1].lastEpoch).toBe(2);
  });

  it('chainable forms compose with outside changes; LambdaLR does not', () => {
    const o = fake([1]);
    const s = new S.StepLR(o, { stepSize: 2, gamma: 0.5 });
    o.paramGroups[0].lr = 0.3;
    s.step(); s.step();
    expect(lrsOf(o)).toEqual([0.15]);
    new S.LambdaLR(o, () => 1);
    expect(lrsOf(o)).toEqual([1]); // back to initialLr · λ
  });

  it('step(epoch) jumps with the closed form', () => {
    const o = fake();
    const s = new S.StepLR(o, { stepSize: 3, gamma: 0.5 });
    s.step(7);
    expect(lrsOf(o)).toEqual([0.025, 0.0075]);
    expect(s.lastEpoch).toBe(7);
  });

  it('a step that would make an lr non-finite throws and changes nothing', () => {
    const o = fake();
    const s = new S.LambdaLR(o, (e) => (e === 2 ? NaN : 1));
    s.step();
    expect(() => s.step()).toThrow('LambdaLR: the learning rate of group 0 at epoch 2 would be NaN');
    expect(s.lastEpoch).toBe(1);
    expect(() => new S.LambdaLR(fake(), (() => 'x') as any).step()).toThrow(/LambdaLR: lrLambda for group 0 returned "x" at epoch 0/);
  });

  it('plateau: NaN counts as no improvement, as in PyTorch', () => {
    const o = fake();
    const p = new S.ReduceLROnPlateau(o, { patience: 1 });
    p.step(1); p.step(NaN); p.step(NaN);
    expect(lrsOf(o)[0]).toBeCloseTo(0.01, 15);
    expect(() => p.step('1' as any)).toThrow('ReduceLROnPlateau.step: metric must be a number, got "1"');
  });
});

describe('option checks', () => {
  const o = fake();
  const bad: Array<[string, () => unknown, string | RegExp]> = [
    ['plateau factor ≥ 1', () => new S.ReduceLROnPlateau(o, { factor: 1.5 }), 'ReduceLROnPlateau: factor must be < 1, got 1.5'],
    ['plateau factor < 0', () => new S.ReduceLROnPlateau(o, { factor: -0.5 }), 'ReduceLROnPlateau: factor must be ≥ 0, got -0.5'],
    ['plateau factor type', () => new S.ReduceLROnPlateau(o, { factor: '0.5' as any }), 'ReduceLROnPlateau: factor must be a number, got "0.5"'],
    ['plateau mode', () => new S.ReduceLROnPlateau(o, { mode: 'up' as any }), "ReduceLROnPlateau: mode must be 'min' or 'max', got \"up\""],
    ['plateau thresholdMode', () => new S.ReduceLROnPlateau(o, { thresholdMode: 'pct' as any }), "ReduceLROnPlateau: thresholdMode must be 'rel' or 'abs', got \"pct\""],
    ['plateau patience', () => new S.ReduceLROnPlateau(o, { patience: -1 }), 'ReduceLROnPlateau: patience must be a non-negative integer, got -1'],
    ['plateau cooldown', () => new S.ReduceLROnPlateau(o, { cooldown: 1.5 }), 'ReduceLROnPlateau: cooldown must be a non-negative integer, got 1.5'],
    ['plateau threshold', () => new S.ReduceLROnPlateau(o, { threshold: -1e-3 }), 'ReduceLROnPlateau: threshold must be a non-negative number, got -0.001'],
    ['plateau minLr count', () => new S.ReduceLROnPlateau(o, { minLr: [0.1] }), 'ReduceLROnPlateau: minLr must hold 2 numbers (one per parameter group), got 1'],
    ['plateau minLr < 0', () => new S.ReduceLROnPlateau(o, { minLr: -1 }), 'ReduceLROnPlateau: minLr must be a non-negative number, got -1'],
    ['plateau eps', () => new S.ReduceLROnPlateau(o, { eps: NaN }), 'ReduceLROnPlateau: eps must be a non-negative number, got NaN'],
    ['snake_case option', () => new S.ReduceLROnPlateau(o, { min_lr: 0.1 } as any), /ReduceLROnPlateau: unknown option 'min_lr'/],
    ['StepLR stepSize 0', () => new S.StepLR(o, { stepSize: 0 }), 'StepLR: stepSize must be a positive integer, got 0'],
    ['StepLR stepSize missing', () => new S.StepLR(o, {} as any), 'StepLR: stepSize must be a positive integer, got undefined'],
    ['StepLR snake_case', () => new S.StepLR(o, { step_size: 3 } as any), /StepLR: unknown option 'step_size'/],
    ['StepLR gamma 0', () => new S.StepLR(o, { stepSize: 2, gamma: 0 }), 'StepLR: gamma must be a positive number, got 0'],
    ['MultiStepLR milestones', () => new S.MultiStepLR(o, { milestones: [3, -1] }), 'MultiStepLR: milestones[1] must be a non-negative integer, got -1'],
    ['MultiStepLR not array', () => new S.MultiStepLR(o, { milestones: 3 as any }), 'MultiStepLR: milestones must be an array of epochs, got 3'],
    ['ExponentialLR gamma ≤ 0', () => new S.ExponentialLR(o, { gamma: -1 }), 'ExponentialLR: gamma must be a positive number, got -1'],
    ['ExponentialLR gamma missing', () => new S.ExponentialLR(o, {} as any), 'ExponentialLR: gamma must be a positive number, got undefined'],
    ['ConstantLR factor', () => new S.ConstantLR(o, { factor: 0 }), 'ConstantLR: factor must be a number in (0, 1], got 0'],
    ['ConstantLR totalIters', () => new S.ConstantLR(o, { totalIters: -2 }), 'ConstantLR: totalIters must be a positive integer, got -2'],
    ['LinearLR startFactor', () => new S.LinearLR(o, { startFactor: 0 }), 'LinearLR: startFactor must be a number in (0, 1], got 0'],
    ['LinearLR endFactor', () => new S.LinearLR(o, { endFactor: 2 }), 'LinearLR: endFactor must be a number in [0, 1], got 2'],
    ['CosineAnnealingLR tMax', () => new S.CosineAnnealingLR(o, { tMax: 1.5 }), 'CosineAnnealingLR: tMax must be a positive integer, got 1.5'],
    ['CosineAnnealingLR etaMin', () => new S.CosineAnnealingLR(o, { tMax: 5, etaMin: -1 }), 'CosineAnnealingLR: etaMin must be a non-negative number, got -1'],
    ['lastEpoch', () => new S.StepLR(o, { stepSize: 2, lastEpoch: -2 }), 'StepLR: lastEpoch must be an integer ≥ -1, got -2'],
    ['LambdaLR count', () => new S.LambdaLR(o, [(e: number) => e]), 'LambdaLR: expected 2 lrLambdas (one per parameter group), got 1'],
    ['LambdaLR not a function', () => new S.LambdaLR(o, 0.9 as any), 'LambdaLR: lrLambda must be a function, got 0.9'],
    ['optimizer', () => new S.StepLR({} as any, { stepSize: 2 }), 'StepLR: optimizer must have a non-empty paramGroups array, got an object'],
    ['optimizer lr', () => new S.StepLR({ paramGroups: [{ lr: 'x' }] } as any, { stepSize: 2 }), 'StepLR: optimizer.paramGroups[0].lr must be a finite number, got "x"'],
    ['SequentialLR milestones count', () => new S.SequentialLR(o, { schedulers: [new S.StepLR(o, { stepSize: 2 })], milestones: [3] }),
      'SequentialLR: milestones must be an array of 0 epochs (one fewer than schedulers), got [3]'],
    ['SequentialLR milestones order', () => new S.SequentialLR(o, { schedulers: [new S.LinearLR(o), new S.LinearLR(o), new S.LinearLR(o)], milestones: [5, 5] }),
      'SequentialLR: milestones must increase, got [5, 5]'],
    ['SequentialLR other optimizer', () => new S.SequentialLR(o, { schedulers: [new S.LinearLR(fake())], milestones: [] }),
      'SequentialLR: schedulers[0] belongs to a different optimizer'],
    ['SequentialLR plateau', () => new S.SequentialLR(o, { schedulers: [new S.ReduceLROnPlateau(o) as any], milestones: [] }),
      'SequentialLR: schedulers[0] must be an LRScheduler (StepLR, LinearLR, …), got an object'],
    ['ChainedScheduler empty', () => new S.ChainedScheduler([]), 'ChainedScheduler: schedulers must be a non-empty array of schedulers, got []'],
    ['ChainedScheduler optimizers', () => new S.ChainedScheduler([new S.LinearLR(o), new S.LinearLR(fake())]),
      'ChainedScheduler: schedulers[1] belongs to a different optimizer than schedulers[0]'],
  ];
  for (const [what, make, msg] of bad) it(what, () => expect(make).toThrow(msg));

  it('a refused option leaves the optimizer untouched', () => {
    const p = fake();
    expect(() => new S.StepLR(p, { stepSize: 2, gamma: -1 })).toThrow();
    expect(p.paramGroups).toEqual([{ lr: 0.1 }, { lr: 0.03 }]);
  });
});

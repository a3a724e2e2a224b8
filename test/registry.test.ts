// The registries (optimizers, schedulers, loss weightings, sampling strategies): every entry
// builds from its declared defaults, declares the defaults its class really has, answers to its
// aliases in any case, and an unknown name is one error listing the known ones. The CLI's config
// schema comes from the same registries, so it accepts every entry with no CLI edit.
import { describe, expect, it } from 'vitest';
import { validate } from '../src/cli/config.js';
import { loadConfig } from '../src/cli/config.js';
import { Trainer, geometry as G, nn, optim, pinn, tensor, zeros } from '../src/index.js';
import { type OptionSchema, type OptionSpec, type RegistryEntry, checkOptions, defaults, spellings } from '../src/registry.js';

/** A value for a required option that its schema accepts. */
function example(spec: OptionSpec): unknown {
  switch (spec.kind) {
    case 'number': return spec.min === undefined ? 1 : spec.exclusiveMin ? Math.min(spec.min + 0.5, spec.max ?? Infinity) : spec.min;
    case 'integer': return Math.max(spec.min ?? 1, 1);
    case 'boolean': return true;
    case 'string': return 'pde';
    case 'string-enum': return spec.values[0];
    case 'array': return Array.from({ length: Math.max(spec.minItems ?? 1, 1) }, () => example(spec.items));
    case 'record': return { pde: example(spec.values) };
  }
}
const required = (schema: OptionSchema) => Object.fromEntries(Object.entries(schema).filter(([, s]) => s.required).map(([k, s]) => [k, example(s)]));
const minimal = (e: RegistryEntry) => required(e.options);

describe('optimizer and scheduler registries', () => {
  it('every optimizer builds with its declared defaults, and they are the defaults the class has', () => {
    for (const e of optim.optimizers.entries) {
      const p = zeros([3], { dtype: 'float64' }).requiresGrad_();
      const o = optim.buildOptimizer({ type: e.name, ...minimal(e) }, [p]);
      expect(o.constructor.name).toBe(e.name);
      const group = o.paramGroups[0] as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(defaults(e.options))) expect(group[k], `${e.name}.${k}`).toEqual(v);
      expect(Object.keys(group).filter((k) => k !== 'params').sort(), e.name).toEqual(Object.keys(e.options).sort()); // the schema lists every option
      checkOptions(e.options, { ...defaults(e.options), ...minimal(e) }, e.name); // defaults pass the schema's own bounds
      p.dispose();
    }
  });

  it('every scheduler builds with its declared defaults over an Adam', () => {
    for (const e of optim.schedulers.entries) {
      const p = zeros([3], { dtype: 'float64' }).requiresGrad_();
      const s = optim.buildScheduler({ type: e.name, ...minimal(e) }, new optim.Adam([p]));
      expect(s.constructor.name).toBe(e.name);
      for (const [k, v] of Object.entries(defaults(e.options))) if (k in s && k !== 'lastEpoch') expect((s as unknown as Record<string, unknown>)[k], `${e.name}.${k}`).toEqual(v);
      checkOptions(e.options, { ...defaults(e.options), ...minimal(e) }, e.name);
      p.dispose();
    }
  });

  it('names resolve in any case and through aliases; PyTorch class names are canonical', () => {
    expect(optim.optimizers.names).toEqual(['SGD', 'Adam', 'AdamW', 'MultiAdam', 'RMSprop', 'LBFGS', 'BFGS']);
    for (const [name, canonical] of [['adam', 'Adam'], ['ADAMW', 'AdamW'], ['lbfgs', 'LBFGS'], ['L-BFGS', 'LBFGS'], ['l-bfgs', 'LBFGS'], ['rmsprop', 'RMSprop'], ['sgd', 'SGD']]) {
      expect(optim.optimizers.get(name).name, name).toBe(canonical);
    }
    for (const [name, canonical] of [['StepLR', 'StepLR'], ['steplr', 'StepLR'], ['step', 'StepLR'], ['plateau', 'ReduceLROnPlateau'], ['Cosine', 'CosineAnnealingLR'], ['exponentiallr', 'ExponentialLR']]) {
      expect(optim.schedulers.get(name).name, name).toBe(canonical);
    }
    expect(optim.optimizers.same('adam', 'Adam')).toBe(true);
    expect(optim.optimizers.same('adam', 'adamw')).toBe(false);
    expect(pinn.weightings.get('GRADNORM').name).toBe('gradNorm');
    expect(pinn.samplingStrategies.get('RAD').name).toBe('rad');
  });

  it('an unknown name is one error naming the closest and listing every known one', () => {
    expect(() => optim.optimizers.get('adma')).toThrow("unknown optimizer 'adma'; did you mean 'Adam'? (known: SGD, Adam, AdamW, MultiAdam, RMSprop, LBFGS, BFGS)");
    expect(() => optim.schedulers.get('StepLRR', 'phase')).toThrow(/^phase: unknown scheduler 'StepLRR'; did you mean 'StepLR'\? \(known: StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, ConstantLR, ReduceLROnPlateau\)$/);
    expect(() => pinn.weightings.get('nope')).toThrow(/unknown weighting 'nope' \(known: static, warmup, gradNorm, lra, ntk, relobralo\)/);
    expect(() => pinn.samplingStrategies.get(42)).toThrow(/unknown sampling strategy 42 \(known: resample, rar, rad, minibatch\)/);
  });

  it('checkOptions: unknown keys with a suggestion, kinds and bounds, required options', () => {
    const adam = optim.optimizers.get('Adam').options;
    expect(() => checkOptions(adam, { lrr: 1 }, 'x')).toThrow("x: unknown option 'lrr'; did you mean 'lr'?");
    expect(() => checkOptions(adam, { lr: -1 }, 'x')).toThrow('x.lr must be a finite number ≥ 0, got -1');
    expect(() => checkOptions(adam, { betas: [0.9, 1] }, 'x')).toThrow(/x\.betas must be an array of 2 \(a finite number ≥ 0 and < 1\)/);
    expect(() => checkOptions(optim.schedulers.get('StepLR').options, {}, 'x')).toThrow(/x\.stepSize is required/);
    expect(() => checkOptions(optim.optimizers.get('LBFGS').options, { lineSearchFn: null, maxIter: 2.5 }, 'x')).toThrow(/x\.maxIter must be an integer ≥ 1, got 2\.5/);
  });

  it('a Trainer phase takes any spelling, and a checkpoint of "adam" resumes into a plan saying "Adam"', async () => {
    const rows = tensor([[0], [0.5], [1]], { dtype: 'float64' });
    const make = () => new pinn.Problem({ inputs: ['x'], outputs: ['u'], conditions: [new pinn.DirichletBC('bc', rows, 1, { output: 'u' })] });
    const dir = (await import('node:fs')).mkdtempSync((await import('node:path')).join((await import('node:os')).tmpdir(), 'pinn-reg-'));
    const p1 = make(), m1 = new nn.MLP([1, 4, 1], { seed: 0, dtype: 'float64' });
    const stop = new AbortController();
    const t1 = new Trainer({ problem: p1, model: m1, phases: [{ optimizer: { type: 'adam' }, steps: 10 }], checkpoint: { dir }, signal: stop.signal });
    t1.on('step', (e) => { if (e.step === 2) stop.abort(); });
    expect((await t1.fit()).stopReason).toBe('aborted'); // in phase 0 at step 2: resuming compares phase 0's optimizer
    const p3 = make(), m3 = new nn.MLP([1, 4, 1], { seed: 0, dtype: 'float64' });
    const t3 = new Trainer({ problem: p3, model: m3, phases: [{ optimizer: { type: 'SGD', lr: 0.1 }, steps: 4 }] });
    expect(() => t3.load(dir)).toThrow(/the checkpoint is in phase 0 \(adam\), but this plan's phase 0 is SGD/);
    for (const x of [t3, p3, m3]) x.dispose();
    const p2 = make(), m2 = new nn.MLP([1, 4, 1], { seed: 0, dtype: 'float64' });
    const t2 = new Trainer({ problem: p2, model: m2, phases: [{ optimizer: { type: 'Adam' }, steps: 4 }, { optimizer: { type: 'L-BFGS', maxIter: 2 }, steps: 1 }] });
    t2.load(dir);
    expect((await t2.fit()).steps).toBe(5);
    for (const x of [t1, t2, p1, p2, m1, m2]) x.dispose();
    rows.dispose();
    (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
  });
});

describe('weighting and sampling registries', () => {
  it('every weighting builds with its declared defaults', () => {
    for (const e of pinn.weightings.entries) {
      const w = pinn.buildWeighting({ type: e.name, ...minimal(e) }, { seed: 0 });
      expect(w.name).toBe(e.name);
      checkOptions(e.options, { ...defaults(e.options), ...minimal(e) }, e.name);
    }
  });

  it('every sampling strategy builds with its declared defaults, given a source of points', () => {
    const square = new G.Rectangle([0, 0], [1, 1]);
    const source = (n: number, rng: G.Random) => G.toTensor(square.interior(n, { rng }), 2, { dtype: 'float64' });
    for (const e of pinn.samplingStrategies.entries) {
      const s = pinn.buildSampling({ type: e.name, ...minimal(e), ...(e.name === 'rar' ? { add: 1 } : {}) }, { source, seed: 0 });
      expect(s.name).toBe(e.name);
      checkOptions(e.options, { ...defaults(e.options), ...minimal(e) }, e.name);
    }
    expect(() => pinn.buildSampling({ type: 'rad', condition: 'pde', every: 1, candidates: 10 })).toThrow(/RAD: needs a source of fresh points/);
  });
});

describe('the CLI config comes from the registries', () => {
  const base = loadConfig('poisson-2d').config;
  it('accepts every registered optimizer and scheduler under every spelling, with their required options', () => {
    for (const e of optim.optimizers.entries) for (const type of spellings(e)) {
      const c = validate({ ...base, phases: [{ steps: 1, optimizer: { type, ...minimal(e) } }] }, type);
      expect(c.phases![0].optimizer.type).toBe(type); // the config keeps the spelling it was given
    }
    for (const e of optim.schedulers.entries) for (const type of spellings(e)) {
      validate({ ...base, phases: [{ steps: 1, optimizer: { type: 'Adam' }, scheduler: { type, ...minimal(e) } }] }, type);
    }
    // Another casing of a known name is taken too (as the library takes it), as the canonical name.
    expect(validate({ ...base, phases: [{ steps: 1, optimizer: { type: 'aDaM' } }] }, 'x').phases![0].optimizer.type).toBe('Adam');
  });

  it('accepts every registered weighting and sampling strategy, and each entry\'s options only', () => {
    for (const e of pinn.weightings.entries) validate({ ...base, weighting: { type: e.name, ...minimal(e) } }, e.name);
    for (const e of pinn.samplingStrategies.entries) validate({ ...base, sampling: [{ type: e.name, ...minimal(e) }] }, e.name);
    expect(validate({ ...base, weighting: { type: 'LRA' } }, 'x').weighting!.type).toBe('lra'); // the name problems.ts switches on
    expect(() => validate({ ...base, phases: [{ steps: 1, optimizer: { type: 'adam', historySize: 5 } }] }, 'x')).toThrow(/config\.phases\[0\]\.optimizer: unknown key 'historySize'/);
    expect(() => validate({ ...base, phases: [{ steps: 1, optimizer: { type: 'Adamm' } }] }, 'x')).toThrow(/config\.phases\[0\]\.optimizer\.type: unknown optimizer 'Adamm'; did you mean 'Adam'\?/);
  });
});

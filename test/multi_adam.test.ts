// MultiAdam (src/optim/multi_adam.ts): with one term it is Adam; its first step is the closed
// form −γ/K Σₖ gₖ/(|gₖ| + ε); scaling one term leaves its steps unchanged; through the Trainer it
// gets each term's gradient, so a loss weighting has no effect; its state resumes bit for bit.
import { describe, expect, it } from 'vitest';
import { type Tensor, Trainer, grad, memory, nn, optim, pinn, tensor, tidy } from '../src/index.js';
import { expectClose, flat } from './helpers/compare.js';

const dtype = 'float64';
const net = (seed = 1) => new nn.MLP([1, 8, 8, 1], { seed, dtype });
const xs = tensor(Array.from({ length: 16 }, (_, i) => [i / 15]), { dtype });
/** Two terms of very different scales on the same network: a fit to sin and a penalty on u(0). */
const terms = (m: nn.Module, scale = 1): Tensor[] => [
  m.forward(xs).sub(xs.mul(3).sin()).square().mean(),
  m.forward(tensor([[0]], { dtype })).square().sum().mul(scale),
];

/** Steps MultiAdam on the terms' own gradients (as the Trainer gives them). */
function multiStep(opt: optim.MultiAdam, m: nn.Module, scale = 1) {
  tidy(() => {
    const ls = terms(m, scale);
    const params = m.parameters();
    const gs = ls.map((l) => grad([l], params, { retainGraph: true, allowUnused: true }));
    params.forEach((p, i) => { p.grad = gs.map((g) => g[i]).filter((g): g is Tensor => g !== null).reduce((a, b) => a.add(b)); });
    opt.setTermGradients(new Map(params.map((p, i) => [p, gs.map((g) => g[i])])));
  });
  opt.step();
}
const paramsOf = (m: nn.Module) => m.parameters().flatMap((p) => flat(p));

describe('MultiAdam', () => {
  it('with one term (its .grad) it is Adam: 25 steps equal to 1e-13', () => {
    const a = net(), b = net();
    const oa = new optim.Adam(a.parameters(), { lr: 1e-2 }), ob = new optim.MultiAdam(b.parameters(), { lr: 1e-2 });
    for (let s = 0; s < 25; s++) {
      for (const [m, o] of [[a, oa], [b, ob]] as const) {
        o.zeroGrad();
        tidy(() => { terms(m).reduce((x, y) => x.add(y)).backward(); });
        o.step();
      }
    }
    expectClose(paramsOf(b), paramsOf(a), 1e-13, 'parameters');
    oa.dispose(); ob.dispose();
  });

  it('its first step is −γ/K Σₖ gₖ/(|gₖ| + ε), term by term', () => {
    const m = net(2);
    const before = paramsOf(m);
    const gs = tidy(() => {
      const ls = terms(m, 5);
      return ls.map((l) => grad([l], m.parameters(), { retainGraph: true }).flatMap((g) => flat(g!)));
    });
    const lr = 1e-2, eps = 1e-8;
    const opt = new optim.MultiAdam(m.parameters(), { lr, eps });
    multiStep(opt, m, 5);
    const want = before.map((v, i) => v - (lr / 2) * gs.reduce((s, g) => s + g[i] / (Math.abs(g[i]) + eps), 0));
    expectClose(paramsOf(m), want, 1e-12, 'θ after one step');
    opt.dispose();
  });

  // ε (added to √v̂) is what breaks the invariance: with the default 1e-8 the steps differ by
  // ~1e-6 relative after 30, where gradient entries are small; 1e-14 here.
  it('scaling one term by 10⁴ leaves 30 steps unchanged (to ε); Adam on the sum is not', () => {
    const run = (scale: number, multi: boolean) => {
      const m = net(3);
      const o = multi ? new optim.MultiAdam(m.parameters(), { lr: 1e-2, eps: 1e-14 }) : new optim.Adam(m.parameters(), { lr: 1e-2 });
      for (let s = 0; s < 30; s++) {
        if (o instanceof optim.MultiAdam) multiStep(o, m, scale);
        else { o.zeroGrad(); tidy(() => { terms(m, scale).reduce((x, y) => x.add(y)).backward(); }); o.step(); }
      }
      o.dispose();
      return paramsOf(m);
    };
    expectClose(run(1e4, true), run(1, true), 1e-9, 'MultiAdam');
    const adam1 = run(1, false), adam4 = run(1e4, false);
    expect(Math.max(...adam1.map((v, i) => Math.abs(v - adam4[i])))).toBeGreaterThan(1e-3);
  });

  it('state dict: 5 steps, save, load into a fresh optimizer, 5 more equal 10 uninterrupted (bits)', () => {
    const a = net(4), b = net(4);
    const oa = new optim.MultiAdam(a.parameters(), { lr: 1e-2 });
    for (let s = 0; s < 10; s++) multiStep(oa, a);
    let ob = new optim.MultiAdam(b.parameters(), { lr: 1e-2 });
    for (let s = 0; s < 5; s++) multiStep(ob, b);
    const sd = JSON.parse(JSON.stringify(ob.stateDict()));
    ob.dispose();
    ob = new optim.MultiAdam(b.parameters(), { lr: 1e-2 });
    ob.loadStateDict(sd);
    for (let s = 0; s < 5; s++) multiStep(ob, b);
    expect(paramsOf(b)).toEqual(paramsOf(a));
    oa.dispose(); ob.dispose();
  });

  it('holds the live tensor count flat over 20 steps (the terms\' gradients are freed once used)', () => {
    const m = net(6);
    const o = new optim.MultiAdam(m.parameters(), { lr: 1e-2 });
    multiStep(o, m);
    const base = memory().tensors;
    for (let s = 0; s < 20; s++) multiStep(o, m);
    expect(memory().tensors).toBe(base);
    o.dispose();
  });

  it('refuses a closure, a changed number of terms, foreign or misshapen gradients, bad options', () => {
    const m = net(5);
    const o = new optim.MultiAdam(m.parameters());
    expect(() => o.step(() => 0)).toThrow(/MultiAdam: step\(\) takes no closure/);
    multiStep(o, m);
    tidy(() => {
      m.forward(xs).sum().backward();
      o.setTermGradients(new Map(m.parameters().map((p) => [p, [p.grad!.clone()]])));
    });
    expect(() => o.step()).toThrow(/MultiAdam: the state holds moments of 2 terms, this step gave 1/);
    // a state dict whose moments lost their term axis is refused at the step, before anything moves
    const sd = JSON.parse(JSON.stringify(o.stateDict()));
    sd.state[1].expAvg = sd.state[0].expAvg; // the second parameter's: the first must not move either
    const fresh = new optim.MultiAdam(m.parameters());
    fresh.loadStateDict(sd);
    const before = paramsOf(m);
    expect(() => multiStep(fresh, m)).toThrow(/MultiAdam: state moments are float64 \[2, 8, 1\], the parameter needs float64 \[2, 8\]/);
    expect(paramsOf(m)).toEqual(before);
    fresh.dispose();
    const other = tensor([1], { dtype });
    expect(() => o.setTermGradients(new Map([[other, [other]]]))).toThrow(/not one of its parameters/);
    const p0 = m.parameters()[0];
    expect(() => o.setTermGradients(new Map([[p0, [tensor([1, 2], { dtype })]]]))).toThrow(/term 0's gradient is not a live tensor of the parameter's shape/);
    expect(() => o.setTermGradients(new Map([[p0, []]]))).toThrow(/the same number \(≥ 1\) of term gradients/);
    expect(() => new optim.MultiAdam(m.parameters(), { betas: [0.9, 1] })).toThrow(/MultiAdam: betas\[1\]/);
    expect(() => new optim.MultiAdam(m.parameters(), { lr: 1, weightDecay: 0.1 } as never)).toThrow(/MultiAdam/);
    expect(() => new optim.Adam(m.parameters()).setTermGradients(new Map())).toThrow(/Adam steps on the summed gradient/);
    o.dispose(); other.dispose();
  });
});

describe('MultiAdam in the Trainer', () => {
  /** −u'' = π² sin πx on (0, 1), u(0) = u(1) = 0, with the boundary term's static weight `w`. */
  const fit = async (w: number) => {
    const x = tensor(Array.from({ length: 32 }, (_, i) => [(i + 0.5) / 32]), { dtype });
    const problem = new pinn.Problem({
      inputs: ['x'], outputs: ['u'],
      conditions: [
        new pinn.PDE('pde', x, pinn.pdes.poisson((p) => p.mul(Math.PI).sin().mul(Math.PI ** 2), { spatial: ['x'] })),
        new pinn.DirichletBC('bc', tensor([[0], [1]], { dtype }), 0, { output: 'u', weight: w }),
      ],
      reference: (p) => p.mul(Math.PI).sin(),
    });
    const model = new nn.MLP([1, 16, 16, 1], { seed: 0, dtype });
    const trainer = new Trainer({ problem, model, phases: [{ optimizer: { type: 'MultiAdam', lr: 1e-2, eps: 1e-14 }, steps: 300 }], evalPoints: x });
    const r = await trainer.fit();
    const out = { params: paramsOf(model), relL2: r.relL2.all, first: r.history.total[0], last: r.history.total[r.history.total.length - 1] };
    problem.dispose(); model.dispose();
    return out;
  };

  it('trains a Poisson problem, and the boundary term\'s weight (1 or 1000) does not change its steps', async () => {
    const a = await fit(1), b = await fit(1000);
    expect(a.relL2).toBeLessThan(0.05);
    expect(a.last).toBeLessThan(a.first / 100);
    expectClose(b.params, a.params, 1e-8, 'parameters after 300 steps');
  });
});

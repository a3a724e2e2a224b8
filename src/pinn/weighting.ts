// Loss weighting: how the per-term raw losses Lᵢ become Σ wᵢ Lᵢ. Every scheme is a small
// object with `update(...)` → weights, and a state dict so a resumed run continues exactly.
import { grad } from '../autograd.js';
import { tidy } from '../memory.js';
import { Tensor } from '../tensor.js';

export type Weights = Record<string, number>;

export interface WeightingContext {
  step: number;
  /** Raw losses of this step (still attached to the graph). */
  raw: Record<string, Tensor>;
  /** Parameters the gradients are taken with respect to (model + coefficients). */
  params: Tensor[];
  /** The conditions' own static weights. */
  base: Weights;
}

export interface LossWeighting {
  readonly name: string;
  weights(ctx: WeightingContext): Weights;
  stateDict(): Record<string, unknown>;
  loadStateDict(state: Record<string, unknown>): void;
}

function checkState(name: string, state: Record<string, unknown>, keys: string[]): void {
  for (const k of keys) if (!(k in state)) throw new Error(`${name}.loadStateDict: missing key '${k}'`);
  for (const k of Object.keys(state)) if (!keys.includes(k)) throw new Error(`${name}.loadStateDict: unexpected key '${k}'`);
}

/** The conditions' static weights, unchanged. */
export class StaticWeighting implements LossWeighting {
  readonly name = 'static';
  weights(ctx: WeightingContext): Weights { return { ...ctx.base }; }
  stateDict() { return {}; }
  loadStateDict(s: Record<string, unknown>) { checkState('StaticWeighting', s, []); }
}

/**
 * The elastography seed's PDE warm-up: for the listed terms, w = 0 for the first `warmup`
 * steps, then w = init · factor^⌊(step − warmup)/every⌋, capped at `max`; other terms keep
 * their static weight.
 */
export class WarmupWeighting implements LossWeighting {
  readonly name = 'warmup';
  constructor(readonly o: { terms: string[]; warmup: number; init: number; factor?: number; every?: number; max?: number }) {
    if (!(o.warmup >= 0 && Number.isInteger(o.warmup))) throw new RangeError(`WarmupWeighting: warmup must be a non-negative integer, got ${o.warmup}`);
    if (!(o.init >= 0)) throw new RangeError(`WarmupWeighting: init must be ≥ 0, got ${o.init}`);
    if (o.every !== undefined && !(o.every >= 1)) throw new RangeError(`WarmupWeighting: every must be ≥ 1, got ${o.every}`);
  }
  weightAt(step: number): number {
    const { warmup, init, factor = 1, every = 1, max = Infinity } = this.o;
    if (step < warmup) return 0;
    return Math.min(init * factor ** Math.floor((step - warmup) / every), max);
  }
  weights(ctx: WeightingContext): Weights {
    const w = { ...ctx.base };
    for (const t of this.o.terms) w[t] = this.weightAt(ctx.step);
    return w;
  }
  stateDict() { return {}; }
  loadStateDict(s: Record<string, unknown>) { checkState('WarmupWeighting', s, []); }
}

/**
 * Gradient-norm balancing (Wang et al. 2023, jaxpi): every `every` steps,
 * ŵᵢ = (Σⱼ‖∇θLⱼ‖) / ‖∇θLᵢ‖, and w ← α w + (1 − α) ŵ (α = 0.9). Terms with a zero gradient keep
 * their weight. Costs one extra backward pass per term on update steps.
 */
export class GradNormWeighting implements LossWeighting {
  readonly name = 'gradNorm';
  private current: Weights | null = null;
  constructor(readonly o: { every?: number; alpha?: number } = {}) {
    if (o.alpha !== undefined && !(o.alpha >= 0 && o.alpha < 1)) throw new RangeError(`GradNormWeighting: alpha must be in [0, 1), got ${o.alpha}`);
  }
  /** ‖∇θLᵢ‖ for every term. */
  static gradNorms(raw: Record<string, Tensor>, params: Tensor[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, l] of Object.entries(raw)) {
      out[k] = tidy(() => {
        if (!l.requiresGrad) return 0;
        const gs = grad(l, params, { retainGraph: true, allowUnused: true });
        return Math.sqrt(gs.reduce((s, g) => s + (g ? (g.square().sum().item() as number) : 0), 0));
      });
    }
    return out;
  }
  weights(ctx: WeightingContext): Weights {
    const { every = 1000, alpha = 0.9 } = this.o;
    if (this.current === null) this.current = { ...ctx.base };
    if (ctx.step % every === 0) {
      const norms = GradNormWeighting.gradNorms(ctx.raw, ctx.params);
      const total = Object.values(norms).reduce((a, b) => a + b, 0);
      for (const k of Object.keys(norms)) {
        if (norms[k] > 0) this.current[k] = alpha * (this.current[k] ?? 1) + (1 - alpha) * (total / norms[k]);
      }
    }
    return { ...this.current };
  }
  stateDict() { return { current: this.current }; }
  loadStateDict(s: Record<string, unknown>) {
    checkState('GradNormWeighting', s, ['current']);
    this.current = s.current === null ? null : { ...(s.current as Weights) };
  }
}

/**
 * ReLoBRaLo (Bischof & Kraus 2021): with m terms, softmax-scaled loss ratios
 * ŵᵢ(t; t') = m·exp(Lᵢ(t)/(T Lᵢ(t'))) / Σⱼ exp(Lⱼ(t)/(T Lⱼ(t'))),
 * wᵢ(t) = α(ρ wᵢ(t−1) + (1−ρ) ŵᵢ(t; 0)) + (1−α) ŵᵢ(t; t−1), ρ ~ Bernoulli(expectedRho).
 * Uses loss values only: no extra backward pass. Its random lookback is seeded and resumable.
 */
export class ReLoBRaLoWeighting implements LossWeighting {
  readonly name = 'relobralo';
  private first: Weights | null = null;
  private previous: Weights | null = null;
  private current: Weights | null = null;
  private rng: number;
  constructor(readonly o: { alpha?: number; temperature?: number; expectedRho?: number; seed?: number } = {}) {
    this.rng = (o.seed ?? 0x9e3779b9) >>> 0;
    if (o.temperature !== undefined && !(o.temperature > 0)) throw new RangeError(`ReLoBRaLoWeighting: temperature must be > 0, got ${o.temperature}`);
  }
  /** mulberry32: a tiny seeded generator whose whole state is one integer. */
  private random(): number {
    let t = (this.rng = (this.rng + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  private static scaled(now: Weights, then: Weights, T: number): Weights {
    const keys = Object.keys(now);
    const e = keys.map((k) => now[k] / (T * then[k] + 1e-300));
    const mx = Math.max(...e);
    const ex = e.map((v) => Math.exp(v - mx)); // shift for stability; cancels in the ratio
    const sum = ex.reduce((a, b) => a + b, 0);
    return Object.fromEntries(keys.map((k, i) => [k, (keys.length * ex[i]) / sum]));
  }
  weights(ctx: WeightingContext): Weights {
    const { alpha = 0.999, temperature = 1, expectedRho = 0.999 } = this.o;
    const L: Weights = Object.fromEntries(Object.entries(ctx.raw).map(([k, t]) => [k, t.item() as number]));
    if (this.first === null) {
      this.first = L; this.previous = L; this.current = Object.fromEntries(Object.keys(L).map((k) => [k, 1]));
      return { ...this.current };
    }
    const rho = this.random() < expectedRho ? 1 : 0;
    const fromStart = ReLoBRaLoWeighting.scaled(L, this.first, temperature);
    const fromPrev = ReLoBRaLoWeighting.scaled(L, this.previous!, temperature);
    const w: Weights = {};
    for (const k of Object.keys(L)) {
      w[k] = alpha * (rho * this.current![k] + (1 - rho) * fromStart[k]) + (1 - alpha) * fromPrev[k];
    }
    this.previous = L;
    this.current = w;
    return { ...w };
  }
  stateDict() { return { first: this.first, previous: this.previous, current: this.current, rng: this.rng }; }
  loadStateDict(s: Record<string, unknown>) {
    checkState('ReLoBRaLoWeighting', s, ['first', 'previous', 'current', 'rng']);
    this.first = s.first as Weights | null; this.previous = s.previous as Weights | null;
    this.current = s.current as Weights | null; this.rng = Number(s.rng) >>> 0;
  }
}

import { checkInteger, checkOptions, checkPositive, checkRange, need } from '../../checks.js';
import { type LossWeighting, type WeightingContext, type Weights, checkState, checkWeights, globalValues } from './base.js';

/**
 * ReLoBRaLo (Bischof & Kraus 2021): with m terms, softmax-scaled loss ratios
 * ŵᵢ(t; t') = m·exp(Lᵢ(t)/(T Lᵢ(t'))) / Σⱼ exp(Lⱼ(t)/(T Lⱼ(t'))),
 * wᵢ(t) = α(ρ wᵢ(t−1) + (1−ρ) ŵᵢ(t; 0)) + (1−α) ŵᵢ(t; t−1), ρ ~ Bernoulli(expectedRho).
 * Uses loss values only: no extra backward pass. Its random lookback is seeded and resumable.
 * Bounded by construction: every weight lies in (0, m), and the EMA is its α.
 */
export class ReLoBRaLoWeighting implements LossWeighting {
  readonly name = 'relobralo';
  private first: Weights | null = null;
  private previous: Weights | null = null;
  private current: Weights | null = null;
  private rng: number;
  constructor(readonly o: { alpha?: number; temperature?: number; expectedRho?: number; seed?: number } = {}) {
    const op = 'ReLoBRaLoWeighting', c = checkOptions(op, o, ['alpha', 'temperature', 'expectedRho', 'seed']);
    if (c.alpha !== undefined) checkRange(op, 'alpha', c.alpha, 0, 1);
    if (c.expectedRho !== undefined) checkRange(op, 'expectedRho', c.expectedRho, 0, 1);
    if (c.temperature !== undefined) checkPositive(op, 'temperature', c.temperature);
    this.rng = (c.seed === undefined ? 0x9e3779b9 : checkInteger(op, 'seed', c.seed)) >>> 0;
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
    const L: Weights = globalValues(ctx.raw, ctx.allreduce?.bind(ctx));
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
    const name = 'ReLoBRaLoWeighting';
    need(Number.isSafeInteger(s.rng), `${name}.loadStateDict`, 'state.rng', 'an integer', s.rng);
    this.first = checkWeights(name, 'first', s.first); this.previous = checkWeights(name, 'previous', s.previous);
    this.current = checkWeights(name, 'current', s.current); this.rng = Number(s.rng) >>> 0;
  }
}

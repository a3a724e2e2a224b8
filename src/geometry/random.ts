// A small seeded generator, xoshiro128** (Blackman & Vigna, 2018), whose whole state is four
// 32-bit integers: samplers are reproducible, independent of LibTorch's generator, and can be
// checkpointed (`state()`) and resumed exactly (`setState()`).

import { checkInteger, checkPositiveInt, need } from '../checks.js';

/** The xoshiro128** generator, seeded through splitmix32. */
export class Random {
  private s = new Uint32Array(4);

  /**
   * Seeds with an integer (any safe integer; 0 ≤ seed < 2³² is the common case). The four
   * state words are successive outputs of splitmix32: x ← x + 0x9e3779b9,
   * z = mix(x) (xor-shift-multiply by 0x85ebca6b and 0xc2b2ae35), so nearby seeds give
   * unrelated streams. Bits of the seed above 2³² are folded in by xor.
   */
  constructor(seed = 0) {
    checkInteger('Random', 'seed', seed);
    const high = Math.floor(seed / 2 ** 32);
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = (x ^ (high === 0 ? 0 : mix32(high + i))) >>> 0;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if (this.s.every((v) => v === 0)) this.s[0] = 1; // the all-zero state is a fixed point
  }

  /** A generator continuing from a state saved by `state()`. */
  static fromState(state: readonly number[]): Random {
    const r = new Random(0);
    r.setState(state);
    return r;
  }

  /**
   * A uniform 32-bit unsigned integer: output = rotl(s₁·5, 7)·9 (mod 2³²), then the linear
   * step t = s₁ ≪ 9; s₂ ^= s₀; s₃ ^= s₁; s₁ ^= s₂; s₀ ^= s₃; s₂ ^= t; s₃ = rotl(s₃, 11).
   * Period 2¹²⁸ − 1.
   */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits: (a·2²⁶ + b) / 2⁵³ from the top 27 and 26 bits of two outputs. */
  next(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }

  /** An integer uniform on {0, …, n − 1}: ⌊next()·n⌋ (bias below 2⁻⁵³·n). */
  int(n: number): number {
    checkPositiveInt('Random.int', 'n', n);
    return Math.floor(this.next() * n);
  }

  /** A copy continuing the same stream independently. */
  clone(): Random { return Random.fromState(this.state()); }

  /** The four state words; `setState` on any generator resumes the stream exactly here. */
  state(): number[] { return Array.from(this.s); }

  setState(state: readonly number[]): void {
    const ok = Array.isArray(state) && state.length === 4 && state.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32);
    need(ok, 'Random.setState', 'state', 'four unsigned 32-bit integers from state()', state);
    if (state.every((v) => v === 0)) throw new Error('Random.setState: the all-zero state is invalid for xoshiro128**');
    this.s.set(state);
  }
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

function mix32(v: number): number {
  let z = (v | 0) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

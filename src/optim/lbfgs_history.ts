// L-BFGS's curvature pairs (s, y) and the two-loop recursion d = −H g over them.
//
// PyTorch runs the recursion as ~6 small vector ops per stored pair (a dot product, its
// read-back and an axpy, twice): with history 100 that is ~600 calls per iteration, each
// crossing into native code. Here the pairs are rows of one [2·capacity, n] matrix and their inner
// products sᵢ·yⱼ and yᵢ·yⱼ are kept in JS (two matrix–vector products per new pair), so every dot
// product of the recursion is a lookup or a combination of numbers already known:
//   loop 1 (newest first): αᵢ = ρᵢ sᵢ·q,  q = −g − Σ_{j newer} αⱼ yⱼ  ⇒  sᵢ·q = −sᵢ·g − Σ αⱼ sᵢ·yⱼ
//   loop 2 (oldest first): βᵢ = ρᵢ yᵢ·r,  r = h q + Σ_{j older} cⱼ sⱼ, cⱼ = αⱼ − βⱼ
//                          ⇒  yᵢ·r = h (−yᵢ·g − Σ_all αⱼ yᵢ·yⱼ) + Σ_{j older} cⱼ yᵢ·sⱼ
//   d = −h g − h Σ αⱼ yⱼ + Σ cⱼ sⱼ
// The vectors are touched by two matrix–vector products (Sᵀg, Yᵀg in one; d in one). Same
// arithmetic as PyTorch's recursion up to rounding.
//
// The state dict keeps PyTorch's layout (lists oldDirs = y, oldStps = s, ro); the list entries
// are views of the matrix rows, so nothing is stored twice.
import { zeros, tensor } from '../creation.js';
import { keep } from '../memory.js';
import { Tensor } from '../tensor.js';
import { floats } from './readback.js';


/**
 * What a state dict keeps besides the pairs, so that a resumed run continues bit for bit: their
 * inner products, oldest first, row-major m × m (sy[i·m + j] = sᵢ·yⱼ, yy likewise), and the row
 * of the oldest pair (the final sum over rows runs in row order, so the layout matters too).
 */
export interface SavedProducts { sy: number[]; yy: number[]; ringStart: number }

export class CurvatureHistory {
  readonly capacity: number;
  private readonly rows: Tensor; // row slot: s, row capacity + slot: y
  private readonly sy: Float64Array; // sy[a·capacity + b] = s_a·y_b, by slot
  private readonly yy: Float64Array; // yy[a·capacity + b] = y_a·y_b
  private readonly slots: number[] = []; // slots oldest → newest (a ring)

  /**
   * Takes over `dirs` (y) and `stps` (s), e.g. from a loaded state dict: their tensors are
   * copied into the matrix and replaced, in the same arrays, by views of it. Without `saved`,
   * their inner products are computed.
   */
  constructor(readonly dirs: Tensor[], readonly stps: Tensor[], readonly ro: number[], historySize: number, like: Tensor, saved?: SavedProducts) {
    const c = this.capacity = Math.max(historySize, dirs.length);
    // The history is allocated whole: refuse, before allocating anything, one that cannot be.
    if (c * c > 2 ** 27 || 2 * c * like.shape[0] > 2 ** 31) {
      throw new RangeError(`LBFGS: historySize ${historySize} is too large: its history would hold ${2 * c} × ${like.shape[0]} numbers and ${c} × ${c} inner products (historySize ≤ ${Math.min(2 ** 13.5, 2 ** 30 / Math.max(1, like.shape[0])) | 0} fits)`);
    }
    this.rows = keep(zeros([2 * c, like.shape[0]], { dtype: like.dtype, device: like.device }));
    this.sy = new Float64Array(c * c);
    this.yy = new Float64Array(c * c);
    const m = dirs.length, start = saved ? saved.ringStart % c : 0;
    for (let k = 0; k < m; k++) {
      const slot = (start + k) % c;
      this.write(slot, stps[k], dirs[k]);
      stps[k].dispose(); dirs[k].dispose();
      this.adopt(slot, k);
    }
    const gram = saved || !m ? null : floats(this.rows.matmul(this.rows.t())); // every inner product at once
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
      const [a, b] = [this.slots[i], this.slots[j]];
      this.sy[a * c + b] = saved ? saved.sy[i * m + j] : gram![a * 2 * c + c + b];
      this.yy[a * c + b] = saved ? saved.yy[i * m + j] : gram![(c + a) * 2 * c + c + b];
    }
  }

  /** True when this history can go on holding `dirs` for gradients like `like` with `historySize` pairs. */
  fits(dirs: unknown, like: Tensor, historySize: number): boolean {
    return dirs === this.dirs && historySize <= this.capacity && like.dtype === this.rows.dtype && like.device === this.rows.device;
  }

  /** For the state dict. */
  saved(): SavedProducts {
    const c = this.capacity;
    const sy: number[] = [], yy: number[] = [];
    for (const a of this.slots) for (const b of this.slots) { sy.push(this.sy[a * c + b]); yy.push(this.yy[a * c + b]); }
    return { sy, yy, ringStart: this.slots[0] ?? 0 };
  }

  /** The views this history owns are in `dirs`/`stps` (freed with the optimizer state); this frees the matrix. */
  dispose(): void { this.rows.dispose(); }

  /** Appends (s, y) with ρ = 1/(y·s), dropping the oldest pair when `limit` pairs are held. */
  push(s: Tensor, y: Tensor, rho: number, limit: number): void {
    while (this.slots.length >= Math.min(limit, this.capacity)) {
      this.slots.shift();
      this.dirs.shift()!.dispose(); this.stps.shift()!.dispose(); this.ro.shift();
    }
    const slot = this.slots.length ? (this.slots[this.slots.length - 1] + 1) % this.capacity : 0;
    this.write(slot, s, y);
    this.adopt(slot, this.dirs.length);
    this.ro.push(rho);
    // Matrix–vector products only: a product with an [n, 2] matrix made OpenBLAS pack (copy)
    // the whole history first, 4× slower than these two.
    const c = this.capacity;
    const withY = floats(this.rows.matmul(y)); // [S; Y] y
    const ysWithS = floats(this.rows.narrow(0, c, c).matmul(s)); // Y s
    for (const j of this.slots) {
      this.sy[j * c + slot] = withY[j];
      this.sy[slot * c + j] = ysWithS[j];
      this.yy[j * c + slot] = this.yy[slot * c + j] = withY[c + j];
    }
  }

  /** d = −H g, H the L-BFGS inverse-Hessian estimate with initial scaling h. */
  direction(g: Tensor, h: number): Tensor {
    const { capacity: c, slots, sy, yy, ro } = this;
    const m = slots.length;
    const rg = floats(this.rows.matmul(g)); // sᵢ·g at slot i, yᵢ·g at capacity + slot i
    const alpha = new Float64Array(m), coef = new Float64Array(m);
    for (let i = m - 1; i >= 0; i--) {
      const si = slots[i];
      let sq = -rg[si];
      for (let j = i + 1; j < m; j++) sq -= alpha[j] * sy[si * c + slots[j]];
      alpha[i] = ro[i] * sq;
    }
    for (let i = 0; i < m; i++) {
      const yi = slots[i];
      let yq = -rg[c + yi];
      for (let j = 0; j < m; j++) yq -= alpha[j] * yy[yi * c + slots[j]];
      let yr = h * yq;
      for (let j = 0; j < i; j++) yr += coef[j] * sy[slots[j] * c + yi];
      coef[i] = alpha[i] - ro[i] * yr;
    }
    const weights = new (this.rows.dtype === 'float32' ? Float32Array : Float64Array)(2 * c);
    for (let j = 0; j < m; j++) { weights[slots[j]] = coef[j]; weights[c + slots[j]] = -h * alpha[j]; }
    // rowsᵀ w rather than w rows: the same numbers, but a matrix–vector product (7× faster at [200, 8706]).
    const d = this.rows.t().matmul(tensor(weights, { dtype: this.rows.dtype, device: this.rows.device }));
    return d.add_(g, -h);
  }

  private write(slot: number, s: Tensor, y: Tensor): void {
    this.rows.select(0, slot).copy_(s);
    this.rows.select(0, this.capacity + slot).copy_(y);
  }

  /** Puts views of slot's rows into the lists at position k and the slot into the ring. */
  private adopt(slot: number, k: number): void {
    this.stps[k] = keep(this.rows.select(0, slot));
    this.dirs[k] = keep(this.rows.select(0, this.capacity + slot));
    this.slots.push(slot);
  }
}

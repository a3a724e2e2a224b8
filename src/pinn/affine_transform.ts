// Derivatives through an output transform that is affine in the network's output,
//   T(x, u) = A(x) + B(x) ⊙ u       (exact Dirichlet conditions g + φ·u, time factors t·u, …),
// by the product rule:
//   ∂ᵢT  = ∂ᵢA + ∂ᵢB u + B ∂ᵢu
//   ∂ᵢⱼT = ∂ᵢⱼA + ∂ᵢⱼB u + ∂ᵢB ∂ⱼu + ∂ⱼB ∂ᵢu + B ∂ᵢⱼu.
// A and B depend on the points alone, so their derivatives are computed once per point set (by
// reverse mode) and reused every step; each step then adds a few elementwise ops to the network's
// forward-mode jets, instead of reverse passes through T (Problem.transformedDerivatives).
//
// Whether T is affine is found out, not declared: at the points, A = T(x, 0) and B = T(x, 1) − A,
// and T(x, r) must equal A + B ⊙ r for a random r (so T neither mixes outputs nor bends in u);
// T must not depend on trained tensors (A and B would then change every step). Otherwise the
// caller takes the general path. T is taken to be a fixed function of x and u: one that changes
// between steps by other means (a closure variable) would need new points to be measured again.
import { grad } from '../autograd.js';
import { onesLike, tensor, zerosLike } from '../creation.js';
import { cat } from '../functional.js';
import { Random } from '../geometry/random.js';
import { keep, tidy } from '../memory.js';
import { Tensor } from '../tensor.js';
import { type OutputTransform } from './problem.js';

/** A's and B's value and derivative blocks [N, outputs] at one point set, by tuple ("0", "0,2"). */
export interface AffineJets {
  A: Tensor;
  B: Tensor;
  dA: Map<string, Tensor>;
  dB: Map<string, Tensor>;
}

interface Entry {
  handle: number;         // the points' native tensor when measured (Problem.to swaps it in place)
  affine: boolean;
  jets: AffineJets | null;
  tuples: string;         // the derivatives the jets hold
}

export class AffineTransformJets {
  private readonly entries = new Map<Tensor, Entry>();

  constructor(private readonly transform: OutputTransform) {}

  /**
   * A's and B's jets at `points` for the derivative tuples asked (each a sorted list of input
   * indices, one or two long), or null when T is not affine in u at these points.
   */
  at(points: Tensor, outputs: number, tuples: number[][]): AffineJets | null {
    const key = tuples.map((t) => t.join(',')).join(' ');
    let entry = this.entries.get(points);
    if (entry && entry.handle !== points.handle) { this.release(points); entry = undefined; }
    if (!entry) {
      entry = { handle: points.handle, affine: this.isAffine(points, outputs), jets: null, tuples: '' };
      this.entries.set(points, entry);
    }
    if (!entry.affine) return null;
    if (!entry.jets || entry.tuples !== key) {
      this.disposeJets(entry);
      entry.jets = this.measure(points, outputs, tuples);
      entry.tuples = key;
    }
    return entry.jets;
  }

  /** Forgets point sets not in `live` (points redrawn or a condition's batch gone). */
  keepOnly(live: Set<Tensor>): void {
    for (const p of [...this.entries.keys()]) if (!live.has(p)) this.release(p);
  }

  dispose(): void { this.keepOnly(new Set()); }

  private release(points: Tensor): void {
    const e = this.entries.get(points);
    if (e) this.disposeJets(e);
    this.entries.delete(points);
  }

  private disposeJets(e: Entry): void {
    if (!e.jets) return;
    e.jets.A.dispose(); e.jets.B.dispose();
    for (const t of [...e.jets.dA.values(), ...e.jets.dB.values()]) t.dispose();
    e.jets = null;
  }

  private isAffine(points: Tensor, outputs: number): boolean {
    // Grad mode on, x detached: a result that requires grad depends on a trained tensor. A
    // transform that fails on the probes is left to the general path, which reports its errors.
    try { return this.probe(points, outputs); } catch { return false; }
  }

  private probe(points: Tensor, outputs: number): boolean {
    return tidy(() => {
      const x = points.detach();
      const shaped = (t: unknown): t is Tensor => t instanceof Tensor && t.ndim === 2 && t.shape[0] === x.shape[0] && t.shape[1] === outputs;
      const zero = zerosLike(x.narrow(1, 0, 1)).expand(x.shape[0], outputs);
      const A = this.transform(x, zero), T1 = this.transform(x, zero.add(1));
      if (!shaped(A) || !shaped(T1) || A.requiresGrad || T1.requiresGrad) return false;
      const B = T1.sub(A);
      // Values in [−2, 2) from a generator of its own: the global random stream stays untouched.
      const rng = new Random(0), n = x.shape[0] * outputs;
      const r = tensor(Array.from({ length: n }, () => 4 * rng.next() - 2), { dtype: x.dtype, device: x.device }).reshape(x.shape[0], outputs);
      const Tr = this.transform(x, r);
      if (!shaped(Tr) || Tr.requiresGrad) return false;
      const scale = Tr.abs().max().add(A.abs().max()).add(B.abs().max()).add(1).item() as number;
      const gap = Tr.sub(A.add(B.mul(r))).abs().max().item() as number;
      return Number.isFinite(gap) && gap <= (x.dtype === 'float64' ? 1e-10 : 1e-4) * scale;
    });
  }

  private measure(points: Tensor, outputs: number, tuples: number[][]): AffineJets {
    return tidy(() => {
      const x = points.detach().requiresGrad_();
      const zero = zerosLike(x.narrow(1, 0, 1)).expand(x.shape[0], outputs);
      const A = this.transform(x, zero), B = this.transform(x, onesLike(zero)).sub(A);
      // ∂ of every output column of f along the inputs in `wrt`, as one [N, outputs] block.
      const column = (f: Tensor, k: number, wrt: number[]): Tensor => {
        let g = f.narrow(1, k, 1);
        for (const i of wrt) {
          const [d] = g.requiresGrad ? grad([g], [x], { gradOutputs: [onesLike(g)], createGraph: true, allowUnused: true }) : [null];
          g = d ? d.narrow(1, i, 1) : zerosLike(g); // no dependence on x: a zero derivative
        }
        return g;
      };
      const block = (f: Tensor, wrt: number[]) => cat(Array.from({ length: outputs }, (_, k) => column(f, k, wrt)), 1).detach();
      const dA = new Map<string, Tensor>(), dB = new Map<string, Tensor>();
      for (const t of tuples) {
        dA.set(t.join(','), keep(block(A, t)));
        dB.set(t.join(','), keep(block(B, t)));
      }
      return { A: keep(A.detach()), B: keep(B.detach()), dA, dB };
    });
  }
}

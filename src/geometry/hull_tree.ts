// A simple polygon as a convex-hull tree (Rvachev & Shapiro's construction for R-functions):
// P = H ∖ (D₁ ∪ D₂ ∪ …), H the convex hull and Dᵢ the pockets between P and a hull edge, each
// pocket again a hull minus its pockets. Then
//   φ_P = φ_H ∧ (−φ_D₁) ∧ (−φ_D₂) ∧ …,   φ_H = ∧ over the hull edges of their lines' distances,
// is positive inside P, zero on ∂P and negative outside (also zero on the pockets' lids, which
// lie outside P). Every edge of P is a hull edge of exactly one node, so φ_P is normalised to
// first order on every edge and smooth inside P.
import { type Tensor } from '../tensor.js';
import { line, rAndAll } from './adf.js';

type Pt = readonly [number, number];

export interface HullTree {
  /** The hull's edges [a, b], counter-clockwise: the node's region is on their left. */
  hull: [Pt, Pt][];
  pockets: HullTree[];
}

const cross = (o: Pt, a: Pt, b: Pt) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** The tree of a simple polygon given by its vertices in either orientation. */
export function hullTree(vertices: readonly Pt[]): HullTree {
  const area = vertices.reduce((s, v, i) => s + cross([0, 0], v, vertices[(i + 1) % vertices.length]), 0);
  const v = area > 0 ? vertices : [...vertices].reverse();
  const k = v.length;
  const xs = v.map((p) => p[0]), ys = v.map((p) => p[1]);
  const scale = Math.hypot(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  const tol = 1e-12 * scale * scale; // |cross| below this: collinear
  const hull = hullIndices(v, tol);
  const node: HullTree = { hull: [], pockets: [] };
  hull.forEach((a, h) => {
    const b = hull[(h + 1) % hull.length];
    node.hull.push([v[a], v[b]]);
    // The polygon's chain from a to b; vertices on the hull edge split it into pockets.
    const chain: number[] = [a];
    for (let i = (a + 1) % k; i !== b; i = (i + 1) % k) chain.push(i);
    chain.push(b);
    let start = 0;
    for (let c = 1; c < chain.length; c++) {
      if (Math.abs(cross(v[a], v[b], v[chain[c]])) > tol) continue;
      if (c - start > 1) node.pockets.push(hullTree(chain.slice(start, c + 1).map((i) => v[i])));
      start = c;
    }
  });
  return node;
}

/** Indices of the strict convex-hull vertices (collinear ones left out), ascending = counter-clockwise along the polygon. */
function hullIndices(v: readonly Pt[], tol: number): number[] {
  const order = v.map((_, i) => i).sort((i, j) => v[i][0] - v[j][0] || v[i][1] - v[j][1]);
  const half = (ids: number[]) => {
    const out: number[] = [];
    for (const i of ids) {
      while (out.length >= 2 && cross(v[out[out.length - 2]], v[out[out.length - 1]], v[i]) <= tol) out.pop();
      out.push(i);
    }
    return out.slice(0, -1);
  };
  return [...half(order), ...half([...order].reverse())].sort((a, b) => a - b);
}

/** φ of the tree at x [N, 2]. */
export function hullTreeDistance(x: Tensor, node: HullTree): Tensor {
  return rAndAll([...node.hull.map(([a, b]) => line(x, a, b)), ...node.pockets.map((p) => hullTreeDistance(x, p).neg())]);
}

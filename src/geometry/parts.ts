// Named boundary parts: every geometry lists the pieces of its boundary (`boundaryParts`), and
// sampling and distance functions take `where` to act on some of them only.
//
// A `where` entry selects the part of that name and, as a group, every part whose name starts
// with it followed by a dot: in a CSG, where operand names prefix their parts' names
// ('0.left', '3.circle', or 'holes.2.circle' for an operand named 'holes.2'), 'holes' selects
// all of 'holes.0.circle', 'holes.1.circle', … and '3' every part of operand 3.

import { need } from '../checks.js';
import { didYouMean } from '../errors.js';

/** Where on a boundary to act: one part name (or group prefix) or several. */
export type Where = string | readonly string[];

/** Whether the `where` entry `w` selects the part called `name`: equal, or a dot-separated prefix of it. */
export function matchesPart(w: string, name: string): boolean {
  return name === w || name.startsWith(`${w}.`);
}

/**
 * The indices (ascending) of the parts `where` selects; every part when `where` is undefined.
 * Throws, listing the known names, for an entry that selects nothing.
 */
export function selectParts(op: string, names: readonly string[], where: Where | undefined): number[] {
  if (where === undefined) return names.map((_, i) => i);
  const list = typeof where === 'string' ? [where] : where;
  const ok = Array.isArray(list) && list.length > 0 && list.every((w) => typeof w === 'string' && w !== '');
  need(ok, op, 'where', 'a part name or a non-empty array of part names', where);
  const chosen = new Set<number>();
  for (const w of list) {
    const hits = names.flatMap((name, i) => (matchesPart(w, name) ? [i] : []));
    if (hits.length === 0) throw new Error(`${op}: unknown boundary part '${w}'${didYouMean(w, names)} (known: ${names.join(', ')})`);
    for (const i of hits) chosen.add(i);
  }
  return [...chosen].sort((a, b) => a - b);
}

/**
 * The piece that arc length s falls on when the pieces `order` (measures `measure(i)`) are laid
 * end to end, and s measured from that piece's start (the last piece takes any rounding excess).
 */
export function locate(s: number, order: readonly number[], measure: (piece: number) => number): [piece: number, offset: number] {
  let k = 0;
  while (k < order.length - 1 && s >= measure(order[k])) { s -= measure(order[k]); k++; }
  return [order[k], s];
}

// Two settings of one process timed in alternation: on a VM whose speed drifts, the drift between
// processes exceeds most effects worth measuring, so an A/B runs both sides in one process, in
// blocks, the order flipped each round, and compares the rounds pairwise.

/**
 * For each round, `use(a)` then a block of `inner` steps, and likewise for `b` (b first on odd
 * rounds); one warm-up step after each switch. Returns ms per step per round: { a: [], b: [] }.
 */
export function alternate({ a, b, use, step, rounds, inner }) {
  const ms = { a: [], b: [] };
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 ? ['b', 'a'] : ['a', 'b']) {
      use(side === 'a' ? a : b);
      step();
      const t0 = performance.now();
      for (let i = 0; i < inner; i++) step();
      ms[side].push((performance.now() - t0) / inner);
    }
  }
  return ms;
}

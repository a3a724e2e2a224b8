// What every experiment script starts with: its arguments, one thread, the allocator tuned as
// `npm run accuracy` tunes it, and a problem of the suite built in float64 at a seed.
import { allocatorSetByEnvironment, setNumThreads, tuneAllocator } from '../../dist/index.js';

/** The arguments after the script's name; prints `usage` and exits 2 when the first is missing. */
export function args(usage) {
  const a = process.argv.slice(2);
  if (!a[0]) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  return a;
}

/** One intra-op thread and the tuned allocator, then problem `name` built at `seed`: { p, problem, domain, evalPoints }. */
export async function buildProblem(name, seed = 0) {
  setNumThreads(1);
  if (!allocatorSetByEnvironment()) tuneAllocator();
  const p = (await import(`../problems/${name}.mjs`)).default;
  return { p, ...p.build({ dtype: 'float64', seed }) };
}

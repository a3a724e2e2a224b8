// The tensor API under generated calls, valid and invalid, each compared with PyTorch 1.13
// (harness.ts states the properties). FUZZ_RUNS raises the number of calls (npm run fuzz).
import { afterAll, describe, it } from 'vitest';
import { FAMILIES, mayRefuse } from './cases_ops.js';
import { Harness, fuzz, hasTorch, report } from './harness.js';
import { OPS } from './ops.js';

const h = new Harness(OPS);
afterAll(() => { report(h, 'ops'); h.stop(); });

describe.skipIf(!hasTorch)('tensor ops: no crash, no leak, clear errors, PyTorch\'s results', () => {
  for (const [family, arb] of Object.entries(FAMILIES)) {
    it(family, () => fuzz(h, `ops.${family}`, arb, { oracle: 'torch', mayRefuse }, 25), 600_000);
  }
});

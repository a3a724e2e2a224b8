// pinn conditions and problems, and geometry sampling, under generated calls: each is accepted or
// refused by the rules cases_pinn.ts states, refused with a message naming the class and the
// argument, never leaving a tensor behind; sampled points are as many as asked and in the domain.
import { afterAll, describe, it } from 'vitest';
import { PINN_CASES } from './cases_pinn.js';
import { Harness, fuzz, report } from './harness.js';
import { PINN } from './scenarios.js';

const h = new Harness(PINN);
afterAll(() => { report(h, 'pinn'); h.stop(); });

describe('pinn and geometry: no crash, no leak, clear errors, the promised answers', () => {
  for (const [name, arb] of Object.entries(PINN_CASES)) {
    it(name, () => fuzz(h, `pinn.${name}`, arb, { oracle: 'spec' }, 30), 600_000);
  }
});

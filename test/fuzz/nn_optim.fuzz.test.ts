// nn modules and optimizers under generated calls: construction, forward and steps compared with
// torch.nn and torch.optim; Module.to and state dicts checked against what pinn-torch promises
// (a refused call changes nothing, an intact state dict resumes exactly).
import { afterAll, describe, it } from 'vitest';
import { NN_OPTIM_SPEC, NN_OPTIM_TORCH, mayRefuse } from './cases_nn_optim.js';
import { Harness, fuzz, hasTorch, report } from './harness.js';
import { NN_OPTIM } from './scenarios.js';

const h = new Harness(NN_OPTIM);
afterAll(() => { report(h, 'nn_optim'); h.stop(); });

describe('nn and optim: no crash, no leak, clear errors, PyTorch\'s results', () => {
  for (const [name, arb] of Object.entries(NN_OPTIM_TORCH)) {
    it.skipIf(!hasTorch)(name, () => fuzz(h, `nn_optim.${name}`, arb, { oracle: 'torch', tolerance: { float32: 1e-5, float64: 1e-10 }, mayRefuse }, 25), 600_000);
  }
  for (const [name, arb] of Object.entries(NN_OPTIM_SPEC)) {
    it(name, () => fuzz(h, `nn_optim.${name}`, arb, { oracle: 'spec' }, 25), 600_000);
  }
});

import { Adam, type AdamOptions } from './adam.js';
import { checkOptions } from '../checks.js';
import { type ParamsInput } from './optimizer.js';

/** Adam with decoupled weight decay θ ← θ(1 − γλ) (Loshchilov & Hutter 2019), as torch.optim.AdamW. */
export class AdamW extends Adam {
  constructor(params: ParamsInput<AdamOptions>, o?: Partial<AdamOptions>) {
    super(params, { weightDecay: 1e-2, ...checkOptions('AdamW', o) });
    this.decoupled = true;
  }
}

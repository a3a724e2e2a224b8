import { need } from '../checks.js';
import { cat } from '../functional.js';
import { Tensor } from '../tensor.js';
import { Module } from './module.js';

/**
 * Runs modules side by side on the same input and concatenates their outputs along the last
 * dim, e.g. separate networks for displacement and stiffness (the elastography seed's MREPINN).
 * Sub-modules are named '0', '1', ….
 */
export class Concat extends Module {
  readonly branches: Module[];
  constructor(...branches: Module[]) {
    super();
    need(branches.length > 0, 'Concat', 'branches', 'at least one Module', branches.length);
    this.branches = branches.map((m, i) => this.registerModule(String(i), m));
  }
  forward(x: Tensor): Tensor {
    const outs = this.branches.map((m) => m.forward(x));
    const y = cat(outs, -1);
    for (const o of outs) if (o !== x) o.dispose(); // the concatenation holds the values now
    return y;
  }
}

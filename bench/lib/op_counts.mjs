// ATen op calls of one call of fn (nested calls included), as the PyTorch worker counts them
// (bench/torch_bench.py aten_ops): the RecordFunction events named aten::*.
import { countOps } from '../../dist/index.js';

export function atenOps(fn) {
  const { byName } = countOps(fn);
  return Object.entries(byName).reduce((n, [name, calls]) => (name.startsWith('aten::') ? n + calls : n), 0);
}

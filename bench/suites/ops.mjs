// Per-call cost of small ops: the bridge's overhead beside PyTorch eager's.
import { ones, tidy } from '../../dist/index.js';

/** `inner` calls of a.op(b) (or a.op()) per sample, freed by one tidy or one dispose each. */
function opCase(op, shape, { inner = 1000, scope = 'tidy' } = {}) {
  const dims = shape.join('×');
  return {
    name: `${op} [${dims}]${op === 'matmul' ? `·[${dims}]` : ''} (${scope === 'tidy' ? 'tidy' : 'dispose each'})`,
    inner,
    js() {
      const a = ones(shape), b = ones(shape);
      const call = op === 'tanh' ? () => a.tanh() : () => a[op](b);
      const run = scope === 'tidy'
        ? () => tidy(() => { for (let i = 0; i < inner; i++) call(); })
        : () => { for (let i = 0; i < inner; i++) call().dispose(); };
      return Object.assign(run, { dispose: () => { a.dispose(); b.dispose(); } });
    },
    torch: { suite: 'ops', params: { op, shape } },
  };
}

export default {
  name: 'ops',
  maxTime: 0.5, // µs-scale cases: 0.5 s per side per round is already hundreds of samples
  samplePerCall: true, // 1 ms samples on both sides, so that load inflates neither side's median more
  cases: [
    opCase('add', [1]),
    opCase('add', [1], { scope: 'dispose' }),
    opCase('mul', [1]),
    opCase('tanh', [1]),
    opCase('matmul', [64, 64], { inner: 100 }),
  ],
};

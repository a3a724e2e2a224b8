// The JSON form of a fuzz case and of its result, shared by the vitest side (which generates
// cases), the child runner (which runs them on pinn-torch) and torch_eval.py (which runs them on
// PyTorch). JSON has no NaN, Infinity, -0, undefined, BigInt or function: those are tagged.

export type Num = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

/** A tensor: `base` data in row-major order, then an optional view making it non-contiguous. */
export interface TensorSpec {
  k: 'tensor';
  dtype: string;
  /** Shape of the tensor built from `data`; the view (if any) gives the shape the op sees. */
  base: number[];
  /** Flat values (complex: interleaved re, im). */
  data: Num[];
  view?: { op: 'transpose' } | { op: 'step' } | { op: 'expand'; shape: number[] };
  requiresGrad?: boolean;
  disposed?: boolean;
}

/** An argument as generated. */
export type V =
  | { k: 'num'; v: Num }
  | { k: 'str'; v: string }
  | { k: 'bool'; v: boolean }
  | { k: 'null' }
  | { k: 'undef' }
  | { k: 'bigint'; v: string }
  | { k: 'fn' }
  | { k: 'list'; v: V[] }
  | { k: 'obj'; v: Record<string, V> }
  | TensorSpec;

/** One call: `op` names an entry of the JS catalogue (ops.ts, scenarios.ts) and of torch_eval.py. */
export interface Case {
  op: string;
  args: V[];
  /** Index of the argument generated to be suspect (wrong type, out of range, …), if any. */
  mutated?: number;
}

/** What a call gave, in the same form on both sides. */
export type R =
  | { k: 'tensor'; dtype: string; shape: number[]; data: Num[] }
  | { k: 'num'; v: Num }
  | { k: 'bool'; v: boolean }
  | { k: 'str'; v: string }
  | { k: 'null' }
  | { k: 'list'; v: R[] }
  | { k: 'obj'; v: Record<string, R> };

export interface Outcome {
  ok: boolean;
  value?: R;
  error?: { name: string; isError: boolean; message: string };
  /** Live native tensors after the call minus before it (JS side only). */
  leaked?: number;
  /** The process running the case died: signal or exit code, and the end of its stderr. */
  crash?: string;
}

export function encodeNum(x: number): Num {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0';
  return x;
}

export function decodeNum(x: Num): number {
  return typeof x === 'number' ? x : x === '-0' ? -0 : Number(x);
}

export const num = (x: number): V => ({ k: 'num', v: encodeNum(x) });
export const str = (v: string): V => ({ k: 'str', v });
export const bool = (v: boolean): V => ({ k: 'bool', v });
export const list = (v: V[]): V => ({ k: 'list', v });
export const obj = (v: Record<string, V>): V => ({ k: 'obj', v });
export const undef: V = { k: 'undef' };
export const nul: V = { k: 'null' };

/** A short JS-like rendering of a case, for failure messages; ⟪…⟫ marks the suspect argument. */
export function render(c: Case): string {
  return `${c.op}(${c.args.map((a, i) => (i === c.mutated ? `⟪${renderV(a)}⟫` : renderV(a))).join(', ')})`;
}

export function renderV(v: V): string {
  switch (v.k) {
    case 'num': return typeof v.v === 'number' ? String(v.v) : v.v;
    case 'str': return JSON.stringify(v.v);
    case 'bool': return String(v.v);
    case 'null': return 'null';
    case 'undef': return 'undefined';
    case 'bigint': return `${v.v}n`;
    case 'fn': return '() => {}';
    case 'list': return `[${v.v.map(renderV).join(', ')}]`;
    case 'obj': return `{ ${Object.entries(v.v).map(([k, x]) => `${k}: ${renderV(x)}`).join(', ')} }`;
    case 'tensor': {
      const data = v.data.length > 8 ? `${v.data.slice(0, 8).join(', ')}, …` : v.data.join(', ');
      const view = v.view ? `.${v.view.op}${v.view.op === 'expand' ? `[${v.view.shape.join(',')}]` : ''}` : '';
      const flags = `${v.requiresGrad ? ' grad' : ''}${v.disposed ? ' disposed' : ''}`;
      return `T<${v.dtype}[${v.base.join(',')}]${view}${flags}>(${data})`;
    }
  }
}

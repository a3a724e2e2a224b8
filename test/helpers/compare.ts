// What the numerical tests share: reading a tensor flat, a scale-relative comparison, and
// PyTorch 1.13 (/usr/bin/python3) as a reference when it is installed.
import { execFileSync } from 'node:child_process';
import { expect } from 'vitest';
import { type Tensor } from '../../src/index.js';

export const PY = '/usr/bin/python3';
export const hasTorch = (() => { try { execFileSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }); return true; } catch { return false; } })();
/** Runs a Python script with `input` as JSON on stdin and parses its JSON stdout. */
export const runTorch = (script: string, input: unknown): any =>
  JSON.parse(execFileSync(PY, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 26 }));

export const flat = (t: Tensor) => Array.from(t.contiguous().data() as Float64Array);

/** |a − b| ≤ tol · max|b| elementwise (a scale-relative bound; fails on NaN). */
export function expectClose(a: number[], b: number[], tol: number, what: string) {
  expect(a.length, what).toBe(b.length);
  const scale = Math.max(...b.map(Math.abs), 1e-300);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= tol * scale)) throw new Error(`${what}[${i}]: ${a[i]} vs ${b[i]} (scale ${scale})`);
  }
}

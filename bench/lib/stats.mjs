// Summaries of timing samples, as the bench reports them.

const sorted = (xs) => [...xs].sort((a, b) => a - b);

export function quantile(xs, q) {
  const s = sorted(xs);
  const i = q * (s.length - 1);
  const lo = Math.floor(i);
  return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
}

// Student's t, two-sided 95 %, the table benchmark.js uses (df > 30 → 1.96).
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
const tCritical = (df) => T95[df - 1] ?? 1.96;

/** Median, p10/p90, interquartile range and relative margin of error (95 %, as benchmark.js reports it). */
export function summarize(xs) {
  if (!xs.length) return null;
  const n = xs.length, mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, n - 1));
  const t = n > 1 ? tCritical(n - 1) : 0;
  return {
    median: quantile(xs, 0.5), p10: quantile(xs, 0.1), p25: quantile(xs, 0.25), p75: quantile(xs, 0.75), p90: quantile(xs, 0.9),
    mean, rme: mean ? (100 * t * sd) / Math.sqrt(n) / mean : 0, n,
  };
}

export const fmtNs = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
export const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 0)} MiB`;

/** Points per second from ns per call over `points` points, e.g. "1.52 M points/s". */
export function throughput(points, ns) {
  const rate = (points * 1e9) / ns;
  return rate >= 1e6 ? `${(rate / 1e6).toFixed(2)} M points/s` : `${(rate / 1e3).toFixed(1)} k points/s`;
}

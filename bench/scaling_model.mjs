#!/usr/bin/env node
// The paper model of data-parallel efficiency on 8–64 GPUs (README, "Training across processes"):
// no GPU was available to measure it. A step on n GPUs costs its compute share T1/n plus one
// ring allreduce of the gradients: 2(n−1)/n · bytes / busBandwidth + 2(n−1) · α (NCCL's ring:
// n−1 reduce-scatter and n−1 all-gather hops, each with latency α). Efficiency = (T1/n) / Tn.
// Every input is an assumption, printed with the table; change them on the command line:
//   node bench/scaling_model.mjs [--t1-ms 20] [--params 100000] [--bytes-per-param 4] [--bus-gbs 100] [--alpha-us 5]
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const t1 = arg('--t1-ms', 20) / 1000;
const params = arg('--params', 100_000);
const bytes = params * arg('--bytes-per-param', 4);
const bus = arg('--bus-gbs', 100) * 1e9;
const alpha = arg('--alpha-us', 5) / 1e6;

const allreduce = (n) => (2 * (n - 1) / n) * bytes / bus + 2 * (n - 1) * alpha;
console.log(`assumed: one-GPU step ${t1 * 1000} ms at the global batch, ${params} parameters × ${bytes / params} B = ${(bytes / 1024).toFixed(0)} KiB all-reduced per step,`);
console.log(`ring allreduce at ${bus / 1e9} GB/s bus bandwidth with ${alpha * 1e6} µs per hop`);
console.log('\n| GPUs | compute share | allreduce | step | efficiency |\n|---:|---:|---:|---:|---:|');
for (const n of [1, 2, 8, 16, 32, 64]) {
  const compute = t1 / n, comm = n > 1 ? allreduce(n) : 0, step = compute + comm;
  console.log(`| ${n} | ${(compute * 1000).toFixed(3)} ms | ${(comm * 1000).toFixed(3)} ms | ${(step * 1000).toFixed(3)} ms | ${(compute / step).toFixed(2)} |`);
}

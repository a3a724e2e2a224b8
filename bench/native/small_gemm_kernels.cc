// The three products of a layer in a PINN step, OpenBLAS (cblas_sgemm, as ATen's mm calls it)
// against libxsmm's JIT kernels walked over the rows as native/small_gemm.cc walks them:
//   x·Wᵀ  [M, H] × [H, H]ᵀ   blocks of 64 rows
//   g·W   [M, H] × [H, H]    blocks of 64 rows
//   gᵀx   [M, H]ᵀ × [M, H]   blocks of 256 rows summed, g read transposed (TRANS_B)
// float32, one thread. Build and run: bash bench/native/small_gemm_kernels.sh
#include <cblas.h>
#include <libxsmm.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

using Clock = std::chrono::steady_clock;

template <typename F>
double medianMicros(F f) {
  f();
  std::vector<double> t;
  for (int r = 0; r < 15; r++) {
    const auto t0 = Clock::now();
    for (int i = 0; i < 20; i++) f();
    t.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / 20);
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

libxsmm_smmfunction kernel(int m, int n, int k, float beta, bool transB) {
  const float alpha = 1;
  const int flags = (beta == 0 ? LIBXSMM_GEMM_FLAG_BETA_0 : 0) | (transB ? LIBXSMM_GEMM_FLAG_TRANS_B : 0), prefetch = LIBXSMM_PREFETCH_NONE;
  const libxsmm_blasint lda = m, ldb = transB ? n : k, ldc = m;
  return libxsmm_smmdispatch(m, n, k, &lda, &ldb, &ldc, &alpha, &beta, &flags, &prefetch);
}

double maxRelDiff(const std::vector<float>& a, const std::vector<float>& b) {
  double worst = 0, scale = 1;
  for (float v : b) scale = std::max(scale, (double)std::fabs(v));
  for (size_t i = 0; i < a.size(); i++) worst = std::max(worst, (double)std::fabs(a[i] - b[i]));
  return worst / scale;
}

int main() {
  libxsmm_init();
  const int shapes[][2] = {{1024, 64}, {4096, 64}, {7168, 64}, {4096, 48}, {20480, 48}};
  std::printf("| M × H | product | OpenBLAS (µs) | libxsmm (µs) | ratio | GFLOP/s OpenBLAS → libxsmm | max rel. diff |\n|---|---|---|---|---|---|---|\n");
  for (auto [M, H] : shapes) {
    std::mt19937 rng(M + H);
    std::normal_distribution<float> normal;
    std::vector<float> x(M * H), g(M * H), W(H * H), Wt(H * H), ref(M * H), out(M * H), dW(H * H), dWref(H * H);
    for (auto* v : {&x, &g, &W})
      for (auto& e : *v) e = normal(rng);
    for (int i = 0; i < H; i++)
      for (int j = 0; j < H; j++) Wt[j * H + i] = W[i * H + j];
    const auto block = kernel(H, 64, H, 0, false);
    const auto first = kernel(H, H, 256, 0, true), next = kernel(H, H, 256, 1, true);
    const double flops = 2.0 * M * H * H;
    auto row = [&](const char* name, double tb, double tx, double diff) {
      std::printf("| %d × %d | %s | %.1f | %.1f | %.2f× | %.0f → %.0f | %.1e |\n", M, H, name, tb, tx, tx / tb, flops / tb / 1e3, flops / tx / 1e3, diff);
    };
    // x·Wᵀ: column-major C(H×M) = Wᵀ as column-major H×H (row-major Wᵀ = Wt) · x's H×M.
    const double b1 = medianMicros([&] { cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, H, H, 1, x.data(), H, W.data(), H, 0, ref.data(), H); });
    const double x1 = medianMicros([&] { for (int r = 0; r < M; r += 64) block(Wt.data(), x.data() + r * H, out.data() + r * H); });
    row("x·Wᵀ", b1, x1, maxRelDiff(out, ref));
    // g·W: A = W as it is (column-major H×H of row-major W is Wᵀ; g·W in row-major).
    const double b2 = medianMicros([&] { cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, H, H, 1, g.data(), H, W.data(), H, 0, ref.data(), H); });
    const double x2 = medianMicros([&] { for (int r = 0; r < M; r += 64) block(W.data(), g.data() + r * H, out.data() + r * H); });
    row("g·W", b2, x2, maxRelDiff(out, ref));
    // gᵀx: column-major C(H×H) = x's H×M · (g's H×M)ᵀ, 256 rows at a time.
    const double b3 = medianMicros([&] { cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, H, M, 1, g.data(), H, x.data(), H, 0, dWref.data(), H); });
    const double x3 = medianMicros([&] { for (int r = 0; r < M; r += 256) (r ? next : first)(x.data() + r * H, g.data() + r * H, dW.data()); });
    row("gᵀx", b3, x3, maxRelDiff(dW, dWref));
  }
}

// Tall-by-small products on libxsmm (small_gemm.h says when). Each call multiplies the tall
// operand in blocks of kBlock rows with one JIT kernel (and one for the last, shorter block),
// reading the rows where they are and writing the result directly: OpenBLAS instead packs both
// operands and zero-fills the result first, which on these shapes costs as much as the
// arithmetic. The third kind, w's gradient gᵀx, sums over the rows: its kernel reads g's rows
// as a transposed operand (libxsmm's TRANS_B) and adds blocks of kReduceBlock rows into the
// result (a transposed copy of each block instead was 1.3× slower than OpenBLAS).
// bench/native/small_gemm_kernels.sh times the three against OpenBLAS 0.3.21 at one thread,
// float32, M = 1024…20480 rows of 48 or 64: 0.74-0.86× its time for x·Wᵀ and g·W, 0.56-0.79×
// for gᵀx on a Zen 4 core (bench/results/2026-12-07-small-gemm.md; 0.61-0.73× for the first
// two on Zen 3).
//
// libxsmm computes column-major C(m×n) = A(m×k)·B(k×n); a row-major [R, C] matrix is a
// column-major C×R one, which is how the operands are passed below.
#include "small_gemm.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <type_traits>
#include <vector>

#include "pinn_torch_features.h"
#if PINN_TORCH_WITH_LIBXSMM
#include <libxsmm.h>
#endif

namespace pt::gemm {
namespace {

constexpr int64_t kBlock = 64;
constexpr int64_t kBlocksPerTask = 8;   // 512 rows: less is not worth waking a thread for
constexpr int64_t kReduceBlock = 256;  // 128…512 measured alike, 64 8 % slower (7168 × 64)
constexpr int64_t kMaxSide = 256;

#if PINN_TORCH_WITH_LIBXSMM
// On unless PINN_TORCH_SMALL_GEMM=0; setEnabled switches it at run time (A/B measurements, tests).
std::atomic<bool>& flag() {
  static std::atomic<bool> on{[] {
    const char* v = std::getenv("PINN_TORCH_SMALL_GEMM");
    return !(v && std::string(v) == "0");
  }()};
  return on;
}
#endif

bool enabled() {
#if PINN_TORCH_WITH_LIBXSMM
  static std::once_flag init;
  if (!flag().load(std::memory_order_relaxed)) return false;
  std::call_once(init, [] { libxsmm_init(); });
  return true;
#else
  return false;
#endif
}

bool rowMajor(const at::Tensor& t) { return t.dim() == 2 && t.stride(1) == 1 && (t.size(0) <= 1 || t.stride(0) == t.size(1)); }

// Whether libxsmm may take out, a and b: on, CPU, float32/float64 alike, row-major, nothing to record.
bool takes(const at::Tensor& out, const at::Tensor& a, const at::Tensor& b) {
  const auto dt = out.scalar_type();
  return enabled() && (dt == at::kFloat || dt == at::kDouble) && a.scalar_type() == dt && b.scalar_type() == dt && out.device().is_cpu() &&
         a.device().is_cpu() && b.device().is_cpu() && rowMajor(out) && rowMajor(a) && rowMajor(b) && !out.requires_grad();
}

// Whether libxsmm takes C = A·B here: M tall rows, the small sides m (C's columns) and k.
bool eligible(const at::Tensor& out, const at::Tensor& tall, const at::Tensor& small, int64_t m, int64_t k) {
  return takes(out, tall, small) && small.is_contiguous() && out.size(0) > 0 && m > 0 && k > 0 && m <= kMaxSide && k <= kMaxSide;
}

#if PINN_TORCH_WITH_LIBXSMM
// libxsmm's JIT kernel for column-major C(m×n) = A(m×k)·B(k×n) (+ C when beta is 1), leading
// dimensions m, k and m; with transB, B is given as Bᵀ (n×k, leading dimension n). Null when it
// has none for the shape.
template <typename T>
auto kernel(libxsmm_blasint m, libxsmm_blasint n, libxsmm_blasint k, T beta, bool transB = false) {
  const T alpha = 1;
  const int flags = (beta == 0 ? LIBXSMM_GEMM_FLAG_BETA_0 : LIBXSMM_GEMM_FLAG_NONE) | (transB ? LIBXSMM_GEMM_FLAG_TRANS_B : 0);
  const int prefetch = LIBXSMM_PREFETCH_NONE;
  const libxsmm_blasint ldb = transB ? n : k;
  if constexpr (std::is_same_v<T, float>) return libxsmm_smmdispatch(m, n, k, &m, &ldb, &m, &alpha, &beta, &flags, &prefetch);
  else return libxsmm_dmmdispatch(m, n, k, &m, &ldb, &m, &alpha, &beta, &flags, &prefetch);
}

// Column-major C(m×rows) = A(m×k)·B(k×rows) (+ C when beta is 1), B and C walked in blocks of
// kBlock columns, split over ATen's intra-op threads (at::parallel_for runs inline on one).
// False (nothing written) when libxsmm has no kernel for the shape.
template <typename T>
bool blocks(const T* A, const T* B, T* C, int64_t m, int64_t k, int64_t rows, T beta) {
  const int64_t tail = rows % kBlock, count = (rows + kBlock - 1) / kBlock;
  const auto full = rows >= kBlock ? kernel<T>(m, kBlock, k, beta) : nullptr;
  const auto last = tail ? kernel<T>(m, tail, k, beta) : nullptr;
  if ((rows >= kBlock && !full) || (tail && !last)) return false;
  at::parallel_for(0, count, kBlocksPerTask, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; b++) {
      const int64_t r = b * kBlock;
      (r + kBlock <= rows ? full : last)(A, B + r * k, C + r * m);
    }
  });
  return true;
}

bool multiply(const at::Tensor& A, const at::Tensor& B, at::Tensor& C, int64_t m, int64_t k, bool accumulate) {
  const int64_t rows = C.size(0);
  if (C.scalar_type() == at::kFloat) return blocks<float>(A.data_ptr<float>(), B.data_ptr<float>(), C.data_ptr<float>(), m, k, rows, accumulate ? 1.f : 0.f);
  return blocks<double>(A.data_ptr<double>(), B.data_ptr<double>(), C.data_ptr<double>(), m, k, rows, accumulate ? 1. : 0.);
}

// Column-major C(m×n) = Σ over blocks of A(m×rows)'s columns times Bᵀ(n×rows)'s columns, ᵀ: the
// sum over the tall side, a range's first block written and the others added. False (nothing
// written) when libxsmm has no kernel for the shape.
template <typename T>
bool reduceRange(const T* A, const T* Bt, T* C, int64_t m, int64_t n, int64_t rows) {
  const int64_t whole = rows / kReduceBlock, tail = rows % kReduceBlock;
  const auto first = whole ? kernel<T>(m, n, kReduceBlock, 0, true) : nullptr;
  const auto next = whole > 1 ? kernel<T>(m, n, kReduceBlock, 1, true) : nullptr;
  const auto last = tail ? kernel<T>(m, n, tail, whole ? 1 : 0, true) : nullptr;
  if ((whole && !first) || (whole > 1 && !next) || (tail && !last)) return false;
  for (int64_t b = 0; b < whole; b++) (b ? next : first)(A + b * kReduceBlock * m, Bt + b * kReduceBlock * n, C);
  if (tail) last(A + whole * kReduceBlock * m, Bt + whole * kReduceBlock * n, C);
  return true;
}

// The rows split into one range per intra-op thread (whole blocks each, at least
// kBlocksPerTask·kBlock rows), each range summed into its own m×n, those added in order: the
// result depends on the thread count, not on the threads' timing.
template <typename T>
bool reduceBlocks(const T* A, const T* Bt, T* out, int64_t m, int64_t n, int64_t rows) {
  const int64_t minRows = kBlocksPerTask * kBlock;
  const int64_t ranges = std::max<int64_t>(1, std::min<int64_t>(at::get_num_threads(), rows / minRows));
  if (ranges == 1 || at::in_parallel_region()) return reduceRange(A, Bt, out, m, n, rows);
  const int64_t per = (rows / ranges + kReduceBlock - 1) / kReduceBlock * kReduceBlock;
  std::vector<T> partial(static_cast<size_t>((ranges - 1) * m * n));
  std::atomic<bool> ok{true};
  at::parallel_for(0, ranges, 1, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; i++) {
      const int64_t r = i * per, count = std::min(per, rows - r);
      T* C = i ? partial.data() + (i - 1) * m * n : out;
      if (count <= 0) std::fill(C, C + m * n, T(0));
      else if (!reduceRange(A + r * m, Bt + r * n, C, m, n, count)) ok = false;
    }
  });
  if (!ok) return false;
  for (int64_t i = 1; i < ranges; i++)
    for (int64_t e = 0; e < m * n; e++) out[e] += partial[(i - 1) * m * n + e];
  return true;
}

// out[N, K] = g[M, N]ᵀ x[M, K]: column-major C(K×N) = x's K×M · (g's N×M)ᵀ.
bool reduce(const at::Tensor& g, const at::Tensor& x, at::Tensor& out) {
  const int64_t M = g.size(0), N = g.size(1), K = x.size(1);
  if (out.scalar_type() == at::kFloat) return reduceBlocks<float>(x.data_ptr<float>(), g.data_ptr<float>(), out.data_ptr<float>(), K, N, M);
  return reduceBlocks<double>(x.data_ptr<double>(), g.data_ptr<double>(), out.data_ptr<double>(), K, N, M);
}
#else
bool multiply(const at::Tensor&, const at::Tensor&, at::Tensor&, int64_t, int64_t, bool) { return false; }
bool reduce(const at::Tensor&, const at::Tensor&, at::Tensor&) { return false; }
#endif

}  // namespace

void linearOut(at::Tensor& out, const at::Tensor& x, const at::Tensor& w, const at::Tensor& bias) {
  const int64_t N = w.size(0), K = w.size(1);
  const bool biased = bias.defined();
  if (eligible(out, x, w, N, K) && x.size(1) == K && out.size(1) == N && x.size(0) == out.size(0)) {
    // A = wᵀ as a column-major N×K matrix: row-major [K, N], a small copy.
    const at::Tensor wt = w.t().contiguous();
    if (biased) out.copy_(bias.expand_as(out));
    if (multiply(wt, x, out, N, K, biased)) return;
  }
  if (biased) at::addmm_out(out, bias, x, w.t());
  else at::mm_out(out, x, w.t());
}

void timesOut(at::Tensor& out, const at::Tensor& g, const at::Tensor& w) {
  const int64_t N = w.size(0), K = w.size(1);
  // A = w, row-major [N, K]: column-major K×N as it is.
  if (eligible(out, g, w, K, N) && g.size(1) == N && out.size(1) == K && g.size(0) == out.size(0) && multiply(w, g, out, K, N, false)) return;
  at::mm_out(out, g, w);
}

at::Tensor transposedTimes(const at::Tensor& g, const at::Tensor& x) {
  const int64_t M = g.size(0), N = g.size(1), K = x.size(1);
  if (enabled() && g.device().is_cpu() && x.size(0) == M && M > 0 && N > 0 && K > 0 && N <= kMaxSide && K <= kMaxSide) {
    at::Tensor out = at::empty({N, K}, g.options());
    if (takes(out, g, x) && reduce(g, x, out)) return out;
  }
  return at::mm(g.t(), x);
}

std::string backend() {
#if PINN_TORCH_WITH_LIBXSMM
  return enabled() ? std::string("libxsmm ") + LIBXSMM_VERSION : std::string();
#else
  return std::string();
#endif
}

void setEnabled(bool on) {
#if PINN_TORCH_WITH_LIBXSMM
  flag().store(on);
#else
  (void)on;
#endif
}

}  // namespace pt::gemm

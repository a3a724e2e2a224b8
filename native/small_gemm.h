// Products of a tall matrix with a small one, the shape of nearly every product in a PINN step
// (thousands of point rows against a layer's few dozen columns). On libxsmm when the build has it
// and the operands allow (CPU, float32/float64, row-major contiguous, small sides ≤ 256);
// otherwise ATen's mm, as before. Rounding differs from OpenBLAS's in the last bits.
#pragma once
#include <ATen/ATen.h>
#include <string>

namespace pt::gemm {

/** out[M, N] = x[M, K] · w[N, K]ᵀ, plus bias[N] on every row when it is defined (addmm). */
void linearOut(at::Tensor& out, const at::Tensor& x, const at::Tensor& w, const at::Tensor& bias = at::Tensor());

/** out[M, K] = g[M, N] · w[N, K] (the gradient of x in linearOut). */
void timesOut(at::Tensor& out, const at::Tensor& g, const at::Tensor& w);

/** gᵀ[N, M] · x[M, K], a sum over the tall side (the gradient of w in linearOut), as a new [N, K] tensor. */
at::Tensor transposedTimes(const at::Tensor& g, const at::Tensor& x);

/** "libxsmm <version>" when these products run on it, else "" (none in this build, or switched off). */
std::string backend();

/** Switches libxsmm on or off for later products (on by default unless PINN_TORCH_SMALL_GEMM=0). */
void setEnabled(bool on);

}  // namespace pt::gemm

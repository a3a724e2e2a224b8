#pragma once
#include <ATen/ATen.h>

namespace pt {
// at::tanh, computed in one vectorised pass for float32 CPU tensors (fast_tanh.cc).
at::Tensor fastTanh(const at::Tensor& x);
// out = tanh z for contiguous float32 CPU tensors of one size (out may be rows of a larger
// buffer); nothing is recorded for autograd.
void tanhInto(const at::Tensor& z, const at::Tensor& out);
}  // namespace pt

// One Adam step over a parameter group in one call (src/optim/adam.ts). The ops are the ATen
// ops, in the order and with the scalars, that adam.ts would otherwise issue one call at a time,
// so the results are the same bits; what goes is ~8 crossings of the binding per parameter, the
// handles of their temporaries, and the casts of scalar arguments (scalarLike). Every scalar arrives computed in JS (bias corrections, step
// size, 1 − β), so no floating-point arithmetic here can round differently from the op-by-op path.
#include <ATen/ATen.h>
#include <ATen/ScalarOps.h>
#include <c10/core/GradMode.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "args.h"
#include "errors.h"
#include "ops.h"

namespace pt {
namespace {

// The group's scalars, in the order adam.ts packs them.
struct AdamScalars {
  at::Scalar beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps, weightDecay, decayFactor;
  bool maximize, decoupled, amsgrad;
};

// s as the 0-dim "wrapped number" tensor that an op given a Scalar makes of it, made directly
// in the dtype the op casts it to (the same rounding of the double): t.mul_(s) and
// t.mul_(scalarLike(s, t)) run the same kernel on the same value, without the four nested op
// calls (to, _to_copy, empty_strided, copy_) that LibTorch makes for each Scalar argument.
at::Tensor scalarLike(const at::Scalar& s, const at::Tensor& like) {
  at::Tensor t = at::detail::scalar_tensor_static(s, like.scalar_type(), at::kCPU);
  t.unsafeGetTensorImpl()->set_wrapped_number(true);
  return t;
}

// β₁, β₂, ε and 1 − γλ as scalarLike tensors of one dtype.
struct AdamTensors {
  at::Tensor beta1, beta2, eps, decayFactor;
  AdamTensors(const AdamScalars& s, const at::Tensor& like)
      : beta1(scalarLike(s.beta1, like)), beta2(scalarLike(s.beta2, like)), eps(scalarLike(s.eps, like)), decayFactor(scalarLike(s.decayFactor, like)) {}
};

void adamParam(at::Tensor& p, const at::Tensor& grad, at::Tensor& expAvg, at::Tensor& expAvgSq, at::Tensor* maxExpAvgSq,
               const at::Scalar& stepSize, const at::Scalar& bias2Sqrt, const AdamScalars& s, const AdamTensors& k, bool hasWeightDecay) {
  at::Tensor d = s.maximize ? at::neg(grad) : grad;
  if (hasWeightDecay) {
    if (s.decoupled) p.mul_(k.decayFactor);
    else d = d.clone().add_(p, s.weightDecay);
  }
  expAvg.mul_(k.beta1).add_(d, s.oneMinusBeta1);
  expAvgSq.mul_(k.beta2).addcmul_(d, d, s.oneMinusBeta2);
  const at::Tensor& second = maxExpAvgSq ? at::maximum_out(*maxExpAvgSq, *maxExpAvgSq, expAvgSq) : expAvgSq;
  at::Tensor denom = at::div(at::sqrt(second), scalarLike(bias2Sqrt, p)).add_(k.eps);
  p.addcdiv_(expAvg, denom, stepSize);
}

// adamStep(params[], grads[], expAvg[], expAvgSq[], maxExpAvgSq[] (empty without amsgrad),
//          stepSizes[], bias2Sqrts[], [β₁, 1 − β₁, β₂, 1 − β₂, ε, λ, 1 − γλ], maximize, decoupled, amsgrad)
// stepSizes[k] = −γ / (1 − β₁ᵗ) and bias2Sqrts[k] = √(1 − β₂ᵗ) for parameter k's own step t.
Napi::Value AdamStep(const Napi::CallbackInfo& info) {
  PT_GUARD("adamStep",
    std::vector<at::Tensor> params = tensorList(info, 0), grads = tensorList(info, 1), expAvg = tensorList(info, 2),
                            expAvgSq = tensorList(info, 3), maxExpAvgSq = tensorList(info, 4);
    const std::vector<double> stepSizes = doubleList(info, 5), bias2Sqrts = doubleList(info, 6), g = doubleList(info, 7);
    const AdamScalars s{toScalar(g.at(0)), toScalar(g.at(1)), toScalar(g.at(2)), toScalar(g.at(3)), toScalar(g.at(4)), toScalar(g.at(5)),
                        toScalar(g.at(6)), flag(info, 8), flag(info, 9), flag(info, 10)};
    const size_t n = params.size();
    if (grads.size() != n || expAvg.size() != n || expAvgSq.size() != n || stepSizes.size() != n || bias2Sqrts.size() != n ||
        maxExpAvgSq.size() != (s.amsgrad ? n : 0))
      throw std::invalid_argument("adamStep: the per-parameter lists differ in length");
    c10::NoGradGuard noGrad;
    std::vector<std::pair<at::ScalarType, AdamTensors>> byDtype;  // a group rarely holds more than one dtype
    for (size_t k = 0; k < n; k++) {
      auto it = std::find_if(byDtype.begin(), byDtype.end(), [&](const auto& e) { return e.first == params[k].scalar_type(); });
      if (it == byDtype.end()) it = byDtype.insert(byDtype.end(), {params[k].scalar_type(), AdamTensors(s, params[k])});
      adamParam(params[k], grads[k], expAvg[k], expAvgSq[k], s.amsgrad ? &maxExpAvgSq[k] : nullptr, toScalar(stepSizes[k]),
                toScalar(bias2Sqrts[k]), s, it->second, g[5] != 0);
    }
    return info.Env().Undefined();)
}

}  // namespace

void registerOptim(Napi::Env env, Napi::Object exports) {
  exports.Set("adamStep", Napi::Function::New(env, AdamStep, "adamStep"));
}

}  // namespace pt

// Autograd: requires_grad, .grad, backward, and grad() with create_graph for
// derivatives of any order. Grad mode is thread-local in LibTorch, as in PyTorch.
#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/function.h>

#include "args.h"
#include "errors.h"
#include "ops.h"

namespace pt {
namespace {

c10::optional<bool> optionalFlag(const Napi::CallbackInfo& info, size_t i) {
  if (i >= info.Length() || info[i].IsUndefined() || info[i].IsNull()) return c10::nullopt;
  return flag(info, i);
}

Napi::Value RequiresGrad(const Napi::CallbackInfo& info) {
  PT_GUARD("requiresGrad", return Napi::Boolean::New(info.Env(), tensorArg(info, 0).requires_grad());)
}
Napi::Value SetRequiresGrad(const Napi::CallbackInfo& info) {
  PT_GUARD("requiresGrad_", tensorArg(info, 0).requires_grad_(flag(info, 1)); return info.Env().Undefined();)
}
Napi::Value IsLeaf(const Napi::CallbackInfo& info) {
  PT_GUARD("isLeaf", return Napi::Boolean::New(info.Env(), tensorArg(info, 0).is_leaf());)
}
Napi::Value GradFnName(const Napi::CallbackInfo& info) {
  PT_GUARD("gradFn",
    const auto& fn = tensorArg(info, 0).grad_fn();
    if (!fn) return info.Env().Null();
    return Napi::String::New(info.Env(), fn->name());
  )
}

// grad(handle, cachedHandle): the gradient, or null. When `cachedHandle` (the handle JS got
// last time, or -1) still names this very gradient, it is returned as is: no new handle, so
// reading .grad in a loop does not accumulate handles.
Napi::Value Grad(const Napi::CallbackInfo& info) {
  PT_GUARD("grad",
    const at::Tensor& g = tensorArg(info, 0).grad();
    if (!g.defined()) return info.Env().Null();
    double cached = info.Length() > 1 ? num(info, 1) : -1;
    if (cached >= 0) {
      try {
        if (get(cached).unsafeGetTensorImpl() == g.unsafeGetTensorImpl()) return Napi::Number::New(info.Env(), cached);
      } catch (const StaleHandle&) {
      }
    }
    return result(info.Env(), g);
  )
}
Napi::Value SetGrad(const Napi::CallbackInfo& info) {
  PT_GUARD("setGrad", tensorArg(info, 0).mutable_grad() = optionalTensor(info, 1); return info.Env().Undefined();)
}

// backward(handle, gradient|null, retainGraph|undefined, createGraph)
Napi::Value Backward(const Napi::CallbackInfo& info) {
  PT_GUARD("backward",
    at::Tensor out = tensorArg(info, 0);
    at::Tensor g = optionalTensor(info, 1);
    std::vector<at::Tensor> grads;
    if (g.defined()) grads.push_back(g);
    torch::autograd::backward({out}, grads, optionalFlag(info, 2), flag(info, 3));
    return info.Env().Undefined();
  )
}

// grad(outputs[], inputs[], gradOutputs[]|null, retainGraph|undefined, createGraph, allowUnused)
Napi::Value GradOf(const Napi::CallbackInfo& info) {
  PT_GUARD("grad",
    auto outputs = tensorList(info, 0);
    auto inputs = tensorList(info, 1);
    std::vector<at::Tensor> gradOutputs;
    if (!info[2].IsNull() && !info[2].IsUndefined()) gradOutputs = tensorList(info, 2);
    auto grads = torch::autograd::grad(outputs, inputs, gradOutputs, optionalFlag(info, 3), flag(info, 4), flag(info, 5));
    return handleList(info.Env(), grads);
  )
}

Napi::Value IsGradEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::GradMode::is_enabled());
}
Napi::Value SetGradEnabled(const Napi::CallbackInfo& info) {
  PT_GUARD("setGradEnabled", at::GradMode::set_enabled(flag(info, 0)); return info.Env().Undefined();)
}

}  // namespace

void registerAutograd(Napi::Env env, Napi::Object exports) {
  struct Fn { const char* name; Napi::Value (*fn)(const Napi::CallbackInfo&); };
  const Fn fns[] = {
      {"requiresGrad", RequiresGrad}, {"setRequiresGrad", SetRequiresGrad}, {"isLeaf", IsLeaf},
      {"gradFnName", GradFnName},     {"grad", Grad},                       {"setGrad", SetGrad},
      {"backward", Backward},         {"gradOf", GradOf},                   {"isGradEnabled", IsGradEnabled},
      {"setGradEnabled", SetGradEnabled},
  };
  for (const Fn& f : fns) exports.Set(f.name, Napi::Function::New(env, f.fn, f.name));
}

}  // namespace pt

// Small readers for N-API arguments. TypeScript validates arguments before calling in
// (src/backend.ts); these still fail with a JS Error, never a crash, on a wrong type.
#pragma once

#include <ATen/ATen.h>
#include <napi.h>

#include <cmath>
#include <vector>

#include "handles.h"

namespace pt {

inline double num(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().DoubleValue(); }
inline int64_t i64(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int64Value(); }
inline bool flag(const Napi::CallbackInfo& info, size_t i) { return info[i].ToBoolean().Value(); }
inline at::Tensor& tensorArg(const Napi::CallbackInfo& info, size_t i) { return get(num(info, i)); }

// A JS number becomes an integer Scalar when it is one, so that int tensors stay int: every
// integral double in int64's range [-2^63, 2^63) (the cast is exact there), not only those
// below 2^53 (2^53 and 2^62 are integers too; as doubles they made int tensors float).
inline at::Scalar toScalar(double v) {
  if (std::nearbyint(v) == v && v >= -9.223372036854775808e18 && v < 9.223372036854775808e18) return at::Scalar(static_cast<int64_t>(v));
  return at::Scalar(v);
}

// A handle argument that may be null/undefined (or negative): an undefined at::Tensor.
inline at::Tensor optionalTensor(const Napi::CallbackInfo& info, size_t i) {
  if (i >= info.Length() || info[i].IsNull() || info[i].IsUndefined()) return at::Tensor();
  double h = num(info, i);
  return h < 0 ? at::Tensor() : get(h);
}

inline std::vector<int64_t> intList(const Napi::CallbackInfo& info, size_t i) {
  Napi::Array a = info[i].As<Napi::Array>();
  std::vector<int64_t> out(a.Length());
  for (uint32_t k = 0; k < a.Length(); k++) out[k] = a.Get(k).As<Napi::Number>().Int64Value();
  return out;
}

inline std::vector<double> doubleList(const Napi::CallbackInfo& info, size_t i) {
  Napi::Array a = info[i].As<Napi::Array>();
  std::vector<double> out(a.Length());
  for (uint32_t k = 0; k < a.Length(); k++) out[k] = a.Get(k).As<Napi::Number>().DoubleValue();
  return out;
}

inline std::vector<at::Tensor> tensorList(const Napi::CallbackInfo& info, size_t i) {
  Napi::Array a = info[i].As<Napi::Array>();
  std::vector<at::Tensor> out;
  out.reserve(a.Length());
  for (uint32_t k = 0; k < a.Length(); k++) out.push_back(get(a.Get(k).As<Napi::Number>().DoubleValue()));
  return out;
}

inline at::ScalarType dtypeArg(const Napi::CallbackInfo& info, size_t i) {
  return static_cast<at::ScalarType>(info[i].As<Napi::Number>().Int32Value());
}

// Devices arrive as (type, index): type is c10::DeviceType's value, index -1 for "current".
inline at::Device deviceArg(const Napi::CallbackInfo& info, size_t i) {
  auto type = static_cast<c10::DeviceType>(info[i].As<Napi::Number>().Int32Value());
  auto index = static_cast<c10::DeviceIndex>(info[i + 1].As<Napi::Number>().Int32Value());
  return at::Device(type, index);
}

// A list of results, each published with its own metadata via pt::meta from JS.
inline Napi::Value handleList(Napi::Env env, const std::vector<at::Tensor>& ts) {
  Napi::Array out = Napi::Array::New(env, ts.size());
  for (size_t k = 0; k < ts.size(); k++) {
    if (ts[k].defined()) out.Set(static_cast<uint32_t>(k), Napi::Number::New(env, put(ts[k])));
    else out.Set(static_cast<uint32_t>(k), env.Null());
  }
  return out;
}

}  // namespace pt

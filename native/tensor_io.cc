// Getting tensors in and out: creation, conversion, reading back, freeing.
#include <ATen/ATen.h>

#include <cstring>

#include "args.h"
#include "errors.h"
#include "ops.h"

namespace pt {
namespace {

// (shape, dtype, deviceType, deviceIndex) starting at argument i.
at::TensorOptions optionsAt(const Napi::CallbackInfo& info, size_t i) {
  return at::TensorOptions().dtype(dtypeArg(info, i)).device(deviceArg(info, i + 1));
}

// fromBuffer(typedArray, shape, dtype, deviceType, deviceIndex): copies the bytes.
Napi::Value FromBuffer(const Napi::CallbackInfo& info) {
  PT_GUARD("tensor",
    Napi::TypedArray data = info[0].As<Napi::TypedArray>();
    auto shape = intList(info, 1);
    auto dtype = dtypeArg(info, 2);
    at::Device device = deviceArg(info, 3);
    int64_t numel = 1;
    for (int64_t d : shape) numel *= d;
    size_t bytes = static_cast<size_t>(numel) * c10::elementSize(dtype);
    if (data.ByteLength() != bytes)
      throw std::runtime_error("data has " + std::to_string(data.ByteLength()) + " bytes, shape and dtype need " +
                               std::to_string(bytes));
    auto* src = static_cast<uint8_t*>(data.ArrayBuffer().Data()) + data.ByteOffset();
    at::Tensor t = at::empty(shape, at::TensorOptions().dtype(dtype));
    if (bytes) std::memcpy(t.data_ptr(), src, bytes);
    if (device.type() != at::kCPU) t = t.to(device);
    return result(info.Env(), t);
  )
}

// toBuffer(handle): a contiguous CPU copy of the data as an ArrayBuffer.
Napi::Value ToBuffer(const Napi::CallbackInfo& info) {
  PT_GUARD("toArray",
    at::Tensor t = tensorArg(info, 0).detach().to(at::kCPU).resolve_conj().contiguous();
    size_t bytes = t.numel() * t.element_size();
    Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(info.Env(), bytes);
    if (bytes) std::memcpy(buf.Data(), t.data_ptr(), bytes);
    return buf;
  )
}

Napi::Value Item(const Napi::CallbackInfo& info) {
  PT_GUARD("item",
    at::Tensor& t = tensorArg(info, 0);
    if (t.numel() != 1) throw std::runtime_error("item() needs a tensor with one element, got " + std::to_string(t.numel()));
    at::Scalar s = t.item();
    if (s.isComplex()) {
      auto c = s.toComplexDouble();
      Napi::Array pair = Napi::Array::New(info.Env(), 2);
      pair.Set(0u, c.real());
      pair.Set(1u, c.imag());
      return pair;
    }
    return Napi::Number::New(info.Env(), s.toDouble());
  )
}

// to(handle, dtype, deviceType, deviceIndex, copy)
Napi::Value To(const Napi::CallbackInfo& info) {
  PT_GUARD("to", return result(info.Env(), tensorArg(info, 0).to(deviceArg(info, 2), dtypeArg(info, 1), false, flag(info, 4)));)
}

Napi::Value Zeros(const Napi::CallbackInfo& info) {
  PT_GUARD("zeros", return result(info.Env(), at::zeros(intList(info, 0), optionsAt(info, 1)));)
}
Napi::Value Ones(const Napi::CallbackInfo& info) {
  PT_GUARD("ones", return result(info.Env(), at::ones(intList(info, 0), optionsAt(info, 1)));)
}
Napi::Value Empty(const Napi::CallbackInfo& info) {
  PT_GUARD("empty", return result(info.Env(), at::empty(intList(info, 0), optionsAt(info, 1)));)
}
Napi::Value Full(const Napi::CallbackInfo& info) {  // (shape, value, dtype, devType, devIdx)
  PT_GUARD("full", return result(info.Env(), at::full(intList(info, 0), num(info, 1), optionsAt(info, 2)));)
}
Napi::Value Eye(const Napi::CallbackInfo& info) {  // (n, m, dtype, devType, devIdx)
  PT_GUARD("eye", return result(info.Env(), at::eye(i64(info, 0), i64(info, 1), optionsAt(info, 2)));)
}
Napi::Value Arange(const Napi::CallbackInfo& info) {  // (start, end, step, dtype, devType, devIdx)
  PT_GUARD("arange", return result(info.Env(), at::arange(num(info, 0), num(info, 1), num(info, 2), optionsAt(info, 3)));)
}
Napi::Value Linspace(const Napi::CallbackInfo& info) {  // (start, end, steps, dtype, devType, devIdx)
  PT_GUARD("linspace", return result(info.Env(), at::linspace(num(info, 0), num(info, 1), i64(info, 2), optionsAt(info, 3)));)
}
Napi::Value Rand(const Napi::CallbackInfo& info) {
  PT_GUARD("rand", return result(info.Env(), at::rand(intList(info, 0), optionsAt(info, 1)));)
}
Napi::Value Randn(const Napi::CallbackInfo& info) {
  PT_GUARD("randn", return result(info.Env(), at::randn(intList(info, 0), optionsAt(info, 1)));)
}
Napi::Value Randint(const Napi::CallbackInfo& info) {  // (low, high, shape, dtype, devType, devIdx)
  PT_GUARD("randint", return result(info.Env(), at::randint(i64(info, 0), i64(info, 1), intList(info, 2), optionsAt(info, 3)));)
}
Napi::Value Randperm(const Napi::CallbackInfo& info) {  // (n, dtype, devType, devIdx)
  PT_GUARD("randperm", return result(info.Env(), at::randperm(i64(info, 0), optionsAt(info, 1)));)
}
Napi::Value Multinomial(const Napi::CallbackInfo& info) {  // (probs, n, replacement)
  PT_GUARD("multinomial", return result(info.Env(), at::multinomial(tensorArg(info, 0), i64(info, 1), flag(info, 2)));)
}
Napi::Value ScalarTensor(const Napi::CallbackInfo& info) {  // (value, dtype, devType, devIdx)
  PT_GUARD("scalarTensor", return result(info.Env(), at::scalar_tensor(num(info, 0), optionsAt(info, 1)));)
}

Napi::Value Meta(const Napi::CallbackInfo& info) {
  PT_GUARD("meta", writeMeta(tensorArg(info, 0)); return info.Env().Undefined();)
}

Napi::Value Free(const Napi::CallbackInfo& info) {
  PT_GUARD("dispose", return Napi::Boolean::New(info.Env(), release(num(info, 0)));)
}

// freeMany(Float64Array of handles): one crossing for a whole scope.
Napi::Value FreeMany(const Napi::CallbackInfo& info) {
  PT_GUARD("dispose",
    Napi::Float64Array hs = info[0].As<Napi::Float64Array>();
    for (size_t i = 0; i < hs.ElementLength(); i++) release(hs[i]);
    return info.Env().Undefined();
  )
}

}  // namespace

void registerTensorIO(Napi::Env env, Napi::Object exports) {
  struct Fn { const char* name; Napi::Value (*fn)(const Napi::CallbackInfo&); };
  const Fn fns[] = {
      {"fromBuffer", FromBuffer}, {"toBuffer", ToBuffer}, {"item", Item},       {"to", To},
      {"zeros", Zeros},           {"ones", Ones},         {"empty", Empty},     {"full", Full},
      {"eye", Eye},               {"arange", Arange},     {"linspace", Linspace}, {"rand", Rand},
      {"randn", Randn},           {"randint", Randint},   {"randperm", Randperm}, {"multinomial", Multinomial},
      {"scalarTensor", ScalarTensor}, {"meta", Meta},     {"free", Free},       {"freeMany", FreeMany},
  };
  for (const Fn& f : fns) exports.Set(f.name, Napi::Function::New(env, f.fn, f.name));
}

}  // namespace pt

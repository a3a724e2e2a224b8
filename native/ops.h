#pragma once
#include <napi.h>

namespace pt {
void registerOps(Napi::Env env, Napi::Object exports);       // ops.cc
void registerTensorIO(Napi::Env env, Napi::Object exports);  // tensor_io.cc
void registerAutograd(Napi::Env env, Napi::Object exports);  // autograd.cc
void registerRuntime(Napi::Env env, Napi::Object exports);   // runtime.cc
void registerJet(Napi::Env env, Napi::Object exports);       // jet.cc
}  // namespace pt

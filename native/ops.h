#pragma once
#include <napi.h>

#include <string>

namespace pt {
// The LibTorch actually loaded: the file holding libtorch_cpu's code, and its version ("" when unknown).
struct LoadedTorch {
  std::string path;
  std::string version;
};
LoadedTorch loadedTorch();             // runtime.cc
void checkLoadedTorch(Napi::Env env);  // runtime.cc: throws when it is not the version built against
void registerOps(Napi::Env env, Napi::Object exports);       // ops.cc
void registerTensorIO(Napi::Env env, Napi::Object exports);  // tensor_io.cc
void registerAutograd(Napi::Env env, Napi::Object exports);  // autograd.cc
void registerRuntime(Napi::Env env, Napi::Object exports);   // runtime.cc
void registerJet(Napi::Env env, Napi::Object exports);       // jet.cc
void registerJetNetwork(Napi::Env env, Napi::Object exports);  // jet_network.cc
void registerOptim(Napi::Env env, Napi::Object exports);       // optim.cc
void registerDistributed(Napi::Env env, Napi::Object exports);  // distributed.cc
void registerCpuCache(Napi::Env env, Napi::Object exports);     // cpu_cache.cc
void registerOpCounter(Napi::Env env, Napi::Object exports);  // op_counter.cc
}  // namespace pt

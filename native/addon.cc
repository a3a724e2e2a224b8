// The addon's registry: each file registers its own functions. Nothing else lives here.
#include <napi.h>

#include "ops.h"

namespace {
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Before anything can call into LibTorch: refuse a LibTorch other than the one built against.
  pt::checkLoadedTorch(env);
  pt::registerCpuCache(env, exports);  // first: every tensor after it can come from the cache
  pt::registerRuntime(env, exports);
  pt::registerOpCounter(env, exports);
  pt::registerTensorIO(env, exports);
  pt::registerOps(env, exports);
  pt::registerAutograd(env, exports);
  pt::registerJet(env, exports);
  pt::registerJetNetwork(env, exports);
  pt::registerOptim(env, exports);
  pt::registerDistributed(env, exports);
  return exports;
}
}  // namespace

NODE_API_MODULE(pinn_torch, Init)

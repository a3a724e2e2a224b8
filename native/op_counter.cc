// Counts the ATen op calls made while it runs, by op name, nested calls included (a narrow is
// narrow → slice → as_strided: three). Each call costs dispatch, often an allocation and an
// autograd record, so on small tensors the count is what a step's time follows; unlike a time,
// it is the same on every run and every machine, which makes it the measure for overhead work
// on a noisy VM (bench/suites/*.mjs report it beside the times). LibTorch's RecordFunction
// calls a global callback on every op while one is registered; none is outside a count.
#include <ATen/record_function.h>
#include <napi.h>

#include <map>
#include <mutex>
#include <string>

#include "errors.h"
#include "ops.h"

namespace pt {
namespace {

std::mutex gMutex;  // ops may run on other threads (autograd's, a process group's)
std::map<std::string, int64_t> gCounts;
at::CallbackHandle gHandle = 0;

std::unique_ptr<at::ObserverContext> onOp(const at::RecordFunction& fn) {
  std::lock_guard<std::mutex> lock(gMutex);
  gCounts[fn.name()]++;
  return nullptr;
}

// opCounterStart(): clears the counts and starts counting.
Napi::Value Start(const Napi::CallbackInfo& info) {
  PT_GUARD("opCounterStart",
    std::lock_guard<std::mutex> lock(gMutex);
    gCounts.clear();
    if (!gHandle) gHandle = at::addGlobalCallback(at::RecordFunctionCallback(onOp).scopes({at::RecordScope::FUNCTION}));
    return info.Env().Undefined();)
}

// opCounterStop() → { name: calls }: stops counting (a second stop returns the same counts).
Napi::Value Stop(const Napi::CallbackInfo& info) {
  PT_GUARD("opCounterStop",
    if (gHandle) { at::removeCallback(gHandle); gHandle = 0; }
    std::lock_guard<std::mutex> lock(gMutex);
    Napi::Object out = Napi::Object::New(info.Env());
    for (const auto& [name, n] : gCounts) out.Set(name, Napi::Number::New(info.Env(), static_cast<double>(n)));
    return out;)
}

}  // namespace

void registerOpCounter(Napi::Env env, Napi::Object exports) {
  exports.Set("opCounterStart", Napi::Function::New(env, Start, "opCounterStart"));
  exports.Set("opCounterStop", Napi::Function::New(env, Stop, "opCounterStop"));
}

}  // namespace pt

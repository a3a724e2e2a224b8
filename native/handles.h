// The handle table: every tensor JavaScript can see lives in one slot here.
//
// A JS tensor holds a plain number, `slot + generation * 2^20`, instead of an
// ObjectWrap or External: that keeps an op at ~1 µs (see shared/notes/bridge.md).
// The generation makes a stale number (a disposed tensor whose slot was reused)
// detectable instead of silently naming another tensor. It wraps at 2^10 so that every
// handle stays below 2^30, a V8 small integer: a larger number is a heap object, allocated
// again for every result and every `handle` field (measured: ~5 % of a small op). The JS
// side never keeps a stale number (a disposed tensor's handle becomes -1, and the GC
// backstop forgets a tensor when it is disposed), so the generation is a safety net
// against internal mistakes, 1023 times in 1024.
//
// The table is thread_local so that each worker thread that loads the addon has its
// own tensors, as JS values cannot cross threads anyway.
#pragma once

#include <ATen/ATen.h>
#include <napi.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace pt {

struct StaleHandle : std::runtime_error {
  using std::runtime_error::runtime_error;
};

constexpr int64_t kSlotBits = 20;  // up to 2^20 live tensors
constexpr uint32_t kGenerationMask = (1u << 10) - 1;
constexpr int64_t kSlotMask = (int64_t{1} << kSlotBits) - 1;
constexpr int kMaxMetaDims = 64;

struct Slot {
  at::Tensor tensor;
  uint32_t generation = 0;
  bool live = false;
};

struct Table {
  std::vector<Slot> slots;
  std::vector<int64_t> freeSlots;
  int64_t live = 0;
  // Result metadata for JS: [dtype, deviceType, deviceIndex, ndim, size0, size1, ...].
  double* meta = nullptr;
  Napi::Reference<Napi::Float64Array> metaRef;
};

Table& table();

double put(at::Tensor t);                 // stores a tensor, returns its handle
at::Tensor& get(double handle);           // throws StaleHandle for a freed handle
bool release(double handle);              // frees; false if already freed
void writeMeta(const at::Tensor& t);      // fills table().meta for the JS side

// Convenience: store a result and publish its metadata in one go.
inline Napi::Value result(Napi::Env env, at::Tensor t) {
  writeMeta(t);
  return Napi::Number::New(env, put(std::move(t)));
}

}  // namespace pt

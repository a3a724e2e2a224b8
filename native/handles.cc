#include "handles.h"

namespace pt {

Table& table() {
  thread_local Table t;
  return t;
}

double put(at::Tensor t) {
  // LibTorch's autograd returns "efficient zero tensors" for some derivatives that are zero
  // (the second derivative of abs, relu): they have no storage, so reading one (toBuffer's
  // memcpy from data_ptr()) crashed the process. Every tensor JS can see is materialized.
  if (t.defined() && t._is_zerotensor()) t = at::zeros(t.sizes(), t.options());
  Table& tb = table();
  int64_t slot;
  if (!tb.freeSlots.empty()) {
    slot = tb.freeSlots.back();
    tb.freeSlots.pop_back();
  } else {
    slot = static_cast<int64_t>(tb.slots.size());
    if (slot > kSlotMask) throw std::runtime_error("too many live tensors (2^20): dispose tensors you no longer need");
    tb.slots.emplace_back();
  }
  Slot& s = tb.slots[slot];
  s.tensor = std::move(t);
  s.live = true;
  tb.live++;
  return static_cast<double>(slot + (static_cast<int64_t>(s.generation) << kSlotBits));
}

static Slot* find(double handle) {
  Table& tb = table();
  if (!(handle >= 0)) return nullptr;
  int64_t h = static_cast<int64_t>(handle);
  int64_t slot = h & kSlotMask;
  uint32_t gen = static_cast<uint32_t>(h >> kSlotBits);
  if (slot >= static_cast<int64_t>(tb.slots.size())) return nullptr;
  Slot& s = tb.slots[slot];
  if (!s.live || s.generation != gen) return nullptr;
  return &s;
}

at::Tensor& get(double handle) {
  Slot* s = find(handle);
  if (!s) throw StaleHandle("tensor has been disposed (or the handle is invalid)");
  return s->tensor;
}

bool release(double handle) {
  Slot* s = find(handle);
  if (!s) return false;
  s->tensor = at::Tensor();
  s->live = false;
  s->generation = (s->generation + 1) & kGenerationMask;
  Table& tb = table();
  tb.freeSlots.push_back(static_cast<int64_t>(s - tb.slots.data()));
  tb.live--;
  return true;
}

void writeMeta(const at::Tensor& t) {
  double* m = table().meta;
  if (!m) return;
  m[0] = static_cast<double>(static_cast<int>(t.scalar_type()));
  m[1] = static_cast<double>(static_cast<int>(t.device().type()));
  m[2] = static_cast<double>(t.device().index());
  int64_t nd = t.dim();
  if (nd > kMaxMetaDims) throw std::runtime_error("tensors with more than 64 dimensions are not supported");
  m[3] = static_cast<double>(nd);
  auto sizes = t.sizes();
  for (int64_t i = 0; i < nd; i++) m[4 + i] = static_cast<double>(sizes[i]);
}

}  // namespace pt

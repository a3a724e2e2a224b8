// A caching allocator for LibTorch's CPU tensors. A training step frees and allocates the same
// buffer sizes every time; through malloc, each large one is an mmap or a heap that grows and is
// trimmed again, and the kernel zeroes fresh pages on first touch (page faults and clear_page
// were ~6 % of the reference step in perf). Here a freed buffer of at least kMinBytes waits in a
// free list keyed by its exact size and serves the next request of that size; the cache is
// bounded and can be emptied. When it would overflow, the buffers freed longest ago go first:
// what a finished run left behind (another network's sizes) ages out, while the buffers of the
// step now running come back each step and stay. (Largest-first eviction kept a full cache of a
// wider network's leftovers and released the running step's own largest buffers every step: 3
// misses per loss evaluation of the reference problem after the checkpoint suite's 200-wide runs.)
// Only LibTorch's CPU allocations go through it, not the rest of the process's mallocs.
#include <napi.h>

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <torch/version.h>

#include <cstdlib>
#include <list>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "errors.h"
#include "ops.h"

// LibTorch 2.3 made Allocator::allocate non-const and added copy_data.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 3)
#define PT_ALLOCATOR_2_3 1
#else
#define PT_ALLOCATOR_2_3 0
#endif

namespace pt {
namespace {

constexpr size_t kMinBytes = 64 * 1024;  // below it malloc's heap serves as fast, without faults

// A buffer from the underlying allocator, which its DataPtr frees when the block is deleted.
// While cached it sits in two lists: its size's, and the cache-wide one in the order of freeing.
struct Block {
  size_t size;
  c10::DataPtr owner;
  std::list<Block*>::iterator inSize, inAge;
};

class CachingCpuAllocator final : public c10::Allocator {
 public:
  CachingCpuAllocator(c10::Allocator* base, size_t limit) : base_(base), limit_(limit) {}

#if PT_ALLOCATOR_2_3
  c10::DataPtr allocate(size_t n) override { return take(n); }
  void copy_data(void* dest, const void* src, std::size_t count) const override { default_copy_data(dest, src, count); }
#else
  c10::DataPtr allocate(size_t n) const override { return take(n); }
#endif

  struct Stats { size_t cached, blocks, limit; uint64_t hits, misses; };
  Stats stats() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return {cached_, age_.size(), limit_, hits_, misses_};
  }

  void setLimit(size_t limit) {
    std::vector<Block*> released;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      limit_ = limit;
      shrinkTo(limit_, released);
    }
    for (Block* b : released) delete b;
  }

 private:
  c10::DataPtr take(size_t n) const {
    if (n < kMinBytes) return base_->allocate(n);
    Block* block = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = free_.find(n);
      if (it != free_.end()) {  // a size's list is erased when its last block leaves
        block = it->second.back();  // the one freed last: its pages are the likeliest in cache
        unlink(block);
        hits_++;
      } else {
        misses_++;
      }
    }
    if (!block) block = new Block{n, base_->allocate(n)};
    return c10::DataPtr(block->owner.get(), block, &CachingCpuAllocator::release, c10::Device(c10::DeviceType::CPU));
  }

  static void release(void* context);

  void put(Block* block) const {
    std::vector<Block*> released;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (block->size > limit_) {
        released.push_back(block);
      } else {
        shrinkTo(limit_ - block->size, released);
        auto& sameSize = free_[block->size];
        block->inSize = sameSize.insert(sameSize.end(), block);
        block->inAge = age_.insert(age_.end(), block);
        cached_ += block->size;
      }
    }
    for (Block* b : released) delete b;  // outside the lock: the base allocator frees them
  }

  // Takes a cached block out of both lists (lock held).
  void unlink(Block* block) const {
    auto sameSize = free_.find(block->size);
    sameSize->second.erase(block->inSize);
    if (sameSize->second.empty()) free_.erase(sameSize);
    age_.erase(block->inAge);
    cached_ -= block->size;
  }

  // Releases the buffers freed longest ago until at most `bytes` stay cached (lock held).
  void shrinkTo(size_t bytes, std::vector<Block*>& released) const {
    while (cached_ > bytes && !age_.empty()) {
      Block* oldest = age_.front();
      unlink(oldest);
      released.push_back(oldest);
    }
  }

  c10::Allocator* base_;
  size_t limit_;
  mutable std::mutex mutex_;
  mutable std::map<size_t, std::list<Block*>> free_;
  mutable std::list<Block*> age_;  // every cached block, freed longest ago first
  mutable size_t cached_ = 0;
  mutable uint64_t hits_ = 0, misses_ = 0;
};

// Installed once per process and never destroyed: tensors may be freed during static destruction.
CachingCpuAllocator* cache = nullptr;

void CachingCpuAllocator::release(void* context) { cache->put(static_cast<Block*>(context)); }

// PINN_TORCH_CPU_CACHE_MB: the cache's bound in MiB (default 256); 0 leaves LibTorch's allocator alone.
size_t limitFromEnvironment() {
  const char* v = std::getenv("PINN_TORCH_CPU_CACHE_MB");
  if (!v || !*v) return size_t(256) << 20;
  char* end = nullptr;
  double mb = std::strtod(v, &end);
  if (end == v || *end || !(mb >= 0)) return size_t(256) << 20;
  return static_cast<size_t>(mb * (1 << 20));
}

Napi::Value Stats(const Napi::CallbackInfo& info) {
  auto out = Napi::Object::New(info.Env());
  auto s = cache ? cache->stats() : CachingCpuAllocator::Stats{0, 0, 0, 0, 0};
  out.Set("enabled", cache != nullptr);
  out.Set("cachedBytes", static_cast<double>(s.cached));
  out.Set("blocks", static_cast<double>(s.blocks));
  out.Set("limitBytes", static_cast<double>(s.limit));
  out.Set("hits", static_cast<double>(s.hits));
  out.Set("misses", static_cast<double>(s.misses));
  return out;
}

// cpuCacheSetLimit(bytes): releases what exceeds it at once; 0 empties the cache and keeps it empty.
Napi::Value SetLimit(const Napi::CallbackInfo& info) {
  PT_GUARD("cpuCache.setLimit", {
    if (cache) cache->setLimit(static_cast<size_t>(info[0].As<Napi::Number>().DoubleValue()));
    return info.Env().Undefined();
  })
}

}  // namespace

void registerCpuCache(Napi::Env env, Napi::Object exports) {
  static std::once_flag installed;
  std::call_once(installed, [] {
    size_t limit = limitFromEnvironment();
    if (limit == 0) return;
    cache = new CachingCpuAllocator(c10::GetCPUAllocator(), limit);
    c10::SetCPUAllocator(cache, /*priority=*/1);  // above LibTorch's default (0)
  });
  exports.Set("cpuCacheStats", Napi::Function::New(env, Stats, "cpuCacheStats"));
  exports.Set("cpuCacheSetLimit", Napi::Function::New(env, SetLimit, "cpuCacheSetLimit"));
}

}  // namespace pt

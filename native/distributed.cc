// Collectives on LibTorch's c10d: a rendezvous store (TCPStore or FileStore), a process group
// over it (Gloo for CPU tensors, NCCL for CUDA ones), and allreduce / broadcast / barrier of
// tensor lists, each with a timeout. Everything a user composes (launching, sharding, the
// data-parallel Trainer) is in src/distributed/. Each backend is built only where the LibTorch
// ships its headers (CMakeLists.txt sets PINN_TORCH_WITH_GLOO / _NCCL); elsewhere every call
// explains why not.
#include <napi.h>

#include <string>

#include "args.h"
#include "errors.h"
#include "ops.h"
#include "pinn_torch_features.h"

#if PINN_TORCH_WITH_C10D
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <sstream>
#endif
#if PINN_TORCH_WITH_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#if PINN_TORCH_WITH_NCCL
#include <c10/cuda/CUDAFunctions.h>
#include <torch/version.h>
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

namespace pt {
namespace {

#if PINN_TORCH_WITH_C10D
using std::chrono::milliseconds;

// One process group and the store its ranks met through; JS names it by an integer id. Exactly
// one backend is set once connected; `device` is where its collectives run (the CPU for Gloo,
// this rank's GPU for NCCL), and tensors elsewhere are staged through it.
struct Group {
  c10::intrusive_ptr<c10d::Store> store;
#if PINN_TORCH_WITH_GLOO
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
#endif
#if PINN_TORCH_WITH_NCCL
  c10::intrusive_ptr<c10d::ProcessGroupNCCL> nccl;
#endif
  c10::Device device{c10::kCPU};
  int rank = 0;
  int size = 1;
  milliseconds timeout{0};
};

// Runs f on the group's backend (both have the same collective signatures). connected() below
// has checked that there is one.
template <typename F>
c10::intrusive_ptr<c10d::Work> onBackend(Group& g, F f) {
#if PINN_TORCH_WITH_NCCL
  if (g.nccl) return f(*g.nccl);
#endif
#if PINN_TORCH_WITH_GLOO
  if (g.gloo) return f(*g.gloo);
#endif
  throw std::runtime_error("the process group is not connected yet");
}

bool hasBackend(const Group& g) {
#if PINN_TORCH_WITH_NCCL
  if (g.nccl) return true;
#endif
#if PINN_TORCH_WITH_GLOO
  if (g.gloo) return true;
#endif
  return false;
}

std::map<int, Group>& groups() {
  static std::map<int, Group> g;
  return g;
}

Group& group(const Napi::CallbackInfo& info, size_t i) {
  int id = info[i].As<Napi::Number>().Int32Value();
  auto it = groups().find(id);
  if (it == groups().end()) throw std::runtime_error("process group " + std::to_string(id) + " is destroyed");
  return it->second;
}

std::string text(const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); }
std::vector<uint8_t> bytes(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }

// Records which collective this rank has reached, so that a rank left waiting can tell which
// peer fell behind (src/distributed/errors.ts reads these keys back after a failure).
void markProgress(Group& g, int64_t seq) { g.store->set("pinn/seq/" + std::to_string(g.rank), bytes(std::to_string(seq))); }

void await(const c10::intrusive_ptr<c10d::Work>& work, milliseconds timeout) {
  if (!work->wait(timeout)) throw std::runtime_error("the collective was aborted");
}

// Collectives run on one flat buffer per dtype, on the backend's device: one call per step, not
// one per tensor, and a CPU scalar (a loss, a vote) joins a GPU group's buffer like any other.
template <typename Collective>
void flatRun(Group& g, std::vector<at::Tensor>& tensors, Collective run) {
  std::map<at::ScalarType, std::vector<size_t>> byType;
  for (size_t k = 0; k < tensors.size(); k++) {
    auto& t = tensors[k];
    if (!t.defined()) throw std::runtime_error("tensor " + std::to_string(k) + " is undefined");
    byType[t.scalar_type()].push_back(k);
  }
  for (auto& [type, indices] : byType) {
    std::vector<at::Tensor> flat;
    for (auto k : indices) flat.push_back(tensors[k].detach().reshape({-1}).to(g.device));
    std::vector<at::Tensor> buffer{at::cat(flat)};
    run(buffer);
    int64_t offset = 0;
    for (auto k : indices) {
      auto n = tensors[k].numel();
      tensors[k].detach().copy_(buffer[0].narrow(0, offset, n).view(tensors[k].sizes()));
      offset += n;
    }
  }
}

Napi::Value Init(const Napi::CallbackInfo& info) {
  PT_GUARD("distributed.init", {
    auto o = info[0].As<Napi::Object>();
    int rank = o.Get("rank").As<Napi::Number>().Int32Value();
    int size = o.Get("worldSize").As<Napi::Number>().Int32Value();
    milliseconds timeout(o.Get("timeoutMs").As<Napi::Number>().Int64Value());
    std::string kind = o.Get("store").As<Napi::String>();
    c10::intrusive_ptr<c10d::Store> base;
    if (kind == "tcp") {
      c10d::TCPStoreOptions so;
      so.port = static_cast<uint16_t>(o.Get("port").As<Napi::Number>().Uint32Value());
      so.isServer = rank == 0;
      so.numWorkers = size;
      so.waitWorkers = false;  // joining is checked by src/distributed with messages naming the ranks
      so.timeout = timeout;
      base = c10::make_intrusive<c10d::TCPStore>(o.Get("host").As<Napi::String>().Utf8Value(), so);
    } else {
      base = c10::make_intrusive<c10d::FileStore>(o.Get("path").As<Napi::String>().Utf8Value(), size);
    }
    base->setTimeout(timeout);
    Group g;
    g.store = base;
    g.rank = rank;
    g.size = size;
    g.timeout = timeout;
    static int next = 1;
    int id = next++;
    groups()[id] = g;
    return Napi::Number::New(info.Env(), id);
  })
}

// The process group proper, after src/distributed has checked every rank's claim in the store:
// connect(group, backend, hostname, cudaIndex).
Napi::Value Connect(const Napi::CallbackInfo& info) {
  PT_GUARD("distributed.connect", {
    Group& g = group(info, 0);
    std::string backend = info[1].As<Napi::String>();
    std::string hostname = info[2].As<Napi::String>();
    if (backend == "gloo") {
#if PINN_TORCH_WITH_GLOO
      auto options = c10d::ProcessGroupGloo::Options::create(g.timeout);
      options->devices.push_back(hostname.empty() ? c10d::ProcessGroupGloo::createDefaultDevice()
                                                  : c10d::ProcessGroupGloo::createDeviceForHostname(hostname));
      options->threads = 1;
      g.gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(c10::make_intrusive<c10d::PrefixStore>("gloo", g.store), g.rank, g.size, options);
      g.device = c10::Device(c10::kCPU);
#else
      throw std::runtime_error(std::string("this build has no Gloo: ") + PINN_TORCH_NO_GLOO_REASON);
#endif
    } else if (backend == "nccl") {
#if PINN_TORCH_WITH_NCCL
      auto index = static_cast<c10::DeviceIndex>(i64(info, 3));
      c10::cuda::set_device(index);  // NCCL's communicators and streams belong to the current device
      auto options = c10d::ProcessGroupNCCL::Options::create();
      options->timeout = g.timeout;
      g.nccl = c10::make_intrusive<c10d::ProcessGroupNCCL>(c10::make_intrusive<c10d::PrefixStore>("nccl", g.store), g.rank, g.size, options);
      g.device = c10::Device(c10::kCUDA, index);
#else
      throw std::runtime_error(std::string("this build has no NCCL: ") + PINN_TORCH_NO_NCCL_REASON);
#endif
    } else {
      throw std::runtime_error("unknown backend '" + backend + "'");
    }
    return info.Env().Undefined();
  })
}

Napi::Value StoreSet(const Napi::CallbackInfo& info) {
  PT_GUARD("distributed.storeSet", {
    group(info, 0).store->set(info[1].As<Napi::String>(), bytes(info[2].As<Napi::String>()));
    return info.Env().Undefined();
  })
}

// The value at `key`, or null when no rank has set it (never waits: a TCPStore wait that times
// out leaves its reply in flight on the connection, so src/distributed polls instead).
Napi::Value StoreGet(const Napi::CallbackInfo& info) {
  PT_GUARD("distributed.storeGet", {
    Group& g = group(info, 0);
    std::string key = info[1].As<Napi::String>();
    if (!g.store->check({key})) return info.Env().Null();
    return Napi::String::New(info.Env(), text(g.store->get(key)));
  })
}

Napi::Value StoreAdd(const Napi::CallbackInfo& info) {
  PT_GUARD("distributed.storeAdd", {
    auto v = group(info, 0).store->add(info[1].As<Napi::String>(), info[2].As<Napi::Number>().Int64Value());
    return Napi::Number::New(info.Env(), static_cast<double>(v));
  })
}

Group& connected(const Napi::CallbackInfo& info) {
  Group& g = group(info, 0);
  if (!hasBackend(g)) throw std::runtime_error("the process group is not connected yet");
  return g;
}

// allreduce(group, tensors, seq, timeoutMs): in place, sum over ranks.
Napi::Value Allreduce(const Napi::CallbackInfo& info) {
  PT_GUARD("distributed.allreduce", {
    Group& g = connected(info);
    auto tensors = tensorList(info, 1);
    markProgress(g, i64(info, 2));
    milliseconds timeout(i64(info, 3));
    flatRun(g, tensors, [&](std::vector<at::Tensor>& buffer) {
      c10d::AllreduceOptions opts;
      opts.reduceOp = c10d::ReduceOp::SUM;
      opts.timeout = timeout;
      await(onBackend(g, [&](auto& pg) { return pg.allreduce(buffer, opts); }), timeout);
    });
    return info.Env().Undefined();
  })
}

// broadcast(group, tensors, root, seq, timeoutMs): in place, root's values everywhere.
Napi::Value Broadcast(const Napi::CallbackInfo& info) {
  PT_GUARD("distributed.broadcast", {
    Group& g = connected(info);
    auto tensors = tensorList(info, 1);
    int64_t root = i64(info, 2);
    markProgress(g, i64(info, 3));
    milliseconds timeout(i64(info, 4));
    flatRun(g, tensors, [&](std::vector<at::Tensor>& buffer) {
      c10d::BroadcastOptions opts;
      opts.rootRank = root;
      opts.timeout = timeout;
      await(onBackend(g, [&](auto& pg) { return pg.broadcast(buffer, opts); }), timeout);
    });
    return info.Env().Undefined();
  })
}

Napi::Value Barrier(const Napi::CallbackInfo& info) {
  PT_GUARD("distributed.barrier", {
    Group& g = connected(info);
    markProgress(g, i64(info, 1));
    milliseconds timeout(i64(info, 2));
    // An allreduce of one element on the group's device: what a barrier is, without NCCL's
    // guess of which GPU a rank uses.
    std::vector<at::Tensor> one{at::zeros({1}, at::TensorOptions().device(g.device))};
    c10d::AllreduceOptions opts;
    opts.timeout = timeout;
    await(onBackend(g, [&](auto& pg) { return pg.allreduce(one, opts); }), timeout);
    return info.Env().Undefined();
  })
}

Napi::Value Destroy(const Napi::CallbackInfo& info) {
  PT_GUARD("distributed.destroy", {
    int id = info[0].As<Napi::Number>().Int32Value();
#if PINN_TORCH_WITH_NCCL && TORCH_VERSION_MAJOR >= 2
    auto it = groups().find(id);
    if (it != groups().end() && it->second.nccl) it->second.nccl->shutdown();  // else its destructor warns and aborts
#endif
    groups().erase(id);  // the process group's destructor joins its worker thread
    return info.Env().Undefined();
  })
}

#else  // no process group in this build

Napi::Value Unavailable(const Napi::CallbackInfo& info) {
  throw Napi::Error::New(info.Env(), std::string("distributed: ") + PINN_TORCH_NO_GLOO_REASON);
}

#endif

// Which backends this build has, and why not where it has none.
Napi::Value Available(const Napi::CallbackInfo& info) {
  auto out = Napi::Object::New(info.Env());
  out.Set("gloo", static_cast<bool>(PINN_TORCH_WITH_GLOO));
  out.Set("reason", PINN_TORCH_NO_GLOO_REASON);
  out.Set("nccl", static_cast<bool>(PINN_TORCH_WITH_NCCL));
  out.Set("ncclReason", PINN_TORCH_NO_NCCL_REASON);
  return out;
}

}  // namespace

void registerDistributed(Napi::Env env, Napi::Object exports) {
  exports.Set("distAvailable", Napi::Function::New(env, Available));
#if PINN_TORCH_WITH_C10D
  const std::pair<const char*, Napi::Value (*)(const Napi::CallbackInfo&)> functions[] = {
      {"distInit", Init},           {"distConnect", Connect},     {"distStoreSet", StoreSet},
      {"distStoreGet", StoreGet},   {"distStoreAdd", StoreAdd},   {"distAllreduce", Allreduce},
      {"distBroadcast", Broadcast}, {"distBarrier", Barrier},     {"distDestroy", Destroy}};
  for (auto& [name, fn] : functions) exports.Set(name, Napi::Function::New(env, fn));
#else
  for (auto name : {"distInit", "distConnect", "distStoreSet", "distStoreGet", "distStoreAdd", "distAllreduce",
                    "distBroadcast", "distBarrier", "distDestroy"})
    exports.Set(name, Napi::Function::New(env, Unavailable));
#endif
}

}  // namespace pt

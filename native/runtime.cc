// Process-wide facts and knobs: versions, threads, CUDA, seeding, RNG state, live memory.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/csrc/api/include/torch/cuda.h>
#include <torch/csrc/api/include/torch/version.h>

#include <dlfcn.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cctype>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <unordered_set>

#include "args.h"
#include "errors.h"
#include "ops.h"
#include "small_gemm.h"

#ifndef PINN_TORCH_LIB_DIR
#define PINN_TORCH_LIB_DIR ""
#endif

// What this binary was built against, as plain text in the file: the loader and
// the install read it without loading the binary (scripts/libtorch/binary.mjs: readBuildStamp).
extern "C" __attribute__((used, visibility("default"))) const char pinn_torch_build_stamp[] =
    "pinn-torch-build-stamp;torch=" TORCH_VERSION ";libdir=" PINN_TORCH_LIB_DIR ";end";

namespace pt {
namespace {

std::string readText(const std::string& path) {
  std::ifstream f(path);
  if (!f) return "";
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The text between `key` and the next `end` character in `text`, or "".
std::string after(const std::string& text, const std::string& key, char end) {
  auto k = text.find(key);
  if (k == std::string::npos) return "";
  k += key.size();
  auto e = text.find(end, k);
  return e == std::string::npos ? "" : text.substr(k, e - k);
}

// The version of the LibTorch a loaded shared library belongs to, from the files each layout
// keeps beside its libraries (same rules as scripts/libtorch/version.mjs); "" when unknown.
std::string versionNear(const std::string& lib) {
  auto slash = lib.rfind('/');
  std::string dir = slash == std::string::npos ? "." : lib.substr(0, slash);
  std::string file = slash == std::string::npos ? lib : lib.substr(slash + 1);
  for (const std::string& cfg : {dir + "/../share/cmake/Torch/TorchConfigVersion.cmake", dir + "/cmake/Torch/TorchConfigVersion.cmake"}) {
    std::string v = after(readText(cfg), "set(PACKAGE_VERSION \"", '"');
    if (!v.empty()) return v;
  }
  std::string build = readText(dir + "/../build-version");  // official archive
  build = build.substr(0, build.find_first_of("\r\n"));
  if (!build.empty()) return build;
  std::string py = readText(dir + "/../version.py");  // Python wheel
  auto k = py.find("__version__");
  if (k != std::string::npos) {
    auto q = py.find_first_of("'\"", k);
    auto e = q == std::string::npos ? q : py.find(py[q], q + 1);
    if (e != std::string::npos) return py.substr(q + 1, e - q - 1);
  }
  auto so = file.find(".so.");  // Debian: libtorch_cpu.so.1.13
  if (so != std::string::npos && so + 4 < file.size() && isdigit(static_cast<unsigned char>(file[so + 4]))) return file.substr(so + 4);
  return "";
}

std::string pathOf(const void* addr) {
  Dl_info di{};
  return dladdr(addr, &di) && di.dli_fname ? std::string(di.dli_fname) : std::string();
}

}  // namespace

LoadedTorch loadedTorch() {
  LoadedTorch t;
  t.path = pathOf(reinterpret_cast<const void*>(&at::get_num_threads));  // lives in libtorch_cpu
  // The real file first (a folder of symlinks names no version of its own), then the name as loaded.
  char real[PATH_MAX];
  if (!t.path.empty() && realpath(t.path.c_str(), real)) t.version = versionNear(real);
  if (t.version.empty()) t.version = versionNear(t.path);
  return t;
}

void checkLoadedTorch(Napi::Env env) {
  LoadedTorch t = loadedTorch();
  int major = 0, minor = 0;
  if (std::sscanf(t.version.c_str(), "%d.%d", &major, &minor) != 2) return;  // unknown: every symbol bound (-z now)
  if (major == TORCH_VERSION_MAJOR && minor == TORCH_VERSION_MINOR) return;
  std::string self = pathOf(reinterpret_cast<const void*>(&checkLoadedTorch));
  const char* ldPath = std::getenv("LD_LIBRARY_PATH");
  std::string msg = "pinn-torch: LibTorch mismatch: " + self + " was built against LibTorch " TORCH_VERSION " (" PINN_TORCH_LIB_DIR
      ") but the LibTorch that loads here is " + t.version + " (" + t.path + "). Refusing to use it: mixing LibTorch versions crashes. "
      "To fix: rebuild it against the LibTorch to use (LIBTORCH=/path/to/libtorch or /path/to/torch-*.whl npm rebuild pinn-torch; "
      "in a clone: npm run build:native)";
  if (ldPath && *ldPath) {
    msg += ", or unset LD_LIBRARY_PATH (" + std::string(ldPath) + "), which puts another LibTorch before the one it was built against.";
  } else {
    msg += ", or make LibTorch " TORCH_VERSION " loadable again at " PINN_TORCH_LIB_DIR ".";
  }
  throw Napi::Error::New(env, msg);
}

namespace {

// OpenBLAS keeps its own thread pool that at::set_num_threads does not drive
// (shared/notes/bridge.md); reach it through the symbols it exports, when loaded.
template <typename F>
F blasSymbol(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_DEFAULT, name));
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  PT_GUARD("setNumThreads",
    int n = info[0].As<Napi::Number>().Int32Value();
    at::set_num_threads(n);
    if (auto f = blasSymbol<void (*)(int)>("openblas_set_num_threads")) f(n);
    return info.Env().Undefined();
  )
}
Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_threads());
}

Napi::Value BlasConfig(const Napi::CallbackInfo& info) {
  auto cfg = blasSymbol<char* (*)()>("openblas_get_config");
  auto threads = blasSymbol<int (*)()>("openblas_get_num_threads");
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("openblas", cfg ? Napi::Value(Napi::String::New(info.Env(), cfg())) : info.Env().Null());
  o.Set("threads", threads ? Napi::Value(Napi::Number::New(info.Env(), threads())) : info.Env().Null());
  const std::string small = gemm::backend();
  o.Set("smallGemm", small.empty() ? info.Env().Null() : Napi::Value(Napi::String::New(info.Env(), small)));
  return o;
}

Napi::Value SetSmallGemm(const Napi::CallbackInfo& info) {
  gemm::setEnabled(info[0].As<Napi::Boolean>().Value());
  return info.Env().Undefined();
}

// glibc's malloc hands a freed block at the heap's top back to the OS once more than the trim
// threshold is free there, and serves blocks above the mmap threshold with their own mmap; a
// training step frees most of what it allocated, so by default the next step faults the same
// pages back in. Raising both keeps them in the heap. Returns false where this is not glibc.
Napi::Value TuneMalloc(const Napi::CallbackInfo& info) {
  bool ok = false;
#if defined(__GLIBC__)
  int mmapThreshold = info[0].As<Napi::Number>().Int32Value();  // TS checked both are integers in range
  int trimThreshold = info[1].As<Napi::Number>().Int32Value();
  ok = mallopt(M_MMAP_THRESHOLD, mmapThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, trimThreshold) == 1;
#endif
  return Napi::Boolean::New(info.Env(), ok);
}

Napi::Value CudaIsAvailable(const Napi::CallbackInfo& info) {
  PT_GUARD("cuda.isAvailable", return Napi::Boolean::New(info.Env(), torch::cuda::is_available());)
}
Napi::Value CudaDeviceCount(const Napi::CallbackInfo& info) {
  PT_GUARD("cuda.deviceCount", return Napi::Number::New(info.Env(), static_cast<double>(torch::cuda::device_count()));)
}

Napi::Value ManualSeed(const Napi::CallbackInfo& info) {
  PT_GUARD("manualSeed",
    at::manual_seed(static_cast<uint64_t>(info[0].As<Napi::Number>().Int64Value()));
    return info.Env().Undefined();
  )
}

// The CPU generator's full state (Mersenne Twister), for checkpoints that resume exactly.
Napi::Value GetRngState(const Napi::CallbackInfo& info) {
  PT_GUARD("getRngState",
    auto gen = at::detail::getDefaultCPUGenerator();
    at::Tensor state;
    {
      std::lock_guard<std::mutex> lock(gen.mutex());
      state = gen.get_state();
    }
    Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(info.Env(), state.numel());
    std::memcpy(buf.Data(), state.data_ptr(), state.numel());
    return buf;
  )
}
Napi::Value SetRngState(const Napi::CallbackInfo& info) {
  PT_GUARD("setRngState",
    Napi::TypedArray data = info[0].As<Napi::TypedArray>();
    at::Tensor state = at::empty({static_cast<int64_t>(data.ByteLength())}, at::kByte);
    std::memcpy(state.data_ptr(), static_cast<uint8_t*>(data.ArrayBuffer().Data()) + data.ByteOffset(), data.ByteLength());
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(state);
    return info.Env().Undefined();
  )
}

// Live tensors and the bytes of their distinct storages (views share one).
Napi::Value Memory(const Napi::CallbackInfo& info) {
  PT_GUARD("memory",
    Table& tb = table();
    std::unordered_set<const void*> seen;
    double bytes = 0;
    for (const Slot& s : tb.slots) {
      if (!s.live || !s.tensor.defined() || !s.tensor.has_storage()) continue;
      const void* impl = s.tensor.storage().unsafeGetStorageImpl();
      if (seen.insert(impl).second) bytes += static_cast<double>(s.tensor.storage().nbytes());
    }
    Napi::Object o = Napi::Object::New(info.Env());
    o.Set("tensors", static_cast<double>(tb.live));
    o.Set("bytes", bytes);
    return o;
  )
}

// The JS side hands over one Float64Array that every op writes its result's metadata into.
Napi::Value SetMetaBuffer(const Napi::CallbackInfo& info) {
  PT_GUARD("init",
    Napi::Float64Array a = info[0].As<Napi::Float64Array>();
    if (a.ElementLength() < static_cast<size_t>(4 + kMaxMetaDims)) throw std::runtime_error("meta buffer too small");
    Table& tb = table();
    tb.metaRef = Napi::Persistent(a);
    tb.meta = a.Data();
    return info.Env().Undefined();
  )
}

Napi::Value BuildInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("torchVersion", TORCH_VERSION);
  o.Set("torchLibDir", PINN_TORCH_LIB_DIR);
  LoadedTorch loaded = loadedTorch();
  Napi::Object lt = Napi::Object::New(env);
  lt.Set("version", loaded.version.empty() ? env.Null() : Napi::Value(Napi::String::New(env, loaded.version)));
  lt.Set("path", loaded.path.empty() ? env.Null() : Napi::Value(Napi::String::New(env, loaded.path)));
  o.Set("loaded", lt);
  o.Set("cxx11Abi", static_cast<bool>(_GLIBCXX_USE_CXX11_ABI));
  o.Set("compiler", __VERSION__);
  o.Set("parallelInfo", at::get_parallel_info());
  // Index = c10::ScalarType / c10::DeviceType value; these let TS map names to codes.
  Napi::Object dtypes = Napi::Object::New(env);
  dtypes.Set("float32", static_cast<int>(at::kFloat));
  dtypes.Set("float64", static_cast<int>(at::kDouble));
  dtypes.Set("int32", static_cast<int>(at::kInt));
  dtypes.Set("int64", static_cast<int>(at::kLong));
  dtypes.Set("uint8", static_cast<int>(at::kByte));
  dtypes.Set("bool", static_cast<int>(at::kBool));
  dtypes.Set("complex64", static_cast<int>(at::kComplexFloat));
  dtypes.Set("complex128", static_cast<int>(at::kComplexDouble));
  o.Set("dtypes", dtypes);
  Napi::Object devices = Napi::Object::New(env);
  devices.Set("cpu", static_cast<int>(at::kCPU));
  devices.Set("cuda", static_cast<int>(at::kCUDA));
  o.Set("devices", devices);
  o.Set("maxDims", kMaxMetaDims);
  return o;
}

}  // namespace

void registerRuntime(Napi::Env env, Napi::Object exports) {
  struct Fn { const char* name; Napi::Value (*fn)(const Napi::CallbackInfo&); };
  const Fn fns[] = {
      {"setNumThreads", SetNumThreads}, {"getNumThreads", GetNumThreads}, {"blasConfig", BlasConfig}, {"setSmallGemm", SetSmallGemm},
      {"tuneMalloc", TuneMalloc},
      {"cudaIsAvailable", CudaIsAvailable}, {"cudaDeviceCount", CudaDeviceCount}, {"manualSeed", ManualSeed},
      {"getRngState", GetRngState}, {"setRngState", SetRngState}, {"memory", Memory},
      {"setMetaBuffer", SetMetaBuffer}, {"buildInfo", BuildInfo},
  };
  for (const Fn& f : fns) exports.Set(f.name, Napi::Function::New(env, f.fn, f.name));
}

}  // namespace pt

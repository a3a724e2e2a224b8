// Tensor operations. Ops are grouped into families that share a signature; each family
// is one N-API function taking an op code. The code tables below are exported by name,
// so src/backend.ts derives its codes from here and the two cannot drift apart.
#include <ATen/ATen.h>

#include "args.h"
#include "errors.h"
#include "fast_tanh.h"
#include "ops.h"

namespace pt {
namespace {

using T = at::Tensor;

// ---- unary: f(x) ---------------------------------------------------------------------
#define PT_UNARY(X)                                          \
  X(neg, at::neg(a))                                         \
  X(abs, at::abs(a))                                         \
  X(exp, at::exp(a))                                         \
  X(log, at::log(a))                                         \
  X(log1p, at::log1p(a))                                     \
  X(expm1, at::expm1(a))                                     \
  X(sqrt, at::sqrt(a))                                       \
  X(rsqrt, at::rsqrt(a))                                     \
  X(square, at::mul(a, a))                                   \
  X(reciprocal, at::reciprocal(a))                           \
  X(sin, at::sin(a))                                         \
  X(cos, at::cos(a))                                         \
  X(tan, at::tan(a))                                         \
  X(asin, at::asin(a))                                       \
  X(acos, at::acos(a))                                       \
  X(atan, at::atan(a))                                       \
  X(sinh, at::sinh(a))                                       \
  X(cosh, at::cosh(a))                                       \
  X(tanh, fastTanh(a))                                       \
  X(sigmoid, at::sigmoid(a))                                 \
  X(relu, at::relu(a))                                       \
  X(gelu, at::gelu(a))                                       \
  X(silu, at::silu(a))                                       \
  X(softplus, at::softplus(a))                               \
  X(erf, at::erf(a))                                         \
  X(sign, at::sign(a))                                       \
  X(floor, at::floor(a))                                     \
  X(ceil, at::ceil(a))                                       \
  X(round, at::round(a))                                     \
  X(real, at::real(a))                                       \
  X(imag, at::imag(a))                                       \
  X(conj, at::conj_physical(a))                              \
  X(angle, at::angle(a))                                     \
  X(isnan, at::isnan(a))                                     \
  X(isinf, at::isinf(a))                                     \
  X(isfinite, at::isfinite(a))                               \
  X(logicalNot, at::logical_not(a))                          \
  X(clone, a.clone())                                        \
  X(contiguous, a.contiguous())                              \
  X(detach, a.detach())                                      \
  X(sumAll, a.sum())                                         \
  X(meanAll, a.mean())                                       \
  X(maxAll, a.max())                                         \
  X(minAll, a.min())                                         \
  X(normAll, at::linalg_vector_norm(a, 2))                   \
  X(anyAll, a.any())                                         \
  X(allAll, a.all())                                         \
  X(zerosLike, at::zeros_like(a))                            \
  X(onesLike, at::ones_like(a))                              \
  X(t, a.t())                                                \
  X(flatten, a.flatten())                                    \
  X(numelT, at::scalar_tensor(static_cast<double>(a.numel())))

// ---- binary: f(a, b) with broadcasting -----------------------------------------------
#define PT_BINARY(X)                     \
  X(add, at::add(a, b))                  \
  X(sub, at::sub(a, b))                  \
  X(mul, at::mul(a, b))                  \
  X(div, at::div(a, b))                  \
  X(pow, at::pow(a, b))                  \
  X(atan2, at::atan2(a, b))              \
  X(maximum, at::maximum(a, b))          \
  X(minimum, at::minimum(a, b))          \
  X(fmod, at::fmod(a, b))                \
  X(remainder, at::remainder(a, b))      \
  X(eq, at::eq(a, b))                    \
  X(ne, at::ne(a, b))                    \
  X(lt, at::lt(a, b))                    \
  X(le, at::le(a, b))                    \
  X(gt, at::gt(a, b))                    \
  X(ge, at::ge(a, b))                    \
  X(logicalAnd, at::logical_and(a, b))   \
  X(logicalOr, at::logical_or(a, b))     \
  X(matmul, at::matmul(a, b))            \
  X(complex, at::complex(a, b))          \
  X(polar, at::polar(a, b))

// ---- tensor with a number: f(a, s) ---------------------------------------------------
#define PT_SCALAR(X)                              \
  X(add, at::add(a, s))                           \
  X(sub, at::sub(a, s))                           \
  X(rsub, at::rsub(a, s))                         \
  X(mul, at::mul(a, s))                           \
  X(div, at::div(a, s))                           \
  X(rdiv, at::mul(at::reciprocal(a), s))          \
  X(pow, at::pow(a, s))                           \
  X(rpow, at::pow(s, a))                          \
  X(maximum, at::clamp_min(a, s))                 \
  X(minimum, at::clamp_max(a, s))                 \
  X(fmod, at::fmod(a, s))                         \
  X(remainder, at::remainder(a, s))               \
  X(eq, at::eq(a, s))                             \
  X(ne, at::ne(a, s))                             \
  X(lt, at::lt(a, s))                             \
  X(le, at::le(a, s))                             \
  X(gt, at::gt(a, s))                             \
  X(ge, at::ge(a, s))                             \
  X(softplusBeta, at::softplus(a, s))             \
  X(leakyRelu, at::leaky_relu(a, s))              \
  X(elu, at::elu(a, s))                           \
  X(normP, at::linalg_vector_norm(a, s))

// ---- in place: a ← f(a, b, c, s, s2); b and c may be undefined ---------------------------
// These are what optimizers need: run them under noGrad on leaf parameters.
#define PT_INPLACE(X)                                   \
  X(add_, a.add_(b, s))                                 \
  X(sub_, a.sub_(b, s))                                 \
  X(mul_, a.mul_(b))                                    \
  X(div_, a.div_(b))                                    \
  X(addScalar_, a.add_(s))                              \
  X(mulScalar_, a.mul_(s))                              \
  X(divScalar_, a.div_(s))                              \
  X(addcmul_, a.addcmul_(b, c, s))                      \
  X(addcdiv_, a.addcdiv_(b, c, s))                      \
  X(lerp_, a.lerp_(b, s))                               \
  X(copy_, a.copy_(b))                                  \
  X(zero_, a.zero_())                                   \
  X(fill_, a.fill_(s))                                  \
  X(sqrt_, a.sqrt_())                                   \
  X(neg_, a.neg_())                                     \
  X(maximum_, at::maximum_out(a, a, b))                 \
  X(clampMin_, a.clamp_min_(s))                         \
  X(clampMax_, a.clamp_max_(s))                         \
  X(uniform_, a.uniform_(s.toDouble(), s2.toDouble()))  \
  X(normal_, a.normal_(s.toDouble(), s2.toDouble()))   \
  X(addmm_, a.addmm_(b, c, s, s2))

// ---- reductions over dims: f(a, dims, keepdim, s) -----------------------------------
#define PT_REDUCE(X)                                                           \
  X(sum, at::sum(a, dims, keep))                                               \
  X(mean, at::mean(a, dims, keep))                                             \
  X(amax, at::amax(a, dims, keep))                                             \
  X(amin, at::amin(a, dims, keep))                                             \
  X(prod, at::prod(a, oneDim(dims), keep))                                          \
  X(argmax, at::argmax(a, oneDim(dims), keep))                                      \
  X(argmin, at::argmin(a, oneDim(dims), keep))                                      \
  X(logsumexp, at::logsumexp(a, dims, keep))                                   \
  X(norm, at::linalg_vector_norm(a, s, at::IntArrayRef(dims), keep))           \
  X(std, at::std(a, at::OptionalIntArrayRef(dims), s != 0.0, keep)) \
  X(var, at::var(a, at::OptionalIntArrayRef(dims), s != 0.0, keep)) \
  X(softmax, at::softmax(a, oneDim(dims)))                                          \
  X(logSoftmax, at::log_softmax(a, oneDim(dims)))                                   \
  X(cumsum, at::cumsum(a, oneDim(dims)))                                            \
  X(flip, at::flip(a, dims))

#define PT_NAME(n, expr) #n,
#define PT_ENUM(n, expr) n,
#define PT_CASE(n, expr) \
  case n:                \
    return expr;

namespace unary { enum Code { PT_UNARY(PT_ENUM) kCount }; const char* names[] = {PT_UNARY(PT_NAME)}; }
namespace binary { enum Code { PT_BINARY(PT_ENUM) kCount }; const char* names[] = {PT_BINARY(PT_NAME)}; }
namespace scalar { enum Code { PT_SCALAR(PT_ENUM) kCount }; const char* names[] = {PT_SCALAR(PT_NAME)}; }
namespace inplace { enum Code { PT_INPLACE(PT_ENUM) kCount }; const char* names[] = {PT_INPLACE(PT_NAME)}; }
namespace reduce { enum Code { PT_REDUCE(PT_ENUM) kCount }; const char* names[] = {PT_REDUCE(PT_NAME)}; }

T applyUnary(int code, const T& a) {
  using namespace unary;
  switch (code) { PT_UNARY(PT_CASE) }
  throw std::runtime_error("unknown unary op code");
}
T applyBinary(int code, const T& a, const T& b) {
  using namespace binary;
  switch (code) { PT_BINARY(PT_CASE) }
  throw std::runtime_error("unknown binary op code");
}
T applyScalar(int code, const T& a, const at::Scalar& s) {
  using namespace scalar;
  switch (code) { PT_SCALAR(PT_CASE) }
  throw std::runtime_error("unknown scalar op code");
}
T applyInplace(int code, T& a, const T& b, const T& c, const at::Scalar& s, const at::Scalar& s2) {
  using namespace inplace;
  switch (code) { PT_INPLACE(PT_CASE) }
  throw std::runtime_error("unknown in-place op code");
}
// Single-dim reductions take exactly one dim; an empty list must not be read (it crashed the process).
static int64_t oneDim(const std::vector<int64_t>& dims) {
  if (dims.size() != 1) throw std::invalid_argument("expected exactly one dim, got " + std::to_string(dims.size()));
  return dims[0];
}
T applyReduce(int code, const T& a, std::vector<int64_t> dims, bool keep, double s) {
  using namespace reduce;
  switch (code) { PT_REDUCE(PT_CASE) }
  throw std::runtime_error("unknown reduction code");
}

template <size_t N>
std::string opName(const char* (&names)[N], int code) {
  return code >= 0 && static_cast<size_t>(code) < N ? names[code] : "op";
}

// When no input requires grad, an op's result has no history, so the autograd layer of
// the dispatcher is pure cost: skipping it saves ~85 ns of a ~620 ns `at::add` on a
// 1-element tensor (C++ loop, this machine). Only for ops whose result is a new tensor:
// a view made below that layer would lack the view bookkeeping that a later in-place op
// needs, and in-place ops must bump version counters there.
bool makesView(int code) {
  using namespace unary;
  switch (code) {
    case real: case imag: case conj: case contiguous: case detach: case t: case flatten: return true;
    default: return false;
  }
}

// op() published as a result, below the autograd layer unless `needsAutograd`.
template <typename Op>
Napi::Value resultOf(const Napi::CallbackInfo& info, bool needsAutograd, Op op) {
  if (needsAutograd) return result(info.Env(), op());
  at::AutoDispatchBelowADInplaceOrView belowAutograd;
  return result(info.Env(), op());
}

Napi::Value Unary(const Napi::CallbackInfo& info) {
  int code = info[0].As<Napi::Number>().Int32Value();
  PT_GUARD(opName(unary::names, code), const T& a = tensorArg(info, 1);
           return resultOf(info, a.requires_grad() || makesView(code), [&] { return applyUnary(code, a); });)
}
Napi::Value Binary(const Napi::CallbackInfo& info) {
  int code = info[0].As<Napi::Number>().Int32Value();
  PT_GUARD(opName(binary::names, code), const T& a = tensorArg(info, 1); const T& b = tensorArg(info, 2);
           return resultOf(info, a.requires_grad() || b.requires_grad(), [&] { return applyBinary(code, a, b); });)
}
Napi::Value Scalar(const Napi::CallbackInfo& info) {
  int code = info[0].As<Napi::Number>().Int32Value();
  PT_GUARD(opName(scalar::names, code), const T& a = tensorArg(info, 1); const at::Scalar s = toScalar(num(info, 2));
           return resultOf(info, a.requires_grad(), [&] { return applyScalar(code, a, s); });)
}
Napi::Value Inplace(const Napi::CallbackInfo& info) {
  int code = info[0].As<Napi::Number>().Int32Value();
  PT_GUARD(opName(inplace::names, code),
           applyInplace(code, tensorArg(info, 1), optionalTensor(info, 2), optionalTensor(info, 3),
                        info.Length() > 4 ? toScalar(num(info, 4)) : at::Scalar(1.0),
                        info.Length() > 5 ? toScalar(num(info, 5)) : at::Scalar(0.0));
           return info.Env().Undefined();)
}
Napi::Value Reduce(const Napi::CallbackInfo& info) {
  int code = info[0].As<Napi::Number>().Int32Value();
  PT_GUARD(opName(reduce::names, code),
           return result(info.Env(), applyReduce(code, tensorArg(info, 1), intList(info, 2), flag(info, 3),
                                                 info.Length() > 4 ? num(info, 4) : 0.0));)
}

// ---- ops with their own signatures ------------------------------------------------
Napi::Value Linear(const Napi::CallbackInfo& info) {
  PT_GUARD("linear", return result(info.Env(), at::linear(tensorArg(info, 0), tensorArg(info, 1), optionalTensor(info, 2)));)
}
Napi::Value Where(const Napi::CallbackInfo& info) {
  PT_GUARD("where", return result(info.Env(), at::where(tensorArg(info, 0), tensorArg(info, 1), tensorArg(info, 2)));)
}
Napi::Value Clamp(const Napi::CallbackInfo& info) {
  auto bound = [&](size_t i) -> c10::optional<at::Scalar> {
    if (info[i].IsNull() || info[i].IsUndefined()) return c10::nullopt;
    return toScalar(num(info, i));
  };
  PT_GUARD("clamp", return result(info.Env(), at::clamp(tensorArg(info, 0), bound(1), bound(2)));)
}
Napi::Value Reshape(const Napi::CallbackInfo& info) {
  PT_GUARD("reshape", return result(info.Env(), tensorArg(info, 0).reshape(intList(info, 1)));)
}
Napi::Value View(const Napi::CallbackInfo& info) {
  PT_GUARD("view", return result(info.Env(), tensorArg(info, 0).view(intList(info, 1)));)
}
Napi::Value Expand(const Napi::CallbackInfo& info) {
  PT_GUARD("expand", return result(info.Env(), tensorArg(info, 0).expand(intList(info, 1)));)
}
Napi::Value Repeat(const Napi::CallbackInfo& info) {
  PT_GUARD("repeat", return result(info.Env(), tensorArg(info, 0).repeat(intList(info, 1)));)
}
Napi::Value Permute(const Napi::CallbackInfo& info) {
  PT_GUARD("permute", return result(info.Env(), tensorArg(info, 0).permute(intList(info, 1)));)
}
Napi::Value Transpose(const Napi::CallbackInfo& info) {
  PT_GUARD("transpose", return result(info.Env(), tensorArg(info, 0).transpose(i64(info, 1), i64(info, 2)));)
}
Napi::Value Squeeze(const Napi::CallbackInfo& info) {
  PT_GUARD("squeeze", at::Tensor& a = tensorArg(info, 0);
           return result(info.Env(), info[1].IsUndefined() || info[1].IsNull() ? a.squeeze() : a.squeeze(i64(info, 1)));)
}
Napi::Value Unsqueeze(const Napi::CallbackInfo& info) {
  PT_GUARD("unsqueeze", return result(info.Env(), tensorArg(info, 0).unsqueeze(i64(info, 1)));)
}
Napi::Value Narrow(const Napi::CallbackInfo& info) {
  PT_GUARD("narrow", return result(info.Env(), tensorArg(info, 0).narrow(i64(info, 1), i64(info, 2), i64(info, 3)));)
}
Napi::Value Slice(const Napi::CallbackInfo& info) {  // (t, dim, start, end, step)
  PT_GUARD("slice", return result(info.Env(), tensorArg(info, 0).slice(i64(info, 1), i64(info, 2), i64(info, 3), i64(info, 4)));)
}
Napi::Value Select(const Napi::CallbackInfo& info) {
  PT_GUARD("select", return result(info.Env(), tensorArg(info, 0).select(i64(info, 1), i64(info, 2)));)
}
Napi::Value IndexSelect(const Napi::CallbackInfo& info) {
  PT_GUARD("indexSelect", return result(info.Env(), at::index_select(tensorArg(info, 0), i64(info, 1), tensorArg(info, 2)));)
}
Napi::Value Gather(const Napi::CallbackInfo& info) {
  PT_GUARD("gather", return result(info.Env(), at::gather(tensorArg(info, 0), i64(info, 1), tensorArg(info, 2)));)
}
Napi::Value Cat(const Napi::CallbackInfo& info) {
  PT_GUARD("cat", return result(info.Env(), at::cat(tensorList(info, 0), i64(info, 1)));)
}
Napi::Value Stack(const Napi::CallbackInfo& info) {
  PT_GUARD("stack", return result(info.Env(), at::stack(tensorList(info, 0), i64(info, 1)));)
}
Napi::Value Split(const Napi::CallbackInfo& info) {  // (t, sizes[], dim)
  PT_GUARD("split", return handleList(info.Env(), at::split_with_sizes(tensorArg(info, 0), intList(info, 1), i64(info, 2)));)
}
Napi::Value Chunk(const Napi::CallbackInfo& info) {
  PT_GUARD("chunk", return handleList(info.Env(), at::chunk(tensorArg(info, 0), i64(info, 1), i64(info, 2)));)
}

Napi::Array names(Napi::Env env, const char* const* list, size_t n) {
  Napi::Array a = Napi::Array::New(env, n);
  for (size_t i = 0; i < n; i++) a.Set(static_cast<uint32_t>(i), list[i]);
  return a;
}

}  // namespace

void registerOps(Napi::Env env, Napi::Object exports) {
  Napi::Object codes = Napi::Object::New(env);
  codes.Set("unary", names(env, unary::names, unary::kCount));
  codes.Set("binary", names(env, binary::names, binary::kCount));
  codes.Set("scalar", names(env, scalar::names, scalar::kCount));
  codes.Set("inplace", names(env, inplace::names, inplace::kCount));
  codes.Set("reduce", names(env, reduce::names, reduce::kCount));
  exports.Set("opNames", codes);

  struct Fn { const char* name; Napi::Value (*fn)(const Napi::CallbackInfo&); };
  const Fn fns[] = {
      {"unary", Unary},       {"binary", Binary},       {"scalar", Scalar},       {"inplace", Inplace},
      {"reduce", Reduce},     {"linear", Linear},       {"where", Where},         {"clamp", Clamp},
      {"reshape", Reshape},   {"view", View},           {"expand", Expand},       {"repeat", Repeat},
      {"permute", Permute},   {"transpose", Transpose}, {"squeeze", Squeeze},     {"unsqueeze", Unsqueeze},
      {"narrow", Narrow},     {"slice", Slice},         {"select", Select},       {"indexSelect", IndexSelect},
      {"gather", Gather},     {"cat", Cat},             {"stack", Stack},         {"split", Split},
      {"chunk", Chunk},
  };
  for (const Fn& f : fns) exports.Set(f.name, Napi::Function::New(env, f.fn, f.name));
}

}  // namespace pt

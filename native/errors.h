// Every native entry point runs its body inside `try { ... } catch (...) { rethrowAsJs(env, op); }`
// so that no C++ exception escapes as an abort. LibTorch's c10::Error carries a ~2 KB
// backtrace; only its short message reaches JavaScript, prefixed with the op name.
#pragma once

#include <c10/util/Exception.h>
#include <napi.h>

#include <string>

#include "handles.h"

namespace pt {

inline std::string firstParagraph(const std::string& s) {
  // LibTorch sometimes appends "Exception raised from ..." or a blank line and detail.
  auto cut = s.find("\nException raised from");
  return cut == std::string::npos ? s : s.substr(0, cut);
}

[[noreturn]] inline void rethrowAsJs(Napi::Env env, const std::string& op) {
  try {
    throw;
  } catch (const Napi::Error&) {
    throw;
  } catch (const c10::Error& e) {
    throw Napi::Error::New(env, op + ": " + firstParagraph(e.what_without_backtrace()));
  } catch (const StaleHandle& e) {
    throw Napi::Error::New(env, op + ": " + e.what());
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, op + ": " + e.what());
  } catch (...) {
    throw Napi::Error::New(env, op + ": unknown native error");
  }
}

}  // namespace pt

// Wraps a function body; `OP` is a std::string or literal naming the operation.
#define PT_GUARD(OP, ...)                \
  try {                                  \
    __VA_ARGS__                          \
  } catch (...) {                        \
    ::pt::rethrowAsJs(info.Env(), (OP)); \
  }

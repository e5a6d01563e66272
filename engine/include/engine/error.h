// The engine's errors and checks. A failed check throws; library code never calls exit(). Two kinds,
// so that a caller can tell bad input from a bug (the CLI maps them to exit codes 1 and 3):
//   engine::Error              the data, a file or the environment: a malformed matrix, a corrupt or
//                              truncated record, out of memory, a device that is not there
//                              (ENGINE_CHECK; its message says what was wrong in the caller's terms);
//   engine::PreconditionError  the caller broke the API's contract, i.e. a bug in the calling code: an
//                              index or size out of range, a use before finalize(), an unknown parameter
//                              or group (ENGINE_REQUIRE, ENGINE_FAIL_PRECONDITION), and ShapeError, an
//                              op's operands that do not fit (ENGINE_CHECK_SHAPE, engine/ops.h).
// PreconditionError derives from Error, so `catch (const engine::Error&)` still catches everything the
// engine throws.
//
// The check macros follow the kernels' convention (kernels/check.h): the condition, then the message
// as parts streamed in turn (never a stream expression). A precondition's message reads like a
// kernel's: "FILE:LINE: engine precondition failed: CONDITION (PARTS)".
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace engine {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A broken precondition of the engine's API: a bug in the code that called it.
class PreconditionError : public Error {
 public:
  using Error::Error;
};

// A shape or device mismatch between the operands of an op (a precondition; its message names the
// layer and the op rather than a source line).
class ShapeError : public PreconditionError {
 public:
  using PreconditionError::PreconditionError;
};

namespace detail {
template <class... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}

// condition may be null (a failure with no single condition: ENGINE_FAIL_PRECONDITION).
[[noreturn]] inline void fail_precondition(const char* condition, const std::string& message, const char* file,
                                           int line) {
  std::ostringstream out;
  out << file << ':' << line << ": engine precondition failed: ";
  if (condition != nullptr) {
    out << condition;
    if (!message.empty()) out << " (" << message << ')';
  } else {
    out << message;
  }
  throw PreconditionError(out.str());
}
}  // namespace detail

}  // namespace engine

// ENGINE_CHECK(cond, parts...): throws engine::Error("parts...") when cond is false (bad data, a
// corrupt record, a resource that is missing).
#define ENGINE_CHECK(condition, ...) \
  do {                               \
    if (!(condition)) throw ::engine::Error(::engine::detail::concat(__VA_ARGS__)); \
  } while (0)

// ENGINE_REQUIRE(cond, parts...): throws engine::PreconditionError when cond is false (the caller's bug).
#define ENGINE_REQUIRE(condition, ...)                                                                 \
  do {                                                                                                 \
    if (!(condition)) {                                                                                \
      ::engine::detail::fail_precondition(#condition, ::engine::detail::concat(__VA_ARGS__), __FILE__, __LINE__); \
    }                                                                                                  \
  } while (0)

// ENGINE_FAIL_PRECONDITION(parts...): throws engine::PreconditionError unconditionally (a call the
// object does not support, a lookup that found nothing).
#define ENGINE_FAIL_PRECONDITION(...) \
  ::engine::detail::fail_precondition(nullptr, ::engine::detail::concat(__VA_ARGS__), __FILE__, __LINE__)

// ENGINE_CHECK_SHAPE(cond, parts...): throws ShapeError("parts...") for operand mismatches.
#define ENGINE_CHECK_SHAPE(condition, ...) \
  do {                                     \
    if (!(condition)) throw ::engine::ShapeError(::engine::detail::concat(__VA_ARGS__)); \
  } while (0)

// Precondition checks for kernel entry points. A failed check throws kernels::Error with the
// stringified condition, the file and the line, so a test runner or the CLI can report it; library
// code never calls exit(). A broken precondition is a bug in the caller (the engine checks its
// operands first), hence a std::logic_error: the CLI reports it as an internal error (exit 3).
//
// The same convention as the engine's checks (engine/error.h): CHECK-style macros take the condition
// and then the message as parts, each streamed in turn, never a stream expression; a precondition's
// message reads "FILE:LINE: <layer> precondition failed: CONDITION (PARTS)" in both layers.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace kernels {

class Error : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

namespace detail {
// The message parts of a check, streamed in turn ("rows=", rows -> "rows=12").
template <class... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}
}  // namespace detail

[[noreturn]] inline void fail_precondition(const char* condition, const std::string& message, const char* file,
                                           int line) {
  std::ostringstream out;
  out << file << ':' << line << ": kernel precondition failed: " << condition;
  if (!message.empty()) out << " (" << message << ')';
  throw Error(out.str());
}

}  // namespace kernels

// KERNELS_REQUIRE(rows >= 0, "rows=", rows): throws kernels::Error when the condition is false; the
// parts after the condition form the message.
#define KERNELS_REQUIRE(condition, ...)                                                                     \
  do {                                                                                                      \
    if (!(condition)) {                                                                                     \
      ::kernels::fail_precondition(#condition, ::kernels::detail::concat(__VA_ARGS__), __FILE__, __LINE__); \
    }                                                                                                       \
  } while (0)

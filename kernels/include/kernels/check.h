// Precondition checks for kernel entry points. A failed check throws kernels::Error with the
// stringified condition, the file and the line, so a test runner or the CLI can report it; library
// code never calls exit(). A broken precondition is a bug in the caller (the engine checks its
// operands first), hence a std::logic_error: the CLI reports it as an internal error (exit 3).
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace kernels {

class Error : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] inline void fail_precondition(const char* condition, const std::string& message, const char* file,
                                           int line) {
  std::ostringstream out;
  out << file << ':' << line << ": kernel precondition failed: " << condition;
  if (!message.empty()) out << " (" << message << ')';
  throw Error(out.str());
}

}  // namespace kernels

// KERNELS_REQUIRE(rows >= 0, "rows=" << rows): the message part is a stream expression.
#define KERNELS_REQUIRE(condition, message)                                                 \
  do {                                                                                      \
    if (!(condition)) {                                                                     \
      std::ostringstream kernels_require_message_;                                          \
      kernels_require_message_ << message;                                                  \
      ::kernels::fail_precondition(#condition, kernels_require_message_.str(), __FILE__, __LINE__); \
    }                                                                                       \
  } while (0)

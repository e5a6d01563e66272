// The CLI's exit codes (error_exit.h maps exceptions to them) and its usage error.
#pragma once

#include <stdexcept>
#include <string>

namespace autorec::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // I/O or data error (and out of memory, device errors)
inline constexpr int kExitUsage = 2;     // user error: command, flag, value, config line
inline constexpr int kExitInternal = 3;  // a broken precondition inside the library: a bug
inline constexpr int kExitInterrupted = 130;  // 128 + SIGINT, what shells report for Ctrl-C

// A bad flag, value, config line or input: the message names the argument or file:line.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace autorec::cli

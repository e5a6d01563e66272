// The CLI's error kinds and their exit codes: 2 for what the user can fix in the command line or
// the input files, 1 for other failures, 130 after Ctrl-C.
#pragma once

#include <stdexcept>
#include <string>

namespace autorec::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInterrupted = 130;  // 128 + SIGINT, what shells report for Ctrl-C

// A bad flag, value, config line or input: the message names the argument or file:line.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace autorec::cli

// The errors of autorec/core, one kind per cause (docs/architecture.md, "Errors"):
// - ConfigError: a setting or argument the caller passed is outside its domain (an unknown name, a
//   negative size); the caller's to fix. Derived from std::invalid_argument for code that catches that.
// - CheckpointError (checkpoint.h) and DataError (autorec/data): a file is missing, unreadable, corrupt
//   or malformed; the data's (or the disk's) problem.
// - engine::PreconditionError / kernels::Error: a broken precondition inside the engine or the kernels,
//   reached only through a bug in the code that called them; a plain engine::Error is the engine's
//   data, record or resource error (engine/error.h).
// AUTOREC_CONFIG_CHECK is the one check macro here, in the engine's style (ENGINE_CHECK: condition,
// then the message's parts).
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace autorec {

class ConfigError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

namespace detail {
// The message of a failed check: its parts streamed one after another.
template <class... Parts>
std::string config_message(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}
}  // namespace detail

}  // namespace autorec

// AUTOREC_CONFIG_CHECK(cond, parts...): throws autorec::ConfigError("parts...") when cond is false.
#define AUTOREC_CONFIG_CHECK(condition, ...)                                                  \
  do {                                                                                        \
    if (!(condition)) throw ::autorec::ConfigError(::autorec::detail::config_message(__VA_ARGS__)); \
  } while (0)

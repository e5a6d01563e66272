// The engine's one family of checks. A failed check throws engine::Error (or a subclass) whose
// message says what was wrong in the caller's terms; library code never calls exit().
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace engine {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A shape or device mismatch between the operands of an op.
class ShapeError : public Error {
 public:
  using Error::Error;
};

namespace detail {
template <class... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}
}  // namespace detail

}  // namespace engine

// ENGINE_CHECK(cond, parts...): throws engine::Error("parts...") when cond is false.
#define ENGINE_CHECK(condition, ...) \
  do {                               \
    if (!(condition)) throw ::engine::Error(::engine::detail::concat(__VA_ARGS__)); \
  } while (0)

// ENGINE_CHECK_SHAPE(cond, parts...): the same, for operand mismatches (throws ShapeError).
#define ENGINE_CHECK_SHAPE(condition, ...) \
  do {                                     \
    if (!(condition)) throw ::engine::ShapeError(::engine::detail::concat(__VA_ARGS__)); \
  } while (0)

#include "autorec/data/error.h"

#include <utility>

namespace autorec {
namespace {

std::string format_message(const std::string& file, std::size_t line, const std::string& reason) {
  if (line == 0) return file + ": " + reason;
  return file + ":" + std::to_string(line) + ": " + reason;
}

}  // namespace

DataError::DataError(std::string file, std::size_t line, std::string reason)
    : std::runtime_error(format_message(file, line, reason)),
      file_(std::move(file)),
      line_(line),
      reason_(std::move(reason)) {}

}  // namespace autorec

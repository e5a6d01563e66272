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

std::string quoted(std::string_view text, std::size_t limit) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f || c == '\'' || c == '\\') {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += text.size() > limit ? "...' (" + std::to_string(text.size()) + " bytes)" : "'";
  return out;
}

}  // namespace autorec

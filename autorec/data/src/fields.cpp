#include "fields.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "autorec/data/error.h"

namespace autorec::detail {

std::string_view trim_field(std::string_view field) {
  while (!field.empty() && (field.front() == ' ' || field.front() == '\t')) field.remove_prefix(1);
  while (!field.empty() && (field.back() == ' ' || field.back() == '\t')) field.remove_suffix(1);
  if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = field.substr(1, field.size() - 2);
  return field;
}

void split_fields(std::string_view line, std::string_view separator, Fields& out) {
  out.count = 0;
  const char first = separator.front();
  std::size_t start = 0;
  for (;;) {
    // memchr for the first separator character: the fast path for every separator we know.
    const void* hit = std::memchr(line.data() + start, first, line.size() - start);
    std::size_t end = hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - line.data()) : line.size();
    while (hit && line.compare(end, separator.size(), separator) != 0) {
      hit = std::memchr(line.data() + end + 1, first, line.size() - end - 1);
      end = hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - line.data()) : line.size();
    }
    if (out.count < Fields::kMaxFields) out.field[out.count] = trim_field(line.substr(start, end - start));
    ++out.count;
    if (end == line.size()) return;
    start = end + separator.size();
  }
}

bool parse_float(std::string_view text, float& value) {
  if (text.empty()) return false;
  const char* first = text.data();
  if (*first == '+' && text.size() > 1 && text[1] != '-') ++first;  // "+5" yes, "+-5" no
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(first, last, value);
  return error == std::errc() && end == last && std::isfinite(value);
}

float parse_rating(std::string_view text, const std::string& file, std::size_t line) {
  float value = 0.0f;
  if (parse_float(text, value)) return value;
  const std::string shown = quoted(text);
  if (text.empty()) throw DataError(file, line, "empty rating field");
  double probe = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), probe);
  if (error == std::errc() && end == text.data() + text.size()) {
    throw DataError(file, line, "rating " + shown + " is not a finite float (NaN, inf or out of range)");
  }
  throw DataError(file, line, "rating " + shown + " is not a number");
}

}  // namespace autorec::detail

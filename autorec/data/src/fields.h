// Field splitting and number parsing shared by the line-based loaders.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace autorec::detail {

// The fields of one line. Lines with more than kMaxFields fields are counted but only the first
// kMaxFields are kept (the field-count check rejects such lines anyway).
struct Fields {
  static constexpr std::size_t kMaxFields = 16;
  std::array<std::string_view, kMaxFields> field;
  std::size_t count = 0;
};

// Splits on `separator` (one character, or a multi-character string such as "::"). Each field is
// trimmed of spaces and of one pair of surrounding double quotes.
void split_fields(std::string_view line, std::string_view separator, Fields& out);

std::string_view trim_field(std::string_view field);

// Parses a whole field as a finite float; false when it is not one.
bool parse_float(std::string_view text, float& value);

// The rating of a record: a finite number, or DataError "file:line: ..." saying what is wrong.
float parse_rating(std::string_view text, const std::string& file, std::size_t line);

}  // namespace autorec::detail

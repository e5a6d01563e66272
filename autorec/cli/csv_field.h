// One field of a CSV output, quoted per RFC 4180 when it needs to be: raw ids come from the user's
// files and may hold ',' or '"' (string ids of a ';'- or tab-separated file), which would otherwise
// shift the columns of every consumer.
#pragma once

#include <string>
#include <string_view>

namespace autorec::cli {

inline std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';  // a quote inside a quoted field is doubled
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace autorec::cli

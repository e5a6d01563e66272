#include "json_writer.h"

#include <cmath>
#include <cstdio>

namespace bench {

std::string json_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out += buffer;
        } else {
          out += c;
        }
    }
  }
  return out;
}

void JsonWriter::prefix(const std::string& key) {
  if (!first_in_scope_.back()) out_ << ',';
  first_in_scope_.back() = false;
  if (first_in_scope_.size() > 1) out_ << '\n' << std::string(2 * (first_in_scope_.size() - 1), ' ');
  if (!key.empty()) out_ << '"' << json_escape(key) << "\": ";
}

JsonWriter& JsonWriter::begin_object(const std::string& key) {
  prefix(key);
  out_ << '{';
  first_in_scope_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  first_in_scope_.pop_back();
  out_ << '}';
  if (first_in_scope_.size() == 1) out_ << '\n';
  return *this;
}

JsonWriter& JsonWriter::begin_array(const std::string& key) {
  prefix(key);
  out_ << '[';
  first_in_scope_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  first_in_scope_.pop_back();
  out_ << ']';
  return *this;
}

JsonWriter& JsonWriter::field(const std::string& key, const std::string& value) {
  prefix(key);
  out_ << '"' << json_escape(value) << '"';
  return *this;
}

JsonWriter& JsonWriter::field(const std::string& key, double value) {
  prefix(key);
  if (!std::isfinite(value)) {
    out_ << "null";
    return *this;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  out_ << buffer;
  return *this;
}

JsonWriter& JsonWriter::field(const std::string& key, std::int64_t value) {
  prefix(key);
  out_ << value;
  return *this;
}

JsonWriter& JsonWriter::field(const std::string& key, bool value) {
  prefix(key);
  out_ << (value ? "true" : "false");
  return *this;
}

}  // namespace bench

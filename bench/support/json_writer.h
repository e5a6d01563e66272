// A minimal streaming JSON writer for the results files: objects, arrays, strings, numbers, bools.
// Commas and nesting are tracked so callers only say what they write. Non-finite numbers become null
// (JSON has no NaN).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace bench {

class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}

  JsonWriter& begin_object(const std::string& key = "");
  JsonWriter& end_object();
  JsonWriter& begin_array(const std::string& key = "");
  JsonWriter& end_array();
  JsonWriter& field(const std::string& key, const std::string& value);
  JsonWriter& field(const std::string& key, const char* value) { return field(key, std::string(value)); }
  JsonWriter& field(const std::string& key, double value);
  JsonWriter& field(const std::string& key, std::int64_t value);
  JsonWriter& field(const std::string& key, int value) { return field(key, static_cast<std::int64_t>(value)); }
  JsonWriter& field(const std::string& key, bool value);

 private:
  // Writes the separator and, inside an object, the key.
  void prefix(const std::string& key);

  std::ostream& out_;
  std::vector<bool> first_in_scope_{true};
};

std::string json_escape(const std::string& text);

}  // namespace bench

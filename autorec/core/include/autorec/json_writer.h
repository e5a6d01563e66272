// A small JSON writer for the CLI's reports (--json output, training log; the benchmarks write theirs
// with nlohmann-json): objects, arrays, strings (escaped), numbers (NaN and infinities become null),
// booleans. Commas are placed automatically; the caller is responsible for well-nested begin/end calls.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace autorec {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(const std::string& name);  // inside an object, before each value
  JsonWriter& value(const std::string& text);
  JsonWriter& value(const char* text) { return value(std::string(text)); }
  JsonWriter& value(double number);
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(std::uint64_t number);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(bool flag);
  JsonWriter& null();

  // key + value in one call.
  template <class T>
  JsonWriter& field(const std::string& name, const T& v) {
    return key(name).value(v);
  }

  const std::string& str() const { return out_; }

 private:
  void before_value();
  std::vector<bool> first_in_scope_;  // one entry per open object/array
  bool after_key_ = false;
  std::string out_;
};

std::string json_escape(const std::string& text);

}  // namespace autorec

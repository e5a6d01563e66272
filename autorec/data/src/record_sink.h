// The loaders' output interface. A parser turns lines into records and hands each to a sink, so one
// parser serves both building a Ratings and re-reading a file to locate records (the duplicate error
// names lines without storing a line number per rating).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace autorec::detail {

struct SourcePosition {
  const std::string* file;
  std::size_t line;
};

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // user and item are the raw id texts (trimmed, quotes removed); valid only during the call.
  virtual void add(std::string_view user, std::string_view item, float rating, const SourcePosition& where) = 0;
};

}  // namespace autorec::detail

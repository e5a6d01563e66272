// Read-only memory map of a whole file, and a line cursor over it. Parsing straight out of the page
// cache (no copy, no iostreams, no std::string per line) is what makes the loaders run at hundreds of
// MB/s.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace autorec::detail {

class MappedFile {
 public:
  explicit MappedFile(const std::string& path);  // throws DataError "path: cannot open ..."
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view contents() const { return {data_, size_}; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

// Yields the lines of a buffer with their 1-based numbers; strips the '\n' and a trailing '\r' (CRLF).
class LineCursor {
 public:
  explicit LineCursor(std::string_view text) : rest_(text) {}

  bool next(std::string_view& line) {
    if (rest_.empty()) return false;
    const std::size_t end = rest_.find('\n');
    line = rest_.substr(0, end);
    rest_ = end == std::string_view::npos ? std::string_view() : rest_.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++number_;
    return true;
  }
  std::size_t number() const { return number_; }  // of the line last returned

 private:
  std::string_view rest_;
  std::size_t number_ = 0;
};

bool is_blank(std::string_view line);

}  // namespace autorec::detail

// The one exception type of the data layer. Every message names the file and, when the problem is on
// one line, the 1-based line: "path:line: reason". Whole-file problems (unreadable path, empty file,
// corrupt cache) carry line 0 and read "path: reason".
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace autorec {

class DataError : public std::runtime_error {
 public:
  DataError(std::string file, std::size_t line, std::string reason);

  const std::string& file() const { return file_; }
  std::size_t line() const { return line_; }  // 0 = the file as a whole
  const std::string& reason() const { return reason_; }

 private:
  std::string file_;
  std::size_t line_;
  std::string reason_;
};

// `text` for an error message: in single quotes, control and non-ASCII bytes escaped as \xNN, and cut
// to its first `limit` characters with the full length noted ("'abc...' (1048576 bytes)"): a message
// must stay one readable line whatever the input holds.
std::string quoted(std::string_view text, std::size_t limit = 80);

}  // namespace autorec

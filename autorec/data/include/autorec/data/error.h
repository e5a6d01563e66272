// The one exception type of the data layer. Every message names the file and, when the problem is on
// one line, the 1-based line: "path:line: reason". Whole-file problems (unreadable path, empty file,
// corrupt cache) carry line 0 and read "path: reason".
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

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

}  // namespace autorec

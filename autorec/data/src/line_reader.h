// The lines of a rating file, read with read() into one reused buffer. Not a memory map: a mapped
// file that shrinks while it is parsed kills the process with SIGBUS; here it is an error naming the
// file. A UTF-8 byte-order mark at the start is skipped (it would become part of the first id).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace autorec::detail {

class LineReader {
 public:
  explicit LineReader(const std::string& path);  // throws DataError "path: cannot open ..."
  // Only the bytes [begin, end) of a regular file (begin at a line start); lines are numbered from 1
  // within the range, and the byte-order mark is looked for only when begin is 0.
  LineReader(const std::string& path, std::uint64_t begin, std::uint64_t end);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its '\n' and a trailing '\r' (CRLF); valid until the next call.
  bool next(std::string_view& line);
  std::size_t number() const { return number_; }  // 1-based, of the line last returned
  const std::string& path() const { return path_; }

 private:
  bool refill();  // false at the end of the file

  std::string path_;
  int fd_ = -1;
  static constexpr std::uint64_t kNoLimit = ~std::uint64_t{0};
  std::uint64_t expected_size_ = 0, read_size_ = 0;
  std::uint64_t limit_ = kNoLimit;  // bytes to read (a range), or the whole file
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;  // the unconsumed bytes
  bool at_end_ = false, started_ = false;
  std::size_t number_ = 0;
};

bool is_blank(std::string_view line);

}  // namespace autorec::detail

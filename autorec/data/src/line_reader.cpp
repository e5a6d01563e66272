#include "line_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "autorec/data/error.h"

namespace autorec::detail {
namespace {

constexpr std::size_t kChunk = 256u << 10;  // small enough to stay in L2 from read() to parse

}  // namespace

LineReader::LineReader(const std::string& path, std::uint64_t begin, std::uint64_t end) : LineReader(path) {
  if (begin == 0 && end >= expected_size_) return;
  if (end > expected_size_ || begin > end) {
    throw DataError(path, 0, "byte range " + std::to_string(begin) + "-" + std::to_string(end) + " outside the file");
  }
  if (::lseek(fd_, static_cast<off_t>(begin), SEEK_SET) < 0) {
    throw DataError(path, 0, std::string("cannot seek: ") + std::strerror(errno));
  }
  expected_size_ = end - begin;
  limit_ = expected_size_;
  started_ = begin > 0;  // no byte-order mark in the middle of a file
}

LineReader::LineReader(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw DataError(path, 0, std::string("cannot open: ") + std::strerror(errno));
  struct stat info {};
  const int status = ::fstat(fd_, &info);
  const int saved = errno;
  if (status != 0 || S_ISDIR(info.st_mode)) {
    ::close(fd_);
    throw DataError(
        path, 0, status != 0 ? std::string("cannot stat: ") + std::strerror(saved) : "is a directory, expected a file");
  }
  expected_size_ = S_ISREG(info.st_mode) ? static_cast<std::uint64_t>(info.st_size) : 0;
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);  // a hint only
  // A small file needs no 4 MiB buffer (a longer line than the buffer grows it, see refill()).
  buffer_.resize(static_cast<std::size_t>(std::clamp<std::uint64_t>(expected_size_ + 1, 4096, kChunk)));
}

LineReader::~LineReader() { ::close(fd_); }

bool LineReader::refill() {
  if (at_end_) return false;
  if (begin_ > 0) {  // keep the partial line, at the front
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);  // a line longer than the buffer
  for (;;) {
    const std::size_t room = buffer_.size() - end_;
    const std::size_t wanted =
        limit_ == kNoLimit ? room : static_cast<std::size_t>(std::min<std::uint64_t>(room, limit_ - read_size_));
    const ssize_t got = wanted == 0 ? 0 : ::read(fd_, buffer_.data() + end_, wanted);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw DataError(path_, 0, std::string("read error: ") + std::strerror(errno));
    if (got == 0) {
      at_end_ = true;
      if (read_size_ < expected_size_) {
        throw DataError(path_, 0,
                        "the file shrank while it was read (" + std::to_string(read_size_) + " of " +
                            std::to_string(expected_size_) + " bytes): was it being rewritten?");
      }
      return false;
    }
    read_size_ += static_cast<std::uint64_t>(got);
    end_ += static_cast<std::size_t>(got);
    if (!started_ && end_ < 3 && !at_end_) continue;  // the byte-order mark check needs 3 bytes
    break;
  }
  if (!started_) {
    started_ = true;
    if (end_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) begin_ = 3;
  }
  return true;
}

bool LineReader::next(std::string_view& line) {
  for (;;) {
    const char* start = buffer_.data() + begin_;
    const void* newline = std::memchr(start, '\n', end_ - begin_);
    if (newline != nullptr) {
      const auto length = static_cast<std::size_t>(static_cast<const char*>(newline) - start);
      line = std::string_view(start, length);
      begin_ += length + 1;
      break;
    }
    if (!refill()) {
      if (begin_ == end_) return false;
      line = std::string_view(buffer_.data() + begin_, end_ - begin_);  // a last line without '\n'
      begin_ = end_;
      break;
    }
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  ++number_;
  return true;
}

bool is_blank(std::string_view line) {
  for (const char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace autorec::detail

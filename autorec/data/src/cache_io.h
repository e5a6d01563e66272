// Byte-level helpers of the binary cache: the checksum and a bounds-checked reader of the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace autorec::detail {

// FNV-1a, 64-bit, over little-endian 64-bit words (then the trailing bytes one at a time): the classic
// byte-wise FNV-1a runs at ~1 GB/s, eight times slower, and a cache is checked at every load.
class Fnv1a64 {
 public:
  void update(const void* data, std::size_t size);
  std::uint64_t digest() const;  // hash of everything so far, including a partial last word

 private:
  void mix(std::uint64_t word) {
    hash_ ^= word;
    hash_ *= 0x100000001b3ULL;
  }
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
  unsigned char pending_[8] = {};
  std::size_t pending_size_ = 0;
};

// Sequential reads of a file with read() (not a mapping: a file truncated while it is read gives an
// error, never SIGBUS). Every byte read is also fed to `checksum` when set. Reading past the end
// throws DataError "file: corrupt cache: payload ends early"; counts are checked against the bytes
// left before anything is allocated, so a forged count cannot ask for more memory than the file holds.
class FileByteReader {
 public:
  explicit FileByteReader(const std::string& file);
  ~FileByteReader();
  FileByteReader(const FileByteReader&) = delete;
  FileByteReader& operator=(const FileByteReader&) = delete;

  void read(void* out, std::size_t size);
  template <typename T>
  T read() {
    T value;
    read(&value, sizeof(T));
    return value;
  }
  template <typename T>
  void read_array(std::vector<T>& out, std::uint64_t count) {
    if (count > remaining() / sizeof(T)) ends_early(count * sizeof(T));
    out.resize(static_cast<std::size_t>(count));
    if (count > 0) read(out.data(), static_cast<std::size_t>(count) * sizeof(T));
  }
  [[noreturn]] void ends_early(std::uint64_t needed) const;
  std::uint64_t size() const { return size_; }
  std::uint64_t remaining() const { return size_ - offset_; }

  Fnv1a64* checksum = nullptr;

 private:
  std::string file_;
  int fd_ = -1;
  std::uint64_t size_ = 0, offset_ = 0;
};

}  // namespace autorec::detail

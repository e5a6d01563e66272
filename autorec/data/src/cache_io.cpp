#include "cache_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "autorec/data/error.h"

namespace autorec::detail {

void Fnv1a64::update(const void* data, std::size_t size) {
  if (size == 0) return;  // data may be null for an empty array
  const auto* bytes = static_cast<const unsigned char*>(data);
  while (size > 0 && pending_size_ > 0) {  // finish a word begun by the previous call
    pending_[pending_size_++] = *bytes++;
    --size;
    if (pending_size_ == 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, pending_, 8);
      mix(word);
      pending_size_ = 0;
    }
  }
  for (; size >= 8; bytes += 8, size -= 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes, 8);
    mix(word);
  }
  std::memcpy(pending_ + pending_size_, bytes, size);
  pending_size_ += size;
}

std::uint64_t Fnv1a64::digest() const {
  Fnv1a64 copy = *this;
  for (std::size_t k = 0; k < copy.pending_size_; ++k) {
    copy.hash_ ^= copy.pending_[k];
    copy.hash_ *= 0x100000001b3ULL;
  }
  return copy.hash_;
}

FileByteReader::FileByteReader(const std::string& file) : file_(file) {
  fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw DataError(file, 0, std::string("cannot open: ") + std::strerror(errno));
  struct stat info {};
  if (::fstat(fd_, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd_);
    throw DataError(file, 0, "not a regular file");
  }
  size_ = static_cast<std::uint64_t>(info.st_size);
}

FileByteReader::~FileByteReader() { ::close(fd_); }

void FileByteReader::ends_early(std::uint64_t needed) const {
  throw DataError(file_, 0, "corrupt cache: payload ends early (need " + std::to_string(needed) + " bytes, " +
                                std::to_string(remaining()) + " left)");
}

void FileByteReader::read(void* out, std::size_t size) {
  if (size > remaining()) ends_early(size);
  auto* bytes = static_cast<char*>(out);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got = ::read(fd_, bytes + done, size - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw DataError(file_, 0, std::string("read error: ") + std::strerror(errno));
    if (got == 0) throw DataError(file_, 0, "the file shrank while it was read");
    done += static_cast<std::size_t>(got);
  }
  offset_ += size;
  if (checksum != nullptr) checksum->update(out, size);
}

}  // namespace autorec::detail

#include "cache_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

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

AtomicFileWriter::AtomicFileWriter(std::string path)
    : path_(std::move(path)), temp_path_(path_ + ".tmp." + std::to_string(::getpid())) {
  fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) fail("cannot create " + temp_path_);
  buffer_.reserve(1 << 20);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temp_path_.c_str());
  }
}

void AtomicFileWriter::fail(const std::string& what) const {
  throw DataError(path_, 0, what + ": " + std::strerror(errno));
}

void AtomicFileWriter::write(const void* data, std::size_t size) {
  const auto* bytes = static_cast<const char*>(data);
  if (buffer_.size() + size > buffer_.capacity()) flush();
  if (size >= buffer_.capacity()) {  // large arrays go straight to the file
    buffer_.insert(buffer_.end(), bytes, bytes + size);
    flush();
    return;
  }
  buffer_.insert(buffer_.end(), bytes, bytes + size);
}

void AtomicFileWriter::flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t written = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) fail("cannot write " + temp_path_);
    done += static_cast<std::size_t>(written);
  }
  buffer_.clear();
}

void AtomicFileWriter::commit(const void* header, std::size_t header_size) {
  flush();
  if (::pwrite(fd_, header, header_size, 0) != static_cast<ssize_t>(header_size)) fail("cannot write header");
  if (::fsync(fd_) != 0) fail("cannot fsync " + temp_path_);
  const int fd = fd_;
  fd_ = -1;  // from here the destructor must not unlink: the file is being committed
  if (::close(fd) != 0 || std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temp_path_.c_str());
    errno = saved;
    fail("cannot move " + temp_path_ + " into place");
  }
  // The rename is durable only once the directory entry is: fsync the directory (best effort).
  const std::string directory = std::filesystem::path(path_).parent_path().string();
  const int dir_fd = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

std::string_view ByteReader::take(std::size_t size) {
  if (size > rest_.size()) {
    throw DataError(file_, 0, "corrupt cache: payload ends early (need " + std::to_string(size) + " bytes, " +
                                  std::to_string(rest_.size()) + " left)");
  }
  const std::string_view taken = rest_.substr(0, size);
  rest_.remove_prefix(size);
  return taken;
}

}  // namespace autorec::detail

#include "autorec/data/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace autorec {
namespace {

namespace fs = std::filesystem;

// Test hooks (docs/reliability.md), read once. AUTOREC_FAULT_FULL_DISK=FOLDER: files written into
// FOLDER (or below it) fail with ENOSPC once AUTOREC_FAULT_WRITE_LIMIT bytes (default 0) of them are
// written, as on a full disk. AUTOREC_FAULT_WRITE_DELAY_MS=M: sleep M ms before each buffer flush,
// so that a test can kill -9 a save in progress.
struct FaultHooks {
  std::string full_folder;
  std::uint64_t write_limit = 0;
  int delay_ms = 0;
  FaultHooks() {
    if (const char* folder = std::getenv("AUTOREC_FAULT_FULL_DISK")) {
      std::error_code error;
      full_folder = fs::weakly_canonical(folder, error).string();
    }
    if (const char* limit = std::getenv("AUTOREC_FAULT_WRITE_LIMIT")) write_limit = std::strtoull(limit, nullptr, 10);
    if (const char* delay = std::getenv("AUTOREC_FAULT_WRITE_DELAY_MS")) delay_ms = std::atoi(delay);
  }
  // The bytes a file at `path` may take before the "disk" is full; -1 without a limit.
  long long limit_for(const fs::path& path) const {
    if (full_folder.empty()) return -1;
    std::error_code error;
    const std::string folder = fs::weakly_canonical(path.parent_path(), error).string();
    const bool inside = folder == full_folder || folder.rfind(full_folder + "/", 0) == 0;
    return inside ? static_cast<long long>(write_limit) : -1;
  }
};
const FaultHooks& faults() {
  static const FaultHooks hooks;
  return hooks;
}

// The temporaries of live AtomicFiles, for the signal handler (lock-free slots: the only state a
// handler may touch).
constexpr int kSlots = 64;
std::array<std::atomic<const char*>, kSlots> temporaries{};
static_assert(std::atomic<const char*>::is_always_lock_free);

extern "C" void remove_temporaries_and_die(int signal_number) {
  for (auto& slot : temporaries) {
    if (const char* path = slot.load()) ::unlink(path);
  }
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

// Installs the cleanup for SIGINT and SIGTERM, unless the program handles them itself (train's
// Ctrl-C handler saves a checkpoint; it must not be replaced).
void install_cleanup_once() {
  static const bool installed = [] {
    for (const int signal_number : {SIGINT, SIGTERM}) {
      struct sigaction current {};
      if (::sigaction(signal_number, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
        struct sigaction cleanup {};
        cleanup.sa_handler = remove_temporaries_and_die;
        sigemptyset(&cleanup.sa_mask);
        ::sigaction(signal_number, &cleanup, nullptr);
      }
    }
    return true;
  }();
  (void)installed;
}

int claim_slot(const char* path) {
  for (int k = 0; k < kSlots; ++k) {
    const char* empty = nullptr;
    if (temporaries[static_cast<std::size_t>(k)].compare_exchange_strong(empty, path)) return k;
  }
  return -1;  // more than kSlots files open at once: this one is still removed on every normal path
}

std::string message(const fs::path& path, const std::string& what, int error_number) {
  return path.string() + ": " + what + (error_number != 0 ? std::string(": ") + std::strerror(error_number) : "");
}

// A link as the destination: write its target, so the link keeps pointing at the new contents.
fs::path resolve_link(const fs::path& path) {
  std::error_code error;
  if (!fs::is_symlink(fs::symlink_status(path, error))) return path;
  const fs::path target = fs::weakly_canonical(path, error);
  return error ? path : target;
}

void sync_folder(const fs::path& folder) {
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: the file itself is synced already
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

WriteError::WriteError(const fs::path& path, const std::string& what, int error_number)
    : std::runtime_error(message(path, what, error_number)), path_(path) {}

void create_folders(const fs::path& folder) {
  if (folder.empty()) return;
  std::error_code error;
  if (fs::is_directory(folder, error)) return;
  fs::path built;
  for (const fs::path& part : folder) {
    built /= part;
    const fs::file_status status = fs::status(built, error);
    if (fs::exists(status) && !fs::is_directory(status)) throw WriteError(built, "exists and is not a folder", 0);
  }
  fs::create_directories(folder, error);
  if (error) throw WriteError(folder, "cannot create the folder", error.value());
}

void check_destination(const fs::path& path) {
  std::error_code error;
  if (fs::is_directory(path, error)) throw WriteError(path, "is a folder, expected a file", 0);
  const fs::path folder = fs::absolute(path, error).parent_path();
  fs::path existing;
  fs::path built;
  for (const fs::path& part : folder) {
    built /= part;
    const fs::file_status status = fs::status(built, error);
    if (!fs::exists(status)) break;
    if (!fs::is_directory(status)) throw WriteError(built, "is a file, so it cannot hold " + path.string(), 0);
    existing = built;
  }
  if (::access(existing.c_str(), W_OK | X_OK) != 0) {
    throw WriteError(existing, "cannot write into this folder (for " + path.string() + ")", errno);
  }
}

AtomicFile::AtomicFile(const fs::path& path) : path_(resolve_link(path)) {
  static std::atomic<int> counter{0};
  if (fs::is_directory(path_)) throw WriteError(path_, "is a folder, expected a file", 0);
  create_folders(path_.parent_path());
  temp_path_ = path_.string() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  temp_text_ = temp_path_.string();
  install_cleanup_once();
  slot_ = claim_slot(temp_text_.c_str());
  fd_ = ::open(temp_text_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    const int saved = errno;
    discard();
    throw WriteError(path_, "cannot create " + temp_text_, saved);
  }
  buffer_.reserve(1 << 20);
  byte_limit_ = faults().limit_for(path_);
}

AtomicFile::~AtomicFile() { discard(); }

void AtomicFile::discard() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temp_text_.c_str());
    fd_ = -1;
  }
  if (slot_ >= 0) temporaries[static_cast<std::size_t>(slot_)].store(nullptr);
  slot_ = -1;
}

void AtomicFile::fail(const std::string& what, int error_number) {
  discard();
  throw WriteError(path_, what, error_number);
}

void AtomicFile::write(const void* data, std::size_t size) {
  if (fd_ < 0) throw WriteError(path_, "write after commit or failure", 0);
  const auto* bytes = static_cast<const char*>(data);
  if (buffer_.size() + size > buffer_.capacity()) flush();
  if (size >= buffer_.capacity()) {  // a large array goes straight to the file, not through a copy
    write_all(bytes, size);
    return;
  }
  buffer_.insert(buffer_.end(), bytes, bytes + size);
}

void AtomicFile::flush() {
  write_all(buffer_.data(), buffer_.size());
  buffer_.clear();
}

void AtomicFile::write_all(const char* bytes, std::size_t size) {
  if (size == 0) return;
  if (faults().delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(faults().delay_ms));
  std::size_t done = 0;
  while (done < size) {
    std::size_t chunk = size - done;
    if (byte_limit_ >= 0) {
      const long long left = byte_limit_ - written_;
      if (left <= 0) fail("cannot write " + temp_text_, ENOSPC);
      chunk = std::min<std::size_t>(chunk, static_cast<std::size_t>(left));
    }
    const ssize_t written = ::write(fd_, bytes + done, chunk);
    if (written < 0 && errno == EINTR) continue;  // Ctrl-C during a save must not lose the save
    if (written <= 0) fail("cannot write " + temp_text_, written < 0 ? errno : EIO);
    written_ += written;
    done += static_cast<std::size_t>(written);
  }
}

void AtomicFile::write_at(std::uint64_t offset, const void* data, std::size_t size) {
  flush();
  if (::pwrite(fd_, data, size, static_cast<off_t>(offset)) != static_cast<ssize_t>(size)) {
    fail("cannot write " + temp_text_, errno);
  }
}

void AtomicFile::commit() {
  if (fd_ < 0) throw WriteError(path_, "commit after a failure", 0);
  flush();
  if (::fsync(fd_) != 0) fail("cannot sync " + temp_text_, errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    const int saved = errno;
    ::unlink(temp_text_.c_str());
    discard();
    throw WriteError(path_, "cannot close " + temp_text_, saved);
  }
  if (std::rename(temp_text_.c_str(), path_.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temp_text_.c_str());
    discard();
    throw WriteError(path_, "cannot move " + temp_text_ + " into place", saved);
  }
  discard();
  sync_folder(path_.parent_path());
}

void write_file_atomically(const fs::path& path, std::string_view contents) {
  AtomicFile file(path);
  file.write(contents);
  file.commit();
}

}  // namespace autorec

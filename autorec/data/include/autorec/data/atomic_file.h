// Every file the program writes goes through AtomicFile: the bytes go to a temporary file beside the
// destination ("<name>.tmp.<pid>.<n>"), which commit() flushes, fsyncs, renames over the destination
// and makes durable by fsyncing the folder. Until commit() the destination is untouched; an
// AtomicFile destroyed without commit() (an exception, a failed write) removes its temporary, and so
// does SIGINT/SIGTERM when the program has no handler of its own for them. Only kill -9 or a crash
// can leave a "*.tmp.*" file behind, and never a half-written destination.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace autorec {

// A failed write, sync or rename: "path: what: system reason" (exit code 1 in the CLI: not the
// user's input, but the system refusing).
class WriteError : public std::runtime_error {
 public:
  WriteError(const std::filesystem::path& path, const std::string& what, int error_number);
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class AtomicFile {
 public:
  // Creates missing parent folders and the temporary file; a symbolic link as `path` is written
  // through (its target is replaced, not the link). Throws WriteError.
  explicit AtomicFile(const std::filesystem::path& path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t size);
  void write(std::string_view text) { write(text.data(), text.size()); }
  // Overwrites bytes already written (a header whose checksum is known only at the end).
  void write_at(std::uint64_t offset, const void* data, std::size_t size);
  void commit();  // flush, fsync, close, rename, fsync the folder; throws WriteError

  const std::filesystem::path& path() const { return path_; }
  const std::filesystem::path& temp_path() const { return temp_path_; }

 private:
  void flush();
  void write_all(const char* bytes, std::size_t size);
  [[noreturn]] void fail(const std::string& what, int error_number);
  void discard() noexcept;

  std::filesystem::path path_;
  std::filesystem::path temp_path_;
  std::string temp_text_;  // what the signal handler unlinks (a stable C string)
  int fd_ = -1;
  int slot_ = -1;
  long long byte_limit_ = -1, written_ = 0;  // the full-disk test hook (atomic_file.cpp)
  std::vector<char> buffer_;
};

// The whole file in one go.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

// Creates `folder` and its missing parents; throws WriteError naming the part that is not a folder.
void create_folders(const std::filesystem::path& folder);

// Whether an AtomicFile for `path` could be created, checked without creating anything: `path` is not
// a folder, no part of its folder is a file, and the deepest existing folder is writable (missing
// folders are created at the first write). Throws WriteError naming what is in the way.
void check_destination(const std::filesystem::path& path);

}  // namespace autorec

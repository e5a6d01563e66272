// data_fingerprint(): what a ratings cache was parsed from, so that a cache is reused only when the
// same options would parse the same bytes. Path, size and modification time, plus a hash of every
// byte of the contents: a file rewritten with its size and mtime kept can never be served from a stale
// cache. The word-wise FNV-1a runs at several GB/s, so hashing the 1.4 GB Netflix-sized csv costs a
// fraction of a second next to parsing it (docs/data.md has the measurement).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

#include "autorec/data/cache.h"
#include "autorec/data/error.h"
#include "cache_io.h"

namespace autorec {
namespace {

namespace fs = std::filesystem;

// Every option that changes the parse, as one text (a field separator that cannot occur in them).
std::string options_text(const LoadOptions& options) {
  const DelimitedOptions& d = options.delimited;
  return format_name(options.format) + '\x1f' + duplicate_policy_name(options.duplicates) + '\x1f' + d.separator +
         '\x1f' + std::to_string(d.user_column) + '\x1f' + std::to_string(d.item_column) + '\x1f' +
         std::to_string(d.rating_column) + '\x1f' + std::to_string(static_cast<int>(d.header));
}

// Every byte of the file, read in 1 MiB blocks.
void add_contents(detail::Fnv1a64& hash, const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw DataError(file.string(), 0, std::string("cannot open: ") + std::strerror(errno));
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);  // a hint only
  std::vector<char> buffer(std::size_t{1} << 20);
  for (;;) {
    const ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const int saved = errno;
      ::close(fd);
      throw DataError(file.string(), 0, std::string("cannot read: ") + std::strerror(saved));
    }
    if (got == 0) break;
    hash.update(buffer.data(), static_cast<std::size_t>(got));
  }
  ::close(fd);
}

void add_file_stamp(detail::Fnv1a64& hash, const fs::path& file, const std::string& name) {
  const std::uint64_t size = fs::file_size(file);
  const auto mtime = static_cast<std::int64_t>(fs::last_write_time(file).time_since_epoch().count());
  const auto length = static_cast<std::uint64_t>(name.size());
  hash.update(&length, sizeof length);  // the length keeps "ab"+"c" apart from "a"+"bc"
  hash.update(name.data(), name.size());
  hash.update(&size, sizeof size);
  hash.update(&mtime, sizeof mtime);
  add_contents(hash, file);
}

// The regular files under a folder, by path relative to it, in a fixed (sorted) order.
std::vector<fs::path> files_under(const fs::path& folder) {
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file()) files.push_back(entry.path().lexically_relative(folder));
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::uint64_t data_fingerprint(const fs::path& data, const LoadOptions& options) {
  detail::Fnv1a64 hash;
  const std::string text = options_text(options);
  hash.update(text.data(), text.size());
  try {
    if (fs::is_directory(data)) {
      const std::string folder = fs::canonical(data).string();
      hash.update(folder.data(), folder.size());
      for (const fs::path& file : files_under(data)) add_file_stamp(hash, data / file, file.generic_string());
    } else {
      add_file_stamp(hash, data, fs::canonical(data).string());
    }
  } catch (const fs::filesystem_error& error) {
    throw DataError(data.string(), 0, std::string("cannot read: ") + error.code().message());
  }
  return hash.digest();
}

}  // namespace autorec

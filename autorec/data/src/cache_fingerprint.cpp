// data_fingerprint(): what a ratings cache was parsed from, so that a cache is reused only when the
// same options would parse the same bytes. Size + modification time stand in for the content: hashing
// a multi-GB file at every start would cost as much as parsing it.
#include <algorithm>
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

void add_file_stamp(detail::Fnv1a64& hash, const fs::path& file, const std::string& name) {
  const std::uint64_t size = fs::file_size(file);
  const auto mtime = static_cast<std::int64_t>(fs::last_write_time(file).time_since_epoch().count());
  const auto length = static_cast<std::uint64_t>(name.size());
  hash.update(&length, sizeof length);  // the length keeps "ab"+"c" apart from "a"+"bc"
  hash.update(name.data(), name.size());
  hash.update(&size, sizeof size);
  hash.update(&mtime, sizeof mtime);
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
      for (const fs::path& file : files_under(data)) add_file_stamp(hash, data / file, file.generic_string());
    } else {
      add_file_stamp(hash, data, "");
    }
  } catch (const fs::filesystem_error& error) {
    throw DataError(data.string(), 0, std::string("cannot read: ") + error.code().message());
  }
  return hash.digest();
}

}  // namespace autorec

#include "parallel_load.h"

#include <fcntl.h>
#ifdef _OPENMP  // the fuzz build compiles the data layer without OpenMP: the ranges then run one by one
#include <omp.h>
#endif
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <vector>

#include "autorec/data/error.h"
#include "ratings_builder.h"

namespace autorec::detail {
namespace {

constexpr std::size_t kSampleBytes = std::size_t{1} << 20;

int thread_count() {
#ifdef _OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}

// Reads up to `length` bytes at `offset` (fewer at the end of the file).
std::string read_at(int fd, std::uint64_t offset, std::size_t length, const std::string& path) {
  std::string bytes(length, '\0');
  std::size_t got = 0;
  while (got < length) {
    const ssize_t n = ::pread(fd, bytes.data() + got, length - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw DataError(path, 0, std::string("read error: ") + std::strerror(errno));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  bytes.resize(got);
  return bytes;
}

struct Layout {
  std::vector<std::uint64_t> bounds;  // range r is [bounds[r], bounds[r + 1]), each starting a line
  double lines_per_byte = 0.0;        // from the first MiB, to reserve the triplets
};

// Cuts [0, size) near equal parts, each cut just after a '\n'; cuts that fall in one long line merge.
Layout plan_ranges(const std::string& path, std::uint64_t size, int parts) {
  Layout layout;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw DataError(path, 0, std::string("cannot open: ") + std::strerror(errno));
  try {
    const std::string sample = read_at(fd, 0, kSampleBytes, path);
    const auto newlines = static_cast<double>(std::count(sample.begin(), sample.end(), '\n'));
    layout.lines_per_byte = sample.empty() ? 0.0 : (newlines + 1.0) / static_cast<double>(sample.size());
    layout.bounds.push_back(0);
    for (int r = 1; r < parts; ++r) {
      std::uint64_t at = std::max(size * static_cast<std::uint64_t>(r) / static_cast<std::uint64_t>(parts),
                                  layout.bounds.back());
      std::uint64_t cut = size;
      while (at < size) {  // the first '\n' at or after `at`
        const std::string window = read_at(fd, at, 64 << 10, path);
        if (window.empty()) break;
        const void* newline = std::memchr(window.data(), '\n', window.size());
        if (newline != nullptr) {
          cut = at + static_cast<std::uint64_t>(static_cast<const char*>(newline) - window.data()) + 1;
          break;
        }
        at += window.size();
      }
      if (cut >= size) break;
      if (cut > layout.bounds.back()) layout.bounds.push_back(cut);
    }
    layout.bounds.push_back(size);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  return layout;
}

// A range's error as a sequential parse reports it: its line number moved past the earlier ranges'.
[[noreturn]] void rethrow_in_file(const std::exception_ptr& error, std::size_t lines_before) {
  try {
    std::rethrow_exception(error);
  } catch (const DataError& e) {
    if (lines_before == 0 || e.line() == 0) throw;
    throw DataError(e.file(), e.line() + lines_before, e.reason());
  }
}

// Appends range `part`'s ratings to `whole`, its ids interned into whole's maps in their first-seen
// order, which is where a sequential parse would have met them.
void append_range(RatingsBuilder& whole, RatingsBuilder& part) {
  const auto remap = [](IdMap& into, const IdMap& from) {
    std::vector<std::int32_t> index(static_cast<std::size_t>(from.size()));
    for (std::int32_t k = 0; k < from.size(); ++k) {
      index[static_cast<std::size_t>(k)] =
          from.has_string_ids() ? into.intern(std::string_view(from.string_ids()[static_cast<std::size_t>(k)]))
                                : into.intern(from.integer_ids()[static_cast<std::size_t>(k)]);
    }
    return index;
  };
  const std::vector<std::int32_t> users = remap(whole.users(), part.users());
  const std::vector<std::int32_t> items = remap(whole.items(), part.items());
  Ratings& into = whole.ratings();
  const Ratings& from = part.ratings();
  into.reserve(into.size() + from.size());
  for (std::size_t i = 0; i < from.size(); ++i) {
    into.push_back(users[static_cast<std::size_t>(from.users[i])], items[static_cast<std::size_t>(from.items[i])],
                   from.values[i]);
  }
}

}  // namespace

std::optional<Ratings> load_delimited_parallel(const std::string& path, const DelimitedSpec& spec,
                                               const IdMap& initial_users, const IdMap& initial_items,
                                               std::uint64_t min_range_bytes, int max_ranges) {
  const int wanted = max_ranges > 0 ? max_ranges : thread_count();
  struct stat info {};
  if (wanted < 2 || ::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  const auto size = static_cast<std::uint64_t>(info.st_size);
  const auto parts = static_cast<int>(
      std::min<std::uint64_t>(static_cast<std::uint64_t>(wanted), size / std::max<std::uint64_t>(min_range_bytes, 1)));
  if (parts < 2) return std::nullopt;
  const Layout layout = plan_ranges(path, size, parts);
  const std::size_t ranges = layout.bounds.size() - 1;
  if (ranges < 2) return std::nullopt;
  // The field count every range checks against; the first range re-derives it (and skips a header).
  const std::size_t fields = first_line_field_count(path, spec, layout.bounds[1]);
  if (fields == 0) return std::nullopt;  // the first non-blank line is further on: parse sequentially

  std::vector<RatingsBuilder> builders;
  builders.reserve(ranges);
  builders.emplace_back(initial_users, initial_items);
  for (std::size_t r = 1; r < ranges; ++r) builders.emplace_back(IdMap(), IdMap());
  const auto expected = [&](std::uint64_t bytes) {
    return static_cast<std::size_t>(static_cast<double>(bytes) * layout.lines_per_byte * 1.02) + 64;
  };
  builders[0].reserve(expected(size));  // the first range's arrays become the whole set's
  std::vector<RangeCount> counts(ranges);
  std::vector<std::exception_ptr> errors(ranges);
#pragma omp parallel for num_threads(static_cast<int>(ranges)) schedule(static, 1)
  for (std::size_t r = 0; r < ranges; ++r) {
    try {
      const std::uint64_t begin = layout.bounds[r], end = layout.bounds[r + 1];
      if (r > 0) builders[r].reserve(expected(end - begin));
      std::size_t first_fields = 0;
      counts[r] = r == 0 ? parse_delimited_head(path, spec, end, first_fields, builders[r])
                         : parse_delimited_range(path, spec, begin, end, fields, builders[r]);
    } catch (...) {
      errors[r] = std::current_exception();
    }
  }
  std::size_t lines_before = 0, records = 0;
  for (std::size_t r = 0; r < ranges; ++r) {  // the earliest error in the file wins
    if (errors[r]) rethrow_in_file(errors[r], lines_before);
    lines_before += counts[r].lines;
    records += counts[r].records;
  }
  check_has_records(path, records, fields);
  for (std::size_t r = 1; r < ranges; ++r) {
    append_range(builders[0], builders[r]);
    builders[r] = RatingsBuilder(IdMap(), IdMap());  // free the range's arrays as soon as they are merged
  }
  return builders[0].finish();
}

}  // namespace autorec::detail

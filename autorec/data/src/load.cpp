// load_ratings(): pick the parser, build the Ratings through a sink, apply the duplicate policy.
#include <filesystem>
#include <optional>
#include <utility>
#include <stdexcept>
#include <system_error>

#include "autorec/data/error.h"
#include "autorec/data/load.h"
#include "duplicates.h"
#include "parallel_load.h"
#include "ratings_builder.h"
#include "parsers.h"

namespace autorec {
namespace {

namespace fs = std::filesystem;

// Re-reads a file to find where two records (by index) came from; used only to report a duplicate,
// so a load never stores a line number per rating.
class RecordLocator final : public detail::RecordSink {
 public:
  RecordLocator(std::size_t first, std::size_t second) : targets_{first, second} {}

  void add(std::string_view, std::string_view, float, const detail::SourcePosition& where) override {
    for (int k = 0; k < 2; ++k) {
      if (count_ == targets_[k]) found_[k] = {*where.file, where.line};
    }
    ++count_;
  }

  struct Place {
    std::string file;
    std::size_t line = 0;
  };
  const Place& found(int k) const { return found_[k]; }

 private:
  std::size_t targets_[2];
  Place found_[2];
  std::size_t count_ = 0;
};

std::size_t estimated_ratings(const fs::path& path) {
  std::error_code error;
  const auto bytes = fs::is_regular_file(path, error) ? fs::file_size(path, error) : 0;
  return error ? 0 : static_cast<std::size_t>(bytes / 32);  // ~20-40 bytes per line in real files
}

[[noreturn]] void report_duplicate(const Ratings& ratings, std::size_t index, const RecordLocator& locator) {
  const auto& first = locator.found(0);
  const auto& second = locator.found(1);
  throw DataError(second.file, second.line,
                  "duplicate rating for user " + ratings.user_ids->raw_id(ratings.users[index]) + ", item " +
                      ratings.item_ids->raw_id(ratings.items[index]) + ", first given at " + first.file + ":" +
                      std::to_string(first.line) + " (choose a duplicate policy: keep-last, keep-first or average)");
}

}  // namespace

DuplicatePolicy parse_duplicate_policy(std::string_view name) {
  if (name == "error") return DuplicatePolicy::error;
  if (name == "keep-last") return DuplicatePolicy::keep_last;
  if (name == "keep-first") return DuplicatePolicy::keep_first;
  if (name == "average") return DuplicatePolicy::average;
  throw std::invalid_argument("unknown duplicate policy '" + std::string(name) +
                              "' (expected error, keep-last, keep-first or average)");
}

std::string duplicate_policy_name(DuplicatePolicy policy) {
  switch (policy) {
    case DuplicatePolicy::error: return "error";
    case DuplicatePolicy::keep_last: return "keep-last";
    case DuplicatePolicy::keep_first: return "keep-first";
    case DuplicatePolicy::average: return "average";
  }
  return "unknown";
}

Ratings load_ratings(const fs::path& path, const LoadOptions& options, const IdMap& initial_users,
                     const IdMap& initial_items) {
  Format format = options.format;
  DelimitedOptions custom = options.delimited;
  if (format == Format::automatic) {
    std::string separator;
    format = detect_format(path, &separator);
    if (format == Format::delimited) {
      custom = DelimitedOptions{};  // detection knows the separator only; columns and header stay default
      custom.separator = separator;
    }
  }
  const auto parse = [&](detail::RecordSink& sink) {
    if (format == Format::netflix) {
      detail::parse_netflix(path, sink);
    } else {
      detail::parse_delimited(path.string(), detail::delimited_spec(format, custom), sink);
    }
  };
  detail::RatingsBuilder builder(initial_users, initial_items);
  std::optional<Ratings> loaded;
  std::optional<detail::DuplicatePair> duplicate;
  try {
    if (format != Format::netflix) {  // a large file in byte ranges at once; nullopt: too small for that
      loaded = detail::load_delimited_parallel(path.string(), detail::delimited_spec(format, custom), initial_users,
                                               initial_items, options.parallel_range_bytes,
                                               options.parallel_ranges);
    }
    if (!loaded) {
      builder.reserve(estimated_ratings(path));
      parse(builder);
      loaded = builder.finish();
    }
    duplicate = detail::resolve_duplicates(*loaded, options.duplicates);
  } catch (const std::bad_alloc&) {  // what for and how much, not just "std::bad_alloc"
    const std::size_t count = loaded ? loaded->size() : builder.count();
    throw std::runtime_error(path.string() + ": out of host memory loading the ratings (" + std::to_string(count) +
                             " read, " + std::to_string(12 * count) + " bytes of triplets plus the ids)");
  }
  Ratings ratings = std::move(*loaded);
  if (duplicate) {
    RecordLocator locator(duplicate->first, duplicate->second);
    parse(locator);
    report_duplicate(ratings, duplicate->first, locator);
  }
  return ratings;
}

Ratings load_ratings(const fs::path& path, const LoadOptions& options) {
  return load_ratings(path, options, IdMap(), IdMap());
}

}  // namespace autorec

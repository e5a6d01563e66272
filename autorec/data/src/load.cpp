// load_ratings(): pick the parser, build the Ratings through a sink, apply the duplicate policy.
#include <filesystem>
#include <optional>
#include <utility>
#include <stdexcept>
#include <system_error>

#include "autorec/data/error.h"
#include "autorec/data/load.h"
#include "duplicates.h"
#include "parsers.h"

namespace autorec {
namespace {

namespace fs = std::filesystem;

// Interns ids and appends triplets. Remembers the last id text of each kind: files sorted by user
// (ratings.dat) or grouped by movie (Netflix) then skip most hash lookups.
class RatingsBuilder final : public detail::RecordSink {
 public:
  RatingsBuilder(IdMap users, IdMap items) : users_(std::move(users)), items_(std::move(items)) {}

  void add(std::string_view user, std::string_view item, float rating, const detail::SourcePosition&) override {
    const std::int32_t u = intern_cached(users_, user, last_user_text_, last_user_);
    const std::int32_t i = intern_cached(items_, item, last_item_text_, last_item_);
    ratings_.push_back(u, i, rating);
  }

  void reserve(std::size_t n) { ratings_.reserve(n); }
  std::size_t count() const { return ratings_.size(); }

  Ratings finish() {
    ratings_.user_ids = std::make_shared<const IdMap>(std::move(users_));
    ratings_.item_ids = std::make_shared<const IdMap>(std::move(items_));
    ratings_.recompute_range();
    return std::move(ratings_);
  }

 private:
  static std::int32_t intern_cached(IdMap& map, std::string_view text, std::string& last_text, std::int32_t& last) {
    if (last >= 0 && text == last_text) return last;
    last_text.assign(text);
    last = map.intern(text);
    return last;
  }

  IdMap users_;
  IdMap items_;
  Ratings ratings_;
  std::string last_user_text_, last_item_text_;
  std::int32_t last_user_ = -1, last_item_ = -1;
};

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
  RatingsBuilder builder(initial_users, initial_items);
  std::optional<Ratings> loaded;
  std::optional<detail::DuplicatePair> duplicate;
  try {
    builder.reserve(estimated_ratings(path));
    parse(builder);
    loaded = builder.finish();
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

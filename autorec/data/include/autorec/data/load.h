// Loading rating files. load_ratings() detects the format from the content (see docs/data.md) unless
// LoadOptions::format names it. Every problem in the input throws autorec::DataError "file:line: reason".
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "autorec/data/ratings.h"

namespace autorec {

enum class Format {
  automatic,  // detect from the content
  ml_100k,    // u.data: user \t item \t rating \t timestamp
  ml_1m,      // ratings.dat (ML-1M, ML-10M): user::item::rating[::timestamp]
  csv,        // ratings.csv (ML-20M/25M/32M/latest): userId,movieId,rating,timestamp, optional header
  netflix,    // training_set/ folder of mv_*.txt, or combined_data_*.txt, or one such file
  delimited,  // generic: DelimitedOptions says separator, columns and header
};

// "auto", "ml-100k", "ml-1m", "ml-10m" (= ml-1m), "csv", "netflix", "delimited". Throws
// std::invalid_argument on an unknown name.
Format parse_format(std::string_view name);
std::string format_name(Format format);

enum class HeaderMode {
  automatic,  // the first line is a header when its rating field is not a number
  present,
  absent,
};

struct DelimitedOptions {
  std::string separator = ",";  // one character, or "::"
  int user_column = 0;          // 0-based
  int item_column = 1;
  int rating_column = 2;
  HeaderMode header = HeaderMode::automatic;
};

// What happens to a (user, item) pair that appears more than once in one load.
enum class DuplicatePolicy {
  error,       // DataError naming both lines (the default: real data sets have no duplicates)
  keep_last,   // the last occurrence wins, kept at its own position
  keep_first,  // the first occurrence wins
  average,     // the mean of all occurrences, kept at the first occurrence's position
};

// "error", "keep-last", "keep-first", "average"; std::invalid_argument otherwise.
DuplicatePolicy parse_duplicate_policy(std::string_view name);
std::string duplicate_policy_name(DuplicatePolicy policy);

struct LoadOptions {
  Format format = Format::automatic;
  DelimitedOptions delimited;  // used when format == delimited
  DuplicatePolicy duplicates = DuplicatePolicy::error;
  // A delimited file of at least twice this many bytes is parsed in byte ranges of at least this size,
  // at most parallel_ranges of them (0: one per OpenMP thread), all at once; the result and every
  // error message are the same as a sequential parse's (docs/data.md). Tests and the fuzzer make the
  // ranges tiny to exercise them.
  std::uint64_t parallel_range_bytes = std::uint64_t{32} << 20;
  int parallel_ranges = 0;
};

// The format load_ratings would use for `path` (never Format::automatic). For a file whose separator is
// detected as something other than the named formats (';', '|', ' '), returns delimited and writes the
// separator to *separator when given.
Format detect_format(const std::filesystem::path& path, std::string* separator = nullptr);

Ratings load_ratings(const std::filesystem::path& path, const LoadOptions& options = {});

// Loads `path` with its ids mapped through existing maps (e.g. a test file through its train file's
// maps): known ids keep their index, new ids are appended. The result's maps extend the given ones.
Ratings load_ratings(const std::filesystem::path& path, const LoadOptions& options,
                     const IdMap& initial_users, const IdMap& initial_items);

}  // namespace autorec

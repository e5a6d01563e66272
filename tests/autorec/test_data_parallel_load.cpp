// load_ratings parses a large delimited file in byte ranges at once (LoadOptions::parallel_range_bytes;
// tests make the ranges tiny). The result must be a sequential parse's, id order and all, and an error
// must name the same line with the same message, wherever the ranges fall.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "autorec/data/load.h"
#include "data_test_support.h"

using autorec::LoadOptions;
using autorec::Ratings;
using autorec::test::TempDir;

namespace {

// The Ratings or the error message of one load.
struct Outcome {
  std::optional<Ratings> ratings;
  std::string error;
};
Outcome load(const std::filesystem::path& file, LoadOptions options) {
  try {
    return {autorec::load_ratings(file, options), ""};
  } catch (const std::exception& e) {
    return {std::nullopt, e.what()};
  }
}

// Loads `content` sequentially and in 2 to 5 ranges of several sizes: same outcome.
void check_same_as_sequential(const std::string& content, LoadOptions options = {}) {
  TempDir dir;
  const auto file = dir.write("ratings.csv", content);
  options.parallel_range_bytes = std::uint64_t{1} << 40;  // never in ranges
  const Outcome sequential = load(file, options);
  for (const int ranges : {2, 3, 5}) {
    for (const std::uint64_t range : {std::uint64_t{7}, std::uint64_t{64}, content.size() / 3 + 1}) {
      INFO(ranges << " ranges at most, of at least " << range << " bytes");
      options.parallel_ranges = ranges;
      options.parallel_range_bytes = range;
      const Outcome parallel = load(file, options);
      CHECK(parallel.error == sequential.error);
      REQUIRE(parallel.ratings.has_value() == sequential.ratings.has_value());
      if (sequential.ratings) CHECK(*parallel.ratings == *sequential.ratings);
    }
  }
}

// Ids that recur across ranges and appear first in late ranges, a header, blank and CRLF lines.
std::string mixed_file(int lines) {
  std::string text = "userId,movieId,rating\n";
  std::uint64_t state = 7;
  for (int k = 0; k < lines; ++k) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto draw = static_cast<unsigned>(state >> 33);
    if (k % 97 == 5) text += "\n";
    text += std::to_string(1 + draw % (10 + k / 3)) + "," + std::to_string(100 + (draw >> 8) % (5 + k / 7)) + "," +
            std::to_string(1 + (draw >> 16) % 5) + (k % 13 == 0 ? "\r\n" : "\n");
  }
  return text;
}

}  // namespace

TEST_CASE("parallel ranges: the same ratings and id maps as a sequential parse", "[data][load][parallel]") {
  const std::string text = mixed_file(3000);
  check_same_as_sequential(text);
  check_same_as_sequential("\xEF\xBB\xBF" + text);                           // byte-order mark
  check_same_as_sequential(text.substr(0, text.size() - 1));                 // no final newline
  check_same_as_sequential(std::string(300, '\n') + "1,2,3\n4,5,1\n\n\n");  // first line beyond the first range
  // Ids that turn to strings in a later range (the maps switch mode where a sequential parse would).
  check_same_as_sequential(text + "u7,100,3\n007,101,2\n5,u7,1\n");
  autorec::LoadOptions keep_last;
  keep_last.duplicates = autorec::DuplicatePolicy::keep_last;
  check_same_as_sequential(text + "1,100,5\n1,100,4\n", keep_last);
}

TEST_CASE("parallel ranges: errors name the line a sequential parse names", "[data][load][parallel][errors]") {
  const std::string text = mixed_file(2000);
  const auto line_start = [&](double fraction) {  // the start of a line near that fraction of the file
    const auto at = text.find('\n', static_cast<std::size_t>(fraction * static_cast<double>(text.size())));
    return at + 1;
  };
  for (const double where : {0.01, 0.34, 0.5, 0.67, 0.99}) {
    INFO("bad line near " << where << " of the file");
    std::string bad = text;
    bad.insert(line_start(where), "1,2,three\n");
    check_same_as_sequential(bad);
    bad = text;
    bad.insert(line_start(where), "1,2\n");
    check_same_as_sequential(bad);
    bad = text;
    bad.insert(line_start(where), ",2,3\n");
    check_same_as_sequential(bad);
  }
  check_same_as_sequential(text + "1,2,nan\n");                 // on the last line
  check_same_as_sequential("userId,movieId,rating\n" + std::string(500, '\n'));  // no ratings after the header
  check_same_as_sequential(text + "1,100,5\n1,100,4\n");        // a duplicate: both lines named
}

// Loaders: every format on small files written here, detection, and each bad input's message.
#include <catch2/catch.hpp>

#include "autorec/data/load.h"
#include "data_test_support.h"

using autorec::Format;
using autorec::load_ratings;
using autorec::LoadOptions;
using autorec::test::require_data_error;
using autorec::test::TempDir;

namespace {

// The raw (user, item, rating) triplets of a load, for comparison with what the test wrote.
struct RawRating {
  std::string user, item;
  float rating;
  bool operator==(const RawRating&) const = default;
};

std::vector<RawRating> raw_ratings(const autorec::Ratings& r) {
  std::vector<RawRating> out;
  for (std::size_t k = 0; k < r.size(); ++k) {
    out.push_back({r.user_ids->raw_id(r.users[k]), r.item_ids->raw_id(r.items[k]), r.values[k]});
  }
  return out;
}

LoadOptions with_format(Format format) {
  LoadOptions options;
  options.format = format;
  return options;
}

const std::vector<RawRating> kThreeRatings = {{"196", "242", 3}, {"186", "302", 3}, {"22", "377", 1}};

}  // namespace

TEST_CASE("ml-100k u.data: tab separated, first-seen dense ids, range", "[data][load]") {
  TempDir dir;
  const auto file = dir.write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n");
  CHECK(autorec::detect_format(file) == Format::ml_100k);
  const auto ratings = load_ratings(file);
  CHECK(raw_ratings(ratings) == kThreeRatings);
  CHECK(ratings.users == std::vector<std::int32_t>{0, 1, 2});
  CHECK(ratings.n_users() == 3);
  CHECK(ratings.n_items() == 3);
  CHECK(ratings.min_rating == 1.0f);
  CHECK(ratings.max_rating == 3.0f);
}

TEST_CASE("CRLF line endings and blank trailing lines load like LF", "[data][load]") {
  TempDir dir;
  const auto lf = dir.write("lf.data", "196\t242\t3\t1\n186\t302\t3\t2\n22\t377\t1\t3\n");
  const auto crlf = dir.write("crlf.data", "196\t242\t3\t1\r\n186\t302\t3\t2\r\n22\t377\t1\t3\r\n\r\n  \r\n");
  CHECK(load_ratings(crlf) == load_ratings(lf));
}

TEST_CASE("ml-1m ratings.dat with and without timestamps", "[data][load]") {
  TempDir dir;
  const auto with = dir.write("with.dat", "196::242::3::978300760\n186::302::3::978302109\n22::377::1::978301968\n");
  const auto without = dir.write("without.dat", "196::242::3\n186::302::3\n22::377::1");  // no final newline
  CHECK(autorec::detect_format(with) == Format::ml_1m);
  CHECK(raw_ratings(load_ratings(with)) == kThreeRatings);
  CHECK(raw_ratings(load_ratings(without)) == kThreeRatings);
  CHECK(raw_ratings(load_ratings(without, with_format(autorec::parse_format("ml-10m")))) == kThreeRatings);
}

TEST_CASE("csv ratings.csv with header and half-star ratings", "[data][load]") {
  TempDir dir;
  const auto file = dir.write("ratings.csv", "userId,movieId,rating,timestamp\n1,307,3.5,1256677221\n1,481,0.5,1\n");
  CHECK(autorec::detect_format(file) == Format::csv);
  const std::vector<RawRating> expected = {{"1", "307", 3.5f}, {"1", "481", 0.5f}};
  CHECK(raw_ratings(load_ratings(file)) == expected);
  const auto headerless = dir.write("plain.csv", "1,307,3.5\n1,481,0.5\n");
  CHECK(raw_ratings(load_ratings(headerless)) == expected);
}

TEST_CASE("generic delimited: other columns, string ids, header, 0.5-4.0 scale", "[data][load]") {
  TempDir dir;
  const auto file = dir.write("custom.txt", "item;score;user\n\"A\";0.5;u1\nB;4.0;u2\nA;2.5;u2\n");
  LoadOptions options = with_format(Format::delimited);
  options.delimited.separator = ";";
  options.delimited.user_column = 2;
  options.delimited.item_column = 0;
  options.delimited.rating_column = 1;
  options.delimited.header = autorec::HeaderMode::present;
  const auto ratings = load_ratings(file, options);
  const std::vector<RawRating> expected = {{"u1", "A", 0.5f}, {"u2", "B", 4.0f}, {"u2", "A", 2.5f}};
  CHECK(raw_ratings(ratings) == expected);
  CHECK(ratings.user_ids->has_string_ids());
  CHECK(ratings.min_rating == 0.5f);
  CHECK(ratings.max_rating == 4.0f);
  std::string separator;
  CHECK(autorec::detect_format(file, &separator) == Format::delimited);
  CHECK(separator == ";");
}

TEST_CASE("non-dense and huge integer ids keep their raw values", "[data][load]") {
  TempDir dir;
  const auto file = dir.write("sparse.csv", "1000000000000,5,3\n-3,99999,4\n1000000000000,99999,2\n");
  const auto ratings = load_ratings(file);
  REQUIRE(ratings.n_users() == 2);
  CHECK(ratings.user_ids->integer_id(0) == 1000000000000LL);
  CHECK(ratings.user_ids->integer_id(1) == -3);
  CHECK(ratings.users == std::vector<std::int32_t>{0, 1, 0});
  CHECK(ratings.items == std::vector<std::int32_t>{0, 1, 1});
}

TEST_CASE("IdMap switches to string ids at the first non-integer id", "[data][idmap]") {
  autorec::IdMap map;
  CHECK(map.intern("7") == 0);
  CHECK(map.intern(std::int64_t{12}) == 1);
  CHECK_FALSE(map.has_string_ids());
  CHECK(map.intern("abc") == 2);
  CHECK(map.has_string_ids());
  CHECK(map.intern("7") == 0);
  CHECK(map.find(std::int64_t{12}) == 1);
  CHECK(map.raw_id(2) == "abc");
  CHECK_FALSE(map.find("zzz").has_value());
  CHECK(map.size() == 3);
}

TEST_CASE("only canonical decimal text is an integer id, in both modes", "[data][idmap]") {
  autorec::IdMap map;
  CHECK(map.intern("7") == 0);
  CHECK(map.intern("007") == 1);  // a string id: switches the map, "7" keeps index 0
  CHECK(map.has_string_ids());
  CHECK(map.intern("+7") == 2);
  CHECK(map.intern("7.0") == 3);
  CHECK(map.intern("-0") == 4);
  CHECK(map.intern(std::int64_t{7}) == 0);
  CHECK(map.raw_id(0) == "7");
  CHECK(map.raw_id(1) == "007");

  // The same ids in the other order: the result must not depend on when the switch happens.
  autorec::IdMap reversed;
  CHECK(reversed.intern("007") == 0);
  CHECK(reversed.intern("7") == 1);
  CHECK(reversed.find("007") == 0);
  CHECK(reversed.raw_id(0) == "007");

  autorec::IdMap integers;
  CHECK(integers.intern("-12") == 0);
  CHECK(integers.intern("0") == 1);
  CHECK_FALSE(integers.has_string_ids());
  CHECK_FALSE(integers.find("+0").has_value());
  CHECK_FALSE(integers.find("012").has_value());
}

TEST_CASE("Netflix training_set folder, combined_data file and detection", "[data][load][netflix]") {
  TempDir dir;
  dir.write("nf/training_set/mv_0000001.txt", "1:\n1488844,3,2005-09-06\n822109,5,2005-05-13\n");
  dir.write("nf/training_set/mv_0000002.txt", "2:\r\n1488844,4,2005-01-01\r\n");
  dir.write("nf/training_set/probe.txt", "not ratings\n");  // ignored: not mv_* or combined_data_*
  const std::vector<RawRating> expected = {{"1488844", "1", 3}, {"822109", "1", 5}, {"1488844", "2", 4}};
  CHECK(autorec::detect_format(dir.path() / "nf") == Format::netflix);
  CHECK(raw_ratings(load_ratings(dir.path() / "nf")) == expected);  // the folder above training_set/
  CHECK(raw_ratings(load_ratings(dir.path() / "nf" / "training_set")) == expected);
  const auto combined = dir.write("combined_data_1.txt", "1:\n1488844,3,2005-09-06\n822109,5,2005-05-13\n2:\n1488844,4,2005-01-01\n");
  CHECK(autorec::detect_format(combined) == Format::netflix);
  CHECK(raw_ratings(load_ratings(combined)) == expected);
}

TEST_CASE("bad input stops with file:line: reason", "[data][load][errors]") {
  TempDir dir;
  SECTION("wrong field count") {
    const auto file = dir.write("u.data", "1\t2\t3\t4\n1\t2\n");
    require_data_error([&] { load_ratings(file); }, file, 2, "expected 4 fields");
  }
  SECTION("too many fields for a MovieLens format") {
    const auto file = dir.write("u.data", "1\t2\t3\t4\t5\n");
    require_data_error([&] { load_ratings(file); }, file, 1, "expected 3 to 4 fields");
  }
  SECTION("non-numeric rating") {
    const auto file = dir.write("r.dat", "1::2::3\n1::3::x\n");
    require_data_error([&] { load_ratings(file); }, file, 2, "is not a number");
  }
  SECTION("NaN and inf ratings") {
    const auto nan_file = dir.write("nan.csv", "1,2,3\n\n1,3,nan\n");
    require_data_error([&] { load_ratings(nan_file); }, nan_file, 3, "not a finite");
    const auto inf_file = dir.write("inf.csv", "1,2,inf\n");
    require_data_error([&] { load_ratings(inf_file); }, inf_file, 1, "not a finite");
  }
  SECTION("empty file, blank file, header only") {
    const auto empty = dir.write("empty.csv", "");
    require_data_error([&] { load_ratings(empty); }, empty, 0, "empty file");
    const auto blank = dir.write("blank.csv", "\n \r\n");
    require_data_error([&] { load_ratings(blank, with_format(Format::csv)); }, blank, 0, "empty file");
    const auto header = dir.write("header.csv", "userId,movieId,rating\n");
    require_data_error([&] { load_ratings(header); }, header, 0, "no ratings after the header");
  }
  SECTION("unreadable path") {
    const auto missing = dir.path() / "missing.data";
    require_data_error([&] { load_ratings(missing, with_format(Format::ml_100k)); }, missing, 0,
                       "cannot open");
    require_data_error([&] { load_ratings(missing); }, missing, 0, "cannot open");
  }
  SECTION("unknown format") {
    const auto file = dir.write("words.txt", "hello\n");
    require_data_error([&] { load_ratings(file); }, file, 1, "cannot detect the format");
    CHECK_THROWS_AS(autorec::parse_format("xml"), std::invalid_argument);
  }
  SECTION("empty id") {
    const auto file = dir.write("ids.csv", "1,2,3\n,2,3\n");
    require_data_error([&] { load_ratings(file); }, file, 2, "empty user id");
  }
  SECTION("Netflix: rating before a movie, wrong field count") {
    const auto orphan = dir.write("mv_1.txt", "12,3,2005-01-01\n");
    require_data_error([&] { load_ratings(orphan, with_format(Format::netflix)); }, orphan, 1,
                       "before any 'MovieID:'");
    const auto fields = dir.write("mv_2.txt", "1:\n12,3,2005-01-01\n12\n");
    require_data_error([&] { load_ratings(fields); }, fields, 3, "expected 'CustomerID,Rating,Date'");
  }
}

// Binary cache: round trip, atomic write, truncation and corruption.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "autorec/data/cache.h"
#include "autorec/data/load.h"
#include "autorec/data/synthetic.h"
#include "data_test_support.h"

namespace {

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

autorec::Ratings small_synthetic() {
  autorec::SynthOptions options;
  options.n_users = 50;
  options.n_items = 40;
  options.n_ratings = 600;
  return autorec::generate_ratings(options);
}

}  // namespace

TEST_CASE("cache round trip with integer ids, leaving no temp file", "[data][cache]") {
  autorec::test::TempDir dir;
  const auto ratings = small_synthetic();
  const auto cache = dir.path() / "ratings.bin";
  autorec::save_ratings_cache(ratings, cache);
  autorec::save_ratings_cache(ratings, cache);  // overwriting an existing cache is fine
  CHECK(autorec::load_ratings_cache(cache) == ratings);
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("cache round trip with string ids and an empty set", "[data][cache]") {
  autorec::test::TempDir dir;
  const auto file = dir.write("s.csv", "alice,Heat,4.5\nbob,Heat,1\nalice,Alien,3\n");
  const auto ratings = autorec::load_ratings(file);
  REQUIRE(ratings.user_ids->has_string_ids());
  const auto cache = dir.path() / "s.bin";
  autorec::save_ratings_cache(ratings, cache);
  const auto loaded = autorec::load_ratings_cache(cache);
  CHECK(loaded == ratings);
  CHECK(loaded.item_ids->raw_id(1) == "Alien");

  autorec::save_ratings_cache(autorec::Ratings{}, dir.path() / "empty.bin");
  CHECK(autorec::load_ratings_cache(dir.path() / "empty.bin").empty());
}

TEST_CASE("truncated, corrupt or foreign caches give clear errors naming the file", "[data][cache]") {
  autorec::test::TempDir dir;
  const auto cache = dir.path() / "ratings.bin";
  autorec::save_ratings_cache(small_synthetic(), cache);
  const std::string good = read_bytes(cache);
  using autorec::test::require_data_error;
  const auto load = [&] { autorec::load_ratings_cache(cache); };

  SECTION("truncated payload") {
    write_bytes(cache, good.substr(0, good.size() - 10));
    require_data_error(load, cache, 0, "truncated");
  }
  SECTION("truncated header") {
    write_bytes(cache, good.substr(0, 20));
    require_data_error(load, cache, 0, "truncated");
  }
  SECTION("a flipped payload bit") {
    std::string bad = good;
    bad[good.size() / 2] ^= 0x10;
    write_bytes(cache, bad);
    require_data_error(load, cache, 0, "checksum");
  }
  SECTION("a changed header field (the rating range)") {
    std::string bad = good;
    bad[41] ^= 0x01;
    write_bytes(cache, bad);
    require_data_error(load, cache, 0, "checksum");
  }
  SECTION("not a cache") {
    write_bytes(cache, std::string(100, 'x'));
    require_data_error(load, cache, 0, "bad magic");
  }
  SECTION("another version") {
    std::string bad = good;
    bad[8] = 99;
    write_bytes(cache, bad);
    require_data_error(load, cache, 0, "version");
  }
  SECTION("missing") {
    require_data_error([&] { autorec::load_ratings_cache(dir.path() / "none.bin"); }, dir.path() / "none.bin", 0,
                       "cannot open");
  }
}

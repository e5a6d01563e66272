// Binary cache: round trip, atomic write, truncation and corruption.
#include <catch2/catch.hpp>

#include <chrono>
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
  SECTION("a version 1 cache (before source fingerprints)") {
    std::string old = good;
    old[8] = 1;
    write_bytes(cache, old);
    require_data_error(load, cache, 0, "version 1");
    require_data_error([&] { autorec::ratings_cache_fingerprint(cache); }, cache, 0, "version 1");
  }
  SECTION("missing") {
    require_data_error([&] { autorec::load_ratings_cache(dir.path() / "none.bin"); }, dir.path() / "none.bin", 0,
                       "cannot open");
  }
}

TEST_CASE("the source fingerprint follows load options, path, size, mtime and content of files and folders",
          "[data][cache]") {
  autorec::test::TempDir dir;
  const auto file = dir.write("r.csv", "1,1,5\n2,1,3\n");
  const autorec::LoadOptions defaults;
  const std::uint64_t base = autorec::data_fingerprint(file, defaults);
  CHECK(autorec::data_fingerprint(file, defaults) == base);

  auto with = [&](auto change) {
    autorec::LoadOptions options = defaults;
    change(options);
    return autorec::data_fingerprint(file, options);
  };
  CHECK(with([](autorec::LoadOptions& o) { o.format = autorec::Format::delimited; }) != base);
  CHECK(with([](autorec::LoadOptions& o) { o.delimited.separator = ";"; }) != base);
  CHECK(with([](autorec::LoadOptions& o) { o.delimited.user_column = 1; }) != base);
  CHECK(with([](autorec::LoadOptions& o) { o.delimited.item_column = 0; }) != base);
  CHECK(with([](autorec::LoadOptions& o) { o.delimited.rating_column = 3; }) != base);
  CHECK(with([](autorec::LoadOptions& o) { o.delimited.header = autorec::HeaderMode::present; }) != base);
  CHECK(with([](autorec::LoadOptions& o) { o.duplicates = autorec::DuplicatePolicy::average; }) != base);

  // Same size, other mtime; then other size.
  const auto mtime = std::filesystem::last_write_time(file);
  dir.write("r.csv", "1,1,4\n2,1,3\n");
  std::filesystem::last_write_time(file, mtime + std::chrono::seconds(5));
  CHECK(autorec::data_fingerprint(file, defaults) != base);
  std::filesystem::last_write_time(file, mtime);
  // Same size and mtime, other content (issue 10: the old cache was served): the content tells.
  CHECK(autorec::data_fingerprint(file, defaults) != base);
  dir.write("r.csv", "1,1,5\n2,1,3\n");
  std::filesystem::last_write_time(file, mtime);
  CHECK(autorec::data_fingerprint(file, defaults) == base);
  // The same bytes, size and mtime under another name: another source.
  const auto twin = dir.write("twin.csv", "1,1,5\n2,1,3\n");
  std::filesystem::last_write_time(twin, mtime);
  CHECK(autorec::data_fingerprint(twin, defaults) != base);
  dir.write("r.csv", "1,1,5\n2,1,3\n3,1,1\n");
  std::filesystem::last_write_time(file, mtime);
  CHECK(autorec::data_fingerprint(file, defaults) != base);

  // A large file changed at one byte that no 64 KiB sample at 0/8 ... 7/8 or the end covers (the
  // fingerprint before issue 8 sampled, and served such an edit from the stale cache), size and mtime
  // kept: every byte counts now.
  std::string big(2u << 20, '\n');
  const auto large = dir.write("large.csv", big);
  const auto large_mtime = std::filesystem::last_write_time(large);
  const std::uint64_t large_base = autorec::data_fingerprint(large, defaults);
  big[100000] = ' ';
  dir.write("large.csv", big);
  std::filesystem::last_write_time(large, large_mtime);
  CHECK(autorec::data_fingerprint(large, defaults) != large_base);

  // A folder: a changed file inside changes the fingerprint even when the folder's mtime does not.
  dir.write("set/mv_1.txt", "1:\n5,3,2005-01-01\n");
  const auto folder = dir.path() / "set";
  const std::uint64_t folder_base = autorec::data_fingerprint(folder, defaults);
  const auto folder_mtime = std::filesystem::last_write_time(folder);
  dir.write("set/mv_1.txt", "1:\n5,3,2005-01-01\n6,1,2005-01-02\n");
  std::filesystem::last_write_time(folder, folder_mtime);
  CHECK(autorec::data_fingerprint(folder, defaults) != folder_base);

  autorec::test::require_data_error([&] { autorec::data_fingerprint(dir.path() / "none.csv", defaults); },
                                    dir.path() / "none.csv", 0, "cannot read");
}

TEST_CASE("the cache header keeps the fingerprint it was saved with", "[data][cache]") {
  autorec::test::TempDir dir;
  const auto cache = dir.path() / "c.bin";
  autorec::save_ratings_cache(small_synthetic(), cache, 0x0123456789abcdefULL);
  CHECK(autorec::ratings_cache_fingerprint(cache) == 0x0123456789abcdefULL);
  CHECK(autorec::load_ratings_cache(cache) == small_synthetic());
}

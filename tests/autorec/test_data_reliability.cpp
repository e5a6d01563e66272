// Issue 10's data-layer cases: atomic writes (full disk, no temp left), loading that cannot crash
// (a file shrinking under the reader, a byte-order mark, strict numbers, bounded messages), and
// caches that are never trusted (content fingerprint, forged counts with a valid checksum).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>

#include "autorec/data/atomic_file.h"
#include "autorec/data/cache.h"
#include "autorec/data/load.h"
#include "autorec/data/synthetic.h"
#include "cache_io.h"
#include "data_test_support.h"
#include "line_reader.h"

namespace {

namespace fs = std::filesystem;
using autorec::test::require_data_error;
using autorec::test::TempDir;

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::size_t entries(const fs::path& folder) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(folder), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("AtomicFile replaces a file whole or not at all, and leaves no temporary", "[data][atomic]") {
  TempDir dir;
  const fs::path target = dir.path() / "out.txt";
  write_bytes(target, "old contents\n");
  {
    autorec::AtomicFile file(target);
    file.write("new contents\n");
    CHECK(read_bytes(target) == "old contents\n");  // untouched until commit
    CHECK(fs::exists(file.temp_path()));
    CHECK(file.temp_path().parent_path() == target.parent_path());  // same folder: rename is atomic
  }                                                                 // destroyed without commit
  CHECK(read_bytes(target) == "old contents\n");
  CHECK(entries(dir.path()) == 1);

  autorec::write_file_atomically(target, "new contents\n");
  CHECK(read_bytes(target) == "new contents\n");
  CHECK(entries(dir.path()) == 1);

  // Missing folders are created; a file in the way is named.
  autorec::write_file_atomically(dir.path() / "a" / "b" / "c.txt", "x");
  CHECK(read_bytes(dir.path() / "a" / "b" / "c.txt") == "x");
  try {
    autorec::write_file_atomically(target / "below.txt", "x");
    FAIL("wrote below a file");
  } catch (const autorec::WriteError& error) {
    CHECK(std::string(error.what()).rfind(target.string() + ": ", 0) == 0);
  }
  CHECK_THROWS_AS(autorec::check_destination(target / "below.txt"), autorec::WriteError);
  CHECK_NOTHROW(autorec::check_destination(dir.path() / "new" / "folder" / "file"));

  // A link as the destination is written through: the link survives and shows the new contents.
  fs::create_symlink(target, dir.path() / "link.txt");
  autorec::write_file_atomically(dir.path() / "link.txt", "through the link\n");
  CHECK(fs::is_symlink(dir.path() / "link.txt"));
  CHECK(read_bytes(target) == "through the link\n");
}

TEST_CASE("a UTF-8 byte-order mark is not part of the first id", "[data][loading]") {
  TempDir dir;
  const auto file = dir.write("bom.csv",
                              "\xEF\xBB\xBF"
                              "1,10,5\n2,10,3\n1,11,4\n");
  const autorec::Ratings ratings = autorec::load_ratings(file);
  CHECK(ratings.n_users() == 2);  // not "\xEF\xBB\xBF1" as a third, phantom user
  CHECK(ratings.user_ids->raw_id(0) == "1");
  CHECK_FALSE(ratings.user_ids->has_string_ids());
  const auto tabs = dir.write("bom.data",
                              "\xEF\xBB\xBF"
                              "1\t10\t5\t0\n");
  CHECK(autorec::load_ratings(tabs).user_ids->raw_id(0) == "1");
}

TEST_CASE("ratings are parsed strictly: +-5, 5x, nan and inf are errors at file:line", "[data][loading]") {
  TempDir dir;
  for (const std::string bad : {"+-5", "5x", "nan", "inf", "-inf", "1e999", "--5", "+", "0x5", "5 5"}) {
    INFO("rating " << bad);
    const auto file = dir.write("r.csv", "1,1,4\n2,1," + bad + "\n");
    require_data_error([&] { autorec::load_ratings(file); }, file, 2, "rating");
  }
  const auto plus = dir.write("plus.csv", "1,1,+5\n2,1,-1.5\n");
  CHECK(autorec::load_ratings(plus).values == std::vector<float>{5.0f, -1.5f});
}

TEST_CASE("an error message quotes at most 80 characters of a field, control bytes escaped", "[data][loading]") {
  TempDir dir;
  const std::string huge(1 << 20, '7');
  const auto file = dir.write("huge.csv", "1,1,4\n2,1,x" + huge + "\n");
  try {
    autorec::load_ratings(file);
    FAIL("loaded a 1 MB rating");
  } catch (const autorec::DataError& error) {
    const std::string message = error.what();
    CHECK(message.size() < 200);
    CHECK(message.find("(1048577 bytes)") != std::string::npos);
  }
  const auto control = dir.write("control.csv", std::string("1,1,4\n2,1,\x1b[31m\x01red\n"));
  try {
    autorec::load_ratings(control);
    FAIL("loaded a rating of control bytes");
  } catch (const autorec::DataError& error) {
    const std::string message = error.what();
    CHECK(message.find('\x1b') == std::string::npos);
    CHECK(message.find('\x01') == std::string::npos);
    CHECK(message.find("\\x1b[31m\\x01red") != std::string::npos);
  }
  CHECK(autorec::quoted("it's") == "'it\\x27s'");
}

TEST_CASE("a file that shrinks while it is read is an error naming it, never SIGBUS", "[data][loading]") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 800000; ++i) text += std::to_string(i) + ",1,3\n";  // ~9 MB: several read() chunks
  const auto file = dir.write("shrinking.csv", text);
  autorec::detail::LineReader lines(file.string());
  std::string_view line;
  REQUIRE(lines.next(line));
  CHECK(line == "0,1,3");
  fs::resize_file(file, 1000);  // a memory map would now fault on the next page it touches
  const auto read_all = [&] {
    while (lines.next(line)) {
    }
  };
  require_data_error(read_all, file, 0, "shrank while it was read");
}

TEST_CASE("lines longer than the read buffer and a last line without newline load whole", "[data][loading]") {
  TempDir dir;
  const std::string long_id(5u << 20, 'u');  // beyond the 4 MiB read chunk
  const auto file = dir.write("long.csv", "a,1,3\n" + long_id + ",2,4\nb,3,5");
  const autorec::Ratings ratings = autorec::load_ratings(file);
  REQUIRE(ratings.size() == 3);
  CHECK(ratings.user_ids->raw_id(1) == long_id);
  CHECK(ratings.user_ids->raw_id(2) == "b");
}

TEST_CASE("the fingerprint samples the middle of a large file", "[data][cache]") {
  TempDir dir;
  std::string text;
  while (text.size() < (4u << 20)) text += std::to_string(text.size()) + ",1,3\n";
  const auto file = dir.write("big.csv", text);
  const auto mtime = fs::last_write_time(file);
  const std::uint64_t base = autorec::data_fingerprint(file, {});
  std::string changed = text;
  changed[text.size() / 2] = changed[text.size() / 2] == '1' ? '2' : '1';  // same size
  write_bytes(file, changed);
  fs::last_write_time(file, mtime);
  CHECK(autorec::data_fingerprint(file, {}) != base);
}

namespace {

// A valid cache rewritten by `forge` (header at 0, payload after byte 72) with its checksum fixed, as
// a hostile or buggy writer could: the reader must still refuse what does not add up.
void forge_cache(const fs::path& cache, const std::function<void(std::string&)>& forge) {
  std::string bytes = read_bytes(cache);
  forge(bytes);
  autorec::detail::Fnv1a64 checksum;
  checksum.update(bytes.data(), 64);
  checksum.update(bytes.data() + 72, bytes.size() - 72);
  const std::uint64_t digest = checksum.digest();
  std::memcpy(bytes.data() + 64, &digest, 8);
  write_bytes(cache, bytes);
}

void set_u64(std::string& bytes, std::size_t offset, std::uint64_t value) {
  std::memcpy(bytes.data() + offset, &value, 8);
}

}  // namespace

TEST_CASE("a forged cache with a valid checksum is refused with DataError, never trusted", "[data][cache]") {
  TempDir dir;
  const auto data = dir.write("s.csv", "alice,Heat,4\nbob,Heat,1\nalice,Alien,3\n");
  const auto cache = dir.path() / "s.arcache";
  autorec::save_ratings_cache(autorec::load_ratings(data), cache);
  const std::string good_bytes = read_bytes(cache);
  const auto load = [&] { autorec::load_ratings_cache(cache); };
  SECTION("a huge user count (would ask for terabytes)") {
    forge_cache(cache, [](std::string& b) { set_u64(b, 24, 1ull << 40); });
    require_data_error(load, cache, 0, "corrupt cache");
  }
  SECTION("a huge rating count") {
    forge_cache(cache, [](std::string& b) { set_u64(b, 16, 1ull << 61); });
    require_data_error(load, cache, 0, "ends early");
  }
  SECTION("a string id longer than the file") {
    forge_cache(cache, [](std::string& b) {
      const std::uint32_t length = 0xffffffffu;
      std::memcpy(b.data() + 72 + 36, &length, 4);  // the first user id's length, after 3 x 12 bytes
    });
    require_data_error(load, cache, 0, "ends early");
  }
  SECTION("duplicate ids") {
    const auto bob = good_bytes.find("bob");  // the second user id: make it "alice" too
    REQUIRE(bob != std::string::npos);
    forge_cache(cache, [&](std::string& b) {
      const std::uint32_t five = 5;
      std::memcpy(b.data() + bob - 4, &five, 4);
      b.replace(bob, 3, "alice");
      set_u64(b, 48, b.size() - 72);  // payload bytes
    });
    require_data_error(load, cache, 0, "duplicate");
  }
  SECTION("an index past the id map") {
    forge_cache(cache, [](std::string& b) {
      const std::int32_t index = 7;
      std::memcpy(b.data() + 72, &index, 4);
    });
    require_data_error(load, cache, 0, "out of range");
  }
  SECTION("a rating outside the header's range") {
    forge_cache(cache, [](std::string& b) {
      const float value = 1e30f;
      std::memcpy(b.data() + 72 + 24, &value, 4);
    });
    require_data_error(load, cache, 0, "range");
  }
}

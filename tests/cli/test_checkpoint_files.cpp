// The checkpoint file: damaged files are rejected with an error naming the file, and writes are
// atomic (a failed save leaves the previous checkpoint intact and no temp files behind).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "autorec/data/atomic_file.h"
#include "checkpoint_fixture.h"
#include "data_test_support.h"

namespace autorec {
namespace {

using test::TempDir;
using test::TinyRun;

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// A real checkpoint after one epoch of training.
Checkpoint trained_checkpoint() {
  TinyRun run(1);
  auto model = run.make_model();
  Trainer trainer(*model, run.train);
  trainer.fit(run.fit_rows, run.validation_fn(), {});
  return run.capture(*model, trainer);
}

void require_rejected(const std::filesystem::path& path, const std::string& words) {
  try {
    load_checkpoint(path);
    FAIL("a damaged checkpoint was accepted");
  } catch (const CheckpointError& error) {
    const std::string message = error.what();
    INFO(message);
    CHECK(message.rfind(path.string() + ": ", 0) == 0);  // names the file first
    CHECK(message.find(words) != std::string::npos);
    CHECK(error.file() == path);
  }
}

std::vector<std::filesystem::path> files_in(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) files.push_back(entry.path().filename());
  return files;
}

TEST_CASE("truncated checkpoints are rejected with the file named", "[checkpoint][files]") {
  TempDir dir;
  const auto good = dir.path() / "good.ckpt";
  save_checkpoint(good, trained_checkpoint());
  const std::string bytes = read_bytes(good);
  REQUIRE(bytes.size() > 100);
  const auto cut = dir.path() / "cut.ckpt";
  // Empty, inside the header, header only, halfway, one byte short.
  for (const std::size_t keep :
       {std::size_t{0}, std::size_t{10}, std::size_t{32}, bytes.size() / 2, bytes.size() - 1}) {
    INFO("kept " << keep << " of " << bytes.size() << " bytes");
    write_bytes(cut, bytes.substr(0, keep));
    require_rejected(cut, "truncated");
  }
}

TEST_CASE("a flipped byte anywhere is caught", "[checkpoint][files]") {
  TempDir dir;
  const auto good = dir.path() / "good.ckpt";
  save_checkpoint(good, trained_checkpoint());
  const std::string bytes = read_bytes(good);
  const auto bad = dir.path() / "bad.ckpt";
  // (position, what the message must say): magic, version, payload size, checksum, payload start,
  // payload middle (the weights), last byte.
  const std::vector<std::pair<std::size_t, std::string>> cases = {{0, "not an autorec checkpoint"},
                                                                  {8, "version"},
                                                                  {16, "truncated or corrupt"},
                                                                  {24, "checksum"},
                                                                  {32, "checksum"},
                                                                  {bytes.size() / 2, "checksum"},
                                                                  {bytes.size() - 1, "checksum"}};
  for (const auto& [position, words] : cases) {
    INFO("flipped byte " << position);
    std::string damaged = bytes;
    damaged[position] = static_cast<char>(damaged[position] ^ 0x40);
    write_bytes(bad, damaged);
    require_rejected(bad, words);
  }
}

TEST_CASE("missing files and other files are rejected with the file named", "[checkpoint][files]") {
  TempDir dir;
  require_rejected(dir.path() / "absent.ckpt", "cannot open");
  const auto text = dir.path() / "notes.txt";
  write_bytes(text, "this is a text file, long enough to hold a checkpoint header.\n");
  require_rejected(text, "not an autorec checkpoint");
  std::filesystem::create_directory(dir.path() / "folder.ckpt");
  require_rejected(dir.path() / "folder.ckpt", "is a folder");
}

TEST_CASE("an unusable save destination is caught before any save", "[checkpoint][files]") {
  TempDir dir;
  CHECK_NOTHROW(check_checkpoint_destination(dir.path() / "new.ckpt"));
  std::filesystem::create_directory(dir.path() / "folder.ckpt");
  CHECK_NOTHROW(check_checkpoint_destination(dir.path() / "absent" / "x.ckpt"));  // created at the save
  write_bytes(dir.path() / "file", "x");
  for (const auto& bad : {dir.path() / "folder.ckpt", dir.path() / "file" / "x.ckpt"}) {
    try {
      check_checkpoint_destination(bad);
      FAIL("expected CheckpointError for " << bad);
    } catch (const CheckpointError& error) {
      CHECK(error.file() == bad);
      CHECK(std::string(error.what()).rfind(bad.string(), 0) == 0);
    }
  }
}

TEST_CASE("checkpoint writes are atomic", "[checkpoint][files]") {
  TempDir dir;
  const Checkpoint checkpoint = trained_checkpoint();
  const auto path = dir.path() / "run.ckpt";
  save_checkpoint(path, checkpoint);
  const std::string first = read_bytes(path);
  CHECK(files_in(dir.path()) == std::vector<std::filesystem::path>{"run.ckpt"});  // no temp file left

  SECTION("saving again replaces the file whole") {
    save_checkpoint(path, checkpoint);
    CHECK(read_bytes(path) == first);
    CHECK(files_in(dir.path()).size() == 1);
  }
  SECTION("a save that fails leaves the previous checkpoint untouched") {
    Checkpoint broken = checkpoint;
    broken.inputs = nullptr;  // cannot be encoded: fails after the call started
    CHECK_THROWS(save_checkpoint(path, broken));
    CHECK(read_bytes(path) == first);
    CHECK(files_in(dir.path()).size() == 1);
    CHECK_NOTHROW(load_checkpoint(path));
  }
  SECTION("missing folders are created, like every output's (issue 12)") {
    save_checkpoint(dir.path() / "new" / "folder" / "run.ckpt", checkpoint);
    CHECK(read_bytes(dir.path() / "new" / "folder" / "run.ckpt") == first);
  }
  SECTION("an unwritable target names what is in the way") {
    write_bytes(dir.path() / "plain", "x");
    const auto nowhere = dir.path() / "plain" / "run.ckpt";
    try {
      save_checkpoint(nowhere, checkpoint);
      FAIL("saved below a file");
    } catch (const WriteError& error) {
      CHECK(std::string(error.what()).find((dir.path() / "plain").string()) == 0);
      CHECK(std::string(error.what()).find("not a folder") != std::string::npos);
    }
  }
}

}  // namespace
}  // namespace autorec

// Helpers for the data-layer tests: a temporary directory that removes itself, and a check that a call
// throws DataError at a given file and line.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "autorec/data/error.h"

namespace autorec::test {

class TempDir {
 public:
  TempDir() {
    std::random_device entropy;
    path_ = std::filesystem::temp_directory_path() / ("autorec_data_test_" + std::to_string(entropy()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `content` byte for byte (binary: CRLF stays CRLF) and returns the file's path.
  std::filesystem::path write(const std::string& name, const std::string& content) const {
    const std::filesystem::path file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << content;
    return file;
  }

 private:
  std::filesystem::path path_;
};

// Runs `call`, which must throw DataError for `file` at `line`, with a reason containing `words`; the
// message must read "file:line: reason" (or "file: reason" for line 0).
template <typename Call>
void require_data_error(Call&& call, const std::filesystem::path& file, std::size_t line, const std::string& words) {
  try {
    call();
    FAIL("expected DataError containing '" << words << "'");
  } catch (const DataError& error) {
    INFO("message: " << error.what());
    CHECK(error.file() == file.string());
    CHECK(error.line() == line);
    CHECK(error.reason().find(words) != std::string::npos);
    const std::string prefix = file.string() + (line == 0 ? std::string(": ") : ":" + std::to_string(line) + ": ");
    CHECK(std::string(error.what()).rfind(prefix, 0) == 0);
  }
}

}  // namespace autorec::test

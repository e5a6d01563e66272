// Shared by the libFuzzer targets: the readers under test take a path, so each input is written to
// a file of this process first.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

namespace autorec::fuzz {

inline std::string input_file(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/autorec-fuzz-" + std::to_string(::getpid()) + ".in";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

}  // namespace autorec::fuzz

// Little helpers for the engine's binary records (parameters, optimizer state): fixed-width
// little-endian fields, every read checked so a short or corrupt stream gives a clear error naming
// what was being read, never garbage.
#pragma once

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/error.h"

namespace engine::serialize {

inline void write_bytes(std::ostream& out, const void* data, std::size_t bytes) {
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
  ENGINE_CHECK(out.good(), "write failed (disk full?)");
}

inline void read_bytes(std::istream& in, void* data, std::size_t bytes, const char* what) {
  in.read(static_cast<char*>(data), static_cast<std::streamsize>(bytes));
  ENGINE_CHECK(in.gcount() == static_cast<std::streamsize>(bytes), "truncated data while reading ", what);
}

template <class T>
void write_pod(std::ostream& out, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  write_bytes(out, &value, sizeof(T));
}

template <class T>
T read_pod(std::istream& in, const char* what) {
  static_assert(std::is_trivially_copyable_v<T>);
  T value{};
  read_bytes(in, &value, sizeof(T), what);
  return value;
}

template <class T>
void write_vector(std::ostream& out, const std::vector<T>& values) {
  write_pod(out, static_cast<std::uint64_t>(values.size()));
  if (!values.empty()) write_bytes(out, values.data(), values.size() * sizeof(T));
}

// Reads a vector written by write_vector and checks it holds `expected` elements.
template <class T>
std::vector<T> read_vector(std::istream& in, std::size_t expected, const char* what) {
  const auto n = read_pod<std::uint64_t>(in, what);
  ENGINE_CHECK(n == expected, "expected ", expected, " elements for ", what, ", found ", n);
  std::vector<T> values(static_cast<std::size_t>(n));
  if (n > 0) read_bytes(in, values.data(), values.size() * sizeof(T), what);
  return values;
}

inline void write_string(std::ostream& out, const std::string& s) {
  write_pod(out, static_cast<std::uint32_t>(s.size()));
  write_bytes(out, s.data(), s.size());
}

inline std::string read_string(std::istream& in, const char* what) {
  const auto n = read_pod<std::uint32_t>(in, what);
  ENGINE_CHECK(n < (1u << 20), "implausible string length ", n, " while reading ", what);
  std::string s(n, '\0');
  read_bytes(in, s.data(), n, what);
  return s;
}

}  // namespace engine::serialize

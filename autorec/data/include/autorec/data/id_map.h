// IdMap: raw user or item ids (integers or strings, as written in the file) <-> dense indices
// 0..size()-1 in first-seen order.
//
// Integer ids (the common case) live in a flat open-addressing hash table, 8 + 4 bytes per id plus
// slack; no std::string per id. The first id that is not an integer switches the map to string mode for
// good: the integer ids seen so far are converted to their decimal text. Only text in canonical decimal
// form (what std::to_string writes) is an integer: "007", "+7" and "7.0" are string ids, distinct
// from "7", in either mode.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace autorec {

class Int64IndexTable;

class IdMap {
 public:
  IdMap();
  ~IdMap();
  IdMap(const IdMap& other);
  IdMap& operator=(const IdMap& other);
  IdMap(IdMap&&) noexcept;
  IdMap& operator=(IdMap&&) noexcept;

  // Index of `raw`, appended if new. Canonical decimal text of a 64-bit integer is an integer id.
  std::int32_t intern(std::string_view raw);
  std::int32_t intern(std::int64_t raw);
  std::optional<std::int32_t> find(std::string_view raw) const;
  std::optional<std::int32_t> find(std::int64_t raw) const;

  std::int32_t size() const;
  bool has_string_ids() const { return string_mode_; }
  std::string raw_id(std::int32_t index) const;          // the id as text, either mode
  std::int64_t integer_id(std::int32_t index) const;      // integer mode only

  // Whole-map access for the binary cache.
  const std::vector<std::int64_t>& integer_ids() const { return integer_ids_; }
  const std::vector<std::string>& string_ids() const { return string_ids_; }
  static IdMap from_integer_ids(std::vector<std::int64_t> ids);  // throws std::invalid_argument on duplicates
  static IdMap from_string_ids(std::vector<std::string> ids);

  friend bool operator==(const IdMap& a, const IdMap& b);

 private:
  struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::int32_t intern_string(std::string_view raw);
  void switch_to_strings();
  void check_capacity() const;

  bool string_mode_ = false;
  std::vector<std::int64_t> integer_ids_;  // index -> raw id (integer mode)
  std::unique_ptr<Int64IndexTable> integer_index_;
  std::vector<std::string> string_ids_;  // index -> raw id (string mode)
  std::unordered_map<std::string, std::int32_t, TransparentHash, std::equal_to<>> string_index_;
};

}  // namespace autorec

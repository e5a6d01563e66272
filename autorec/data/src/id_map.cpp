#include "autorec/data/id_map.h"

#include <charconv>
#include <limits>
#include <stdexcept>

#include "autorec/data/error.h"
#include "int64_index_table.h"

namespace autorec {
namespace {

// True when `text` is exactly the decimal form std::to_string would give (no '+', no leading zeros,
// no "-0"). Only such text is an integer id: "007" and "7" must stay different ids, or they would
// merge in integer mode and split again after a switch to string mode.
bool is_canonical_decimal(std::string_view text) {
  const std::string_view digits = text.substr(!text.empty() && text[0] == '-' ? 1 : 0);
  if (digits.empty()) return false;
  if (digits[0] == '0') return text == "0";
  return true;
}

bool parse_whole_int64(std::string_view text, std::int64_t& value) {
  if (!is_canonical_decimal(text)) return false;
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(text.data(), last, value);
  return error == std::errc() && end == last;
}

}  // namespace

IdMap::IdMap() : integer_index_(std::make_unique<Int64IndexTable>()) {}
IdMap::~IdMap() = default;
IdMap::IdMap(IdMap&&) noexcept = default;
IdMap& IdMap::operator=(IdMap&&) noexcept = default;

IdMap::IdMap(const IdMap& other)
    : string_mode_(other.string_mode_),
      integer_ids_(other.integer_ids_),
      integer_index_(std::make_unique<Int64IndexTable>(*other.integer_index_)),
      string_ids_(other.string_ids_),
      string_index_(other.string_index_) {}

IdMap& IdMap::operator=(const IdMap& other) {
  if (this != &other) *this = IdMap(other);
  return *this;
}

std::int32_t IdMap::size() const {
  return static_cast<std::int32_t>(string_mode_ ? string_ids_.size() : integer_ids_.size());
}

void IdMap::check_capacity() const {
  if (size() == std::numeric_limits<std::int32_t>::max()) {
    throw std::length_error("IdMap: more than 2^31 - 1 distinct ids");
  }
}

std::int32_t IdMap::intern(std::int64_t raw) {
  if (string_mode_) return intern_string(std::to_string(raw));
  const std::int32_t next = size();
  const std::int32_t index = integer_index_->find_or_insert(raw, next);
  if (index == next) {
    check_capacity();
    integer_ids_.push_back(raw);
  }
  return index;
}

std::int32_t IdMap::intern(std::string_view raw) {
  if (!string_mode_) {
    std::int64_t value = 0;
    if (parse_whole_int64(raw, value)) return intern(value);
    switch_to_strings();
  }
  return intern_string(raw);
}

std::int32_t IdMap::intern_string(std::string_view raw) {
  if (const auto found = string_index_.find(raw); found != string_index_.end()) return found->second;
  check_capacity();
  const std::int32_t index = size();
  string_ids_.emplace_back(raw);
  string_index_.emplace(string_ids_.back(), index);
  return index;
}

void IdMap::switch_to_strings() {
  string_mode_ = true;
  string_ids_.reserve(integer_ids_.size());
  for (const std::int64_t id : integer_ids_) {
    string_ids_.push_back(std::to_string(id));
    string_index_.emplace(string_ids_.back(), static_cast<std::int32_t>(string_ids_.size() - 1));
  }
  integer_ids_ = {};
  integer_index_->clear();
}

std::optional<std::int32_t> IdMap::find(std::int64_t raw) const {
  if (string_mode_) return find(std::string_view(std::to_string(raw)));
  const std::int32_t index = integer_index_->find(raw);
  if (index == Int64IndexTable::kAbsent) return std::nullopt;
  return index;
}

std::optional<std::int32_t> IdMap::find(std::string_view raw) const {
  if (!string_mode_) {
    std::int64_t value = 0;
    if (!parse_whole_int64(raw, value)) return std::nullopt;
    return find(value);
  }
  if (const auto found = string_index_.find(raw); found != string_index_.end()) return found->second;
  return std::nullopt;
}

std::string IdMap::raw_id(std::int32_t index) const {
  if (index < 0 || index >= size()) throw std::out_of_range("IdMap::raw_id: index out of range");
  return string_mode_ ? string_ids_[index] : std::to_string(integer_ids_[index]);
}

std::int64_t IdMap::integer_id(std::int32_t index) const {
  if (string_mode_) throw std::logic_error("IdMap::integer_id: the map holds string ids");
  if (index < 0 || index >= size()) throw std::out_of_range("IdMap::integer_id: index out of range");
  return integer_ids_[index];
}

IdMap IdMap::from_integer_ids(std::vector<std::int64_t> ids) {
  IdMap map;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    const std::int64_t id = ids[k];
    if (static_cast<std::size_t>(map.intern(id)) != k) {
      throw std::invalid_argument("IdMap: duplicate id " + std::to_string(id));
    }
  }
  return map;
}

IdMap IdMap::from_string_ids(std::vector<std::string> ids) {
  IdMap map;
  map.switch_to_strings();
  for (std::size_t k = 0; k < ids.size(); ++k) {
    const std::string& id = ids[k];
    if (static_cast<std::size_t>(map.intern_string(id)) != k) {
      throw std::invalid_argument("IdMap: duplicate id " + quoted(id));
    }
  }
  return map;
}

bool operator==(const IdMap& a, const IdMap& b) {
  return a.string_mode_ == b.string_mode_ && a.integer_ids_ == b.integer_ids_ && a.string_ids_ == b.string_ids_;
}

}  // namespace autorec

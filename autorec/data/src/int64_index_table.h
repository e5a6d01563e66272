// A flat open-addressing hash table from int64 keys to int32 values (linear probing, power-of-two
// capacity, at most half full). It exists because std::unordered_map allocates a node per id and the
// loaders look up two ids per rating: this keeps id lookup from dominating parse time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace autorec {

class Int64IndexTable {
 public:
  static constexpr std::int32_t kAbsent = -1;

  // The value stored for `key`, or kAbsent.
  std::int32_t find(std::int64_t key) const {
    if (values_.empty()) return kAbsent;
    for (std::size_t slot = home_slot(key);; slot = (slot + 1) & mask_) {
      if (values_[slot] == kAbsent) return kAbsent;
      if (keys_[slot] == key) return values_[slot];
    }
  }

  // The value already stored for `key`, or stores `value_if_new` and returns it.
  std::int32_t find_or_insert(std::int64_t key, std::int32_t value_if_new) {
    if (2 * (count_ + 1) > values_.size()) grow();
    std::size_t slot = home_slot(key);
    for (; values_[slot] != kAbsent; slot = (slot + 1) & mask_) {
      if (keys_[slot] == key) return values_[slot];
    }
    keys_[slot] = key;
    values_[slot] = value_if_new;
    ++count_;
    return value_if_new;
  }

  void clear() {
    keys_.clear();
    values_.clear();
    count_ = 0;
    mask_ = 0;
  }

 private:
  // splitmix64's finaliser: sequential ids (the usual case) spread over the whole table.
  std::size_t home_slot(std::int64_t key) const {
    std::uint64_t x = static_cast<std::uint64_t>(key);
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return static_cast<std::size_t>(x) & mask_;
  }

  void grow() {
    std::vector<std::int64_t> old_keys = std::move(keys_);
    std::vector<std::int32_t> old_values = std::move(values_);
    const std::size_t capacity = old_values.empty() ? 1024 : 2 * old_values.size();
    keys_.assign(capacity, 0);
    values_.assign(capacity, kAbsent);
    mask_ = capacity - 1;
    count_ = 0;
    for (std::size_t slot = 0; slot < old_values.size(); ++slot) {
      if (old_values[slot] != kAbsent) find_or_insert(old_keys[slot], old_values[slot]);
    }
  }

  std::vector<std::int64_t> keys_;
  std::vector<std::int32_t> values_;  // kAbsent marks an empty slot
  std::size_t count_ = 0;
  std::size_t mask_ = 0;
};

}  // namespace autorec

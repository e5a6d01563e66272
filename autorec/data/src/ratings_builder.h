// The sink that builds a Ratings while a file is parsed: interns ids and appends triplets.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "autorec/data/ratings.h"
#include "record_sink.h"

namespace autorec::detail {

// Remembers the last id text of each kind: files sorted by user (ratings.dat) or grouped by movie
// (Netflix) then skip most hash lookups.
class RatingsBuilder final : public RecordSink {
 public:
  RatingsBuilder(IdMap users, IdMap items) : users_(std::move(users)), items_(std::move(items)) {}

  void add(std::string_view user, std::string_view item, float rating, const SourcePosition&) override {
    const std::int32_t u = intern_cached(users_, user, last_user_text_, last_user_);
    const std::int32_t i = intern_cached(items_, item, last_item_text_, last_item_);
    ratings_.push_back(u, i, rating);
  }

  void reserve(std::size_t n) { ratings_.reserve(n); }
  std::size_t count() const { return ratings_.size(); }

  // The parts so far, for merging ranges parsed apart (parallel_load.cpp).
  IdMap& users() { return users_; }
  IdMap& items() { return items_; }
  Ratings& ratings() { return ratings_; }

  Ratings finish() {
    ratings_.user_ids = std::make_shared<const IdMap>(std::move(users_));
    ratings_.item_ids = std::make_shared<const IdMap>(std::move(items_));
    ratings_.recompute_range();
    return std::move(ratings_);
  }

 private:
  static std::int32_t intern_cached(IdMap& map, std::string_view text, std::string& last_text, std::int32_t& last) {
    if (last >= 0 && text == last_text) return last;
    last_text.assign(text);
    last = map.intern(text);
    return last;
  }

  IdMap users_;
  IdMap items_;
  Ratings ratings_;
  std::string last_user_text_, last_item_text_;
  std::int32_t last_user_ = -1, last_item_ = -1;
};

}  // namespace autorec::detail

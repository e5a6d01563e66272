#include "duplicates.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

namespace autorec::detail {
namespace {

// Rating indices grouped by user (counting sort, so each user's run is in file order), with the
// offsets of each user's run: 4 bytes per rating plus one offset per user.
struct UserRuns {
  std::vector<std::uint32_t> order;  // (n_ratings)
  std::vector<std::size_t> start;    // (n_users + 1)
};

UserRuns group_by_user(const Ratings& ratings) {
  UserRuns runs;
  runs.start.assign(static_cast<std::size_t>(ratings.n_users()) + 1, 0);
  for (const std::int32_t user : ratings.users) ++runs.start[static_cast<std::size_t>(user) + 1];
  for (std::size_t u = 1; u < runs.start.size(); ++u) runs.start[u] += runs.start[u - 1];
  runs.order.resize(ratings.size());
  std::vector<std::size_t> next(runs.start.begin(), runs.start.end() - 1);
  for (std::size_t i = 0; i < ratings.size(); ++i) {
    runs.order[next[static_cast<std::size_t>(ratings.users[i])]++] = static_cast<std::uint32_t>(i);
  }
  return runs;
}

// One user's ratings as sortable keys (item << 32 | rating index): sorting plain integers is several
// times faster than sorting indices through a comparator, and equal items end up adjacent in file order.
void sorted_item_keys(const Ratings& ratings, const UserRuns& runs, std::size_t user, std::vector<std::uint64_t>& keys) {
  keys.clear();
  for (std::size_t k = runs.start[user]; k < runs.start[user + 1]; ++k) {
    const std::uint32_t index = runs.order[k];
    keys.push_back(static_cast<std::uint64_t>(ratings.items[index]) << 32 | index);
  }
  std::sort(keys.begin(), keys.end());
}

std::uint32_t rating_index(std::uint64_t key) { return static_cast<std::uint32_t>(key); }
std::uint32_t item_of(std::uint64_t key) { return static_cast<std::uint32_t>(key >> 32); }

// Keeps one rating of the duplicate group keys[begin, end) and marks the others dropped.
void resolve_group(Ratings& ratings, const std::vector<std::uint64_t>& keys, std::size_t begin, std::size_t end,
                   DuplicatePolicy policy, std::vector<bool>& dropped) {
  std::size_t kept = begin;
  if (policy == DuplicatePolicy::keep_last) kept = end - 1;
  if (policy == DuplicatePolicy::average) {
    double sum = 0.0;
    for (std::size_t k = begin; k < end; ++k) sum += ratings.values[rating_index(keys[k])];
    ratings.values[rating_index(keys[begin])] = static_cast<float>(sum / static_cast<double>(end - begin));
  }
  for (std::size_t k = begin; k < end; ++k) {
    if (k != kept) dropped[rating_index(keys[k])] = true;
  }
}

void remove_dropped(Ratings& ratings, const std::vector<bool>& dropped) {
  std::size_t write = 0;
  for (std::size_t read = 0; read < ratings.size(); ++read) {
    if (dropped[read]) continue;
    ratings.users[write] = ratings.users[read];
    ratings.items[write] = ratings.items[read];
    ratings.values[write] = ratings.values[read];
    ++write;
  }
  ratings.users.resize(write);
  ratings.items.resize(write);
  ratings.values.resize(write);
  ratings.recompute_range();
}

// First pass, O(n) and no sorting: walk each user's run with a per-item stamp of the last user that
// rated it. Returns the users that have duplicates and, through `earliest`, the duplicate whose later
// occurrence comes first in the file.
std::vector<std::size_t> find_users_with_duplicates(const Ratings& ratings, const UserRuns& runs,
                                                    std::optional<DuplicatePair>& earliest) {
  std::vector<std::int32_t> stamp(static_cast<std::size_t>(ratings.n_items()), -1);  // (n_items) user
  std::vector<std::uint32_t> first_seen(stamp.size());                               // (n_items) index
  std::vector<std::size_t> users;
  for (std::size_t user = 0; user + 1 < runs.start.size(); ++user) {
    for (std::size_t k = runs.start[user]; k < runs.start[user + 1]; ++k) {
      const std::uint32_t index = runs.order[k];
      const auto item = static_cast<std::size_t>(ratings.items[index]);
      if (stamp[item] != static_cast<std::int32_t>(user)) {
        stamp[item] = static_cast<std::int32_t>(user);
        first_seen[item] = index;
        continue;
      }
      if (!earliest || index < earliest->second) earliest = DuplicatePair{first_seen[item], index};
      if (users.empty() || users.back() != user) users.push_back(user);
    }
  }
  return users;
}

}  // namespace

std::optional<DuplicatePair> resolve_duplicates(Ratings& ratings, DuplicatePolicy policy) {
  if (ratings.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("duplicate check supports at most 2^32 - 1 ratings per load");
  }
  const UserRuns runs = group_by_user(ratings);
  std::optional<DuplicatePair> earliest;
  const std::vector<std::size_t> users = find_users_with_duplicates(ratings, runs, earliest);
  if (policy == DuplicatePolicy::error || users.empty()) return earliest;
  // Second pass, only for the users with duplicates: sort their items to form the groups.
  std::vector<bool> dropped(ratings.size(), false);
  std::vector<std::uint64_t> keys;
  for (const std::size_t user : users) {
    sorted_item_keys(ratings, runs, user, keys);
    for (std::size_t begin = 0, end = 0; begin < keys.size(); begin = end) {
      end = begin + 1;
      while (end < keys.size() && item_of(keys[end]) == item_of(keys[begin])) ++end;
      if (end - begin > 1) resolve_group(ratings, keys, begin, end, policy, dropped);
    }
  }
  remove_dropped(ratings, dropped);
  return std::nullopt;
}

}  // namespace autorec::detail

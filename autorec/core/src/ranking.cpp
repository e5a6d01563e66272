// Top-k ranking: full predicted rows decoded block by block (H . W^T), training entries masked,
// the k best items per user kept in bounded heaps; for an item-based model and a few users, the scores
// at their pairs only. Memory: one block of rows plus n_users * k.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <unordered_set>

#include "autorec/error.h"
#include "autorec/evaluate.h"

namespace autorec {
namespace {

struct Scored {
  float score;
  std::int32_t item;
};
// Best first; ties broken by the smaller item index so results do not depend on block order.
bool better(const Scored& a, const Scored& b) { return a.score > b.score || (a.score == b.score && a.item < b.item); }

class TopK {
 public:
  TopK(std::size_t users, int k) : k_(static_cast<std::size_t>(k)), heaps_(users) {}
  void offer(std::int32_t user, Scored candidate) {
    auto& heap = heaps_[static_cast<std::size_t>(user)];  // a min-heap on `better`: the worst kept on top
    if (heap.size() < k_) {
      heap.push_back(candidate);
      std::push_heap(heap.begin(), heap.end(), better);
    } else if (better(candidate, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.back() = candidate;
      std::push_heap(heap.begin(), heap.end(), better);
    }
  }
  std::vector<std::int32_t> ranked(std::int32_t user) const {
    std::vector<Scored> sorted = heaps_[static_cast<std::size_t>(user)];
    std::sort(sorted.begin(), sorted.end(), better);
    std::vector<std::int32_t> items(sorted.size());
    std::transform(sorted.begin(), sorted.end(), items.begin(), [](const Scored& s) { return s.item; });
    return items;
  }

 private:
  std::size_t k_;
  std::vector<std::vector<Scored>> heaps_;
};

// Decodes the predictions for `rows` (training inputs), masks their training entries, and offers
// every (user, item) score of the block to `top` for the users with wanted[user] set.
void rank_block(RatingModel& model, const engine::SparseMatrix& train_rows, const std::vector<engine::index_t>& rows,
                const std::vector<bool>& wanted, TopK& top) {
  const engine::Device device = model.parameters().device();
  const engine::SparseMatrix inputs = train_rows.slice_rows(rows);
  engine::Tensor scores(static_cast<std::int64_t>(rows.size()), train_rows.cols(), device);
  model.predict_rows(RowBlock{inputs.to(device), rows}, scores);
  std::vector<float> dense = scores.to_host();  // (rows, cols)
  const std::int64_t cols = train_rows.cols();
  const auto offsets = inputs.csr_offsets_host();
  const auto indices = inputs.csr_indices_host();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (auto p = offsets[r]; p < offsets[r + 1]; ++p) {
      dense[r * cols + indices[p]] = -std::numeric_limits<float>::infinity();
    }
  }
  const bool item_rows = model.orientation() == Orientation::ItemBased;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::int64_t c = 0; c < cols; ++c) {
      const float s = dense[r * cols + c];
      if (std::isinf(s) || std::isnan(s)) continue;  // masked (training) entries; NaN would break the ordering
      const auto user = static_cast<std::int32_t>(item_rows ? c : rows[r]);
      const auto item = static_cast<std::int32_t>(item_rows ? rows[r] : c);
      if (wanted[static_cast<std::size_t>(user)]) top.offer(user, {s, item});
    }
  }
}

// The same for item rows and a few wanted users (ascending): the scores at the pairs (item, wanted
// user) that are not training entries, by predict_at, rather than whole rows over every user.
void rank_block_at_users(RatingModel& model, const engine::SparseMatrix& train_rows,
                         const std::vector<engine::index_t>& rows, const std::vector<engine::index_t>& users,
                         TopK& top) {
  const engine::SparseMatrix inputs = train_rows.slice_rows(rows);
  const auto offsets = inputs.csr_offsets_host();
  const auto indices = inputs.csr_indices_host();
  std::vector<engine::offset_t> pattern_offsets = {0};
  std::vector<engine::index_t> pattern_users;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    auto p = offsets[r];
    for (const engine::index_t user : users) {  // both ascending: skip the row's training entries
      while (p < offsets[r + 1] && indices[p] < user) ++p;
      if (p < offsets[r + 1] && indices[p] == user) continue;
      pattern_users.push_back(user);
    }
    pattern_offsets.push_back(static_cast<engine::offset_t>(pattern_users.size()));
  }
  if (pattern_users.empty()) return;
  const engine::Device device = model.parameters().device();
  const std::size_t pairs = pattern_users.size();
  const engine::SparseMatrix pattern =
      engine::SparseMatrix::from_csr(static_cast<engine::index_t>(rows.size()), train_rows.cols(),
                                     std::move(pattern_offsets), pattern_users, std::vector<float>(pairs), device);
  engine::Tensor scores(1, static_cast<std::int64_t>(pairs), device);
  model.predict_at(RowBlock{inputs.to(device), rows}, pattern, scores);
  const std::vector<float> host = scores.to_host();
  const auto pattern_offsets_host = pattern.csr_offsets_host();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (auto p = pattern_offsets_host[r]; p < pattern_offsets_host[r + 1]; ++p) {
      const float s = host[static_cast<std::size_t>(p)];
      if (std::isinf(s) || std::isnan(s)) continue;
      top.offer(static_cast<std::int32_t>(pattern_users[static_cast<std::size_t>(p)]),
                {s, static_cast<std::int32_t>(rows[r])});
    }
  }
}

// Top-k for the wanted users; rows decoded are all items (item-based) or only wanted users. An
// item-based model ranking a few users (at most one in 8: `recommend --users`) predicts at their
// pairs only, which costs a fraction of decoding every user's column.
TopK rank_users(RatingModel& model, const engine::SparseMatrix& train_rows, const std::vector<bool>& wanted, int k,
                std::int64_t block_rows) {
  TopK top(wanted.size(), k);
  const bool item_rows = model.orientation() == Orientation::ItemBased;
  std::vector<engine::index_t> wanted_users;
  for (std::size_t u = 0; u < wanted.size(); ++u) {
    if (wanted[u]) wanted_users.push_back(static_cast<engine::index_t>(u));
  }
  const bool at_pairs = item_rows && wanted_users.size() * 8 <= wanted.size();
  const auto rank = [&](const std::vector<engine::index_t>& block) {
    if (at_pairs) rank_block_at_users(model, train_rows, block, wanted_users, top);
    else rank_block(model, train_rows, block, wanted, top);
  };
  std::vector<engine::index_t> block;
  for (engine::index_t row = 0; row < train_rows.rows(); ++row) {
    if (!item_rows && !wanted[static_cast<std::size_t>(row)]) continue;
    block.push_back(row);
    if (static_cast<std::int64_t>(block.size()) == block_rows) {
      rank(block);
      block.clear();
    }
  }
  if (!block.empty()) rank(block);
  return top;
}

std::int32_t user_count(const RatingModel& model, const engine::SparseMatrix& train_rows) {
  return model.orientation() == Orientation::ItemBased ? train_rows.cols() : train_rows.rows();
}

void require_positive(int k, std::int64_t block_rows, const char* what) {
  AUTOREC_CONFIG_CHECK(k >= 1, what, ": k must be at least 1, got ", k);
  AUTOREC_CONFIG_CHECK(block_rows >= 1, what, ": block_rows must be at least 1");
}

}  // namespace

RankingMetrics ranking_metrics(RatingModel& model, const engine::SparseMatrix& train_rows, const Ratings& held_out,
                               int k, std::int64_t block_rows) {
  require_positive(k, block_rows, "ranking_metrics");
  RankingMetrics m;
  m.k = k;
  const std::int32_t n_users = user_count(model, train_rows);
  std::vector<std::unordered_set<std::int32_t>> relevant(static_cast<std::size_t>(n_users));
  for (std::size_t q = 0; q < held_out.size(); ++q) {
    const std::int32_t user = held_out.users[q];
    if (user >= 0 && user < n_users) relevant[static_cast<std::size_t>(user)].insert(held_out.items[q]);
  }
  std::vector<bool> wanted(static_cast<std::size_t>(n_users));
  for (std::size_t u = 0; u < wanted.size(); ++u) wanted[u] = !relevant[u].empty();
  const TopK top = rank_users(model, train_rows, wanted, k, block_rows);

  double hits_sum = 0.0, ndcg_sum = 0.0, recall_sum = 0.0;
  for (std::int32_t u = 0; u < n_users; ++u) {
    if (!wanted[static_cast<std::size_t>(u)]) continue;
    const auto& rel = relevant[static_cast<std::size_t>(u)];
    const std::vector<std::int32_t> ranked = top.ranked(u);
    double dcg = 0.0, ideal = 0.0;
    int hits = 0;
    for (std::size_t r = 0; r < ranked.size(); ++r) {
      if (rel.count(ranked[r]) != 0) {
        ++hits;
        dcg += 1.0 / std::log2(static_cast<double>(r) + 2.0);
      }
    }
    const int best_possible = std::min<int>(k, static_cast<int>(rel.size()));
    for (int r = 0; r < best_possible; ++r) ideal += 1.0 / std::log2(r + 2.0);
    hits_sum += hits > 0 ? 1.0 : 0.0;
    ndcg_sum += dcg / ideal;
    recall_sum += static_cast<double>(hits) / best_possible;
    ++m.users;
  }
  if (m.users > 0) {
    const auto n = static_cast<double>(m.users);
    m.hit_rate = hits_sum / n;
    m.ndcg = ndcg_sum / n;
    m.recall = recall_sum / n;
  }
  return m;
}

std::vector<std::vector<std::int32_t>> recommend(RatingModel& model, const engine::SparseMatrix& train_rows,
                                                 const std::vector<std::int32_t>& users, int n,
                                                 std::int64_t block_rows) {
  require_positive(n, block_rows, "recommend");
  std::vector<bool> wanted(static_cast<std::size_t>(user_count(model, train_rows)));
  for (std::int32_t u : users) {
    if (u < 0 || static_cast<std::size_t>(u) >= wanted.size()) {
      throw ConfigError("recommend: user index " + std::to_string(u) + " is not in the training data");
    }
    wanted[static_cast<std::size_t>(u)] = true;
  }
  const TopK top = rank_users(model, train_rows, wanted, n, block_rows);
  std::vector<std::vector<std::int32_t>> lists;
  lists.reserve(users.size());
  for (std::int32_t u : users) lists.push_back(top.ranked(u));
  return lists;
}

}  // namespace autorec

// Rating prediction and its metrics (RMSE, MAE) under the paper's protocol.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "autorec/error.h"
#include "autorec/evaluate.h"

namespace autorec {
namespace {

// The row and column of a (user, item) pair in the model's orientation.
struct RowCol {
  engine::index_t row, col;
};
RowCol locate(Orientation o, std::int32_t user, std::int32_t item) {
  return o == Orientation::ItemBased ? RowCol{item, user} : RowCol{user, item};
}

// Number of training ratings per row and per column of the training matrix.
struct Counts {
  std::vector<std::int64_t> per_row, per_col;
};
Counts count_entries(const engine::SparseMatrix& train_rows) {
  Counts counts{std::vector<std::int64_t>(static_cast<std::size_t>(train_rows.rows())),
                std::vector<std::int64_t>(static_cast<std::size_t>(train_rows.cols()))};
  if (train_rows.device().is_cpu()) {  // both offset arrays are host memory: no copy of the indices
    const engine::CsrView csr = train_rows.csr();
    const engine::CscView csc = train_rows.csc();
    for (engine::index_t r = 0; r < csr.rows; ++r) counts.per_row[r] = csr.offsets[r + 1] - csr.offsets[r];
    for (engine::index_t c = 0; c < csc.cols; ++c) counts.per_col[c] = csc.offsets[c + 1] - csc.offsets[c];
    return counts;
  }
  const auto offsets = train_rows.csr_offsets_host();
  for (engine::index_t r = 0; r < train_rows.rows(); ++r) counts.per_row[r] = offsets[r + 1] - offsets[r];
  for (engine::index_t c : train_rows.csr_indices_host()) ++counts.per_col[c];
  return counts;
}

// `m` on `device`: moved when it is there already (to() would copy it).
engine::SparseMatrix on_device(engine::SparseMatrix m, engine::Device device) {
  return m.device() == device ? std::move(m) : m.to(device);
}

bool is_cold(const Counts& counts, RowCol rc) {
  const auto in_range = [](engine::index_t i, const std::vector<std::int64_t>& v) {
    return i >= 0 && static_cast<std::size_t>(i) < v.size();
  };
  return !in_range(rc.row, counts.per_row) || !in_range(rc.col, counts.per_col) || counts.per_row[rc.row] == 0 ||
         counts.per_col[rc.col] == 0;
}

}  // namespace

engine::SparseMatrix to_matrix(const Ratings& ratings, Orientation orientation, engine::Device device) {
  const bool by_item = orientation == Orientation::ItemBased;
  const engine::index_t rows = by_item ? ratings.n_items() : ratings.n_users();
  const engine::index_t cols = by_item ? ratings.n_users() : ratings.n_items();
  try {
    return engine::SparseMatrix::from_coo(rows, cols, by_item ? ratings.items : ratings.users,
                                          by_item ? ratings.users : ratings.items, ratings.values,
                                          engine::DuplicatePolicy::Error, device);
  } catch (const std::bad_alloc&) {  // say what for and how much, not just "std::bad_alloc"
    throw std::runtime_error("out of host memory building the " + std::to_string(rows) + " x " +
                             std::to_string(cols) + " rating matrix (" + std::to_string(ratings.size()) +
                             " entries, about " + std::to_string(20 * ratings.size()) + " bytes for CSR and CSC)");
  }
}

PredictionRules rules_from_training(const Ratings& train) {
  return {0.5f * (train.min_rating + train.max_rating), train.min_rating, train.max_rating};
}

std::vector<float> predict_pairs(RatingModel& model, const engine::SparseMatrix& train_rows, const Ratings& queries,
                                 const PredictionRules& rules, std::int64_t block_rows) {
  AUTOREC_CONFIG_CHECK(block_rows >= 1, "predict_pairs: block_rows must be at least 1");
  if (model.prediction_block_rows() > 0) block_rows = model.prediction_block_rows();
  const Orientation o = model.orientation();
  const Counts counts = count_entries(train_rows);
  std::vector<float> predictions(queries.size(), rules.default_rating);

  // The warm queries as a sparse pattern over the training rows (duplicates merged; `slot` maps each
  // query to its entry), predicted one block of rows at a time.
  engine::CooTriplets warm;
  std::vector<std::size_t> warm_query;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    const RowCol rc = locate(o, queries.users[q], queries.items[q]);
    if (is_cold(counts, rc)) continue;
    warm.rows.push_back(rc.row);
    warm.cols.push_back(rc.col);
    warm.values.push_back(0.0f);  // the pattern's values are never read
    warm_query.push_back(q);
  }
  const engine::SparseMatrix pattern =
      engine::SparseMatrix::from_coo(train_rows.rows(), train_rows.cols(), warm, engine::DuplicatePolicy::KeepFirst);
  // Position of each warm query's entry in the pattern's CSR order.
  const auto offsets = pattern.csr_offsets_host();
  const auto indices = pattern.csr_indices_host();
  std::vector<std::int64_t> slot(warm_query.size());
  for (std::size_t w = 0; w < warm_query.size(); ++w) {
    const auto begin = indices.begin() + offsets[warm.rows[w]];
    const auto end = indices.begin() + offsets[warm.rows[w] + 1];
    slot[w] = std::lower_bound(begin, end, warm.cols[w]) - indices.begin();
  }

  std::vector<float> entry_predictions(static_cast<std::size_t>(pattern.nnz()));
  const engine::Device device = model.parameters().device();
  for (std::int64_t begin = 0; begin < train_rows.rows(); begin += block_rows) {
    const auto first = static_cast<engine::index_t>(begin);
    const auto last = static_cast<engine::index_t>(std::min<std::int64_t>(begin + block_rows, train_rows.rows()));
    if (offsets[last] == offsets[first]) continue;
    std::vector<engine::index_t> rows(static_cast<std::size_t>(last - first));
    std::iota(rows.begin(), rows.end(), first);
    const engine::SparseMatrix inputs = on_device(train_rows.slice_rows(rows), device);
    const engine::SparseMatrix block_pattern = on_device(pattern.slice_rows(rows), device);
    engine::Tensor out(1, block_pattern.nnz(), device);
    model.predict_at(RowBlock{inputs, rows}, block_pattern, out);
    const std::vector<float> values = out.to_host();
    std::copy(values.begin(), values.end(), entry_predictions.begin() + offsets[first]);
  }
  for (std::size_t w = 0; w < warm_query.size(); ++w) {
    predictions[warm_query[w]] = std::clamp(entry_predictions[static_cast<std::size_t>(slot[w])], rules.clip_min,
                                            rules.clip_max);
  }
  return predictions;
}

RatingMetrics rating_metrics(const std::vector<float>& predictions, const Ratings& truth,
                             const engine::SparseMatrix& train_rows, Orientation orientation) {
  AUTOREC_CONFIG_CHECK(predictions.size() == truth.size(), "rating_metrics: ", predictions.size(),
                       " predictions for ", truth.size(), " ratings");
  RatingMetrics m;
  m.count = truth.size();
  if (m.count == 0) {  // no ratings: the metrics are undefined, not zero
    m.rmse = m.mae = std::numeric_limits<double>::quiet_NaN();
    return m;
  }
  const Counts counts = count_entries(train_rows);
  double squared = 0.0, absolute = 0.0;
  for (std::size_t q = 0; q < truth.size(); ++q) {
    const double error = static_cast<double>(predictions[q]) - truth.values[q];
    squared += error * error;
    absolute += std::abs(error);
    if (is_cold(counts, locate(orientation, truth.users[q], truth.items[q]))) ++m.cold_start;
  }
  m.rmse = std::sqrt(squared / static_cast<double>(m.count));
  m.mae = absolute / static_cast<double>(m.count);
  return m;
}

}  // namespace autorec

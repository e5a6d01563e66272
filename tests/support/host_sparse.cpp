#include "testsupport/host_sparse.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

namespace testsupport {
namespace {

using Rng = std::mt19937_64;

// `count` distinct elements of `pool` chosen uniformly (partial Fisher-Yates), sorted.
std::vector<std::int32_t> sample_sorted(std::vector<std::int32_t> pool, std::int64_t count, Rng& rng) {
  count = std::min<std::int64_t>(count, static_cast<std::int64_t>(pool.size()));
  for (std::int64_t t = 0; t < count; ++t) {
    std::uniform_int_distribution<std::int64_t> pick(t, static_cast<std::int64_t>(pool.size()) - 1);
    std::swap(pool[t], pool[pick(rng)]);
  }
  pool.resize(count);
  std::sort(pool.begin(), pool.end());
  return pool;
}

// The indices [0, n) minus a random fraction `empty_fraction` of them.
std::vector<std::int32_t> non_empty_indices(std::int32_t n, double empty_fraction, Rng& rng) {
  std::vector<std::int32_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  const auto empty = static_cast<std::int64_t>(std::floor(empty_fraction * n));
  return sample_sorted(all, n - empty, rng);
}

// Row lengths for the rows in `live_rows`, each capped at `available` columns.
std::vector<std::int64_t> draw_row_lengths(const SparseSpec& spec, std::size_t live_rows, std::int64_t available,
                                           Rng& rng) {
  std::vector<std::int64_t> lengths(live_rows, 0);
  if (spec.row_lengths == RowLengths::Uniform) {
    std::binomial_distribution<std::int64_t> binomial(available, std::clamp(spec.density, 0.0, 1.0));
    for (auto& length : lengths) length = binomial(rng);
    return lengths;
  }
  // Heavy tail: the row of rank r gets a share 1 / (r + 1) of the expected total; ranks are shuffled.
  std::vector<double> share(live_rows);
  for (std::size_t r = 0; r < live_rows; ++r) share[r] = 1.0 / static_cast<double>(r + 1);
  std::shuffle(share.begin(), share.end(), rng);
  const double total = spec.density * spec.rows * spec.cols;
  const double share_sum = std::accumulate(share.begin(), share.end(), 0.0);
  for (std::size_t r = 0; r < live_rows; ++r)
    lengths[r] = std::min<std::int64_t>(available, std::llround(total * share[r] / share_sum));
  return lengths;
}

float draw_value(bool integer_values, Rng& rng) {
  if (integer_values) {
    static constexpr float kNonZeroSmallInts[] = {-3.0f, -2.0f, -1.0f, 1.0f, 2.0f, 3.0f};
    return kNonZeroSmallInts[std::uniform_int_distribution<int>(0, 5)(rng)];
  }
  return std::uniform_real_distribution<float>(-1.0f, 1.0f)(rng);
}

}  // namespace

HostCsr HostCsr::from_triplets(std::int32_t rows, std::int32_t cols, std::vector<Triplet> triplets) {
  if (rows < 0 || cols < 0) throw std::invalid_argument("HostCsr: negative shape");
  std::sort(triplets.begin(), triplets.end(),
            [](const Triplet& x, const Triplet& y) { return x.row != y.row ? x.row < y.row : x.col < y.col; });
  HostCsr m;
  m.rows_ = rows;
  m.cols_ = cols;
  m.offsets.assign(static_cast<std::size_t>(rows) + 1, 0);
  for (std::size_t t = 0; t < triplets.size(); ++t) {
    const Triplet& e = triplets[t];
    if (e.row < 0 || e.row >= rows || e.col < 0 || e.col >= cols)
      throw std::invalid_argument("HostCsr: entry (" + std::to_string(e.row) + ", " + std::to_string(e.col) +
                                  ") outside the matrix");
    if (t > 0 && triplets[t - 1].row == e.row && triplets[t - 1].col == e.col)
      throw std::invalid_argument("HostCsr: duplicated entry (" + std::to_string(e.row) + ", " + std::to_string(e.col) +
                                  ")");
    ++m.offsets[e.row + 1];
    m.indices.push_back(e.col);
    m.values.push_back(e.value);
  }
  std::partial_sum(m.offsets.begin(), m.offsets.end(), m.offsets.begin());
  m.build_csc();
  return m;
}

HostCsr HostCsr::random(const SparseSpec& spec) {
  Rng rng(spec.seed);
  const std::vector<std::int32_t> live_rows = non_empty_indices(spec.rows, spec.empty_fraction, rng);
  const std::vector<std::int32_t> live_cols = non_empty_indices(spec.cols, spec.empty_fraction, rng);
  const auto available = static_cast<std::int64_t>(live_cols.size());
  std::vector<std::int64_t> lengths = draw_row_lengths(spec, live_rows.size(), available, rng);
  if (spec.one_full_row && !lengths.empty())
    lengths[std::uniform_int_distribution<std::size_t>(0, lengths.size() - 1)(rng)] = available;

  std::vector<Triplet> triplets;
  for (std::size_t r = 0; r < live_rows.size(); ++r) {
    for (const std::int32_t col : sample_sorted(live_cols, lengths[r], rng))
      triplets.push_back({live_rows[r], col, draw_value(spec.integer_values, rng)});
  }
  return from_triplets(spec.rows, spec.cols, std::move(triplets));
}

void HostCsr::build_csc() {
  // Counting sort by column; walking the CSR rows in order keeps each column's rows sorted.
  csc_offsets.assign(static_cast<std::size_t>(cols_) + 1, 0);
  for (const kernels::index_t col : indices) ++csc_offsets[col + 1];
  std::partial_sum(csc_offsets.begin(), csc_offsets.end(), csc_offsets.begin());
  csc_row_indices.assign(indices.size(), 0);
  csc_positions.assign(indices.size(), 0);
  std::vector<kernels::offset_t> next(csc_offsets.begin(), csc_offsets.end() - 1);
  for (std::int32_t i = 0; i < rows_; ++i) {
    for (kernels::offset_t p = offsets[i]; p < offsets[i + 1]; ++p) {
      const kernels::offset_t q = next[indices[p]]++;
      csc_row_indices[q] = i;
      csc_positions[q] = p;
    }
  }
}

kernels::CsrPattern HostCsr::pattern() const { return {rows_, cols_, nnz(), offsets.data(), indices.data()}; }

kernels::CscPattern HostCsr::csc() const {
  return {rows_, cols_, nnz(), csc_offsets.data(), csc_row_indices.data(), csc_positions.data()};
}

std::int64_t HostCsr::max_row_length() const {
  std::int64_t longest = 0;
  for (std::int32_t i = 0; i < rows_; ++i) longest = std::max<std::int64_t>(longest, offsets[i + 1] - offsets[i]);
  return longest;
}

}  // namespace testsupport

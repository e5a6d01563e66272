#include "synthetic_sparse.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "kernels/random.h"

namespace bench {
namespace {

// Sequential draws from the counter-based generator, one stream per (seed, row).
class Stream {
 public:
  Stream(std::uint64_t seed, std::uint64_t id) : key_(kernels::mix64(seed, id)) {}
  std::uint64_t next() { return kernels::mix64(key_, counter_++); }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  std::uint64_t below(std::uint64_t n) { return next() % n; }

 private:
  std::uint64_t key_;
  std::uint64_t counter_ = 0;
};

// c distinct sorted columns of [0, n). Dense rows: selection sampling (Knuth's algorithm S, one pass
// over n); sparse rows: draw, sort, dedupe and top up, O(c log c).
void sample_columns(std::int64_t c, std::int64_t n, Stream& rng, kernels::index_t* out) {
  if (8 * c >= n) {
    std::int64_t chosen = 0;
    for (std::int64_t j = 0; j < n && chosen < c; ++j) {
      if (static_cast<double>(n - j) * rng.uniform() < static_cast<double>(c - chosen)) {
        out[chosen++] = static_cast<kernels::index_t>(j);
      }
    }
    return;
  }
  std::vector<kernels::index_t> picked;
  picked.reserve(static_cast<std::size_t>(c) + 16);
  while (static_cast<std::int64_t>(picked.size()) < c) {
    while (static_cast<std::int64_t>(picked.size()) < c) {
      picked.push_back(static_cast<kernels::index_t>(rng.below(static_cast<std::uint64_t>(n))));
    }
    std::sort(picked.begin(), picked.end());
    picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
  }
  std::copy(picked.begin(), picked.end(), out);
}

void build_csc(HostSparse& m) {
  m.csc_offsets.assign(static_cast<std::size_t>(m.cols) + 1, 0);
  for (const kernels::index_t j : m.indices) ++m.csc_offsets[static_cast<std::size_t>(j) + 1];
  std::partial_sum(m.csc_offsets.begin(), m.csc_offsets.end(), m.csc_offsets.begin());
  m.csc_rows.resize(m.indices.size());
  m.csc_positions.resize(m.indices.size());
  std::vector<kernels::offset_t> cursor(m.csc_offsets.begin(), m.csc_offsets.end() - 1);
  for (kernels::index_t i = 0; i < m.rows; ++i) {  // rows in order: each column's rows come out sorted
    for (kernels::offset_t p = m.offsets[i]; p < m.offsets[i + 1]; ++p) {
      const kernels::offset_t slot = cursor[static_cast<std::size_t>(m.indices[p])]++;
      m.csc_rows[slot] = i;
      m.csc_positions[slot] = p;
    }
  }
}

}  // namespace

kernels::CsrPattern HostSparse::csr() const { return {rows, cols, nnz(), offsets.data(), indices.data()}; }

kernels::CscPattern HostSparse::csc() const {
  return {rows, cols, nnz(), csc_offsets.data(), csc_rows.data(), csc_positions.data()};
}

namespace {

std::int64_t row_cap(const PatternSpec& spec) {
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(spec.max_row_fraction * spec.cols));
}

}  // namespace

std::vector<std::int64_t> zipf_row_lengths(const PatternSpec& spec) {
  const auto m = static_cast<std::size_t>(spec.rows);
  const std::int64_t cap = row_cap(spec);
  std::vector<double> weight(m);
  for (std::size_t r = 0; r < m; ++r) weight[r] = std::pow(static_cast<double>(r + 1), -spec.zipf_exponent);
  // Rows that would exceed the cap are capped and their excess spread over the others, repeatedly.
  std::vector<double> share(m, 0.0);
  std::vector<bool> capped(m, false);
  for (bool changed = true; changed;) {
    changed = false;
    double free_nnz = static_cast<double>(spec.nnz), free_weight = 0.0;
    for (std::size_t r = 0; r < m; ++r) {
      if (capped[r]) {
        free_nnz -= static_cast<double>(cap);
      } else {
        free_weight += weight[r];
      }
    }
    for (std::size_t r = 0; r < m; ++r) {
      if (capped[r]) continue;
      share[r] = free_nnz * weight[r] / free_weight;
      if (share[r] > static_cast<double>(cap)) capped[r] = changed = true;
    }
  }
  std::vector<std::int64_t> lengths(m);
  std::int64_t total = 0;
  for (std::size_t r = 0; r < m; ++r) {
    lengths[r] = capped[r] ? cap : std::max<std::int64_t>(0, std::llround(std::floor(share[r])));
    total += lengths[r];
  }
  // Hand out the rounding remainder one by one, shortest-first among rows with room.
  for (std::size_t r = m; total < spec.nnz; r = (r == 0 ? m : r) - 1) {
    if (r < m && lengths[r] < cap) ++lengths[r], ++total;
  }
  return lengths;
}

HostSparse generate_pattern(const PatternSpec& spec) {
  if (spec.rows <= 0 || spec.cols <= 0 || spec.nnz <= 0) throw std::invalid_argument("empty sparse pattern");
  if (spec.max_row_fraction <= 0.0 || spec.max_row_fraction > 1.0) throw std::invalid_argument("max_row_fraction in (0, 1]");
  if (spec.nnz > static_cast<std::int64_t>(spec.rows) * row_cap(spec)) {
    throw std::invalid_argument("nnz " + std::to_string(spec.nnz) + " exceeds rows x the row length cap");
  }
  std::vector<std::int64_t> lengths = zipf_row_lengths(spec);
  Stream shuffle(spec.seed, ~0ull);  // real data does not list rows by popularity: scatter them
  for (std::size_t i = lengths.size(); i > 1; --i) std::swap(lengths[i - 1], lengths[shuffle.below(i)]);

  HostSparse m;
  m.rows = spec.rows;
  m.cols = spec.cols;
  m.offsets.assign(lengths.size() + 1, 0);
  std::partial_sum(lengths.begin(), lengths.end(), m.offsets.begin() + 1);
  m.indices.resize(static_cast<std::size_t>(spec.nnz));
  m.values.resize(static_cast<std::size_t>(spec.nnz));
#pragma omp parallel for schedule(dynamic, 16)
  for (kernels::index_t i = 0; i < m.rows; ++i) {
    Stream rng(spec.seed, static_cast<std::uint64_t>(i));
    const kernels::offset_t begin = m.offsets[i], length = m.offsets[i + 1] - begin;
    sample_columns(length, m.cols, rng, m.indices.data() + begin);
    for (kernels::offset_t p = begin; p < begin + length; ++p) m.values[p] = static_cast<float>(1 + rng.below(5));
  }
  build_csc(m);
  return m;
}

void validate_pattern(const HostSparse& m) {
  const auto fail = [](const std::string& what) { throw std::logic_error("synthetic pattern: " + what); };
  if (m.offsets.size() != static_cast<std::size_t>(m.rows) + 1 || m.offsets.front() != 0 || m.offsets.back() != m.nnz()) {
    fail("CSR offsets do not span the nonzeros");
  }
  for (kernels::index_t i = 0; i < m.rows; ++i) {
    for (kernels::offset_t p = m.offsets[i]; p < m.offsets[i + 1]; ++p) {
      const bool ordered = p == m.offsets[i] || m.indices[p - 1] < m.indices[p];
      if (!ordered || m.indices[p] < 0 || m.indices[p] >= m.cols) fail("row " + std::to_string(i) + " columns");
    }
  }
  if (m.csc_offsets.size() != static_cast<std::size_t>(m.cols) + 1 || m.csc_offsets.back() != m.nnz()) {
    fail("CSC offsets do not span the nonzeros");
  }
  for (kernels::index_t j = 0; j < m.cols; ++j) {
    for (kernels::offset_t q = m.csc_offsets[j]; q < m.csc_offsets[j + 1]; ++q) {
      const kernels::offset_t p = m.csc_positions[q];
      const kernels::index_t i = m.csc_rows[q];
      if (p < m.offsets[i] || p >= m.offsets[i + 1] || m.indices[p] != j) fail("CSC entry of column " + std::to_string(j));
    }
  }
}

}  // namespace bench

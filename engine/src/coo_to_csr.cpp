#include "coo_to_csr.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "engine/error.h"

namespace engine::detail {
namespace {

// Below this many triplets one thread is faster than starting a team.
constexpr std::int64_t kParallelTriplets = std::int64_t{1} << 20;

std::string entry(index_t row, index_t col) {
  return "(" + std::to_string(row) + ", " + std::to_string(col) + ")";
}

bool valid_triplet(index_t rows, index_t cols, index_t r, index_t c, float v) {
  return r >= 0 && r < rows && c >= 0 && c < cols && std::isfinite(v);
}

// The first bad triplet is found in parallel (a min reduction), then reported serially.
void validate(index_t rows, index_t cols, std::span<const index_t> row_ids, std::span<const index_t> col_ids,
              std::span<const float> values) {
  ENGINE_REQUIRE(rows >= 0 && cols >= 0, "SparseMatrix::from_coo: negative shape (", rows, ", ", cols, ")");
  ENGINE_REQUIRE(row_ids.size() == col_ids.size() && row_ids.size() == values.size(),
               "SparseMatrix::from_coo: triplet arrays differ in length (rows ", row_ids.size(), ", cols ",
               col_ids.size(), ", values ", values.size(), ")");
  const auto n = static_cast<std::int64_t>(row_ids.size());
  std::int64_t first_bad = n;
#pragma omp parallel for reduction(min : first_bad) if (n > kParallelTriplets)
  for (std::int64_t p = 0; p < n; ++p) {
    if (!valid_triplet(rows, cols, row_ids[p], col_ids[p], values[p]) && p < first_bad) first_bad = p;
  }
  if (first_bad == n) return;
  const auto p = static_cast<std::size_t>(first_bad);
  ENGINE_CHECK(row_ids[p] >= 0 && row_ids[p] < rows && col_ids[p] >= 0 && col_ids[p] < cols,
               "SparseMatrix::from_coo: triplet ", p, " at ", entry(row_ids[p], col_ids[p]),
               " is outside a matrix of shape (", rows, ", ", cols, ")");
  throw Error(concat("SparseMatrix::from_coo: triplet ", p, " at ", entry(row_ids[p], col_ids[p]),
                     " has a non-finite value"));
}

// Counting sort by row into csr, stable: each thread owns a contiguous slice of the input and its own
// row cursors, placed after the earlier slices' entries of the same row.
void place_by_row(index_t rows, std::span<const index_t> row_ids, std::span<const index_t> col_ids,
                  std::span<const float> values, HostCsr& csr) {
  const auto n = static_cast<std::int64_t>(row_ids.size());
  // Each thread's cursors cost 8 bytes per row: at most one thread per 4 triplets of a row keeps the
  // table within 2 bytes per triplet (many threads and short rows, e.g. users of a 64-core machine).
  const std::int64_t by_size = std::max<std::int64_t>(1, n / (4 * std::max<std::int64_t>(rows, 1)));
  const int max_threads =
      n > kParallelTriplets ? static_cast<int>(std::min<std::int64_t>(omp_get_max_threads(), by_size)) : 1;
  const auto stride = static_cast<std::size_t>(rows);
  std::vector<offset_t> cursor(static_cast<std::size_t>(max_threads) * stride, 0);
  offset_t* offsets = csr.offsets.data();
  index_t* out_indices = csr.indices.data();
  float* out_values = csr.values.data();
#pragma omp parallel num_threads(max_threads)
  {
    const int team = omp_get_num_threads(), t = omp_get_thread_num();
    const std::int64_t begin = n * t / team, end = n * (t + 1) / team;
    offset_t* mine = cursor.data() + static_cast<std::size_t>(t) * stride;
    for (std::int64_t p = begin; p < end; ++p) ++mine[row_ids[p]];
#pragma omp barrier
#pragma omp single
    {
      offsets[0] = 0;
      for (std::size_t r = 0; r < stride; ++r) {
        offset_t base = offsets[r];
        for (int u = 0; u < team; ++u) {
          const offset_t count = cursor[static_cast<std::size_t>(u) * stride + r];
          cursor[static_cast<std::size_t>(u) * stride + r] = base;
          base += count;
        }
        offsets[r + 1] = base;
      }
    }
    for (std::int64_t p = begin; p < end; ++p) {
      const offset_t slot = mine[row_ids[p]]++;
      out_indices[slot] = col_ids[p];
      out_values[slot] = values[p];
    }
  }
}

// Orders the rows that are not already strictly increasing by column (keys col << 32 | position in the
// row: equal columns stay in input order). Returns, per row, whether it holds a repeated column.
std::vector<std::uint8_t> sort_rows(index_t rows, HostCsr& csr) {
  const offset_t* offsets = csr.offsets.data();
  index_t* indices = csr.indices.data();
  float* values = csr.values.data();
  std::vector<std::uint8_t> repeated(static_cast<std::size_t>(rows), 0);
  const offset_t nnz = offsets[rows];
#pragma omp parallel if (nnz > kParallelTriplets)
  {
    std::vector<std::uint64_t> keys;
    std::vector<index_t> row_indices;
    std::vector<float> row_values;
#pragma omp for schedule(dynamic, 64)
    for (index_t r = 0; r < rows; ++r) {
      const offset_t begin = offsets[r], end = offsets[r + 1];
      offset_t p = begin + 1;
      while (p < end && indices[p - 1] < indices[p]) ++p;
      if (p >= end) continue;  // already in order, hence no repeats
      keys.resize(static_cast<std::size_t>(end - begin));
      for (offset_t q = begin; q < end; ++q) {
        keys[static_cast<std::size_t>(q - begin)] =
            static_cast<std::uint64_t>(indices[q]) << 32 | static_cast<std::uint64_t>(q - begin);
      }
      std::sort(keys.begin(), keys.end());
      row_indices.assign(indices + begin, indices + end);
      row_values.assign(values + begin, values + end);
      for (std::size_t k = 0; k < keys.size(); ++k) {
        const auto from = static_cast<std::size_t>(keys[k] & 0xffffffffu);
        indices[begin + static_cast<offset_t>(k)] = row_indices[from];
        values[begin + static_cast<offset_t>(k)] = row_values[from];
        if (k > 0 && (keys[k] >> 32) == (keys[k - 1] >> 32)) repeated[static_cast<std::size_t>(r)] = 1;
      }
    }
  }
  return repeated;
}

[[noreturn]] void report_duplicate(index_t row, const HostCsr& csr, std::span<const index_t> row_ids,
                                   std::span<const index_t> col_ids) {
  const offset_t* offsets = csr.offsets.data();
  const index_t* indices = csr.indices.data();
  offset_t p = offsets[row] + 1;
  while (indices[p - 1] != indices[p]) ++p;
  const index_t col = indices[p];
  std::size_t found[2] = {0, 0};
  int count = 0;
  for (std::size_t q = 0; q < row_ids.size() && count < 2; ++q) {
    if (row_ids[q] == row && col_ids[q] == col) found[count++] = q;
  }
  throw Error(concat("SparseMatrix::from_coo: duplicate entry ", entry(row, col), " (triplets ", found[0], " and ",
                     found[1], ")"));
}

// Collapses runs of equal columns (input order within a run) by the policy, in place, then trims the
// arrays to the merged size.
void merge_repeats(index_t rows, DuplicatePolicy policy, HostCsr& csr) {
  offset_t* offsets = csr.offsets.data();
  index_t* indices = csr.indices.data();
  float* values = csr.values.data();
  offset_t write = 0, begin = 0;
  for (index_t r = 0; r < rows; ++r) {
    const offset_t end = offsets[r + 1];
    for (offset_t q = begin; q < end;) {
      offset_t run_end = q + 1;
      while (run_end < end && indices[run_end] == indices[q]) ++run_end;
      float value = values[run_end - 1];
      if (policy == DuplicatePolicy::KeepFirst) value = values[q];
      if (policy == DuplicatePolicy::Average) {
        double sum = 0.0;
        for (offset_t s = q; s < run_end; ++s) sum += values[s];
        value = static_cast<float>(sum / static_cast<double>(run_end - q));
      }
      indices[write] = indices[q];
      values[write] = value;
      ++write;
      q = run_end;
    }
    begin = end;
    offsets[r + 1] = write;
  }
  DeviceArray<index_t> kept_indices(write, Device::cpu());
  DeviceArray<float> kept_values(write, Device::cpu());
  std::copy_n(indices, write, kept_indices.data());
  std::copy_n(values, write, kept_values.data());
  csr.indices = std::move(kept_indices);
  csr.values = std::move(kept_values);
}

}  // namespace

HostCsr coo_to_csr(index_t rows, index_t cols, std::span<const index_t> row_ids, std::span<const index_t> col_ids,
                   std::span<const float> values, DuplicatePolicy policy) {
  validate(rows, cols, row_ids, col_ids, values);
  const auto n = static_cast<std::int64_t>(row_ids.size());
  ENGINE_CHECK(static_cast<std::uint64_t>(n) < std::numeric_limits<std::uint32_t>::max(),
               "SparseMatrix::from_coo: at most 2^32 - 2 triplets, got ", n);
  HostCsr csr{DeviceArray<offset_t>(std::int64_t{rows} + 1, Device::cpu()), DeviceArray<index_t>(n, Device::cpu()),
              DeviceArray<float>(n, Device::cpu())};
  place_by_row(rows, row_ids, col_ids, values, csr);
  const std::vector<std::uint8_t> repeated = sort_rows(rows, csr);
  const auto first = std::find(repeated.begin(), repeated.end(), std::uint8_t{1});
  if (first == repeated.end()) return csr;
  if (policy == DuplicatePolicy::Error) {
    report_duplicate(static_cast<index_t>(first - repeated.begin()), csr, row_ids, col_ids);
  }
  merge_repeats(rows, policy, csr);
  return csr;
}

}  // namespace engine::detail

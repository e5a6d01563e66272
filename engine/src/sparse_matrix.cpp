#include "engine/sparse_matrix.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/backend.h"
#include "kernels/batching.h"

namespace engine {
namespace {

std::string entry(index_t row, index_t col) {
  return "(" + std::to_string(row) + ", " + std::to_string(col) + ")";
}

void validate_triplets(index_t rows, index_t cols, const CooTriplets& t) {
  ENGINE_CHECK(rows >= 0 && cols >= 0, "SparseMatrix::from_coo: negative shape (", rows, ", ", cols, ")");
  ENGINE_CHECK(t.rows.size() == t.cols.size() && t.rows.size() == t.values.size(),
               "SparseMatrix::from_coo: triplet arrays differ in length (rows ", t.rows.size(), ", cols ",
               t.cols.size(), ", values ", t.values.size(), ")");
  for (std::size_t p = 0; p < t.rows.size(); ++p) {
    ENGINE_CHECK(t.rows[p] >= 0 && t.rows[p] < rows && t.cols[p] >= 0 && t.cols[p] < cols,
                 "SparseMatrix::from_coo: triplet ", p, " at ", entry(t.rows[p], t.cols[p]),
                 " is outside a matrix of shape (", rows, ", ", cols, ")");
    ENGINE_CHECK(std::isfinite(t.values[p]), "SparseMatrix::from_coo: triplet ", p, " at ",
                 entry(t.rows[p], t.cols[p]), " has a non-finite value");
  }
}

// Positions of the triplets ordered by (row, col), ties in input order (a stable counting sort by
// row, then a stable sort of each row by column).
std::vector<std::size_t> sorted_order(index_t rows, const CooTriplets& t, std::vector<offset_t>& row_offsets) {
  row_offsets.assign(static_cast<std::size_t>(rows) + 1, 0);
  for (index_t r : t.rows) ++row_offsets[static_cast<std::size_t>(r) + 1];
  std::partial_sum(row_offsets.begin(), row_offsets.end(), row_offsets.begin());
  std::vector<std::size_t> order(t.rows.size());
  std::vector<offset_t> next(row_offsets.begin(), row_offsets.end() - 1);
  for (std::size_t p = 0; p < t.rows.size(); ++p) order[static_cast<std::size_t>(next[t.rows[p]]++)] = p;
  for (index_t r = 0; r < rows; ++r) {
    std::stable_sort(order.begin() + row_offsets[r], order.begin() + row_offsets[r + 1],
                     [&](std::size_t a, std::size_t b) { return t.cols[a] < t.cols[b]; });
  }
  return order;
}

// Collapses runs of equal (row, col) in sorted order according to the policy.
void merge_duplicates(index_t rows, const CooTriplets& t, const std::vector<std::size_t>& order,
                      const std::vector<offset_t>& sorted_offsets, DuplicatePolicy policy,
                      std::vector<offset_t>& offsets, std::vector<index_t>& indices, std::vector<float>& values) {
  offsets.assign(static_cast<std::size_t>(rows) + 1, 0);
  indices.reserve(order.size());
  values.reserve(order.size());
  for (index_t r = 0; r < rows; ++r) {
    for (offset_t q = sorted_offsets[r]; q < sorted_offsets[r + 1];) {
      const std::size_t first = order[static_cast<std::size_t>(q)];
      offset_t run_end = q + 1;
      while (run_end < sorted_offsets[r + 1] && t.cols[order[static_cast<std::size_t>(run_end)]] == t.cols[first]) {
        ++run_end;
      }
      const std::size_t last = order[static_cast<std::size_t>(run_end - 1)];
      ENGINE_CHECK(run_end - q == 1 || policy != DuplicatePolicy::Error, "SparseMatrix::from_coo: duplicate entry ",
                   entry(r, t.cols[first]), " (triplets ", first, " and ", order[static_cast<std::size_t>(q + 1)], ")");
      double sum = 0.0;
      for (offset_t s = q; s < run_end; ++s) sum += t.values[order[static_cast<std::size_t>(s)]];
      float value = t.values[last];
      if (policy == DuplicatePolicy::KeepFirst) value = t.values[first];
      if (policy == DuplicatePolicy::Average) value = static_cast<float>(sum / static_cast<double>(run_end - q));
      indices.push_back(t.cols[first]);
      values.push_back(value);
      q = run_end;
    }
    offsets[static_cast<std::size_t>(r) + 1] = static_cast<offset_t>(indices.size());
  }
}

template <class T>
const T* host_pointer(const DeviceArray<T>& array, std::vector<T>& staging) {
  if (array.device().is_cpu()) return array.data();
  staging = array.to_host();
  return staging.data();
}

}  // namespace

SparseMatrix SparseMatrix::from_coo(index_t rows, index_t cols, const CooTriplets& triplets, DuplicatePolicy duplicates,
                                    Device device) {
  validate_triplets(rows, cols, triplets);
  std::vector<offset_t> sorted_offsets;
  const std::vector<std::size_t> order = sorted_order(rows, triplets, sorted_offsets);
  std::vector<offset_t> offsets;
  std::vector<index_t> indices;
  std::vector<float> values;
  merge_duplicates(rows, triplets, order, sorted_offsets, duplicates, offsets, indices, values);
  return SparseMatrix(rows, cols, offsets, indices, values, device);
}

SparseMatrix SparseMatrix::from_csr(index_t rows, index_t cols, std::vector<offset_t> offsets,
                                    std::vector<index_t> indices, std::vector<float> values, Device device) {
  ENGINE_CHECK(rows >= 0 && cols >= 0, "SparseMatrix::from_csr: negative shape (", rows, ", ", cols, ")");
  ENGINE_CHECK(offsets.size() == static_cast<std::size_t>(rows) + 1 && offsets.front() == 0,
               "SparseMatrix::from_csr: offsets must have rows + 1 = ", rows + 1, " entries starting at 0");
  ENGINE_CHECK(indices.size() == values.size() && offsets.back() == static_cast<offset_t>(indices.size()),
               "SparseMatrix::from_csr: offsets end at ", offsets.back(), " but there are ", indices.size(),
               " indices and ", values.size(), " values");
  for (index_t r = 0; r < rows; ++r) {
    ENGINE_CHECK(offsets[r] <= offsets[r + 1], "SparseMatrix::from_csr: offsets decrease at row ", r);
    for (offset_t p = offsets[r]; p < offsets[r + 1]; ++p) {
      const index_t c = indices[static_cast<std::size_t>(p)];
      ENGINE_CHECK(c >= 0 && c < cols, "SparseMatrix::from_csr: column ", c, " in row ", r, " is outside [0, ", cols, ")");
      ENGINE_CHECK(p == offsets[r] || indices[static_cast<std::size_t>(p) - 1] < c,
                   "SparseMatrix::from_csr: columns of row ", r, " are not strictly increasing");
      ENGINE_CHECK(std::isfinite(values[static_cast<std::size_t>(p)]), "SparseMatrix::from_csr: the value at (", r,
                   ", ", c, ") is not finite");
    }
  }
  return SparseMatrix(rows, cols, offsets, indices, values, device);
}

SparseMatrix::SparseMatrix(index_t rows, index_t cols, const std::vector<offset_t>& offsets,
                           const std::vector<index_t>& indices, const std::vector<float>& values, Device device)
    : rows_(rows), cols_(cols), nnz_(static_cast<offset_t>(indices.size())) {
  // The CSC twin by a counting sort over columns; visiting rows in order keeps each column's rows sorted.
  const std::size_t nnz = indices.size();
  std::vector<offset_t> col_offsets(static_cast<std::size_t>(cols) + 1, 0);
  for (index_t c : indices) ++col_offsets[static_cast<std::size_t>(c) + 1];
  std::partial_sum(col_offsets.begin(), col_offsets.end(), col_offsets.begin());
  std::vector<index_t> col_rows(nnz);
  std::vector<offset_t> positions(nnz);
  std::vector<offset_t> next(col_offsets.begin(), col_offsets.end() - 1);
  for (index_t r = 0; r < rows; ++r) {
    for (offset_t p = offsets[r]; p < offsets[r + 1]; ++p) {
      const offset_t slot = next[indices[static_cast<std::size_t>(p)]]++;
      col_rows[static_cast<std::size_t>(slot)] = r;
      positions[static_cast<std::size_t>(slot)] = p;
    }
  }
  csr_offsets_ = DeviceArray<offset_t>::from_host(offsets, device);
  csr_indices_ = DeviceArray<index_t>::from_host(indices, device);
  values_ = DeviceArray<float>::from_host(values, device);
  csc_offsets_ = DeviceArray<offset_t>::from_host(col_offsets, device);
  csc_rows_ = DeviceArray<index_t>::from_host(col_rows, device);
  csc_positions_ = DeviceArray<offset_t>::from_host(positions, device);
}

std::string SparseMatrix::shape() const {
  return "(" + std::to_string(rows_) + ", " + std::to_string(cols_) + "; nnz=" + std::to_string(nnz()) + ")";
}

kernels::CsrPattern SparseMatrix::csr() const {
  return {rows_, cols_, nnz(), csr_offsets_.data(), csr_indices_.data()};
}

kernels::CscPattern SparseMatrix::csc() const {
  return {rows_, cols_, nnz(), csc_offsets_.data(), csc_rows_.data(), csc_positions_.data()};
}

ConstTensorView SparseMatrix::values_view() const { return {device(), {values_.data(), 1, nnz(), nnz()}}; }
TensorView SparseMatrix::values_view() { return {device(), {values_.data(), 1, nnz(), nnz()}}; }

SparseMatrix SparseMatrix::slice_rows(std::span<const index_t> rows) const {
  std::vector<offset_t> offsets_staging;
  std::vector<index_t> indices_staging;
  std::vector<float> values_staging;
  const offset_t* offsets = host_pointer(csr_offsets_, offsets_staging);
  const index_t* indices = host_pointer(csr_indices_, indices_staging);
  const float* values = host_pointer(values_, values_staging);

  std::vector<offset_t> batch_offsets(rows.size() + 1, 0);
  for (std::size_t b = 0; b < rows.size(); ++b) {
    const index_t r = rows[b];
    ENGINE_CHECK(r >= 0 && r < rows_, "SparseMatrix::slice_rows: row ", r, " outside a matrix ", shape());
    batch_offsets[b + 1] = batch_offsets[b] + (offsets[r + 1] - offsets[r]);
  }
  std::vector<index_t> batch_indices(static_cast<std::size_t>(batch_offsets.back()));
  std::vector<float> batch_values(batch_indices.size());
  for (std::size_t b = 0; b < rows.size(); ++b) {
    const offset_t begin = offsets[rows[b]];
    const offset_t count = offsets[rows[b] + 1] - begin;
    std::copy_n(indices + begin, count, batch_indices.begin() + batch_offsets[b]);
    std::copy_n(values + begin, count, batch_values.begin() + batch_offsets[b]);
  }
  return SparseMatrix(static_cast<index_t>(rows.size()), cols_, batch_offsets, batch_indices, batch_values, device());
}

SparseMatrix SparseMatrix::to(Device device) const {
  return SparseMatrix(rows_, cols_, csr_offsets_host(), csr_indices_host(), values_host(), device);
}

namespace {

// Grows `array` to at least `size` elements on `device` (contents not kept).
template <class T>
void reserve(DeviceArray<T>& array, std::int64_t size, Device device) {
  if (array.size() < size || !(array.device() == device)) array = DeviceArray<T>(std::max<std::int64_t>(size, 1), device);
}

}  // namespace

void SparseMatrix::assign_gathered_rows(const SparseMatrix& source, const index_t* rows, index_t count, offset_t nnz) {
  ENGINE_CHECK(count >= 0 && nnz >= 0, "SparseMatrix::assign_gathered_rows: negative count ", count, " or nnz ", nnz);
  ENGINE_CHECK(this != &source, "SparseMatrix::assign_gathered_rows: a matrix cannot gather from itself");
  const Device on = source.device();
  reserve(csr_offsets_, std::int64_t{count} + 1, on);
  reserve(csr_indices_, nnz, on);
  reserve(values_, nnz, on);
  reserve(csc_offsets_, std::int64_t{source.cols_} + 1, on);
  reserve(csc_rows_, nnz, on);
  reserve(csc_positions_, nnz, on);
  reserve(csc_scratch_, kernels::csr_to_csc_scratch(source.cols_), on);
  rows_ = count;
  cols_ = source.cols_;
  nnz_ = nnz;
  Backend& backend = backend_for(on);
  backend.gather_rows(source.csr(), source.values(), rows, count, csr_offsets_.data(), csr_indices_.data(),
                      values_.data());
  backend.csr_to_csc(csr(), csc_offsets_.data(), csc_rows_.data(), csc_positions_.data(), csc_scratch_.data());
}

}  // namespace engine

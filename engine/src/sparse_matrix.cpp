#include "engine/sparse_matrix.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "coo_to_csr.h"
#include "engine/internal/backend.h"
#include "engine/internal/kernel_views.h"
#include "kernels/batching.h"

namespace engine {
namespace {

template <class T>
const T* host_pointer(const DeviceArray<T>& array, std::vector<T>& staging) {
  if (array.device().is_cpu()) return array.data();
  staging = array.to_host();
  return staging.data();
}

}  // namespace

SparseMatrix SparseMatrix::from_coo(index_t rows, index_t cols, const CooTriplets& triplets, DuplicatePolicy duplicates,
                                    Device device) {
  return from_coo(rows, cols, triplets.rows, triplets.cols, triplets.values, duplicates, device);
}

SparseMatrix SparseMatrix::from_coo(index_t rows, index_t cols, std::span<const index_t> row_ids,
                                    std::span<const index_t> col_ids, std::span<const float> values,
                                    DuplicatePolicy duplicates, Device device) {
  detail::HostCsr csr = detail::coo_to_csr(rows, cols, row_ids, col_ids, values, duplicates);
  return assemble(rows, cols, std::move(csr.offsets), std::move(csr.indices), std::move(csr.values), device);
}

SparseMatrix SparseMatrix::from_csr(index_t rows, index_t cols, std::vector<offset_t> offsets,
                                    std::vector<index_t> indices, std::vector<float> values, Device device) {
  ENGINE_REQUIRE(rows >= 0 && cols >= 0, "SparseMatrix::from_csr: negative shape (", rows, ", ", cols, ")");
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
                           const std::vector<index_t>& indices, const std::vector<float>& values, Device device) {
  *this = assemble(rows, cols, DeviceArray<offset_t>::from_host(offsets, Device::cpu()),
                   DeviceArray<index_t>::from_host(indices, Device::cpu()),
                   DeviceArray<float>::from_host(values, Device::cpu()), device);
}

SparseMatrix SparseMatrix::assemble(index_t rows, index_t cols, DeviceArray<offset_t> offsets,
                                    DeviceArray<index_t> indices, DeviceArray<float> values, Device device) {
  SparseMatrix m;
  m.rows_ = rows;
  m.cols_ = cols;
  m.nnz_ = static_cast<offset_t>(indices.size());
  // The CSC twin on the host (the CPU kernel: a counting sort over columns, parallel for large
  // matrices; each column's rows ascending), then everything placed on `device`.
  const Device cpu = Device::cpu();
  DeviceArray<offset_t> col_offsets(std::int64_t{cols} + 1, cpu);
  DeviceArray<index_t> col_rows(m.nnz_, cpu);
  DeviceArray<offset_t> positions(m.nnz_, cpu);
  {
    DeviceArray<offset_t> scratch(kernels::csr_to_csc_scratch(cols), cpu);
    const kernels::CsrPattern pattern{rows, cols, m.nnz_, offsets.data(), indices.data()};
    backend_for(cpu).csr_to_csc(pattern, col_offsets.data(), col_rows.data(), positions.data(), scratch.data());
  }
  const auto place = [device](auto& array) {
    using T = std::remove_reference_t<decltype(*array.data())>;
    if (device.is_cpu()) return std::move(array);
    auto placed = DeviceArray<T>::from_host(std::span<const T>(array.data(), static_cast<std::size_t>(array.size())), device);
    array = {};  // free the host copy before the next upload
    return placed;
  };
  m.csr_offsets_ = place(offsets);
  m.csr_indices_ = place(indices);
  m.values_ = place(values);
  m.csc_offsets_ = place(col_offsets);
  m.csc_rows_ = place(col_rows);
  m.csc_positions_ = place(positions);
  return m;
}

std::string SparseMatrix::shape() const {
  return "(" + std::to_string(rows_) + ", " + std::to_string(cols_) + "; nnz=" + std::to_string(nnz()) + ")";
}

CsrView SparseMatrix::csr() const {
  return {rows_, cols_, nnz(), csr_offsets_.data(), csr_indices_.data()};
}

CscView SparseMatrix::csc() const {
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
    ENGINE_REQUIRE(r >= 0 && r < rows_, "SparseMatrix::slice_rows: row ", r, " outside a matrix ", shape());
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
  ENGINE_REQUIRE(count >= 0 && nnz >= 0, "SparseMatrix::assign_gathered_rows: negative count ", count, " or nnz ", nnz);
  ENGINE_REQUIRE(this != &source, "SparseMatrix::assign_gathered_rows: a matrix cannot gather from itself");
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
  backend.gather_rows(kcsr(source), source.values(), rows, count, csr_offsets_.data(), csr_indices_.data(),
                      values_.data());
  backend.csr_to_csc(kcsr(*this), csc_offsets_.data(), csc_rows_.data(), csc_positions_.data(), csc_scratch_.data());
}

}  // namespace engine

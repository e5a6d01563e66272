#include "engine/row_batches.h"

#include "engine/error.h"

namespace engine {

RowBatches::RowBatches(const SparseMatrix& matrix) : matrix_(matrix), row_offsets_(matrix.csr_offsets_host()) {}

void RowBatches::set_order(std::span<const index_t> order) {
  for (const index_t row : order) {
    ENGINE_REQUIRE(row >= 0 && row < matrix_.rows(), "RowBatches: row ", row, " outside a matrix ", matrix_.shape());
  }
  order_.assign(order.begin(), order.end());
  device_order_ = DeviceArray<index_t>::from_host(order, matrix_.device());
}

const SparseMatrix& RowBatches::batch(std::int64_t first, index_t count) {
  ENGINE_REQUIRE(first >= 0 && count >= 0 && first + count <= static_cast<std::int64_t>(order_.size()),
               "RowBatches: rows [", first, ", ", first + count, ") of an order of ", order_.size());
  offset_t nnz = 0;
  for (std::int64_t r = first; r < first + count; ++r) {
    const auto row = static_cast<std::size_t>(order_[static_cast<std::size_t>(r)]);
    nnz += row_offsets_[row + 1] - row_offsets_[row];
  }
  batch_.assign_gathered_rows(matrix_, device_order_.data() + first, count, nnz);
  return batch_;
}

}  // namespace engine

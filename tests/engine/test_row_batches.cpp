// engine::RowBatches: batches gathered on the matrix's device equal slice_rows' (CSR, values and CSC
// twin), through buffer reuse across batches of different sizes; bad orders and ranges are refused.
#include <catch2/catch.hpp>

#include <numeric>

#include "engine/row_batches.h"

namespace {

engine::SparseMatrix heavy_rows() {
  engine::CooTriplets t;
  for (int i = 0; i < 40; ++i) {
    for (int j = 0; j < 300; j += 1 + i % 7) {
      t.rows.push_back(i);
      t.cols.push_back(j);
      t.values.push_back(static_cast<float>(i * 1000 + j));
    }
  }
  return engine::SparseMatrix::from_coo(40, 300, t);
}

void check_same(const engine::SparseMatrix& a, const engine::SparseMatrix& b) {
  CHECK(a.rows() == b.rows());
  CHECK(a.cols() == b.cols());
  CHECK(a.nnz() == b.nnz());
  CHECK(a.csr_offsets_host() == b.csr_offsets_host());
  CHECK(a.csr_indices_host() == b.csr_indices_host());
  CHECK(a.values_host() == b.values_host());
  const engine::CscView ca = a.csc();
  const engine::CscView cb = b.csc();
  CHECK(std::vector<engine::offset_t>(ca.offsets, ca.offsets + a.cols() + 1) ==
        std::vector<engine::offset_t>(cb.offsets, cb.offsets + b.cols() + 1));
  CHECK(std::vector<engine::index_t>(ca.row_indices, ca.row_indices + a.nnz()) ==
        std::vector<engine::index_t>(cb.row_indices, cb.row_indices + b.nnz()));
  CHECK(std::vector<engine::offset_t>(ca.csr_positions, ca.csr_positions + a.nnz()) ==
        std::vector<engine::offset_t>(cb.csr_positions, cb.csr_positions + b.nnz()));
}

}  // namespace

TEST_CASE("row batches equal slice_rows, through buffer reuse", "[engine][batching]") {
  const engine::SparseMatrix matrix = heavy_rows();
  engine::RowBatches batches(matrix);
  std::vector<engine::index_t> order(40);
  std::iota(order.rbegin(), order.rend(), 0);  // 39, 38, ..., 0
  std::swap(order[3], order[30]);
  batches.set_order(order);
  for (const auto& [first, count] : {std::pair{0, 16}, std::pair{16, 16}, std::pair{32, 8}, std::pair{5, 30},
                                     std::pair{39, 1}, std::pair{7, 0}}) {
    CAPTURE(first, count);
    const std::span<const engine::index_t> rows(order.data() + first, static_cast<std::size_t>(count));
    check_same(batches.batch(first, count), matrix.slice_rows(rows));
  }
}

TEST_CASE("row batches refuse rows outside the matrix and ranges outside the order", "[engine][batching]") {
  const engine::SparseMatrix matrix = heavy_rows();
  engine::RowBatches batches(matrix);
  const std::vector<engine::index_t> bad = {0, 40};
  CHECK_THROWS_WITH(batches.set_order(bad), Catch::Contains("row 40"));
  const std::vector<engine::index_t> good = {1, 2, 3};
  batches.set_order(good);
  CHECK_THROWS_WITH(batches.batch(2, 2), Catch::Contains("[2, 4)"));
}

// SparseMatrix: COO -> CSR + CSC twin, duplicate policies, validation, row slicing.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "engine/sparse_matrix.h"

using engine::CooTriplets;
using engine::DuplicatePolicy;
using engine::SparseMatrix;

static_assert(sizeof(engine::offset_t) == 8, "row offsets must be 64-bit: more than 2^31 nonzeros");

namespace {

// The dense form of a sparse matrix, for comparisons.
std::vector<std::vector<float>> dense_of(const SparseMatrix& a) {
  std::vector<std::vector<float>> dense(a.rows(), std::vector<float>(a.cols(), 0.0f));
  const auto offsets = a.csr_offsets_host();
  const auto indices = a.csr_indices_host();
  const auto values = a.values_host();
  for (int r = 0; r < a.rows(); ++r) {
    for (auto p = offsets[r]; p < offsets[r + 1]; ++p) dense[r][indices[p]] = values[p];
  }
  return dense;
}

}  // namespace

TEST_CASE("from_coo sorts triplets into CSR with a consistent CSC twin", "[sparse]") {
  const CooTriplets t{{2, 0, 1, 0, 2}, {1, 3, 0, 0, 3}, {5, 2, 3, 1, 4}};
  const SparseMatrix a = SparseMatrix::from_coo(3, 4, t);
  CHECK(a.nnz() == 5);
  CHECK(a.csr_offsets_host() == std::vector<engine::offset_t>{0, 2, 3, 5});
  CHECK(a.csr_indices_host() == std::vector<engine::index_t>{0, 3, 0, 1, 3});
  CHECK(a.values_host() == std::vector<float>{1, 2, 3, 5, 4});

  const kernels::CscPattern csc = a.csc();
  // Column by column, rows ascending, positions pointing at the CSR value of the same entry.
  const std::vector<engine::offset_t> col_offsets(csc.offsets, csc.offsets + 5);
  CHECK(col_offsets == std::vector<engine::offset_t>{0, 2, 3, 3, 5});
  const std::vector<engine::index_t> rows(csc.row_indices, csc.row_indices + 5);
  CHECK(rows == std::vector<engine::index_t>{0, 1, 2, 0, 2});
  const auto values = a.values_host();
  const std::vector<float> by_column = {values[csc.csr_positions[0]], values[csc.csr_positions[1]],
                                        values[csc.csr_positions[2]], values[csc.csr_positions[3]],
                                        values[csc.csr_positions[4]]};
  CHECK(by_column == std::vector<float>{1, 3, 5, 2, 4});
}

TEST_CASE("duplicate policies", "[sparse]") {
  const CooTriplets t{{0, 1, 0, 0}, {1, 1, 1, 1}, {1, 7, 2, 6}};
  CHECK_THROWS_WITH(SparseMatrix::from_coo(2, 2, t, DuplicatePolicy::Error),
                    Catch::Contains("duplicate entry (0, 1)") && Catch::Contains("triplets 0 and 2"));
  CHECK(dense_of(SparseMatrix::from_coo(2, 2, t, DuplicatePolicy::KeepLast))[0][1] == 6.0f);
  CHECK(dense_of(SparseMatrix::from_coo(2, 2, t, DuplicatePolicy::KeepFirst))[0][1] == 1.0f);
  CHECK(dense_of(SparseMatrix::from_coo(2, 2, t, DuplicatePolicy::Average))[0][1] == 3.0f);
  CHECK(SparseMatrix::from_coo(2, 2, t, DuplicatePolicy::Average).nnz() == 2);
}

TEST_CASE("invalid triplets are rejected with the offending entry named", "[sparse]") {
  CHECK_THROWS_WITH(SparseMatrix::from_coo(2, 2, CooTriplets{{0, 2}, {0, 0}, {1, 1}}),
                    Catch::Contains("triplet 1 at (2, 0)") && Catch::Contains("(2, 2)"));
  CHECK_THROWS_WITH(SparseMatrix::from_coo(2, 2, CooTriplets{{0}, {-1}, {1}}), Catch::Contains("(0, -1)"));
  CHECK_THROWS_WITH(SparseMatrix::from_coo(2, 2, CooTriplets{{0}, {0}, {std::nanf("")}}),
                    Catch::Contains("non-finite"));
  CHECK_THROWS_WITH(SparseMatrix::from_coo(2, 2, CooTriplets{{0, 1}, {0}, {1}}), Catch::Contains("differ in length"));
}

TEST_CASE("from_csr validates its arrays", "[sparse]") {
  CHECK_NOTHROW(SparseMatrix::from_csr(2, 3, {0, 1, 2}, {2, 0}, {1, 2}));
  CHECK_THROWS_WITH(SparseMatrix::from_csr(3, 3, {0, 2, 1, 2}, {0, 2}, {1, 2}), Catch::Contains("decrease"));
  CHECK_THROWS_WITH(SparseMatrix::from_csr(1, 3, {0, 2}, {1, 1}, {1, 2}), Catch::Contains("strictly increasing"));
  CHECK_THROWS_WITH(SparseMatrix::from_csr(1, 3, {0, 1}, {3}, {1}), Catch::Contains("column 3"));
  CHECK_THROWS_WITH(SparseMatrix::from_csr(2, 3, {0, 1}, {1}, {1}), Catch::Contains("rows + 1"));
}

TEST_CASE("slice_rows gathers rows in the given order, with their CSC", "[sparse]") {
  const CooTriplets t{{0, 0, 1, 2, 3}, {0, 2, 1, 2, 0}, {1, 2, 3, 4, 5}};
  const SparseMatrix a = SparseMatrix::from_coo(4, 3, t);
  const std::vector<engine::index_t> rows = {3, 0, 1};
  const SparseMatrix batch = a.slice_rows(rows);
  CHECK(batch.rows() == 3);
  CHECK(batch.cols() == 3);
  CHECK(dense_of(batch) == std::vector<std::vector<float>>{{5, 0, 0}, {1, 0, 2}, {0, 3, 0}});
  CHECK(batch.csc().offsets[1] == 2);  // column 0 holds rows 0 and 1 of the batch
  const std::vector<engine::index_t> bad = {4};
  CHECK_THROWS_WITH(a.slice_rows(bad), Catch::Contains("row 4"));
}

TEST_CASE("empty matrices and empty rows are valid", "[sparse]") {
  const SparseMatrix empty = SparseMatrix::from_coo(0, 0, CooTriplets{});
  CHECK(empty.nnz() == 0);
  const SparseMatrix gaps = SparseMatrix::from_coo(5, 4, CooTriplets{{4}, {3}, {1}});
  CHECK(gaps.csr_offsets_host() == std::vector<engine::offset_t>{0, 0, 0, 0, 0, 1});
  CHECK(gaps.shape() == "(5, 4; nnz=1)");
}

TEST_CASE("from_csr rejects non-finite values", "[sparse]") {
  CHECK_THROWS_WITH(SparseMatrix::from_csr(1, 2, {0, 1}, {0}, {std::nanf("")}), Catch::Contains("not finite"));
  CHECK_THROWS_WITH(SparseMatrix::from_csr(1, 2, {0, 1}, {1}, {std::numeric_limits<float>::infinity()}),
                    Catch::Contains("(0, 1)"));
}

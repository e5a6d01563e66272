// SparseMatrix: COO -> CSR + CSC twin, duplicate policies, validation, row slicing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
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

  const engine::CscView csc = a.csc();
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

namespace {

// A reference CSR by sorting (row, col, input position): what from_coo must produce for a policy.
struct ReferenceCsr {
  std::vector<engine::offset_t> offsets;
  std::vector<engine::index_t> indices;
  std::vector<float> values;
};
std::vector<std::size_t> sorted_positions(const CooTriplets& t) {
  std::vector<std::uint64_t> keys(t.rows.size());  // row, col, position: ties stay in input order
  for (std::size_t p = 0; p < keys.size(); ++p) {
    keys[p] = static_cast<std::uint64_t>(t.rows[p]) << 48 | static_cast<std::uint64_t>(t.cols[p]) << 24 | p;
  }
  std::sort(keys.begin(), keys.end());
  std::vector<std::size_t> order(keys.size());
  for (std::size_t k = 0; k < keys.size(); ++k) order[k] = static_cast<std::size_t>(keys[k] & 0xffffff);
  return order;
}

ReferenceCsr reference_csr(int rows, const CooTriplets& t, const std::vector<std::size_t>& order,
                           DuplicatePolicy policy) {
  ReferenceCsr csr;
  csr.offsets.assign(static_cast<std::size_t>(rows) + 1, 0);
  for (std::size_t q = 0; q < order.size();) {
    std::size_t end = q + 1;
    while (end < order.size() && t.rows[order[end]] == t.rows[order[q]] && t.cols[order[end]] == t.cols[order[q]]) ++end;
    double sum = 0.0;
    for (std::size_t s = q; s < end; ++s) sum += t.values[order[s]];
    float value = t.values[order[end - 1]];
    if (policy == DuplicatePolicy::KeepFirst) value = t.values[order[q]];
    if (policy == DuplicatePolicy::Average) value = static_cast<float>(sum / static_cast<double>(end - q));
    csr.indices.push_back(t.cols[order[q]]);
    csr.values.push_back(value);
    ++csr.offsets[static_cast<std::size_t>(t.rows[order[q]]) + 1];
    q = end;
  }
  for (int r = 0; r < rows; ++r) csr.offsets[r + 1] += csr.offsets[r];
  return csr;
}

}  // namespace

// Above the parallel thresholds (2^20 triplets for the placement, 2^22 nonzeros for the CSC twin), with
// rows that arrive sorted (most) and rows that do not, and repeated entries: the same CSR as a plain
// sort, and a CSC twin listing every entry once, each column's rows ascending.
TEST_CASE("from_coo at a size that takes the parallel paths matches a sorted reference", "[sparse]") {
  const int rows = 3000, cols = 20000;  // 16-bit rows, 24-bit columns in the reference's keys
  CooTriplets t;
  std::uint64_t state = 12345;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state >> 33);
  };
  for (int c = 0; c < cols; ++c) {  // grouped by column like a rating file grouped by user
    const int count = 200 + static_cast<int>(next() % 50);
    for (int k = 0; k < count; ++k) {
      t.rows.push_back(static_cast<engine::index_t>(next() % rows));
      t.cols.push_back(c % 7 == 3 ? static_cast<engine::index_t>(next() % cols) : c);  // some out of order
      t.values.push_back(static_cast<float>(next() % 5 + 1));
    }
  }
  REQUIRE(t.rows.size() > (std::size_t{1} << 22));
  REQUIRE(t.rows.size() < (std::size_t{1} << 24));  // the reference's sort keys hold 24-bit positions
  const std::vector<std::size_t> order = sorted_positions(t);
  CHECK_THROWS_WITH(SparseMatrix::from_coo(rows, cols, t, DuplicatePolicy::Error), Catch::Contains("duplicate entry"));
  for (const DuplicatePolicy policy : {DuplicatePolicy::KeepFirst, DuplicatePolicy::KeepLast, DuplicatePolicy::Average}) {
    const SparseMatrix a = SparseMatrix::from_coo(rows, cols, t, policy);
    const ReferenceCsr want = reference_csr(rows, t, order, policy);
    REQUIRE(a.csr_offsets_host() == want.offsets);
    REQUIRE(a.csr_indices_host() == want.indices);
    REQUIRE(a.values_host() == want.values);
    const engine::CscView csc = a.csc();
    std::vector<engine::offset_t> seen(static_cast<std::size_t>(a.nnz()), 0);
    std::size_t misplaced = 0;  // one CHECK at the end: millions of Catch assertions would dominate the test
    for (int c = 0; c < cols; ++c) {
      for (auto q = csc.offsets[c]; q < csc.offsets[c + 1]; ++q) {
        const auto p = csc.csr_positions[q];
        const engine::index_t r = csc.row_indices[q];
        const bool ok = want.indices[static_cast<std::size_t>(p)] == c && p >= want.offsets[r] &&
                        p < want.offsets[r + 1] && (q == csc.offsets[c] || csc.row_indices[q - 1] < r);
        misplaced += ok ? 0 : 1;
        ++seen[static_cast<std::size_t>(p)];
      }
    }
    CHECK(misplaced == 0);
    CHECK(std::count(seen.begin(), seen.end(), 1) == a.nnz());
  }
}

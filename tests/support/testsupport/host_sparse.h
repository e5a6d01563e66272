// HostCsr: a host-owned sparse matrix in CSR with its CSC twin, for tests. Built from explicit
// triplets or generated from a seed with a chosen shape, density and row-length distribution.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/views.h"

namespace testsupport {

enum class RowLengths {
  Uniform,      // every entry present with probability `density` (binomial row lengths)
  HeavyTailed,  // Zipf-like: row r of a random ranking gets a share proportional to 1 / (r + 1)
};

struct SparseSpec {
  std::int32_t rows = 0;
  std::int32_t cols = 0;
  double density = 0.0;  // expected nnz / (rows * cols)
  RowLengths row_lengths = RowLengths::Uniform;
  double empty_fraction = 0.0;  // this fraction of rows AND of columns is forced empty
  bool one_full_row = false;    // one row holds every column that is not forced empty
  bool integer_values = false;  // values in {-3..3} \ {0}: float sums of them are exact
  std::uint64_t seed = 1;
};

struct Triplet {
  std::int32_t row;
  std::int32_t col;
  float value;
};

class HostCsr {
 public:
  // Duplicated (row, col) pairs are an error (std::invalid_argument); order does not matter.
  static HostCsr from_triplets(std::int32_t rows, std::int32_t cols, std::vector<Triplet> triplets);
  static HostCsr random(const SparseSpec& spec);

  kernels::CsrPattern pattern() const;
  kernels::CscPattern csc() const;
  std::int32_t rows() const { return rows_; }
  std::int32_t cols() const { return cols_; }
  std::int64_t nnz() const { return static_cast<std::int64_t>(indices.size()); }
  std::int64_t max_row_length() const;

  // CSR: the columns of row i are indices[offsets[i] .. offsets[i+1]), sorted; values CSR-ordered.
  std::vector<kernels::offset_t> offsets;
  std::vector<kernels::index_t> indices;
  std::vector<float> values;
  // CSC twin: the rows of column j are csc_row_indices[csc_offsets[j] .. csc_offsets[j+1]), sorted;
  // csc_positions[q] is the CSR position of CSC entry q.
  std::vector<kernels::offset_t> csc_offsets;
  std::vector<kernels::index_t> csc_row_indices;
  std::vector<kernels::offset_t> csc_positions;

 private:
  void build_csc();
  std::int32_t rows_ = 0;
  std::int32_t cols_ = 0;
};

}  // namespace testsupport

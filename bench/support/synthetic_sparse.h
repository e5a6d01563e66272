// Synthetic sparse patterns for the kernel benchmarks: rating-matrix-shaped, with Zipf-distributed
// row lengths (item popularity in rating data is heavy-tailed, which is what stresses load balance)
// and uniformly random columns within a row (the pessimistic case for caches: no hot columns).
// Host memory, CSR plus the CSC twin that the transposed kernels read (see kernels/views.h).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/views.h"

namespace bench {

struct HostSparse {
  kernels::index_t rows = 0;
  kernels::index_t cols = 0;
  std::vector<kernels::offset_t> offsets;        // (rows + 1)
  std::vector<kernels::index_t> indices;         // (nnz) sorted within each row
  std::vector<float> values;                     // (nnz) integer ratings 1..5
  std::vector<kernels::offset_t> csc_offsets;    // (cols + 1)
  std::vector<kernels::index_t> csc_rows;        // (nnz)
  std::vector<kernels::offset_t> csc_positions;  // (nnz) CSR position of each CSC entry

  std::int64_t nnz() const { return static_cast<std::int64_t>(indices.size()); }
  kernels::CsrPattern csr() const;
  kernels::CscPattern csc() const;
};

struct PatternSpec {
  kernels::index_t rows = 0;
  kernels::index_t cols = 0;
  std::int64_t nnz = 0;          // target; the result holds exactly this many (<= rows * cols)
  double zipf_exponent = 0.9;    // row length of the r-th longest row ~ (r + 1)^-s, capped:
  double max_row_fraction = 0.5;  // the most rated item of ML-1M, ML-10M and Netflix has ~50% of the users
  std::uint64_t seed = 1;
};

// Throws std::invalid_argument for impossible specs (nnz > rows * the row cap, empty shapes).
HostSparse generate_pattern(const PatternSpec& spec);

// Throws std::logic_error unless the CSR is well formed (offsets monotone, columns sorted, unique
// and in range) and the CSC twin lists the same entries. Cheap (O(nnz)): run after every generation.
void validate_pattern(const HostSparse& m);

// Row lengths of the spec (before the rows are shuffled): exposed for tests of the distribution.
std::vector<std::int64_t> zipf_row_lengths(const PatternSpec& spec);

}  // namespace bench

// The CSR half of SparseMatrix::from_coo, built in place in host memory: one counting sort of the
// triplets by row (stable, so each row keeps the input order), then each row ordered by column only
// when it is not already (rating files are usually grouped by one id and sorted by the other), then
// duplicates merged by the policy. No order array and no copy of the triplets: 8 bytes per nonzero
// plus the row offsets, which is what the finished matrix holds anyway.
#pragma once

#include <span>

#include "engine/device_array.h"
#include "engine/sparse_matrix.h"

namespace engine::detail {

struct HostCsr {
  DeviceArray<offset_t> offsets;  // (rows + 1), CPU memory
  DeviceArray<index_t> indices;   // (nnz)
  DeviceArray<float> values;      // (nnz)
};

// Throws engine::Error naming the offending triplet (index out of range, non-finite value, arrays of
// different lengths, or a duplicate under DuplicatePolicy::Error), as from_coo documents.
HostCsr coo_to_csr(index_t rows, index_t cols, std::span<const index_t> row_ids, std::span<const index_t> col_ids,
                   std::span<const float> values, DuplicatePolicy policy);

}  // namespace engine::detail

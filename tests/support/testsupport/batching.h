// Test problems for the batching kernels (gather_rows, csr_to_csc), shared by the CPU and emulated CUDA
// tests, with the expected batch built by the host helpers: heavy-tailed matrices with several scan
// tiles of columns (more than 4,096), repeated and empty rows in the order, an empty batch, and a
// column that holds more entries than a warp (the per-column sort).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "testsupport/host_sparse.h"

namespace testsupport {

struct BatchingProblem {
  std::string name;
  HostCsr matrix;
  std::vector<kernels::index_t> rows;  // the batch: rows of `matrix` in this order
};
const std::vector<BatchingProblem>& batching_problems();

// The batch as the host builds it (CSR in the given row order, its CSC twin).
HostCsr expected_batch(const BatchingProblem& problem);

}  // namespace testsupport

// The table of sparse test problems shared by the CPU, SIMT and CUDA kernel tests (in the spirit of
// sputnik's test problem lists): each row names what it exercises. Sizes are small so that the CPU
// tests run in a few seconds; rows flagged `small` are also cheap enough for the (slow) SIMT
// emulation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "testsupport/host_sparse.h"

namespace testsupport {

struct SparseProblem {
  std::string name;         // what the row exercises (shown in test output via Catch's SECTION/INFO)
  SparseSpec spec;          // the m x n sparse matrix
  std::int64_t k;           // width of the dense operands (hidden size)
  std::int64_t ld_padding;  // dense operands get ld = k + ld_padding
  bool small;               // cheap enough for the SIMT emulation
};

const std::vector<SparseProblem>& sparse_problems();
// The rows flagged small.
std::vector<SparseProblem> small_sparse_problems();
// The row with this exact name (std::invalid_argument if there is none).
const SparseProblem& find_problem(const std::string& name);

// The same problem with integer-valued sparse values (dense operands should use Fill::Integer too):
// every product and sum is then exact in fp32 and results compare exactly.
SparseProblem integer_valued(SparseProblem problem);

}  // namespace testsupport

// bf16 tables in tests: the rounded copy of a host matrix that the kernels gather, the widened matrix
// the double references multiply by, an independent reference rounding, and the training-shaped sparse
// batches the bf16 kernels are checked at (shared by the CPU and the emulated CUDA tests).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/bfloat16.h"
#include "testsupport/fused_update.h"
#include "testsupport/host_dense.h"
#include "testsupport/host_sparse.h"

namespace testsupport {

// Round to nearest even computed on the exact value in double (scale by the bf16 ulp of x's binade,
// std::nearbyint, scale back), not by the kernels' bit trick: the bits of the bf16 nearest to x.
std::uint16_t reference_bf16_bits(float x);

// m's bf16 table: the same shape and ld, every element (padding included) rounded by the reference.
std::vector<kernels::bfloat16> bf16_table(const HostMatrix& m);
// The table's values widened back to fp32, as a matrix shaped like m: what the kernels multiply by.
HostMatrix widened(const HostMatrix& m);

// Sparse operands shaped like I-AutoRec training batches for the bf16 kernels: batch 256, k = 500,
// heavy-tailed rows with one of more than 1,024 nonzeros (block-wide and split paths), CSC columns up
// to 256 long; plus a scalar-lane case (k = 37, odd ld).
struct Bf16Problem {
  std::string name;
  SparseSpec spec;
  std::int64_t k;
  std::int64_t ld_padding;
};
const std::vector<Bf16Problem>& bf16_problems();

// The copy a fused update wrote (filled with `sentinel` before): for every element (i, j < k) of a row
// that took its step, the reference rounding of w_after(i, j); `sentinel` on rows a lazy update skipped
// (empty columns of a) and on the padding. Returns "" when it holds, else the first mismatch.
inline constexpr std::uint16_t kCopySentinel = 0x5555;
std::string check_bf16_copy(const HostMatrix& w_after, const std::vector<kernels::bfloat16>& copy, const HostCsr& a,
                            bool lazy);

}  // namespace testsupport

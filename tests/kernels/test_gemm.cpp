// Dense gemm: all four transpose combinations, alpha/beta, padding, and shapes that cross the
// kernel's depth (256) and column (256) blocks and its 4-row dot groups.
#include <cmath>
#include <limits>

#include "kernels/cpu.h"
#include "testsupport/catch_close.h"
#include "testsupport/host_dense.h"
#include "testsupport/reference.h"

using namespace testsupport;

namespace {

struct GemmCase {
  std::int64_t m, n, depth, ld_padding;
};
const GemmCase kCases[] = {
    {1, 1, 1, 0},      // scalars
    {3, 5, 0, 0},      // zero depth: C = beta * C
    {0, 4, 3, 0},      // no rows
    {37, 53, 29, 3},   // odd everything, padded
    {18, 7, 300, 0},   // depth crosses a 256 block; n not a multiple of 4
    {33, 300, 40, 5},  // n crosses a 256 column block
    {70, 90, 600, 0},  // several depth blocks, several row blocks
};

// Storage shape of an operand whose op() is rows x cols.
HostMatrix operand(bool transposed, std::int64_t rows, std::int64_t cols, std::uint64_t seed, Fill fill,
                   std::int64_t pad) {
  return transposed ? HostMatrix::random(cols, rows, seed, fill, pad) : HostMatrix::random(rows, cols, seed, fill, pad);
}

}  // namespace

TEST_CASE("gemm matches the reference for every transpose combination", "[gemm]") {
  const std::pair<float, float> alpha_beta[] = {{1.0f, 0.0f}, {0.5f, -1.0f}};
  for (const GemmCase& g : kCases) {
    for (const bool ta : {false, true}) {
      for (const bool tb : {false, true}) {
        for (const bool integer : {false, true}) {
          for (const auto& [alpha, beta] : alpha_beta) {
            INFO(g.m << " x " << g.n << " x " << g.depth << " ta " << ta << " tb " << tb << " integer " << integer
                     << " alpha " << alpha << " beta " << beta);
            const Fill fill = integer ? Fill::Integer : Fill::Uniform;
            const HostMatrix a = operand(ta, g.m, g.depth, 70, fill, g.ld_padding);
            const HostMatrix b = operand(tb, g.depth, g.n, 71, fill, g.ld_padding);
            HostMatrix c = HostMatrix::random(g.m, g.n, 72, fill, g.ld_padding);
            const std::vector<double> expected = gemm_reference(ta, tb, alpha, a.view(), b.view(), beta, c.view());
            kernels::cpu::gemm(ta, tb, alpha, a.view(), b.view(), beta, c.view());
            CHECK_CLOSE(c.view(), expected, integer ? kExact : fp32_sum_tolerance(g.depth + 1));
            CHECK(c.padding_untouched());
          }
        }
      }
    }
  }
}

TEST_CASE("gemm with beta = 0 ignores NaNs already in C", "[gemm]") {
  const HostMatrix a = HostMatrix::random(4, 6, 80, Fill::Integer);
  const HostMatrix b = HostMatrix::random(6, 5, 81, Fill::Integer);
  HostMatrix c(4, 5);
  for (float& x : c.data) x = std::numeric_limits<float>::quiet_NaN();
  const std::vector<double> expected = gemm_reference(false, false, 1.0f, a.view(), b.view(), 0.0f, c.view());
  kernels::cpu::gemm(false, false, 1.0f, a.view(), b.view(), 0.0f, c.view());
  CHECK_CLOSE(c.view(), expected, kExact);
}

#include "testsupport/bf16_tables.h"

#include <bit>
#include <cmath>
#include <limits>

namespace testsupport {

std::uint16_t reference_bf16_bits(float x) {
  if (std::isnan(x)) return static_cast<std::uint16_t>((std::bit_cast<std::uint32_t>(x) >> 16) | 0x0040u);
  if (std::isinf(x) || x == 0.0f) return static_cast<std::uint16_t>(std::bit_cast<std::uint32_t>(x) >> 16);
  // bf16 keeps 8 significant bits: in the binade [2^e, 2^(e+1)) its ulp is 2^(e-7); below the
  // smallest normal (2^-126) the ulp is that of the subnormals, 2^-133.
  int exponent = 0;
  std::frexp(static_cast<double>(x), &exponent);  // |x| in [2^(exponent-1), 2^exponent)
  const int ulp_exponent = std::max(exponent - 1 - 7, -133);
  const double scaled = std::ldexp(static_cast<double>(x), -ulp_exponent);  // exact: below 2^9
  const double rounded = std::ldexp(std::nearbyint(scaled), ulp_exponent);  // ties to even
  if (std::fabs(rounded) >= std::ldexp(1.0, 128)) {
    return static_cast<std::uint16_t>(x < 0 ? 0xff80u : 0x7f80u);  // overflow: infinity
  }
  return static_cast<std::uint16_t>(std::bit_cast<std::uint32_t>(static_cast<float>(rounded)) >> 16);
}

std::vector<kernels::bfloat16> bf16_table(const HostMatrix& m) {
  std::vector<kernels::bfloat16> table(m.data.size());
  for (std::size_t e = 0; e < m.data.size(); ++e) table[e] = {reference_bf16_bits(m.data[e])};
  return table;
}

HostMatrix widened(const HostMatrix& m) {
  HostMatrix out = m;
  for (float& x : out.data) x = std::bit_cast<float>(std::uint32_t{reference_bf16_bits(x)} << 16);
  return out;
}

const std::vector<Bf16Problem>& bf16_problems() {
  using RL = RowLengths;
  static const std::vector<Bf16Problem> problems = {
      {"batch 256 x 1200, k = 500, heavy-tailed rows, one full row (1,200 nonzeros)",
       {256, 1200, 0.08, RL::HeavyTailed, 0.05, true, false, 71}, 500, 0},
      {"batch 256 x 1200, k = 500, integer-valued", {256, 1200, 0.08, RL::HeavyTailed, 0.05, true, true, 72}, 500, 0},
      {"k = 37, ld = k + 3 (scalar lanes)", {64, 300, 0.1, RL::HeavyTailed, 0.0, true, false, 73}, 37, 3},
  };
  return problems;
}

std::string check_bf16_copy(const HostMatrix& w_after, const std::vector<kernels::bfloat16>& copy, const HostCsr& a,
                            bool lazy) {
  if (copy.size() != w_after.data.size()) return "the copy has " + std::to_string(copy.size()) + " elements";
  for (std::int64_t i = 0; i < w_after.rows; ++i) {
    const bool stepped = !lazy || a.csc_offsets[static_cast<std::size_t>(i) + 1] > a.csc_offsets[static_cast<std::size_t>(i)];
    for (std::int64_t j = 0; j < w_after.ld; ++j) {
      const std::uint16_t want = stepped && j < w_after.cols ? reference_bf16_bits(w_after(i, j)) : kCopySentinel;
      const std::uint16_t got = copy[static_cast<std::size_t>(i * w_after.ld + j)].bits;
      if (got != want) {
        return "copy(" + std::to_string(i) + ", " + std::to_string(j) + ") = " + std::to_string(got) + ", expected " +
               std::to_string(want) + (stepped ? "" : " (an untouched row or padding: the sentinel)");
      }
    }
  }
  return "";
}

}  // namespace testsupport

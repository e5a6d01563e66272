// bf16 tables (`--precision bf16`) on the CPU: the rounding (nearest even, NaN, Inf, subnormals) against
// an independent reference, and each kernel that reads or writes a table against the double reference
// computed on the widened table, at training shapes: spmm (the encoder's X . V), the fused output layer
// (W gathered from its copy) and the fused update whose epilogue writes the copy.
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels/cpu.h"
#include "testsupport/bf16_tables.h"
#include "testsupport/catch_close.h"
#include "testsupport/output_backprop.h"
#include "testsupport/reference.h"

namespace {

using testsupport::HostCsr;
using testsupport::HostMatrix;

float from_bits(std::uint32_t u) { return std::bit_cast<float>(u); }
std::uint16_t rounded(float x) { return kernels::to_bfloat16(x).bits; }

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

kernels::MatrixView<const kernels::bfloat16> table_view(const std::vector<kernels::bfloat16>& t, const HostMatrix& m) {
  return {t.data(), m.rows, m.cols, m.ld};
}

}  // namespace

TEST_CASE("bf16 rounding is to nearest, ties to even", "[bf16]") {
  CHECK(rounded(1.0f) == 0x3f80);
  CHECK(rounded(from_bits(0x3f808000)) == 0x3f80);  // 1 + 2^-8: a tie, down to the even 0x3f80
  CHECK(rounded(from_bits(0x3f818000)) == 0x3f82);  // 1 + 3 * 2^-8: a tie, up to the even 0x3f82
  CHECK(rounded(from_bits(0x3f808001)) == 0x3f81);  // just above the tie: up
  CHECK(rounded(from_bits(0x3f807fff)) == 0x3f80);  // just below: down
  CHECK(rounded(from_bits(0xbf818000)) == 0xbf82);  // negative ties the same way
  CHECK(rounded(-0.0f) == 0x8000);
  CHECK(rounded(0.0f) == 0x0000);
}

TEST_CASE("bf16 rounding of Inf, NaN, overflow and subnormals", "[bf16]") {
  const float inf = std::numeric_limits<float>::infinity();
  CHECK(rounded(inf) == 0x7f80);
  CHECK(rounded(-inf) == 0xff80);
  CHECK(rounded(std::numeric_limits<float>::max()) == 0x7f80);  // rounds up past the largest bf16
  CHECK(rounded(from_bits(0x7f7f7fff)) == 0x7f7f);              // the largest finite bf16 stays finite
  // NaN stays NaN, even one whose payload lives only in the dropped bits (truncation would give Inf).
  for (const std::uint32_t nan : {0x7fc00000u, 0x7f800001u, 0xff800001u, 0x7fffffffu}) {
    const kernels::bfloat16 b = kernels::to_bfloat16(from_bits(nan));
    CHECK(std::isnan(kernels::to_float(b)));
    CHECK((b.bits & 0x8000) == ((nan >> 16) & 0x8000));  // sign kept
  }
  CHECK(rounded(from_bits(0x00000001)) == 0x0000);  // the smallest fp32 subnormal: to zero
  CHECK(rounded(from_bits(0x00008000)) == 0x0000);  // half the smallest bf16 subnormal: a tie, to even 0
  CHECK(rounded(from_bits(0x00018000)) == 0x0002);  // 1.5 bf16 subnormals: a tie, up to even 2
  CHECK(rounded(from_bits(0x00010000)) == 0x0001);  // the smallest bf16 subnormal: exact
  CHECK(rounded(from_bits(0x007fffff)) == 0x0080);  // the largest fp32 subnormal rounds to the smallest normal
}

TEST_CASE("bf16 rounding agrees with the double reference on every binade", "[bf16]") {
  // Every exponent (subnormals to the largest binade), signs, mantissas with each low-bit pattern near
  // the rounding point (ties, one above, one below) and random ones.
  std::vector<float> values;
  for (std::uint32_t exponent = 0; exponent < 255; ++exponent) {
    for (const std::uint32_t low : {0x0000u, 0x7fffu, 0x8000u, 0x8001u, 0xffffu, 0x1234u}) {
      for (const std::uint32_t kept : {0x00u, 0x01u, 0x7fu, 0x40u}) {
        const std::uint32_t bits = (exponent << 23) | (kept << 16) | low;
        values.push_back(from_bits(bits));
        values.push_back(from_bits(bits | 0x80000000u));
      }
    }
  }
  std::vector<kernels::bfloat16> out(values.size());
  kernels::cpu::round_to_bfloat16(values.data(), out.data(), static_cast<std::int64_t>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) {
    INFO("x bits " << std::bit_cast<std::uint32_t>(values[i]));
    REQUIRE(out[i].bits == testsupport::reference_bf16_bits(values[i]));
    REQUIRE(rounded(values[i]) == out[i].bits);
  }
}

TEST_CASE("cpu spmm over a bf16 table matches the reference on the widened table", "[bf16][spmm]") {
  for (const testsupport::Bf16Problem& problem : testsupport::bf16_problems()) {
    INFO(problem.name);
    const HostCsr a = HostCsr::random(problem.spec);
    const testsupport::Fill fill = problem.spec.integer_values ? testsupport::Fill::Integer : testsupport::Fill::Uniform;
    const HostMatrix b = HostMatrix::random(a.cols(), problem.k, 11, fill, problem.ld_padding);
    const std::vector<kernels::bfloat16> table = testsupport::bf16_table(b);
    HostMatrix c(a.rows(), problem.k, problem.ld_padding);
    kernels::cpu::spmm(a.pattern(), a.values.data(), table_view(table, b), c.view(), 0.5f, 0.0f);
    const std::vector<double> expected =
        testsupport::spmm_reference(a.pattern(), a.values.data(), testsupport::widened(b).view(), c.view(), 0.5f, 0.0f);
    const std::int64_t longest = a.cols();  // the full row
    CHECK_CLOSE(c.view(), expected,
                problem.spec.integer_values ? testsupport::kExact : testsupport::fp32_sum_tolerance(longest, 1.0));
    CHECK(c.padding_untouched());
  }
}

TEST_CASE("cpu fused output layer gathers W from its bf16 copy", "[bf16][fused]") {
  for (const testsupport::BackpropProblem& problem : testsupport::backprop_problems()) {
    INFO(problem.name);
    testsupport::BackpropOperands in = testsupport::backprop_operands(problem);
    const std::vector<kernels::bfloat16> table = testsupport::bf16_table(in.w);
    kernels::OutputLayerBackprop layer = testsupport::backprop_layer(problem, in);
    layer.w_bf16 = table_view(table, in.w);  // layer.w keeps the fp32 weights, which must not be read
    const double loss = kernels::cpu::sddmm_squared_error_backprop(layer);

    testsupport::BackpropOperands widened_in = testsupport::backprop_operands(problem);
    widened_in.w = testsupport::widened(in.w);
    const testsupport::BackpropExpected expected = testsupport::backprop_reference(problem, widened_in);
    CHECK_CLOSE(in.errors, expected.errors, expected.errors_tolerance);
    CHECK_CLOSE(in.dh.view(), expected.dh, expected.dh_tolerance);
    CHECK(loss == Approx(expected.loss).epsilon(expected.loss_tolerance.rel));
  }
}

TEST_CASE("cpu fused update writes the bf16 copy of every weight it steps", "[bf16][fused]") {
  for (const testsupport::FusedUpdateProblem& problem : testsupport::fused_update_problems()) {
    INFO(problem.name);
    testsupport::FusedUpdateOperands in = testsupport::fused_update_operands(problem);
    testsupport::FusedUpdateOperands plain = testsupport::fused_update_operands(problem);
    std::vector<kernels::bfloat16> copy(in.w.data.size(), kernels::bfloat16{testsupport::kCopySentinel});
    kernels::WeightUpdate update = testsupport::fused_update_rule(problem, in.state0.data.data(), in.state1.data.data());
    update.bf16_copy = copy.data();
    kernels::cpu::spmm_transposed_update(problem.a.csc(), problem.a.values.data(), in.b.view(), testsupport::kFusedAlpha,
                                         in.w.view(), update);
    // Without the copy: the same weights and state, bit for bit (the copy is an extra output only).
    kernels::cpu::spmm_transposed_update(
        problem.a.csc(), problem.a.values.data(), plain.b.view(), testsupport::kFusedAlpha, plain.w.view(),
        testsupport::fused_update_rule(problem, plain.state0.data.data(), plain.state1.data.data()));
    CHECK(same_bits(in.w.data, plain.w.data));  // (the padding holds NaN sentinels: compare bits)
    CHECK(same_bits(in.state0.data, plain.state0.data));
    CHECK(testsupport::check_bf16_copy(in.w, copy, problem.a, problem.lazy) == "");
  }
}

// bf16 tables (`--precision bf16`) on the CUDA kernels, run through the SIMT emulation at training
// shapes (batch 256, k = 500, a row of 1,200 nonzeros: the block-wide and the split long-row paths,
// CSC columns up to 256 long), against the double reference on the widened table and, bit for bit where
// the arithmetic is the same, against the CPU twins: spmm over bf16x2 loads (plain and split), the fused
// update's epilogue writing the copy, and the rounding. (The fused output layer gathering W from its
// copy is tested with its fp32 case in test_output_backprop.cpp.)
#include <bit>
#include <catch2/catch.hpp>
#include <cstring>
#include <vector>

#include "device_data.h"
#include "kernels/cpu.h"
#include "kernels/cuda.h"
#include "testsupport/bf16_tables.h"
#include "testsupport/catch_close.h"
#include "testsupport/reference.h"

namespace {

using cudatest::DeviceArray;
using cudatest::DeviceMatrix;
using cudatest::DeviceSparse;
using testsupport::HostCsr;
using testsupport::HostMatrix;

kernels::MatrixView<const kernels::bfloat16> table_view(const DeviceArray<kernels::bfloat16>& t, const HostMatrix& m) {
  return {t.data(), m.rows, m.cols, m.ld};
}

testsupport::Tolerance tolerance_for(const testsupport::Bf16Problem& problem, const HostCsr& a) {
  return problem.spec.integer_values ? testsupport::kExact : testsupport::fp32_sum_tolerance(a.cols(), 1.0);
}

}  // namespace

TEST_CASE("cuda spmm over a bf16 table matches the reference on the widened table", "[simt][bf16]") {
  for (const testsupport::Bf16Problem& problem : testsupport::bf16_problems()) {
    for (const bool split : {false, true}) {
      INFO(problem.name << (split ? ", long rows split over blocks" : ", long rows in their block"));
      const HostCsr a = HostCsr::random(problem.spec);
      const testsupport::Fill fill =
          problem.spec.integer_values ? testsupport::Fill::Integer : testsupport::Fill::Uniform;
      const HostMatrix b = HostMatrix::random(a.cols(), problem.k, 11, fill, problem.ld_padding);
      HostMatrix c_in = HostMatrix::random(a.rows(), problem.k, 12, fill, problem.ld_padding);
      const DeviceSparse device_a(a);
      const DeviceArray<kernels::bfloat16> table(testsupport::bf16_table(b));
      const DeviceMatrix device_c(c_in);
      if (split) {
        const kernels::cuda::SpmmScratchSize need = kernels::cuda::spmm_scratch(a.rows(), a.nnz(), problem.k);
        DeviceArray<kernels::offset_t> segments(static_cast<std::size_t>(need.segment_offsets));
        DeviceArray<float> partials(static_cast<std::size_t>(need.partials));
        kernels::cuda::spmm(device_a.pattern(), device_a.values.data(), table_view(table, b), device_c.view(), 0.5f,
                            -1.0f, kernels::cuda::SpmmScratch{segments.data(), partials.data()}, nullptr);
      } else {
        kernels::cuda::spmm(device_a.pattern(), device_a.values.data(), table_view(table, b), device_c.view(), 0.5f,
                            -1.0f, nullptr);
      }
      const HostMatrix c = device_c.download(c_in);
      CHECK_CLOSE(c.view(),
                  testsupport::spmm_reference(a.pattern(), a.values.data(), testsupport::widened(b).view(),
                                              c_in.view(), 0.5f, -1.0f),
                  tolerance_for(problem, a));
      CHECK(c.padding_untouched());
    }
  }
}

TEST_CASE("cuda fused update writes the bf16 copy of every weight it steps, like the CPU", "[simt][bf16]") {
  for (const testsupport::FusedUpdateProblem& problem : testsupport::fused_update_problems()) {
    INFO(problem.name);
    const testsupport::FusedUpdateOperands in = testsupport::fused_update_operands(problem);
    const DeviceSparse a(problem.a);
    const DeviceMatrix b(in.b);
    const DeviceMatrix w(in.w);
    const DeviceMatrix state0(in.state0);
    const DeviceMatrix state1(in.state1);
    const DeviceArray<kernels::bfloat16> copy(
        std::vector<kernels::bfloat16>(in.w.data.size(), kernels::bfloat16{testsupport::kCopySentinel}));
    kernels::WeightUpdate update = testsupport::fused_update_rule(problem, state0.view().data, state1.view().data);
    update.bf16_copy = copy.data();
    kernels::cuda::spmm_transposed_update(a.csc(), a.values.data(), b.cview(), testsupport::kFusedAlpha, w.view(),
                                          update, nullptr);
    const HostMatrix w_out = w.download(in.w);
    CHECK(testsupport::check_bf16_copy(w_out, copy.download(), problem.a, problem.lazy) == "");

    // The CPU twin's copy, from its own weights: equal to the emulated kernel's where the weights are.
    testsupport::FusedUpdateOperands cpu = testsupport::fused_update_operands(problem);
    std::vector<kernels::bfloat16> cpu_copy(in.w.data.size(), kernels::bfloat16{testsupport::kCopySentinel});
    kernels::WeightUpdate cpu_update = testsupport::fused_update_rule(problem, cpu.state0.data.data(), cpu.state1.data.data());
    cpu_update.bf16_copy = cpu_copy.data();
    kernels::cpu::spmm_transposed_update(problem.a.csc(), problem.a.values.data(), cpu.b.view(),
                                         testsupport::kFusedAlpha, cpu.w.view(), cpu_update);
    CHECK(testsupport::check_bf16_copy(cpu.w, cpu_copy, problem.a, problem.lazy) == "");
  }
}

TEST_CASE("cuda bf16 rounding equals the CPU's bit for bit", "[simt][bf16]") {
  std::vector<float> values = testsupport::random_vector(5000, 81);
  for (const std::uint32_t bits : {0x7f800000u, 0xff800000u, 0x7fc00000u, 0x7f800001u, 0x7f7fffffu, 0x00000001u,
                                   0x00008000u, 0x00018000u, 0x3f808000u, 0x3f818000u, 0x80000000u}) {
    values.push_back(std::bit_cast<float>(bits));
  }
  const auto n = static_cast<std::int64_t>(values.size());
  const DeviceArray<float> x(values);
  DeviceArray<kernels::bfloat16> out(values.size());
  kernels::cuda::round_to_bfloat16(x.data(), out.data(), n, nullptr);
  std::vector<kernels::bfloat16> expected(values.size());
  kernels::cpu::round_to_bfloat16(values.data(), expected.data(), n);
  const std::vector<kernels::bfloat16> got = out.download();
  for (std::size_t i = 0; i < values.size(); ++i) {
    INFO("element " << i);
    REQUIRE(got[i].bits == expected[i].bits);
    REQUIRE(got[i].bits == testsupport::reference_bf16_bits(values[i]));
  }
}

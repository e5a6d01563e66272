// The CUDA transposed product fused with the optimizer step (spmm_transposed_update), run through the
// SIMT emulation against the double-precision reference at training shapes: k = 500 over four column
// tiles, columns longer than 512 nonzeros (the block-wide long-row phase), untouched rows exact and
// lazy, every group width with float4 and scalar lanes.
#include <catch2/catch.hpp>

#include "device_data.h"
#include "kernels/cuda.h"
#include "testsupport/catch_close.h"
#include "testsupport/fused_update.h"

namespace {

using cudatest::DeviceMatrix;
using cudatest::DeviceSparse;

const testsupport::Tolerance kWeights{2e-6, 1e-5};
const testsupport::Tolerance kState{2e-5, 1e-4};

}  // namespace

TEST_CASE("cuda spmm_transposed_update matches the reference at training shapes", "[simt][fused]") {
  for (const testsupport::FusedUpdateProblem& problem : testsupport::fused_update_problems()) {
    INFO(problem.name);
    const testsupport::FusedUpdateOperands in = testsupport::fused_update_operands(problem);
    const testsupport::FusedUpdateExpected expected = testsupport::fused_update_reference(problem, in);
    const DeviceSparse a(problem.a);
    const DeviceMatrix b(in.b);
    const DeviceMatrix w(in.w);
    const DeviceMatrix state0(in.state0);
    const DeviceMatrix state1(in.state1);
    const kernels::WeightUpdate update =
        testsupport::fused_update_rule(problem, state0.view().data, state1.view().data);
    kernels::cuda::spmm_transposed_update(a.csc(), a.values.data(), b.cview(), testsupport::kFusedAlpha, w.view(),
                                          update, nullptr);
    const testsupport::HostMatrix w_out = w.download(in.w);
    CHECK_CLOSE(w_out.view(), expected.w, kWeights);
    CHECK_CLOSE(state0.download(in.state0).view(), expected.state0, kState);
    if (problem.rule != testsupport::FusedRule::SgdNesterov) {
      CHECK_CLOSE(state1.download(in.state1).view(), expected.state1, kState);
    }
    CHECK(w_out.padding_untouched());
  }
}

// The CPU transposed product fused with the optimizer step, against the double-precision reference
// over the training-shaped problems of testsupport/fused_update.h.
#include <catch2/catch.hpp>

#include "kernels/cpu.h"
#include "testsupport/catch_close.h"
#include "testsupport/fused_update.h"

namespace {

using testsupport::FusedUpdateProblem;

// The weights' step is lr-sized, so their error is the gradient's relative error times lr; the
// moments carry the fp32 summation error of the longest column.
const testsupport::Tolerance kWeights{2e-6, 1e-5};
const testsupport::Tolerance kState{2e-5, 1e-4};

}  // namespace

TEST_CASE("cpu spmm_transposed_update matches the reference at training shapes", "[kernels][fused]") {
  for (const FusedUpdateProblem& problem : testsupport::fused_update_problems()) {
    INFO(problem.name);
    testsupport::FusedUpdateOperands in = testsupport::fused_update_operands(problem);
    const testsupport::FusedUpdateExpected expected = testsupport::fused_update_reference(problem, in);
    const kernels::WeightUpdate update = testsupport::fused_update_rule(problem, in.state0.data.data(), in.state1.data.data());
    kernels::cpu::spmm_transposed_update(problem.a.csc(), problem.a.values.data(), in.b.view(),
                                         testsupport::kFusedAlpha, in.w.view(), update);
    CHECK_CLOSE(in.w.view(), expected.w, kWeights);
    CHECK_CLOSE(in.state0.view(), expected.state0, kState);
    if (problem.rule != testsupport::FusedRule::SgdNesterov) CHECK_CLOSE(in.state1.view(), expected.state1, kState);
    CHECK(in.w.padding_untouched());
    CHECK(in.state0.padding_untouched());
  }
}

TEST_CASE("cpu spmm_transposed_update checks its operands", "[kernels][fused]") {
  const FusedUpdateProblem& problem = testsupport::fused_update_problems().front();
  testsupport::FusedUpdateOperands in = testsupport::fused_update_operands(problem);
  const kernels::WeightUpdate no_state = testsupport::fused_update_rule(problem, nullptr, nullptr);
  CHECK_THROWS_WITH(kernels::cpu::spmm_transposed_update(problem.a.csc(), problem.a.values.data(), in.b.view(), 1.0f,
                                                         in.w.view(), no_state),
                    Catch::Contains("moment"));
  const kernels::WeightUpdate update = testsupport::fused_update_rule(problem, in.state0.data.data(), in.state1.data.data());
  kernels::MatrixView<float> short_w = in.w.view();
  short_w.rows -= 1;
  CHECK_THROWS_WITH(kernels::cpu::spmm_transposed_update(problem.a.csc(), problem.a.values.data(), in.b.view(), 1.0f,
                                                         short_w, update),
                    Catch::Contains("rows"));
}

// The CPU fused output layer forward + backward (sddmm_squared_error_backprop) against the double
// reference, and against the two unfused kernels it replaces: errors and dH equal bit for bit.
#include <catch2/catch.hpp>

#include "kernels/cpu.h"
#include "testsupport/catch_close.h"
#include "testsupport/output_backprop.h"

TEST_CASE("cpu sddmm_squared_error_backprop matches the reference and the unfused kernels", "[kernels][fused]") {
  for (const testsupport::BackpropProblem& problem : testsupport::backprop_problems()) {
    INFO(problem.name);
    testsupport::BackpropOperands in = testsupport::backprop_operands(problem);
    const kernels::OutputLayerBackprop layer = testsupport::backprop_layer(problem, in);
    const double loss = kernels::cpu::sddmm_squared_error_backprop(layer);
    const testsupport::BackpropExpected expected = testsupport::backprop_reference(problem, in);
    CHECK_CLOSE(in.errors, expected.errors, expected.errors_tolerance);
    CHECK_CLOSE(in.dh.view(), expected.dh, expected.dh_tolerance);
    CHECK(loss == Approx(expected.loss).epsilon(expected.loss_tolerance.rel));
    CHECK(in.dh.padding_untouched());

    testsupport::BackpropOperands unfused = testsupport::backprop_operands(problem);
    kernels::cpu::sddmm_squared_error(layer.pattern, unfused.h.view(), unfused.w.view(), layer.bias,
                                      unfused.ratings.data(), problem.f, unfused.errors.data(), nullptr);
    kernels::cpu::spmm(layer.pattern, unfused.errors.data(), unfused.w.view(), unfused.dh.view(), problem.alpha, 0.0f);
    CHECK(in.errors == unfused.errors);
    bool dh_equal = true;  // element by element: the ld padding holds NaN sentinels
    for (std::int64_t i = 0; i < in.dh.rows; ++i) {
      for (std::int64_t c = 0; c < in.dh.cols; ++c) dh_equal = dh_equal && in.dh(i, c) == unfused.dh(i, c);
    }
    CHECK(dh_equal);
  }
}

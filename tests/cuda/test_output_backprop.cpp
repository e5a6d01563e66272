// The CUDA fused output layer forward + backward (sddmm_squared_error_backprop: rows cut into segments
// of 64 nonzeros, one warp each, partial dH summed per row in segment order), run through the SIMT
// emulation against the double reference at training shapes.
#include <catch2/catch.hpp>

#include "device_data.h"
#include "kernels/cuda.h"
#include "testsupport/catch_close.h"
#include "testsupport/output_backprop.h"

using cudatest::DeviceArray;
using cudatest::DeviceMatrix;
using cudatest::DeviceSparse;

TEST_CASE("cuda sddmm_squared_error_backprop matches the reference at training shapes", "[simt][fused]") {
  for (const testsupport::BackpropProblem& problem : testsupport::backprop_problems()) {
    INFO(problem.name);
    testsupport::BackpropOperands in = testsupport::backprop_operands(problem);
    const DeviceSparse pattern(problem.pattern);
    const DeviceMatrix h(in.h);
    const DeviceMatrix w(in.w);
    const DeviceMatrix dh(in.dh);
    const DeviceArray<float> bias(in.bias);
    const DeviceArray<float> ratings(in.ratings);
    DeviceArray<float> errors(in.errors.size());
    const DeviceArray<double> loss = cudatest::device_scalar(0.5);  // the kernel adds to it
    kernels::OutputLayerBackprop layer;
    layer.pattern = pattern.pattern();
    layer.h = h.cview();
    layer.w = w.cview();
    layer.bias = problem.bias ? bias.data() : nullptr;
    layer.ratings = ratings.data();
    layer.f = problem.f;
    layer.alpha = problem.alpha;
    layer.errors = errors.data();
    layer.dh = dh.view();
    const kernels::cuda::OutputLayerBackpropScratch need = kernels::cuda::sddmm_squared_error_backprop_scratch(
        problem.pattern.rows(), problem.pattern.nnz(), problem.k);
    DeviceArray<kernels::offset_t> segment_offsets(static_cast<std::size_t>(need.segment_offsets));
    DeviceArray<float> partials(static_cast<std::size_t>(need.partials));
    kernels::cuda::sddmm_squared_error_backprop(layer, loss.data(), segment_offsets.data(), partials.data(), nullptr);

    const testsupport::BackpropExpected expected = testsupport::backprop_reference(problem, in);
    CHECK_CLOSE(errors.download(), expected.errors, expected.errors_tolerance);
    const testsupport::HostMatrix dh_out = dh.download(in.dh);
    CHECK_CLOSE(dh_out.view(), expected.dh, expected.dh_tolerance);
    CHECK(dh_out.padding_untouched());
    CHECK(cudatest::read_scalar(loss) - 0.5 == Approx(expected.loss).epsilon(expected.loss_tolerance.rel));
  }
}

TEST_CASE("cuda sddmm_squared_error_backprop refuses k above the registers it holds", "[simt][fused]") {
  kernels::OutputLayerBackprop layer;
  layer.h = {nullptr, 0, 513, 513};
  layer.w = {nullptr, 0, 513, 513};
  layer.dh = {nullptr, 0, 513, 513};
  DeviceArray<double> loss = cudatest::device_scalar(0.0);
  CHECK_THROWS_WITH(kernels::cuda::sddmm_squared_error_backprop(layer, loss.data(), nullptr, nullptr, nullptr),
                    Catch::Contains("512"));
}

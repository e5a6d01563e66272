// The CUDA fused output layer forward + backward (sddmm_squared_error_backprop: rows cut into segments
// of 64 nonzeros, one warp each, partial dH summed per row in segment order), run through the SIMT
// emulation against the double reference at training shapes, gathering W or its bf16 copy.
#include <catch2/catch.hpp>

#include "device_data.h"
#include "kernels/cuda.h"
#include "testsupport/bf16_tables.h"
#include "testsupport/catch_close.h"
#include "testsupport/output_backprop.h"

using cudatest::DeviceArray;
using cudatest::DeviceMatrix;
using cudatest::DeviceSparse;

// With bf16 tables (`--precision bf16`) W_j is gathered from W's bf16 copy (layer.w keeps the fp32
// weights, which must then not be read): the reference multiplies by the widened copy.
TEST_CASE("cuda sddmm_squared_error_backprop matches the reference at training shapes, W fp32 or bf16",
          "[simt][fused][bf16]") {
  for (const testsupport::BackpropProblem& problem : testsupport::backprop_problems()) {
    for (const bool bf16 : {false, true}) {
      INFO(problem.name << (bf16 ? ", W from its bf16 copy" : ""));
      testsupport::BackpropOperands in = testsupport::backprop_operands(problem);
      const DeviceSparse pattern(problem.pattern);
      const DeviceMatrix h(in.h);
      const DeviceMatrix w(in.w);
      const DeviceArray<kernels::bfloat16> w_bf16(testsupport::bf16_table(in.w));
      const DeviceMatrix dh(in.dh);
      const DeviceArray<float> bias(in.bias);
      const DeviceArray<float> ratings(in.ratings);
      DeviceArray<float> errors(in.errors.size());
      const DeviceArray<double> loss = cudatest::device_scalar(0.5);  // the kernel adds to it
      kernels::OutputLayerBackprop layer;
      layer.pattern = pattern.pattern();
      layer.h = h.cview();
      layer.w = w.cview();
      if (bf16) layer.w_bf16 = {w_bf16.data(), in.w.rows, in.w.cols, in.w.ld};
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

      if (bf16) in.w = testsupport::widened(in.w);  // the operand the kernel multiplied by
      const testsupport::BackpropExpected expected = testsupport::backprop_reference(problem, in);
      CHECK_CLOSE(errors.download(), expected.errors, expected.errors_tolerance);
      const testsupport::HostMatrix dh_out = dh.download(in.dh);
      CHECK_CLOSE(dh_out.view(), expected.dh, expected.dh_tolerance);
      CHECK(dh_out.padding_untouched());
      CHECK(cudatest::read_scalar(loss) - 0.5 == Approx(expected.loss).epsilon(expected.loss_tolerance.rel));
    }
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

// Fused bias + activation, its backward, and the flat fill / scale / axpy.
#include "kernels/cpu.h"
#include "testsupport/catch_close.h"
#include "testsupport/host_dense.h"
#include "testsupport/reference.h"

using namespace testsupport;
using kernels::Activation;

namespace {


// Pre-activations spread over [-3, 3] so that every branch (z < 0, z > 0) and the curved parts count.
HostMatrix spread_matrix(std::int64_t rows, std::int64_t cols, std::uint64_t seed, std::int64_t ld_padding) {
  HostMatrix m = HostMatrix::random(rows, cols, seed, Fill::Uniform, ld_padding);
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t j = 0; j < cols; ++j) m(i, j) *= 3.0f;
  return m;
}

struct Shape {
  std::int64_t rows, cols, ld_padding;
};
// Empty, a single element, a tail-heavy width with odd padding, and one above the parallel threshold.
const Shape kShapes[] = {{0, 5, 0}, {1, 1, 0}, {7, 37, 3}, {300, 130, 0}};

}  // namespace

TEST_CASE("bias_activation_forward adds the bias in place and applies g", "[elementwise]") {
  for (const Shape& s : kShapes) {
    for (const Activation g : kernels::kAllActivations) {
      for (const bool with_bias : {false, true}) {
        INFO(s.rows << " x " << s.cols << " ld+" << s.ld_padding << ", activation " << static_cast<int>(g) << ", bias "
                    << with_bias);
        HostMatrix z = spread_matrix(s.rows, s.cols, 10, s.ld_padding);
        HostMatrix h(s.rows, s.cols, s.ld_padding);
        const std::vector<float> bias = random_vector(s.cols, 11);
        const float* b = with_bias ? bias.data() : nullptr;
        const BiasActivationReference ref = bias_activation_reference(z.view(), b, g);
        kernels::cpu::bias_activation_forward(z.view(), b, g, h.view());
        CHECK_CLOSE(z.view(), ref.z, kExact);
        CHECK_CLOSE(h.view(), ref.h, fp32_elementwise_tolerance());
        CHECK(h.padding_untouched());
      }
    }
  }
}

TEST_CASE("bias_activation_forward: H may alias Z for the identity", "[elementwise]") {
  HostMatrix z = spread_matrix(5, 9, 12, 0);
  const std::vector<float> bias = random_vector(9, 13);
  const BiasActivationReference ref = bias_activation_reference(z.view(), bias.data(), Activation::Identity);
  kernels::cpu::bias_activation_forward(z.view(), bias.data(), Activation::Identity, z.view());
  CHECK_CLOSE(z.view(), ref.h, kExact);
}

TEST_CASE("activation_backward multiplies by g'(Z), also in place (dZ aliasing dH)", "[elementwise]") {
  for (const Shape& s : kShapes) {
    for (const Activation g : kernels::kAllActivations) {
      INFO(s.rows << " x " << s.cols << ", activation " << static_cast<int>(g));
      const HostMatrix z = spread_matrix(s.rows, s.cols, 20, s.ld_padding);
      HostMatrix dh = HostMatrix::random(s.rows, s.cols, 21, Fill::Uniform, s.ld_padding);
      HostMatrix dz(s.rows, s.cols, s.ld_padding);
      const std::vector<double> expected = activation_backward_reference(z.view(), dh.view(), g);
      kernels::cpu::activation_backward(z.view(), dh.view(), g, dz.view());
      CHECK_CLOSE(dz.view(), expected, fp32_elementwise_tolerance());
      kernels::cpu::activation_backward(z.view(), dh.view(), g, dh.view());
      CHECK_CLOSE(dh.view(), expected, fp32_elementwise_tolerance());
    }
  }
}

TEST_CASE("fill, scale and axpy on flat buffers", "[elementwise]") {
  for (const std::int64_t n : {std::int64_t{0}, std::int64_t{1}, std::int64_t{37}, std::int64_t{100000}}) {
    INFO("n = " << n);
    std::vector<float> x = random_vector(n, 30, Fill::Integer);
    const std::vector<float> y0 = random_vector(n, 31, Fill::Integer);
    std::vector<double> expected_axpy(static_cast<std::size_t>(n)), expected_scale(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < x.size(); ++i) {
      expected_axpy[i] = y0[i] - 0.5 * x[i];
      expected_scale[i] = 0.25 * x[i];
    }
    std::vector<float> y = y0;
    kernels::cpu::axpy(-0.5f, x.data(), y.data(), n);
    CHECK_CLOSE(y, expected_axpy, kExact);
    kernels::cpu::scale(x.data(), n, 0.25f);
    CHECK_CLOSE(x, expected_scale, kExact);
    kernels::cpu::axpy(1.0f, x.data(), x.data(), n);  // documented aliasing: x == y doubles x
    for (double& e : expected_scale) e *= 2.0;
    CHECK_CLOSE(x, expected_scale, kExact);
    kernels::cpu::fill(x.data(), n, 1.5f);
    CHECK_CLOSE(x, std::vector<double>(x.size(), 1.5), kExact);
  }
}

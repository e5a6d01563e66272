// The CUDA flat-buffer updates (fill, scale, axpy, SGD, Adam, RProp) through the SIMT emulation: equal
// to the CPU kernels bit for bit (same formulas in the same order, and the host compiler contracts no
// FMAs), and within a few ulps of the double references over several steps.
#include <catch2/catch.hpp>
#include <vector>

#include "device_data.h"
#include "kernels/check.h"
#include "kernels/cpu.h"
#include "kernels/cuda.h"
#include "testsupport/catch_close.h"
#include "testsupport/host_dense.h"
#include "testsupport/reference.h"

namespace {

using cudatest::DeviceArray;

// More elements than one pass of the grid-stride grid (1056 blocks x 256 threads) covers.
constexpr std::int64_t kElements = 300007;

std::vector<double> widen(const std::vector<float>& x) { return {x.begin(), x.end()}; }

// The optimizer state of one test: buffers on the host (for the CPU kernel) and on the device.
struct Buffers {
  explicit Buffers(std::uint64_t seed, float second_offset = 0.0f)
      : params(testsupport::random_vector(kElements, seed)),
        first(testsupport::random_vector(kElements, seed + 1)),
        second(testsupport::random_vector(kElements, seed + 2)) {
    for (float& s : second) s = s * s + second_offset;  // Adam's v and RProp's step sizes are positive
    device_params = DeviceArray<float>(params);
    device_first = DeviceArray<float>(first);
    device_second = DeviceArray<float>(second);
  }
  void check_equal_to_host() const {
    CHECK(cudatest::twins_agree(device_params.download(), params));
    CHECK(cudatest::twins_agree(device_first.download(), first));
    CHECK(cudatest::twins_agree(device_second.download(), second));
  }
  std::vector<float> params, first, second;
  DeviceArray<float> device_params, device_first, device_second;
};

}  // namespace

TEST_CASE("cuda fill, scale and axpy equal the CPU kernels", "[simt][optimizers]") {
  const std::vector<float> x = testsupport::random_vector(kElements, 1);
  std::vector<float> y = testsupport::random_vector(kElements, 2);
  const DeviceArray<float> device_x(x);
  DeviceArray<float> device_y(y);
  kernels::cuda::axpy(-0.75f, device_x.data(), device_y.data(), kElements, nullptr);
  kernels::cpu::axpy(-0.75f, x.data(), y.data(), kElements);
  CHECK(cudatest::twins_agree(device_y.download(), y));
  kernels::cuda::scale(device_y.data(), kElements, 3.5f, nullptr);
  kernels::cpu::scale(y.data(), kElements, 3.5f);
  CHECK(cudatest::twins_agree(device_y.download(), y));
  kernels::cuda::fill(device_y.data(), kElements - 1, 7.0f, nullptr);  // the last element keeps its value
  kernels::cpu::fill(y.data(), kElements - 1, 7.0f);
  CHECK(cudatest::twins_agree(device_y.download(), y));
  // x may be y: y += 0.5 y, i.e. every element times 1.5.
  kernels::cuda::axpy(0.5f, device_y.data(), device_y.data(), kElements, nullptr);
  kernels::cpu::axpy(0.5f, y.data(), y.data(), kElements);
  CHECK(cudatest::twins_agree(device_y.download(), y));
  CHECK(y.front() == 10.5f);
}

TEST_CASE("cuda sgd_update equals the CPU kernel and the reference", "[simt][optimizers]") {
  for (const bool nesterov : {false, true}) {
    const kernels::SgdParams p{0.05f, 0.9f, 0.01f, nesterov};
    Buffers b(10);
    testsupport::OptimizerState reference{widen(b.params), widen(b.first), {}};
    for (int step = 0; step < 3; ++step) {
      const std::vector<float> grads = testsupport::random_vector(kElements, 20 + step);
      const DeviceArray<float> device_grads(grads);
      kernels::cuda::sgd_update(b.device_params.data(), device_grads.data(), b.device_first.data(), kElements, p,
                                nullptr);
      kernels::cpu::sgd_update(b.params.data(), grads.data(), b.first.data(), kElements, p);
      testsupport::sgd_reference_step(reference, grads, p);
    }
    b.check_equal_to_host();
    CHECK_CLOSE(b.device_params.download(), reference.params, testsupport::fp32_elementwise_tolerance(1e-5));
  }
}

TEST_CASE("cuda adam_update equals the CPU kernel and the reference", "[simt][optimizers]") {
  for (const bool decoupled : {false, true}) {
    kernels::AdamParams p;
    p.learning_rate = 0.01f;
    p.weight_decay = 0.1f;
    p.decoupled_weight_decay = decoupled;
    Buffers b(30);
    testsupport::OptimizerState reference{widen(b.params), widen(b.first), widen(b.second)};
    for (p.step = 1; p.step <= 3; ++p.step) {
      const std::vector<float> grads = testsupport::random_vector(kElements, 40 + p.step);
      const DeviceArray<float> device_grads(grads);
      kernels::cuda::adam_update(b.device_params.data(), device_grads.data(), b.device_first.data(),
                                 b.device_second.data(), kElements, p, nullptr);
      kernels::cpu::adam_update(b.params.data(), grads.data(), b.first.data(), b.second.data(), kElements, p);
      testsupport::adam_reference_step(reference, grads, p);
    }
    b.check_equal_to_host();
    CHECK_CLOSE(b.device_params.download(), reference.params, testsupport::fp32_elementwise_tolerance(1e-5));
  }
}

TEST_CASE("cuda rprop_update equals the CPU kernel and the reference", "[simt][optimizers]") {
  const kernels::RpropParams p;
  Buffers b(50, 1e-3f);
  testsupport::OptimizerState reference{widen(b.params), widen(b.first), widen(b.second)};
  for (int step = 0; step < 3; ++step) {
    const std::vector<float> grads = testsupport::random_vector(kElements, 60 + step);
    const DeviceArray<float> device_grads(grads);
    kernels::cuda::rprop_update(b.device_params.data(), device_grads.data(), b.device_first.data(),
                                b.device_second.data(), kElements, p, nullptr);
    kernels::cpu::rprop_update(b.params.data(), grads.data(), b.first.data(), b.second.data(), kElements, p);
    testsupport::rprop_reference_step(reference, grads, p);
  }
  b.check_equal_to_host();
  CHECK_CLOSE(b.device_params.download(), reference.params, testsupport::fp32_elementwise_tolerance(1e-5));
}

TEST_CASE("cuda apply_update with Adagrad equals the CPU kernel and the reference", "[simt][optimizers][adagrad]") {
  const kernels::AdagradParams p{0.05f, 1e-10f, 0.01f};
  Buffers b(70);
  for (float& x : b.first) x = 0.0f;  // the sum of squares starts at zero
  b.device_first = DeviceArray<float>(b.first);
  testsupport::OptimizerState reference{widen(b.params), widen(b.first), {}};
  for (int step = 0; step < 3; ++step) {
    const std::vector<float> grads = testsupport::random_vector(kElements, 80 + step);
    const DeviceArray<float> device_grads(grads);
    kernels::cuda::apply_update(b.device_params.data(), device_grads.data(), kElements,
                                kernels::WeightUpdate::of<kernels::rules::Adagrad>(p, b.device_first.data()), nullptr);
    kernels::cpu::apply_update(b.params.data(), grads.data(), kElements,
                               kernels::WeightUpdate::of<kernels::rules::Adagrad>(p, b.first.data()));
    testsupport::adagrad_reference_step(reference, grads, p);
  }
  b.check_equal_to_host();
  CHECK_CLOSE(b.device_params.download(), reference.params, testsupport::fp32_elementwise_tolerance(1e-5));
  CHECK_CLOSE(b.device_first.download(), reference.first, testsupport::fp32_elementwise_tolerance(1e-5));
}

TEST_CASE("cuda apply_update with Lion equals the CPU kernel and the reference", "[simt][optimizers][lion]") {
  const kernels::LionParams p{0.01f, 0.9f, 0.99f, 0.1f, 0.02f};
  Buffers b(90);
  for (float& x : b.first) x = 0.0f;  // the momentum starts at zero
  b.device_first = DeviceArray<float>(b.first);
  testsupport::OptimizerState reference{widen(b.params), widen(b.first), {}};
  for (int step = 0; step < 3; ++step) {
    const std::vector<float> grads = testsupport::random_vector(kElements, 100 + step);
    const DeviceArray<float> device_grads(grads);
    kernels::cuda::apply_update(b.device_params.data(), device_grads.data(), kElements,
                                kernels::WeightUpdate::of<kernels::rules::Lion>(p, b.device_first.data()), nullptr);
    kernels::cpu::apply_update(b.params.data(), grads.data(), kElements,
                               kernels::WeightUpdate::of<kernels::rules::Lion>(p, b.first.data()));
    testsupport::lion_reference_step(reference, grads, p);
  }
  b.check_equal_to_host();
  CHECK_CLOSE(b.device_params.download(), reference.params, testsupport::fp32_elementwise_tolerance(1e-5));
}

TEST_CASE("cuda launchers reject bad arguments with kernels::Error", "[simt][optimizers]") {
  DeviceArray<float> x(8);
  kernels::AdamParams adam;
  adam.step = 0;
  CHECK_THROWS_AS(kernels::cuda::adam_update(x.data(), x.data(), x.data(), x.data(), 8, adam, nullptr),
                  kernels::Error);
  CHECK_THROWS_AS(kernels::cuda::fill(nullptr, 8, 0.0f, nullptr), kernels::Error);
  CHECK_THROWS_AS(kernels::cuda::dropout_values(x.data(), x.data(), 8, 1.0f, 0, nullptr), kernels::Error);
  const kernels::MatrixView<float> m{x.data(), 2, 4, 4};
  const kernels::MatrixView<float> wrong{x.data(), 4, 2, 2};
  CHECK_THROWS_AS(kernels::cuda::gemm(false, false, 1.0f, m, m, 0.0f, m, nullptr), kernels::Error);
  CHECK_THROWS_AS(kernels::cuda::activation_backward(m, wrong, kernels::Activation::Relu, m, nullptr), kernels::Error);
}

// A small item-based AutoRec (60 items x 80 users, ~15% observed, k = 24, sigmoid encoder,
// identity decoder, L2 on the weights) trained for a few full-batch steps on the CUDA device
// (emulated here; a real GPU, with our kernels and with cuSPARSE, in tests/gpu) and on the CPU backend from the same initial weights: the per-step losses and the final
// weights must agree. Also checks that the caching allocator stops calling cudaMalloc after the
// first step.
#include <catch2/catch.hpp>

#include <memory>

#include "engine/cuda.h"
#include "engine/layers.h"
#include "engine/optimizers.h"
#include "twin_devices.h"

using engine::Activation;
using engine::Device;

namespace {

constexpr int kItems = 60;
constexpr int kUsers = 80;
constexpr std::int64_t kHidden = 24;
constexpr double kDensity = 0.15;
constexpr float kLambda = 0.1f;
constexpr int kSteps = 6;
// Relative agreement of losses and weights. The two backends sum in different orders (a few ulps
// per product); over a few Adam steps with learning rate 0.01 that stays far below 1e-4 relative,
// while any wrong term (a dropped nonzero, a missing bias) moves the loss by percents.
constexpr double kRelativeTolerance = 1e-4;
constexpr double kAbsoluteTolerance = 1e-6;

struct AutoRec {
  engine::ParameterStore store;
  engine::SparseInputLayer encoder;
  engine::SparseOutputLayer decoder;
  std::unique_ptr<engine::Optimizer> optimizer;

  AutoRec(Device device, const std::string& optimizer_name)
      : encoder(store, "encoder", kUsers, kHidden, Activation::Sigmoid),
        decoder(store, "decoder", kHidden, kUsers, Activation::Identity) {
    store.finalize(device, 2024);
    if (optimizer_name == "adam") {
      optimizer = std::make_unique<engine::Adam>(store, engine::AdamParams{0.01f});
    } else if (optimizer_name == "sgd") {
      optimizer = std::make_unique<engine::Sgd>(store, engine::SgdParams{0.002f, 0.9f});
    } else if (optimizer_name == "adagrad") {
      optimizer = engine::make_optimizer("adagrad", store, {{"learning_rate", 0.02f}});
    } else {
      optimizer = std::make_unique<engine::Rprop>(store, engine::RpropParams{});
    }
  }

  // One full-batch step; returns the objective 1/2 sse + lambda/2 ||W||^2 before the update.
  double step(const engine::SparseMatrix& ratings) {
    store.zero_grads();
    engine::DeviceAccumulator sse(store.device());
    const engine::ConstTensorView h = encoder.forward(store, ratings);
    decoder.forward_loss(store, h, ratings, sse);
    const engine::ConstTensorView dh = decoder.backward(store, h, ratings, 1.0f);
    encoder.backward(store, ratings, dh);
    engine::add_l2_gradient(store, "weights", kLambda);
    const double objective = 0.5 * sse.read() + engine::l2_penalty(store, "weights", kLambda);
    optimizer->step(store);
    return objective;
  }
};

}  // namespace

TEST_CASE("an AutoRec trained on the CUDA device matches the CPU backend", "[engine_cuda][training]") {
  const std::string kernels = GENERATE(from_range(twin::selectable_kernel_specs()));
  const std::string optimizer = GENERATE(as<std::string>{}, "adam", "sgd", "rprop", "adagrad");
  CAPTURE(kernels, optimizer);
  const twin::KernelSelection selection(kernels);
  const engine::SparseMatrix ratings_cuda = twin::random_sparse(kItems, kUsers, kDensity, 99, twin::kCuda);
  const engine::SparseMatrix ratings_cpu = twin::random_sparse(kItems, kUsers, kDensity, 99, twin::kCpu);
  AutoRec on_cuda(twin::kCuda, optimizer);
  AutoRec on_cpu(twin::kCpu, optimizer);
  CHECK(on_cuda.store.flat_values().to_host() == on_cpu.store.flat_values().to_host());  // same start

  std::int64_t allocations_after_first_step = 0;
  double first_loss = 0.0, last_loss = 0.0;
  for (int step = 0; step < kSteps; ++step) {
    CAPTURE(step);
    const double loss_cuda = on_cuda.step(ratings_cuda);
    const double loss_cpu = on_cpu.step(ratings_cpu);
    CHECK(loss_cuda == Approx(loss_cpu).epsilon(kRelativeTolerance));
    if (step == 0) {
      allocations_after_first_step = engine::cuda_memory_stats().driver_allocations;
      first_loss = loss_cpu;
    }
    last_loss = loss_cpu;
  }
  CHECK(last_loss < first_loss);  // it trains (so the comparison above is not between two constants)
  CHECK(engine::cuda_memory_stats().driver_allocations == allocations_after_first_step);

  for (engine::ParameterId id = 0; id < on_cpu.store.count(); ++id) {
    CAPTURE(on_cpu.store.info(id).name);
    CHECK_CLOSE(on_cuda.store.value(id).to_host(), twin::widen(on_cpu.store.value(id).to_host()),
                (testsupport::Tolerance{kAbsoluteTolerance, kRelativeTolerance}));
  }
}

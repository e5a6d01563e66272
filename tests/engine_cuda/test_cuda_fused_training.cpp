// Mini-batch AutoRec steps with the fused backward + optimizer (each weight row stepped inside the
// transposed product that finishes its gradient) at the shapes training uses: k = 500 (32-lane
// groups, float4 lanes, four column tiles) and batches whose rows, or whose CSC columns, hold more
// than 512 nonzeros (the block-wide long-row phase of the products, forward and transposed). The
// CUDA backend (emulated here) must follow the CPU backend's losses and weights, exact and lazy.
#include <catch2/catch.hpp>

#include <memory>

#include "engine/layers.h"
#include "engine/optimizers.h"
#include "twin_devices.h"

using engine::Activation;
using engine::Device;

namespace {

constexpr std::int64_t kHidden = 500;
constexpr float kL2 = 0.5f;
constexpr int kSteps = 3;
constexpr double kRelativeTolerance = 1e-4;
// Adam moves a weight by up to lr = 0.01 per step almost whatever the gradient's size, so where a
// gradient is near zero the backends' different summation orders show as a few 1e-6 after three
// steps. 2e-5 stays far below any real fault (a wrong tile or row moves weights by ~lr).
constexpr double kAbsoluteTolerance = 2e-5;

struct FusedAutoRec {
  engine::ParameterStore store;
  engine::SparseInputLayer encoder;
  engine::SparseOutputLayer decoder;
  engine::Adam adam;

  FusedAutoRec(Device device, std::int64_t inputs, bool lazy)
      : encoder(store, "encoder", inputs, kHidden, Activation::Sigmoid),
        decoder(store, "decoder", kHidden, inputs, Activation::Identity),
        adam((store.finalize(device, 7), store), engine::AdamParams{0.01f}) {
    adam.set_l2(engine::kWeightsGroup, kL2);
    adam.set_lazy(lazy);
  }

  // One fused step on `batch`; returns 1/2 sse + the L2 penalty before the update.
  double step(const engine::SparseMatrix& batch) {
    engine::DeviceAccumulator sse(store.device());
    const double penalty = engine::l2_penalty(store, engine::kWeightsGroup, kL2);
    adam.begin_step();
    const engine::ConstTensorView h = encoder.forward(store, batch);
    decoder.forward_loss(store, h, batch, sse);
    const engine::ConstTensorView dh = decoder.backward(store, h, batch, 1.0f, &adam);
    encoder.backward(store, batch, dh, &adam);
    return 0.5 * sse.read() + penalty;
  }
};

}  // namespace

TEST_CASE("fused AutoRec steps at k = 500 with long rows and columns match on CUDA and CPU",
          "[engine_cuda][training][fused]") {
  struct Shape {
    int rows, cols;
    double density;
  };
  // 600 x 60 at 90 %: CSC columns of ~540 rows (dV, dW long); 40 x 700 at 80 %: rows of ~560 (X.V, E.W long).
  const Shape shape = GENERATE(Shape{600, 60, 0.9}, Shape{40, 700, 0.8});
  const bool lazy = GENERATE(false, true);
  CAPTURE(shape.rows, shape.cols, lazy);
  // A sparser batch leaves some columns empty, so lazy and exact differ on real rows.
  const engine::SparseMatrix cuda_batch = twin::random_sparse(shape.rows, shape.cols, shape.density, 5, twin::kCuda);
  const engine::SparseMatrix cpu_batch = twin::random_sparse(shape.rows, shape.cols, shape.density, 5, twin::kCpu);
  const engine::SparseMatrix cuda_sparse = twin::random_sparse(shape.rows, shape.cols, 0.01, 6, twin::kCuda);
  const engine::SparseMatrix cpu_sparse = twin::random_sparse(shape.rows, shape.cols, 0.01, 6, twin::kCpu);
  FusedAutoRec on_cuda(twin::kCuda, shape.cols, lazy);
  FusedAutoRec on_cpu(twin::kCpu, shape.cols, lazy);
  for (int step = 0; step < kSteps; ++step) {
    CAPTURE(step);
    const bool sparse_step = step == kSteps - 1;
    const double loss_cuda = on_cuda.step(sparse_step ? cuda_sparse : cuda_batch);
    const double loss_cpu = on_cpu.step(sparse_step ? cpu_sparse : cpu_batch);
    CHECK(loss_cuda == Approx(loss_cpu).epsilon(kRelativeTolerance));
  }
  for (engine::ParameterId id = 0; id < on_cpu.store.count(); ++id) {
    CAPTURE(on_cpu.store.info(id).name);
    CHECK_CLOSE(on_cuda.store.value(id).to_host(), twin::widen(on_cpu.store.value(id).to_host()),
                (testsupport::Tolerance{kAbsoluteTolerance, kRelativeTolerance}));
  }
}

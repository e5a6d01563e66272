// Research code on the engine's ops alone: an embedding table and a linear classifier trained with
// softmax cross-entropy, the embedding's gradient formed by index_add_rows (the deterministic backward
// of the lookup), and Adagrad built by name from the optimizer registry. Exits 1 unless the loss falls.
#include <cstdio>
#include <vector>

#include "engine/ops.h"
#include "engine/optimizers.h"

int main() {
  const engine::Device device = engine::Device::cpu();  // or engine::Device::cuda()
  constexpr engine::index_t kItems = 200, kClasses = 5;
  constexpr std::int64_t kDim = 16;

  engine::ParameterStore params;
  const engine::ParameterId table = params.declare("embedding", kItems, kDim, engine::kWeightsGroup,
                                                   engine::Init::GlorotUniform);
  const engine::ParameterId classifier = params.declare("classifier", kDim, kClasses, engine::kWeightsGroup,
                                                        engine::Init::GlorotUniform);
  params.finalize(device, /*seed=*/7);
  const std::unique_ptr<engine::Optimizer> adagrad =
      engine::make_optimizer("adagrad", params, {{"learning_rate", 0.1f}});

  // Every item once per step; item i belongs to class i % kClasses.
  std::vector<engine::index_t> ids(kItems), labels(kItems);
  for (engine::index_t i = 0; i < kItems; ++i) {
    ids[i] = (i * 37) % kItems;  // a shuffled order
    labels[i] = ids[i] % kClasses;
  }
  const auto device_ids = engine::DeviceArray<engine::index_t>::from_host(ids, device);
  const auto device_labels = engine::DeviceArray<engine::index_t>::from_host(labels, device);
  engine::Tensor x = engine::Tensor::zeros(kItems, kDim, device);          // looked-up rows
  engine::Tensor logits = engine::Tensor::zeros(kItems, kClasses, device);
  engine::Tensor dx = engine::Tensor::zeros(kItems, kDim, device);

  double first = 0.0, last = 0.0;
  for (int step = 0; step < 60; ++step) {
    params.zero_grads();
    engine::DeviceAccumulator loss(device);
    engine::ops::index_select_rows(params.value(table), device_ids, x);           // X = E[ids]
    engine::ops::gemm(false, false, 1.0f, x, params.value(classifier), 0.0f, logits);  // Z = X W
    // Mean loss over the batch; its gradient in Z overwrites Z.
    engine::ops::softmax_cross_entropy_loss(logits, device_labels, 1.0f / kItems, logits, loss);
    engine::ops::gemm(true, false, 1.0f, x, logits, 0.0f, params.grad(classifier));  // dW = X^T dZ
    engine::ops::gemm(false, true, 1.0f, logits, params.value(classifier), 0.0f, dx);  // dX = dZ W^T
    engine::ops::index_add_rows(dx, device_ids, 1.0f, params.grad(table));          // dE[ids] += dX
    adagrad->step(params);
    last = loss.read();
    if (step == 0) first = last;
  }
  std::printf("softmax cross-entropy: %.4f -> %.4f after 60 Adagrad steps\n", first, last);
  return last < 0.5 * first ? 0 : 1;
}

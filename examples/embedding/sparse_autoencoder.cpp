// The engine alone: a two-layer sparse autoencoder on a small random rating matrix, trained with
// Adam for a few steps. Prints the loss, which must go down.
#include <cstdio>
#include <random>

#include "engine/layers.h"
#include "engine/optimizers.h"

int main() {
  const engine::Device device = engine::Device::cpu();  // or engine::Device::cuda()

  // A (200, 300) matrix with ~5% of its entries observed, ratings 1..5.
  engine::CooTriplets ratings;
  std::mt19937 rng(7);
  for (int row = 0; row < 200; ++row) {
    for (int col = 0; col < 300; ++col) {
      if (rng() % 20 != 0) continue;
      ratings.rows.push_back(row);
      ratings.cols.push_back(col);
      ratings.values.push_back(static_cast<float>(1 + (row + col) % 5));
    }
  }
  const auto x = engine::SparseMatrix::from_coo(200, 300, ratings, engine::DuplicatePolicy::Error, device);

  // 300 -> 64 -> 32 -> 300: declare the layers, then lay the parameters out in one buffer.
  engine::ParameterStore params;
  engine::SparseInputLayer encoder(params, "encoder", 300, 64, engine::Activation::Sigmoid);
  engine::DenseLayer middle(params, "middle", 64, 32, engine::Activation::Tanh);
  engine::SparseOutputLayer decoder(params, "decoder", 32, 300, engine::Activation::Identity);
  params.finalize(device, /*seed=*/1);
  engine::Adam adam(params, engine::AdamParams{0.01f});

  for (int step = 1; step <= 50; ++step) {
    params.zero_grads();
    engine::DeviceAccumulator sse(device);
    const engine::ConstTensorView h1 = encoder.forward(params, x);   // (200, 64)
    const engine::ConstTensorView h2 = middle.forward(params, h1);   // (200, 32)
    decoder.forward_loss(params, h2, x, sse);                        // at the observed entries only
    const engine::ConstTensorView dh2 = decoder.backward(params, h2, x, 1.0f);
    encoder.backward(params, x, middle.backward(params, h1, dh2));
    adam.step(params);
    if (step % 10 == 0) std::printf("step %2d  loss %.2f\n", step, 0.5 * sse.read());
  }
  return 0;
}

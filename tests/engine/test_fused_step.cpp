// The fused mini-batch step (each parameter stepped inside the backward pass, no gradient buffer for
// the sparse layers) against the accumulated step it replaces (zero the gradients, add them up, one
// optimizer pass over the store): on the CPU backend the two run the same element rules on the same
// sums, so after several steps every weight must be equal to the last bit, for every fusable
// optimizer and with a dense hidden layer in the stack.
#include <catch2/catch.hpp>

#include <memory>
#include <random>

#include "engine/layers.h"
#include "engine/optimizers.h"

using engine::Activation;
using engine::Device;

namespace {

constexpr int kRows = 70;
constexpr int kCols = 90;
constexpr float kL2 = 0.3f;

engine::SparseMatrix random_batch(std::uint64_t seed, double density) {
  std::mt19937_64 generator(seed);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  engine::CooTriplets t;
  for (int i = 0; i < kRows; ++i) {
    for (int j = 0; j < kCols; ++j) {
      if (uniform(generator) < density) {
        t.rows.push_back(i);
        t.cols.push_back(j);
        t.values.push_back(1.0f + 4.0f * uniform(generator));
      }
    }
  }
  return engine::SparseMatrix::from_coo(kRows, kCols, t);
}

struct Stack {
  engine::ParameterStore store;
  engine::SparseInputLayer encoder;
  engine::DenseLayer middle;
  engine::SparseOutputLayer decoder;
  std::unique_ptr<engine::Optimizer> optimizer;

  explicit Stack(const std::string& rule)
      : encoder(store, "encoder", kCols, 40, Activation::Sigmoid),
        middle(store, "middle", 40, 40, Activation::Elu),
        decoder(store, "decoder", 40, kCols, Activation::Identity) {
    store.finalize(Device::cpu(), 3);
    if (rule == "sgd") {
      optimizer = std::make_unique<engine::Sgd>(store, engine::SgdParams{0.01f, 0.9f, 0.0f, true});
    } else if (rule == "adagrad") {
      optimizer = engine::make_optimizer("adagrad", store, {{"learning_rate", 0.02f}, {"weight_decay", 0.001f}});
    } else {
      engine::AdamParams p{0.01f};
      p.decoupled_weight_decay = rule == "adamw";
      p.weight_decay = rule == "adamw" ? 0.02f : 0.0f;
      optimizer = std::make_unique<engine::Adam>(store, p);
    }
    optimizer->set_l2(engine::kWeightsGroup, kL2);
  }

  void backward(const engine::SparseMatrix& batch, engine::Optimizer* fused) {
    engine::DeviceAccumulator sse(Device::cpu());
    const engine::ConstTensorView h1 = encoder.forward(store, batch);
    const engine::ConstTensorView h2 = middle.forward(store, h1);
    // The fused path takes the model's route (loss and dH in one pass), the accumulated one the two passes.
    engine::ConstTensorView dh2;
    if (fused != nullptr) {
      dh2 = decoder.forward_backward(store, h2, batch, 0.5f, sse, fused);
    } else {
      decoder.forward_loss(store, h2, batch, sse);
      dh2 = decoder.backward(store, h2, batch, 0.5f, nullptr);
    }
    const engine::ConstTensorView dh1 = middle.backward(store, h1, dh2, fused);
    encoder.backward(store, batch, dh1, fused);
  }
  void accumulated_step(const engine::SparseMatrix& batch) {
    store.zero_grads();
    backward(batch, nullptr);
    optimizer->step(store);
  }
  void fused_step(const engine::SparseMatrix& batch) {
    optimizer->begin_step();
    backward(batch, optimizer.get());
  }
};

}  // namespace

TEST_CASE("the fused mini-batch step equals the accumulated step bit for bit on the CPU", "[engine][fused]") {
  const std::string rule = GENERATE(as<std::string>{}, "adam", "adamw", "sgd", "adagrad");
  CAPTURE(rule);
  Stack accumulated(rule);
  Stack fused(rule);
  for (int step = 0; step < 4; ++step) {
    // The last batch leaves most columns empty: untouched rows still take their L2 step in both.
    const engine::SparseMatrix batch = random_batch(10 + step, step == 3 ? 0.01 : 0.2);
    accumulated.accumulated_step(batch);
    fused.fused_step(batch);
  }
  CHECK(fused.store.flat_values().to_host() == accumulated.store.flat_values().to_host());
}

TEST_CASE("lazy fused updates leave untouched rows and their state alone", "[engine][fused]") {
  Stack exact("adam");
  Stack lazy("adam");
  lazy.optimizer->set_lazy(true);
  engine::CooTriplets t{{0, 1}, {2, 5}, {4.0f, 3.0f}};  // touches columns 2 and 5 only
  const engine::SparseMatrix batch = engine::SparseMatrix::from_coo(kRows, kCols, t);
  const std::vector<float> before = lazy.store.value(lazy.decoder.weight()).to_host();
  exact.fused_step(batch);
  lazy.fused_step(batch);
  const std::vector<float> exact_after = exact.store.value(exact.decoder.weight()).to_host();
  const std::vector<float> lazy_after = lazy.store.value(lazy.decoder.weight()).to_host();
  const std::int64_t cols = lazy.store.value(lazy.decoder.weight()).cols();  // to_host() drops the ld padding
  for (std::int64_t row : {0, 1, 3, 89}) {  // untouched decoder rows
    CAPTURE(row);
    const auto at = static_cast<std::size_t>(row * cols);
    CHECK(lazy_after[at] == before[at]);
    CHECK(exact_after[at] != before[at]);  // the exact step moved it (its L2 term)
  }
  for (std::int64_t row : {2, 5}) {  // touched rows agree
    const auto at = static_cast<std::size_t>(row * cols);
    CHECK(lazy_after[at] == exact_after[at]);
  }
}

TEST_CASE("fused updates need an optimizer that supports them, and a known group", "[engine][fused]") {
  Stack stack("adam");
  engine::Rprop rprop(stack.store, engine::RpropParams{});
  CHECK_FALSE(rprop.supports_fused_updates());
  CHECK_THROWS_WITH(rprop.update_for(stack.store, stack.decoder.weight()), Catch::Contains("rprop"));
  CHECK_THROWS_WITH(stack.optimizer->set_l2("weight", 1.0f), Catch::Contains("'weight'"));
}

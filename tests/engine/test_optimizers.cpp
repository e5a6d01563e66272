// Optimizers through the engine API: hand-computed step sequences (worked out in the comments),
// per-group settings, and state records that resume a run exactly. The update formulas themselves
// are also checked element by element at the kernel level.
#include <catch2/catch.hpp>

#include <sstream>

#include "engine/optimizers.h"

using engine::Device;
using engine::Init;
using engine::ParameterStore;

namespace {

// One 1x1 weight ("weights") and one 1x1 bias ("biases").
struct Tiny {
  ParameterStore store;
  engine::ParameterId w, b;
  Tiny(float w0, float b0) {
    w = store.declare("w", 1, 1, "weights", Init::Zeros);
    b = store.declare("b", 1, 1, "biases", Init::Zeros);
    store.finalize(Device::cpu(), 0);
    store.value(w).copy_from_host(std::vector<float>{w0});
    store.value(b).copy_from_host(std::vector<float>{b0});
  }
  void set_grads(float gw, float gb) {
    store.grad(w).copy_from_host(std::vector<float>{gw});
    store.grad(b).copy_from_host(std::vector<float>{gb});
  }
  float wv() const { return store.value(w).to_host()[0]; }
  float bv() const { return store.value(b).to_host()[0]; }
};

}  // namespace

TEST_CASE("Adam follows the hand-computed sequence", "[optimizers]") {
  // lr 0.1, betas (0.9, 0.999), eps 1e-8, w0 = 1.
  // step 1, g = 0.5: m = 0.05, v = 2.5e-4, m^ = 0.5, v^ = 0.25, w = 1 - 0.1 * 0.5 / 0.5 = 0.9
  // step 2, g = -1: m = -0.055, v = 1.24975e-3, m^ = -0.055 / 0.19 = -0.2894737,
  //                 v^ = 1.24975e-3 / 1.999e-3 = 0.6251876, w = 0.9 + 0.1 * 0.2894737 / 0.7906880 = 0.9366104
  Tiny t(1.0f, 0.0f);
  engine::Adam adam(t.store, engine::AdamParams{0.1f, 0.9f, 0.999f, 1e-8f, 0.0f, false});
  t.set_grads(0.5f, 0.0f);
  adam.step(t.store);
  CHECK(t.wv() == Approx(0.9).epsilon(1e-6));
  t.set_grads(-1.0f, 0.0f);
  adam.step(t.store);
  CHECK(t.wv() == Approx(0.9366104).epsilon(1e-6));
  CHECK(adam.steps_taken() == 2);
}

TEST_CASE("AdamW decays decoupled from the gradient, and only where the group says", "[optimizers]") {
  // weight_decay 0.5, lr 0.1: w <- w - 0.05 w before each Adam step.
  // step 1: 1 -> 0.95 -> 0.85;  step 2: 0.85 -> 0.8075 -> 0.8075 + 0.0366104 = 0.8441104.
  Tiny t(1.0f, 1.0f);
  engine::Adam adamw(t.store, engine::AdamParams{0.1f, 0.9f, 0.999f, 1e-8f, 0.5f, true});
  adamw.settings("biases").weight_decay = 0.0f;
  t.set_grads(0.5f, 0.0f);
  adamw.step(t.store);
  t.set_grads(-1.0f, 0.0f);
  adamw.step(t.store);
  CHECK(t.wv() == Approx(0.8441104).epsilon(1e-6));
  CHECK(t.bv() == 1.0f);  // zero gradient, no decay: untouched
  CHECK_THROWS_WITH(adamw.settings("nope"), Catch::Contains("'nope'"));
}

TEST_CASE("SGD with momentum, Nesterov, and coupled weight decay", "[optimizers]") {
  // lr 0.1, momentum 0.9, decay 0.1 on weights only. w0 = 1, g = 1 each step.
  // step 1: g' = 1 + 0.1 * 1 = 1.1, v = 1.1, w = 1 - 0.11 = 0.89
  // step 2: g' = 1 + 0.089 = 1.089, v = 0.99 + 1.089 = 2.079, w = 0.89 - 0.2079 = 0.6821
  // bias (no decay), b0 = 0: step 1 v = 1, b = -0.1; step 2 v = 1.9, b = -0.29
  Tiny t(1.0f, 0.0f);
  engine::Sgd sgd(t.store, engine::SgdParams{0.1f, 0.9f, 0.1f, false});
  sgd.settings("biases").weight_decay = 0.0f;
  for (int s = 0; s < 2; ++s) {
    t.set_grads(1.0f, 1.0f);
    sgd.step(t.store);
  }
  CHECK(t.wv() == Approx(0.6821).epsilon(1e-6));
  CHECK(t.bv() == Approx(-0.29).epsilon(1e-6));

  // Nesterov, no decay: step 1 v = 1, w = 1 - 0.1 (1 + 0.9) = 0.81; step 2 v = 1.9, w = 0.81 - 0.1 (1 + 1.71) = 0.539
  Tiny n(1.0f, 0.0f);
  engine::Sgd nesterov(n.store, engine::SgdParams{0.1f, 0.9f, 0.0f, true});
  for (int s = 0; s < 2; ++s) {
    n.set_grads(1.0f, 0.0f);
    nesterov.step(n.store);
  }
  CHECK(n.wv() == Approx(0.539).epsilon(1e-6));
}

TEST_CASE("iRprop- grows, shrinks and skips on a sign flip", "[optimizers]") {
  // initial step 0.01, eta+ 1.2, eta- 0.5. w0 = 1.
  // g = +1 (no history): w = 0.99;  g = +2 (same sign): step 0.012, w = 0.978
  // g = -1 (flip): step 0.006, no move, history cleared;  g = -1 (no history): w = 0.984
  Tiny t(1.0f, 0.0f);
  engine::Rprop rprop(t.store, engine::RpropParams{1.2f, 0.5f, 1e-6f, 50.0f}, 0.01f);
  const float expected[] = {0.99f, 0.978f, 0.978f, 0.984f};
  const float grads[] = {1.0f, 2.0f, -1.0f, -1.0f};
  for (int s = 0; s < 4; ++s) {
    t.set_grads(grads[s], 0.0f);
    rprop.step(t.store);
    INFO("step " << s + 1);
    CHECK(t.wv() == Approx(expected[s]).epsilon(1e-6));
  }
  CHECK(t.bv() == 0.0f);
}

TEST_CASE("optimizer state records resume a run exactly and reject the wrong optimizer", "[optimizers]") {
  Tiny a(1.0f, 0.5f);
  engine::Adam adam_a(a.store, engine::AdamParams{0.05f});
  const float grads[] = {0.3f, -0.7f, 0.2f};
  for (int s = 0; s < 2; ++s) {
    a.set_grads(grads[s], grads[s]);
    adam_a.step(a.store);
  }
  std::stringstream values, state;
  a.store.save_values(values);
  adam_a.save_state(state);

  Tiny b(0.0f, 0.0f);
  engine::Adam adam_b(b.store, engine::AdamParams{0.05f});
  b.store.load_values(values);
  adam_b.load_state(state);
  a.set_grads(grads[2], grads[2]);
  b.set_grads(grads[2], grads[2]);
  adam_a.step(a.store);
  adam_b.step(b.store);
  CHECK(a.wv() == b.wv());
  CHECK(a.bv() == b.bv());

  std::stringstream sgd_state;
  engine::Sgd sgd(b.store, engine::SgdParams{});
  sgd.save_state(sgd_state);
  CHECK_THROWS_WITH(adam_b.load_state(sgd_state), Catch::Contains("'sgd'"));
}

TEST_CASE("an optimizer refuses a store with another layout", "[optimizers]") {
  Tiny small(1.0f, 0.0f);
  engine::Adam adam(small.store, engine::AdamParams{});
  ParameterStore big;
  big.declare("w", 40, 40, "weights", Init::Zeros);
  big.declare("b", 1, 40, "biases", Init::Zeros);
  big.finalize(Device::cpu(), 0);
  CHECK_THROWS_WITH(adam.step(big), Catch::Contains("layout"));
  engine::Rprop rprop(small.store, engine::RpropParams{});
  CHECK_THROWS_AS(rprop.step(big), engine::Error);
}

TEST_CASE("a bad optimizer state record leaves the optimizer unchanged", "[optimizers]") {
  Tiny t(1.0f, 0.0f);
  engine::Adam adam(t.store, engine::AdamParams{0.1f});
  t.set_grads(0.5f, 0.0f);
  adam.step(t.store);
  std::stringstream state;
  adam.save_state(state);
  const std::string bytes = state.str();
  std::stringstream truncated(bytes.substr(0, bytes.size() - 4));
  CHECK_THROWS_WITH(adam.load_state(truncated), Catch::Contains("truncated"));
  CHECK(adam.steps_taken() == 1);
}

TEST_CASE("set_l2 adds lambda * w to the weights' gradient inside the update, never to the biases",
          "[optimizers]") {
  // Hand-computed with SGD (lr 0.1, no momentum): w0 = 2, g = 0.5, lambda = 0.3:
  // w = 2 - 0.1 * (0.5 + 0.3 * 2) = 1.89; the bias (b0 = 1, g = 0.5) ignores lambda: b = 0.95.
  for (const std::string way : {"step", "step_parameter"}) {
    CAPTURE(way);
    Tiny t(2.0f, 1.0f);
    engine::Sgd sgd(t.store, engine::SgdParams{0.1f, 0.0f, 0.0f, false});
    sgd.set_l2(engine::kWeightsGroup, 0.3f);
    t.set_grads(0.5f, 0.5f);
    if (way == "step") {
      sgd.step(t.store);
    } else {
      sgd.begin_step();
      sgd.step_parameter(t.store, t.w);
      sgd.step_parameter(t.store, t.b);
    }
    CHECK(t.wv() == Approx(1.89).epsilon(1e-6));
    CHECK(t.bv() == Approx(0.95).epsilon(1e-6));
  }
  // Adam, first step, w0 = 1, g = 0, lambda = 0.5: g' = 0.5, the step is lr * sign(g') = 0.1: w = 0.9.
  Tiny t(1.0f, 0.0f);
  engine::Adam adam(t.store, engine::AdamParams{0.1f});
  adam.set_l2(engine::kWeightsGroup, 0.5f);
  t.set_grads(0.0f, 0.0f);
  adam.step(t.store);
  CHECK(t.wv() == Approx(0.9).epsilon(1e-5));
  CHECK(t.bv() == 0.0f);
}

TEST_CASE("set_learning_rate changes the next step of every group, and RProp has none", "[optimizers]") {
  for (const std::string name : {"sgd", "adam", "adagrad", "lion"}) {
    INFO(name);
    // Two identical runs of two steps; the second run halves the rate before its second step.
    Tiny a(1.0f, 1.0f), b(1.0f, 1.0f);
    const auto first = engine::make_optimizer(name, a.store, {{"learning_rate", 0.1f}});
    const auto second = engine::make_optimizer(name, b.store, {{"learning_rate", 0.1f}});
    CHECK(first->has_learning_rate());
    for (int step = 0; step < 2; ++step) {
      if (step == 1) second->set_learning_rate(0.05f);
      a.set_grads(0.5f, 0.5f);
      b.set_grads(0.5f, 0.5f);
      first->step(a.store);
      second->step(b.store);
      if (step == 0) CHECK(a.wv() == b.wv());
    }
    const float moved_a = 1.0f - a.wv(), moved_b = 1.0f - b.wv();
    CHECK(moved_b < moved_a);       // the weights' group took a smaller second step
    CHECK(a.bv() - b.bv() < 0.0f);  // and so did the biases'
  }
  const Tiny t(1.0f, 0.0f);
  const auto rprop = engine::make_optimizer("rprop", t.store);
  CHECK_FALSE(rprop->has_learning_rate());
  CHECK_THROWS_WITH(rprop->set_learning_rate(0.1f), Catch::Contains("rprop") && Catch::Contains("no learning rate"));
}

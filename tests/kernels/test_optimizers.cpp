// Optimizer updates against hand-computed sequences (the arithmetic is in the comments; the numbers
// are chosen as binary fractions where possible so float results are exact), and against the double
// reference on a large random buffer that takes the parallel path.
#include <cmath>

#include "kernels/check.h"
#include "kernels/cpu.h"
#include "testsupport/catch_close.h"
#include "testsupport/host_dense.h"
#include "testsupport/reference.h"

using namespace testsupport;
using Catch::Detail::Approx;

namespace {

std::vector<double> as_double(const std::vector<float>& x) { return {x.begin(), x.end()}; }

}  // namespace

TEST_CASE("SGD with momentum: two hand-computed steps", "[optimizers]") {
  // lr 0.5, momentum 0.5.  w = [1, -2]
  // step 1, g = [0.5, -1]:   v = g = [0.5, -1];                w = [1 - 0.25, -2 + 0.5]       = [0.75, -1.5]
  // step 2, g = [1, 0.25]:   v = 0.5 v + g = [1.25, -0.25];    w = [0.75 - 0.625, -1.5 + 0.125] = [0.125, -1.375]
  kernels::SgdParams p;
  p.learning_rate = 0.5f;
  p.momentum = 0.5f;
  std::vector<float> w = {1.0f, -2.0f}, v = {0.0f, 0.0f};
  const std::vector<float> g1 = {0.5f, -1.0f}, g2 = {1.0f, 0.25f};
  kernels::cpu::sgd_update(w.data(), g1.data(), v.data(), 2, p);
  CHECK_CLOSE(w, (std::vector<double>{0.75, -1.5}), kExact);
  kernels::cpu::sgd_update(w.data(), g2.data(), v.data(), 2, p);
  CHECK_CLOSE(v, (std::vector<double>{1.25, -0.25}), kExact);
  CHECK_CLOSE(w, (std::vector<double>{0.125, -1.375}), kExact);
}

TEST_CASE("SGD Nesterov with coupled weight decay: two hand-computed steps", "[optimizers]") {
  // lr 0.25, momentum 0.5, weight decay 0.5, Nesterov.  w = [2, -1]
  // step 1, g = [1, 0]:   g' = g + 0.5 w = [2, -0.5];  v = [2, -0.5];  g' + 0.5 v = [3, -0.75]
  //                       w = [2 - 0.75, -1 + 0.1875] = [1.25, -0.8125]
  // step 2, g = [-1, 0.5]: g' = [-1 + 0.625, 0.5 - 0.40625] = [-0.375, 0.09375]
  //                       v = 0.5 [2, -0.5] + g' = [0.625, -0.15625];  g' + 0.5 v = [-0.0625, 0.015625]
  //                       w = [1.25 + 0.015625, -0.8125 - 0.00390625] = [1.265625, -0.81640625]
  kernels::SgdParams p;
  p.learning_rate = 0.25f;
  p.momentum = 0.5f;
  p.weight_decay = 0.5f;
  p.nesterov = true;
  std::vector<float> w = {2.0f, -1.0f}, v = {0.0f, 0.0f};
  const std::vector<float> g1 = {1.0f, 0.0f}, g2 = {-1.0f, 0.5f};
  kernels::cpu::sgd_update(w.data(), g1.data(), v.data(), 2, p);
  CHECK_CLOSE(w, (std::vector<double>{1.25, -0.8125}), kExact);
  kernels::cpu::sgd_update(w.data(), g2.data(), v.data(), 2, p);
  CHECK_CLOSE(v, (std::vector<double>{0.625, -0.15625}), kExact);
  CHECK_CLOSE(w, (std::vector<double>{1.265625, -0.81640625}), kExact);
}

TEST_CASE("plain SGD needs no velocity buffer when momentum is 0", "[optimizers]") {
  // lr 0.5: w = [1, 2] - 0.5 [0.5, -4] = [0.75, 4]
  kernels::SgdParams p;
  p.learning_rate = 0.5f;
  std::vector<float> w = {1.0f, 2.0f};
  const std::vector<float> g = {0.5f, -4.0f};
  kernels::cpu::sgd_update(w.data(), g.data(), nullptr, 2, p);
  CHECK_CLOSE(w, (std::vector<double>{0.75, 4.0}), kExact);
}

TEST_CASE("Adam: two hand-computed steps with bias correction", "[optimizers]") {
  // lr 0.1, beta1 0.9, beta2 0.999, eps 1e-8.  w = [1, -1, 0.5]
  // step 1, g = [0.5, -2, 0]:  m = 0.1 g, v = 0.001 g^2;  m^ = g, v^ = g^2
  //   update = g / (|g| + 1e-8) = [1, -1, 0] (to 2e-8);  w = [0.9, -0.9, 0.5]
  // step 2, g = [0.5, 1, 0.25]:
  //   m = 0.9 [0.05, -0.2, 0] + 0.1 g            = [0.095, -0.08, 0.025]
  //   v = 0.999 [0.00025, 0.004, 0] + 0.001 g^2  = [0.00049975, 0.004996, 0.0000625]
  //   m^ = m / (1 - 0.9^2 = 0.19)                = [0.5, -0.4210526316, 0.1315789474]
  //   v^ = v / (1 - 0.999^2 = 0.001999)          = [0.25, 2.4992496248, 0.0312656328]
  //   sqrt(v^)                                   = [0.5, 1.5809015228, 0.1768209061]
  //   update = m^ / sqrt(v^)                     = [1.0, -0.2663370380, 0.7441367815]
  //   w = [0.9 - 0.1, -0.9 + 0.0266337038, 0.5 - 0.0744136781] = [0.8, -0.8733662962, 0.4255863219]
  kernels::AdamParams p;
  p.learning_rate = 0.1f;
  std::vector<float> w = {1.0f, -1.0f, 0.5f}, m(3, 0.0f), v(3, 0.0f);
  const std::vector<float> g1 = {0.5f, -2.0f, 0.0f}, g2 = {0.5f, 1.0f, 0.25f};
  p.step = 1;
  kernels::cpu::adam_update(w.data(), g1.data(), m.data(), v.data(), 3, p);
  CHECK_CLOSE(w, (std::vector<double>{0.9, -0.9, 0.5}), fp32_elementwise_tolerance());
  p.step = 2;
  kernels::cpu::adam_update(w.data(), g2.data(), m.data(), v.data(), 3, p);
  CHECK_CLOSE(m, (std::vector<double>{0.095, -0.08, 0.025}), fp32_elementwise_tolerance());
  // 0.999f is 0.99900001287, so the float 1 - beta2 is 1.3e-5 (relative) off the decimal 0.001.
  CHECK_CLOSE(v, (std::vector<double>{0.00049975, 0.004996, 0.0000625}), (Tolerance{0.0, 3e-5}));
  CHECK_CLOSE(w, (std::vector<double>{0.8, -0.8733662962, 0.4255863219}), fp32_elementwise_tolerance(2e-6));
}

TEST_CASE("Adam: coupled L2 decay changes the gradient, AdamW shrinks the weight", "[optimizers]") {
  // One step (t = 1, so the update is sign(g') up to eps), lr 0.1, weight decay 0.5, w = [1, -1, 0.5],
  // g = [0.5, -2, 0].
  // Coupled: g' = g + 0.5 w = [1, -2.5, 0.25]  ->  w = [1 - 0.1, -1 + 0.1, 0.5 - 0.1] = [0.9, -0.9, 0.4]
  // AdamW:   w = w (1 - 0.1 * 0.5) = [0.95, -0.95, 0.475], then sign(g) = [1, -1, 0]
  //          ->  w = [0.85, -0.85, 0.475]
  kernels::AdamParams p;
  p.learning_rate = 0.1f;
  p.weight_decay = 0.5f;
  const std::vector<float> g = {0.5f, -2.0f, 0.0f};
  for (const bool decoupled : {false, true}) {
    INFO("decoupled " << decoupled);
    p.decoupled_weight_decay = decoupled;
    std::vector<float> w = {1.0f, -1.0f, 0.5f}, m(3, 0.0f), v(3, 0.0f);
    kernels::cpu::adam_update(w.data(), g.data(), m.data(), v.data(), 3, p);
    const std::vector<double> expected =
        decoupled ? std::vector<double>{0.85, -0.85, 0.475} : std::vector<double>{0.9, -0.9, 0.4};
    CHECK_CLOSE(w, expected, fp32_elementwise_tolerance());
  }
}

TEST_CASE("iRprop-: growth, sign flips (no move, gradient forgotten), step clamps", "[optimizers]") {
  // eta+ 1.5, eta- 0.5, step_min 0.2, step_max 1.  w = [0, 0, 0], steps = [0.5, 0.5, 0.5], g_prev = 0.
  // step 1, g = [1, -1, 2]:  g_prev = 0 -> move by sign(g) * step:  w = [-0.5, 0.5, -0.5], g_prev = g
  // step 2, g = [2, 3, -1]:  w0 agrees: step 0.75, w0 = -1.25.  w1, w2 flip: steps 0.25, no move, g_prev 0
  // step 3, g = [1, 3, -4]:  w0 agrees: step min(1.125, 1) = 1 (clamped), w0 = -2.25
  //                          w1, w2 after a flip (g_prev 0): move by 0.25: w1 = 0.25, w2 = -0.25
  // step 4, g = [0.5, -1, 4]: w0: step stays 1, w0 = -3.25.  w1, w2 flip: step max(0.125, 0.2) = 0.2 (clamped)
  kernels::RpropParams p;
  p.eta_plus = 1.5f;
  p.eta_minus = 0.5f;
  p.step_min = 0.2f;
  p.step_max = 1.0f;
  std::vector<float> w(3, 0.0f), previous(3, 0.0f), steps(3, 0.5f);
  const auto step = [&](std::vector<float> g) {
    kernels::cpu::rprop_update(w.data(), g.data(), previous.data(), steps.data(), 3, p);
  };
  step({1.0f, -1.0f, 2.0f});
  CHECK_CLOSE(w, (std::vector<double>{-0.5, 0.5, -0.5}), kExact);
  CHECK_CLOSE(previous, (std::vector<double>{1.0, -1.0, 2.0}), kExact);
  step({2.0f, 3.0f, -1.0f});
  CHECK_CLOSE(w, (std::vector<double>{-1.25, 0.5, -0.5}), kExact);
  CHECK_CLOSE(steps, (std::vector<double>{0.75, 0.25, 0.25}), kExact);
  CHECK_CLOSE(previous, (std::vector<double>{2.0, 0.0, 0.0}), kExact);
  step({1.0f, 3.0f, -4.0f});
  CHECK_CLOSE(w, (std::vector<double>{-2.25, 0.25, -0.25}), kExact);
  CHECK_CLOSE(steps, (std::vector<double>{1.0, 0.25, 0.25}), kExact);
  step({0.5f, -1.0f, 4.0f});
  CHECK_CLOSE(w, (std::vector<double>{-3.25, 0.25, -0.25}), kExact);
  CHECK_CLOSE(steps, as_double({1.0f, 0.2f, 0.2f}), kExact);
  CHECK_CLOSE(previous, (std::vector<double>{0.5, 0.0, 0.0}), kExact);
}

TEST_CASE("iRprop-: a zero gradient moves nothing and keeps the step", "[optimizers]") {
  // w = [1, 1], steps [0.5, 0.5], g_prev = [2, 0], g = [0, 0]: product 0 -> "else" branch, sign(0) = 0.
  kernels::RpropParams p;
  std::vector<float> w = {1.0f, 1.0f}, previous = {2.0f, 0.0f}, steps = {0.5f, 0.5f};
  const std::vector<float> g = {0.0f, 0.0f};
  kernels::cpu::rprop_update(w.data(), g.data(), previous.data(), steps.data(), 2, p);
  CHECK_CLOSE(w, (std::vector<double>{1.0, 1.0}), kExact);
  CHECK_CLOSE(steps, (std::vector<double>{0.5, 0.5}), kExact);
  CHECK_CLOSE(previous, (std::vector<double>{0.0, 0.0}), kExact);
}

TEST_CASE("optimizers match the double reference on a large buffer (parallel path)", "[optimizers]") {
  const std::int64_t n = 100'003;
  const std::vector<float> w0 = random_vector(n, 90);
  const std::vector<std::vector<float>> grads = {random_vector(n, 91), random_vector(n, 92), random_vector(n, 93)};
  SECTION("SGD Nesterov") {
    kernels::SgdParams p{0.1f, 0.9f, 0.01f, true};
    std::vector<float> w = w0, v(static_cast<std::size_t>(n), 0.0f);
    OptimizerState ref{as_double(w0), {}, {}};
    for (const auto& g : grads) {
      kernels::cpu::sgd_update(w.data(), g.data(), v.data(), n, p);
      sgd_reference_step(ref, g, p);
    }
    CHECK_CLOSE(w, ref.params, fp32_elementwise_tolerance(1e-5));
  }
  SECTION("AdamW") {
    kernels::AdamParams p;
    p.learning_rate = 0.01f;
    p.weight_decay = 0.1f;
    p.decoupled_weight_decay = true;
    std::vector<float> w = w0, m(static_cast<std::size_t>(n), 0.0f), v(static_cast<std::size_t>(n), 0.0f);
    OptimizerState ref{as_double(w0), {}, {}};
    for (std::size_t t = 0; t < grads.size(); ++t) {
      p.step = static_cast<std::int64_t>(t) + 1;
      kernels::cpu::adam_update(w.data(), grads[t].data(), m.data(), v.data(), n, p);
      adam_reference_step(ref, grads[t], p);
    }
    CHECK_CLOSE(w, ref.params, fp32_elementwise_tolerance(1e-5));
  }
  SECTION("iRprop-") {
    kernels::RpropParams p;
    std::vector<float> w = w0, previous(static_cast<std::size_t>(n), 0.0f), steps(static_cast<std::size_t>(n), 0.01f);
    OptimizerState ref{as_double(w0), std::vector<double>(static_cast<std::size_t>(n), 0.0),
                       std::vector<double>(static_cast<std::size_t>(n), 0.01)};
    for (const auto& g : grads) {
      kernels::cpu::rprop_update(w.data(), g.data(), previous.data(), steps.data(), n, p);
      rprop_reference_step(ref, g, p);
    }
    CHECK_CLOSE(w, ref.params, fp32_elementwise_tolerance(1e-6));
  }
}

TEST_CASE("Adagrad: two hand-computed steps", "[optimizers][adagrad]") {
  // lr 0.5, eps 0, no decay.  w = [1, -2]
  // step 1, g = [3, -4]:  s = [9, 16];   w = [1 - 0.5 * 3 / 3, -2 + 0.5 * 4 / 4]     = [0.5, -1.5]
  // step 2, g = [4, 0]:   s = [25, 16];  w = [0.5 - 0.5 * 4 / 5, -1.5 - 0]           = [0.1, -1.5]
  const kernels::AdagradParams p{0.5f, 0.0f, 0.0f};
  std::vector<float> w = {1.0f, -2.0f}, s = {0.0f, 0.0f};
  const std::vector<float> g1 = {3.0f, -4.0f}, g2 = {4.0f, 0.0f};
  kernels::cpu::apply_update(w.data(), g1.data(), 2, kernels::WeightUpdate::of<kernels::rules::Adagrad>(p, s.data()));
  CHECK_CLOSE(w, (std::vector<double>{0.5, -1.5}), kExact);
  CHECK_CLOSE(s, (std::vector<double>{9.0, 16.0}), kExact);
  kernels::cpu::apply_update(w.data(), g2.data(), 2, kernels::WeightUpdate::of<kernels::rules::Adagrad>(p, s.data()));
  CHECK(w[0] == Approx(0.1).epsilon(1e-6));
  CHECK(w[1] == -1.5f);
  // Its state buffer is required.
  CHECK_THROWS_AS(kernels::cpu::apply_update(w.data(), g2.data(), 2, kernels::WeightUpdate::of<kernels::rules::Adagrad>(p)),
                  kernels::Error);
}

TEST_CASE("Adagrad matches the double reference on a large buffer (parallel path)", "[optimizers][adagrad]") {
  const std::int64_t n = 100'003;
  const kernels::AdagradParams p{0.05f, 1e-10f, 0.01f};
  std::vector<float> w = random_vector(n, 94), s(static_cast<std::size_t>(n), 0.0f);
  OptimizerState ref{as_double(w), {}, {}};
  for (std::uint64_t t = 0; t < 4; ++t) {
    const std::vector<float> g = random_vector(n, 95 + t);
    kernels::cpu::apply_update(w.data(), g.data(), n, kernels::WeightUpdate::of<kernels::rules::Adagrad>(p, s.data()));
    adagrad_reference_step(ref, g, p);
  }
  CHECK_CLOSE(w, ref.params, fp32_elementwise_tolerance(1e-5));
  CHECK_CLOSE(s, ref.first, fp32_elementwise_tolerance(1e-5));
}

TEST_CASE("Lion matches the double reference on a large buffer (parallel path)", "[optimizers][lion]") {
  const std::int64_t n = 100'003;
  const kernels::LionParams p{0.01f, 0.9f, 0.99f, 0.1f, 0.02f};
  std::vector<float> w = random_vector(n, 96), m(static_cast<std::size_t>(n), 0.0f);
  OptimizerState ref{as_double(w), {}, {}};
  for (std::uint64_t t = 0; t < 4; ++t) {
    const std::vector<float> g = random_vector(n, 97 + t);
    kernels::cpu::apply_update(w.data(), g.data(), n, kernels::WeightUpdate::of<kernels::rules::Lion>(p, m.data()));
    lion_reference_step(ref, g, p);
  }
  CHECK_CLOSE(w, ref.params, fp32_elementwise_tolerance(1e-5));
  CHECK_CLOSE(m, ref.first, fp32_elementwise_tolerance(1e-5));
}
